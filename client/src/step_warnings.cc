#include "client/src/step_warnings.h"

#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace wandb::internal {

std::string StepWarnings::OnLog(const std::string& run_id, const Value::Map& data,
                                std::optional<int64_t> step, bool commit) {
  if (!step.has_value()) {
    if (commit) step_.fetch_add(1, std::memory_order_relaxed);
    return "";
  }
  int64_t current = step_.load(std::memory_order_relaxed);
  if (*step >= current) {
    step_.store(commit ? *step + 1 : *step, std::memory_order_relaxed);
    return "";
  }
  std::vector<std::string> keys;
  for (const auto& [key, unused] : data) keys.push_back(key);
  std::sort(keys.begin(), keys.end());
  std::string key_set = absl::StrJoin(keys, ", ");
  {
    absl::MutexLock lock(&mu_);
    if (!warned_.insert(key_set).second) return "";
  }
  return absl::StrCat("run ", run_id, ": log() at step ", *step, ", lower than the current step ",
                      current, ": the row (", key_set.empty() ? "no keys" : key_set,
                      ") is dropped, as wandb drops it; steps must only increase. This is said "
                      "once per set of keys");
}

}  // namespace wandb::internal
