#include "common/util/human_readable.h"

#include <iterator>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace wandb {
namespace {

// "1,234,567".
std::string WithSeparators(int64_t n) {
  std::string digits = absl::StrCat(n);
  size_t first = n < 0 ? 1 : 0;  // after the sign
  std::string out = digits.substr(0, first);
  for (size_t i = first; i < digits.size(); ++i) {
    if (i > first && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

}  // namespace

std::string CountOf(int64_t count, absl::string_view singular, absl::string_view plural) {
  if (count == 1) return absl::StrCat("1 ", singular);
  return absl::StrCat(WithSeparators(count), " ",
                      plural.empty() ? absl::StrCat(singular, "s") : std::string(plural));
}

std::string ByteSize(int64_t bytes) {
  if (bytes < 1024) return absl::StrFormat("%d B", bytes);
  static constexpr const char* kUnits[] = {"KiB", "MiB", "GiB", "TiB", "PiB"};
  double value = static_cast<double>(bytes) / 1024;
  size_t unit = 0;
  // From 1023.95 on, "%.1f" would print 1024.0: the next unit reads better.
  while (value >= 1023.95 && unit + 1 < std::size(kUnits)) {
    value /= 1024;
    ++unit;
  }
  return absl::StrFormat("%.1f %s", value, kUnits[unit]);
}

}  // namespace wandb
