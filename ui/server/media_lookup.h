// What the media panels ask of a run's history: the media value a row holds under a key
// (nested keys named with '.', as RunHistory names them), and which of a key's steps to show
// when there are more than a panel can draw.
#ifndef WANDB_UI_SERVER_MEDIA_LOOKUP_H_
#define WANDB_UI_SERVER_MEDIA_LOOKUP_H_

#include <cstdint>
#include <vector>

#include "absl/strings/string_view.h"
#include "nlohmann/json.hpp"

namespace wandb::ui {

// The value under `key` in the row `row` (a JSON object): the top-level key of that name, else
// a nested one, "a.b" being {"a": {"b": ...}} (a key may itself hold dots: each split is
// tried). Null when there is none.
nlohmann::json ValueAtKey(const nlohmann::json& row, absl::string_view key);

// At most `count` of `steps` (rising), spread evenly over them, the first and the last always
// among them; all of them when there are no more than `count`.
std::vector<int64_t> SpreadSteps(const std::vector<int64_t>& steps, size_t count);

}  // namespace wandb::ui

#endif  // WANDB_UI_SERVER_MEDIA_LOOKUP_H_
