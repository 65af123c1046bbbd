#include "ui/server/media_lookup.h"

#include <string>

namespace wandb::ui {

nlohmann::json ValueAtKey(const nlohmann::json& row, absl::string_view key) {
  if (!row.is_object()) return nullptr;
  auto whole = row.find(std::string(key));
  if (whole != row.end()) return *whole;
  for (size_t dot = key.find('.'); dot != absl::string_view::npos; dot = key.find('.', dot + 1)) {
    auto outer = row.find(std::string(key.substr(0, dot)));
    if (outer == row.end() || !outer->is_object()) continue;
    nlohmann::json inner = ValueAtKey(*outer, key.substr(dot + 1));
    if (!inner.is_null()) return inner;
  }
  return nullptr;
}

std::vector<int64_t> SpreadSteps(const std::vector<int64_t>& steps, size_t count) {
  if (steps.size() <= count) return steps;
  std::vector<int64_t> chosen;
  if (count == 0) return chosen;
  if (count == 1) return {steps.back()};
  chosen.reserve(count);
  // Index i of count spans the whole list: 0 and size-1 are both taken, none twice (count <
  // size, so consecutive picks differ).
  const double stride = static_cast<double>(steps.size() - 1) / static_cast<double>(count - 1);
  for (size_t i = 0; i < count; ++i) {
    chosen.push_back(steps[static_cast<size_t>(static_cast<double>(i) * stride + 0.5)]);
  }
  return chosen;
}

}  // namespace wandb::ui
