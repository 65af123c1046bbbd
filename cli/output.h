// What every command of wandb-cpp shares for its output: the exit codes, an aligned table for
// people, JSON for programs, and how times, durations and sizes are written.
#ifndef WANDB_CLI_OUTPUT_H_
#define WANDB_CLI_OUTPUT_H_

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace wandb::cli {

// The exit codes of every command.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;  // the command could not do what was asked
inline constexpr int kExitUsage = 2;    // bad arguments: nothing was done

// Columns padded to their widest cell, two spaces apart, a header line first; no trailing
// spaces. Widths count UTF-8 code points.
class Table {
 public:
  enum class Align { kLeft, kRight };

  // `align`: per column, left when missing.
  explicit Table(std::vector<std::string> headers, std::vector<Align> align = {});

  void AddRow(std::vector<std::string> cells);  // missing cells are empty
  size_t rows() const { return rows_.size(); }
  void Print(std::ostream& out) const;

 private:
  std::vector<std::string> headers_;
  std::vector<Align> align_;
  std::vector<std::vector<std::string>> rows_;
};

// Code points in a UTF-8 string: what a terminal shows, for all but wide characters.
size_t DisplayWidth(absl::string_view text);

// "0s", "42s", "12m03s", "3h04m05s", "2d03h04m"; negative durations as "0s".
std::string CompactDuration(absl::Duration duration);
// "2026-11-26 20:00:21" in the local time zone ($TZ, else /etc/localtime).
std::string FormatLocalTime(absl::Time time);
// "512 B", "1.5 KiB", "3.2 MiB", "1.0 GiB".
std::string FormatBytes(int64_t bytes);
// A size as people write it, as wandb reads one: a number (fractions allowed) with an
// optional unit, B, KB/MB/GB/TB (powers of 1000, as wandb's) or KiB/MiB/GiB/TiB (of 1024),
// any case, spaces between allowed: "1GB", "500 MiB", "1.5gb", "4096". InvalidArgument
// otherwise.
absl::StatusOr<int64_t> ParseByteSize(absl::string_view text);
// Seconds since the Unix epoch, for JSON.
double UnixSeconds(absl::Time time);

// One line of JSON (no newline). Never throws: invalid UTF-8 is replaced.
std::string JsonLine(const nlohmann::json& value);

}  // namespace wandb::cli

#endif  // WANDB_CLI_OUTPUT_H_
