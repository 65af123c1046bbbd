#include "cli/output.h"

#include <algorithm>
#include <cstdio>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace wandb::cli {

Table::Table(std::vector<std::string> headers, std::vector<Align> align)
    : headers_(std::move(headers)), align_(std::move(align)) {
  align_.resize(headers_.size(), Align::kLeft);
}

void Table::AddRow(std::vector<std::string> cells) {
  cells.resize(headers_.size());
  rows_.push_back(std::move(cells));
}

void Table::Print(std::ostream& out) const {
  std::vector<size_t> widths(headers_.size(), 0);
  for (size_t c = 0; c < headers_.size(); ++c) widths[c] = DisplayWidth(headers_[c]);
  for (const std::vector<std::string>& row : rows_) {
    for (size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], DisplayWidth(row[c]));
  }
  auto print_line = [&](const std::vector<std::string>& cells) {
    std::string line;
    for (size_t c = 0; c < cells.size(); ++c) {
      if (c > 0) line += "  ";
      std::string pad(widths[c] - DisplayWidth(cells[c]), ' ');
      if (align_[c] == Align::kRight) {
        line += pad + cells[c];
      } else {
        line += cells[c];
        if (c + 1 < cells.size()) line += pad;
      }
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out << line << "\n";
  };
  print_line(headers_);
  for (const std::vector<std::string>& row : rows_) print_line(row);
}

size_t DisplayWidth(absl::string_view text) {
  return std::count_if(text.begin(), text.end(),
                       [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; });
}

std::string CompactDuration(absl::Duration duration) {
  int64_t s = absl::ToInt64Seconds(std::max(duration, absl::ZeroDuration()));
  int64_t days = s / 86400, hours = s / 3600 % 24, minutes = s / 60 % 60, seconds = s % 60;
  if (days > 0) return absl::StrFormat("%dd%02dh%02dm", days, hours, minutes);
  if (hours > 0) return absl::StrFormat("%dh%02dm%02ds", hours, minutes, seconds);
  if (minutes > 0) return absl::StrFormat("%dm%02ds", minutes, seconds);
  return absl::StrFormat("%ds", seconds);
}

std::string FormatLocalTime(absl::Time time) {
  return absl::FormatTime("%Y-%m-%d %H:%M:%S", time, absl::LocalTimeZone());
}

std::string FormatBytes(int64_t bytes) {
  if (bytes < 1024) return absl::StrFormat("%d B", bytes);
  static constexpr const char* kUnits[] = {"KiB", "MiB", "GiB", "TiB"};
  double value = static_cast<double>(bytes) / 1024;
  size_t unit = 0;
  while (value >= 1024 && unit + 1 < std::size(kUnits)) {
    value /= 1024;
    ++unit;
  }
  return absl::StrFormat("%.1f %s", value, kUnits[unit]);
}

absl::StatusOr<int64_t> ParseByteSize(absl::string_view text) {
  // clang-format off
  static const std::pair<absl::string_view, double> kUnits[] = {
      {"", 1}, {"b", 1}, {"kb", 1e3}, {"mb", 1e6}, {"gb", 1e9}, {"tb", 1e12},
      {"kib", 1024.0}, {"mib", 1048576.0}, {"gib", 1073741824.0}, {"tib", 1099511627776.0}};
  // clang-format on
  std::string lower = absl::AsciiStrToLower(absl::StripAsciiWhitespace(text));
  size_t digits = 0;
  while (digits < lower.size() && (absl::ascii_isdigit(lower[digits]) || lower[digits] == '.')) {
    ++digits;
  }
  double number = 0;
  const std::string unit(absl::StripAsciiWhitespace(absl::string_view(lower).substr(digits)));
  if (digits > 0 && absl::SimpleAtod(lower.substr(0, digits), &number) && number >= 0) {
    for (const auto& [name, factor] : kUnits) {
      if (unit == name && number * factor < 9.2e18) return static_cast<int64_t>(number * factor);
    }
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "'", text, "' is not a size (a number with B, KB, MB, GB, TB, KiB, MiB, GiB or TiB)"));
}

double UnixSeconds(absl::Time time) { return absl::ToDoubleSeconds(time - absl::UnixEpoch()); }

std::string JsonLine(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace wandb::cli
