#include "client/src/console.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace wandb::internal {
namespace {

constexpr size_t kSparklineWidth = 40;
constexpr size_t kMaxSummaryString = 20;

void Print(absl::string_view prefix, absl::string_view line) {
  std::string text = absl::StrCat(prefix, line, "\n");
  std::fwrite(text.data(), 1, text.size(), stderr);
}

// A summary value as the footer shows it: numbers rounded, long strings cut, the rest skipped.
std::string FooterValue(const std::string& json) {
  if (json.empty()) return "";
  if (json[0] == '"') {
    std::string s = json.substr(1, json.size() - 2);
    return s.size() > kMaxSummaryString ? s.substr(0, kMaxSummaryString) + "..." : s;
  }
  if (json[0] == '{' || json[0] == '[') return "";
  double d = 0;
  if (absl::SimpleAtod(json, &d) && json.find_first_of(".eE") != std::string::npos) {
    return absl::StrFormat("%.5g", d);
  }
  return json;
}

}  // namespace

std::string Sparkline(const std::vector<double>& all) {
  static const char* kBars[] = {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
  std::vector<double> values;
  size_t step = std::max<size_t>(1, (all.size() + kSparklineWidth - 1) / kSparklineWidth);
  for (size_t i = 0; i < all.size(); i += step) {
    if (std::isfinite(all[i])) values.push_back(all[i]);
  }
  if (values.empty()) return "";
  auto [lo, hi] = std::minmax_element(values.begin(), values.end());
  // Values spanning more than a double can hold (+-1e308) are scaled down first, so that the
  // range stays finite and (v - lo) / range never becomes inf / inf.
  double scale = std::isfinite(*hi - *lo) ? 1.0 : 0.5;
  double range = *hi * scale - *lo * scale;
  std::string out;
  for (double v : values) {
    int level = range > 0 ? static_cast<int>((v * scale - *lo * scale) / range * 7.0 + 0.5) : 0;
    out += kBars[std::clamp(level, 0, 7)];
  }
  return out;
}

void Console::Info(absl::string_view line) const {
  if (!silent_) Print("wandb: ", line);
}

void Console::Warning(absl::string_view line) const { Print("wandb: WARNING ", line); }

void Console::Footer(const service::FinishRunResponse& response) const {
  if (silent_) return;
  std::vector<std::pair<std::string, std::string>> history;
  size_t width = 0;
  for (const service::SampledHistoryItem& item : response.sampled_history()) {
    std::string line = Sparkline({item.values().begin(), item.values().end()});
    if (line.empty()) continue;
    history.emplace_back(item.key(), line);
    width = std::max(width, item.key().size());
  }
  std::vector<std::pair<std::string, std::string>> summary;
  for (const records::SummaryItem& item : response.summary()) {
    if (item.key().empty() || item.key()[0] == '_') continue;
    std::string value = FooterValue(item.value_json());
    if (value.empty()) continue;
    summary.emplace_back(item.key(), value);
    width = std::max(width, item.key().size());
  }
  if (!history.empty()) {
    Info("");
    Info("Run history:");
    for (const auto& [key, line] : history) Info(absl::StrFormat("%*s %s", width, key, line));
  }
  if (!summary.empty()) {
    Info("");
    Info("Run summary:");
    for (const auto& [key, value] : summary) Info(absl::StrFormat("%*s %s", width, key, value));
  }
  Info("");
}

}  // namespace wandb::internal
