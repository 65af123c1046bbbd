// Turns one output stream's bytes into the finished lines a terminal would show, as wandb
// does for output.log: '\r' returns to column 0 and what follows overwrites the line from
// there (so a progress bar redrawn with '\r' leaves only its last state), '\n' ends the line
// ("\r\n" therefore ends it unchanged). Bytes are kept as they came (output.log is binary,
// as wandb's): other control characters and escape sequences pass through, and a column is
// one UTF-8 code point (an invalid byte is a column of its own).
#ifndef WANDB_CLIENT_SRC_TERMINAL_LINES_H_
#define WANDB_CLIENT_SRC_TERMINAL_LINES_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "common/value/validation.h"

namespace wandb::internal {

class TerminalLines {
 public:
  // A line that reaches this length without a '\n' is ended there, so a stream with no
  // newline (a binary dump) cannot grow one line without bound; with its '\n' it is one
  // OutputRecord line the daemon takes whole.
  static constexpr size_t kMaxLineBytes = validation::kMaxOutputLineBytes - 1;

  explicit TerminalLines(size_t max_line_bytes = kMaxLineBytes) : max_line_(max_line_bytes) {}

  // Appends each line that `bytes` finishes, without its '\n', to `lines`.
  void Feed(absl::string_view bytes, std::vector<std::string>* lines);
  // The line begun but not finished, as it stands; false when there is none.
  bool TakePartial(std::string* line);
  bool has_partial() const { return !line_.empty(); }

 private:
  // Writes `bytes` (no '\r' or '\n') at the cursor.
  void Put(absl::string_view bytes, std::vector<std::string>* lines);
  // Writes one byte over the column at the cursor.
  void Overwrite(char byte);
  void EndLine(std::vector<std::string>* lines);

  const size_t max_line_;
  std::string line_;
  size_t cursor_ = 0;  // byte offset in line_ where the next byte goes
};

}  // namespace wandb::internal

#endif  // WANDB_CLIENT_SRC_TERMINAL_LINES_H_
