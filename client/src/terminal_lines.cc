#include "client/src/terminal_lines.h"

#include <cstring>

namespace wandb::internal {
namespace {

bool IsContinuation(char byte) { return (static_cast<unsigned char>(byte) & 0xC0) == 0x80; }

}  // namespace

void TerminalLines::Feed(absl::string_view bytes, std::vector<std::string>* lines) {
  while (!bytes.empty()) {
    size_t stop = bytes.find_first_of("\r\n");
    Put(bytes.substr(0, stop), lines);
    if (stop == absl::string_view::npos) return;
    if (bytes[stop] == '\n') {
      EndLine(lines);
    } else {
      cursor_ = 0;
    }
    bytes.remove_prefix(stop + 1);
  }
}

bool TerminalLines::TakePartial(std::string* line) {
  if (line_.empty()) return false;
  *line = std::move(line_);
  line_.clear();
  cursor_ = 0;
  return true;
}

void TerminalLines::Put(absl::string_view bytes, std::vector<std::string>* lines) {
  while (!bytes.empty()) {
    if (line_.size() >= max_line_) EndLine(lines);
    size_t room = max_line_ - line_.size();
    if (cursor_ == line_.size()) {
      // The common case: writing at the end of the line.
      size_t n = std::min(room, bytes.size());
      line_.append(bytes.data(), n);
      cursor_ = line_.size();
      bytes.remove_prefix(n);
      continue;
    }
    Overwrite(bytes.front());
    bytes.remove_prefix(1);
  }
}

void TerminalLines::Overwrite(char byte) {
  if (IsContinuation(byte) && cursor_ > 0) {
    // The rest of the code point whose lead byte was just written: it joins that column.
    line_.insert(line_.begin() + static_cast<std::ptrdiff_t>(cursor_), byte);
    ++cursor_;
    return;
  }
  // The column at the cursor: its lead byte and the continuation bytes after it.
  size_t end = cursor_ + 1;
  while (end < line_.size() && IsContinuation(line_[end])) ++end;
  line_.replace(cursor_, end - cursor_, 1, byte);
  ++cursor_;
}

void TerminalLines::EndLine(std::vector<std::string>* lines) {
  lines->push_back(std::move(line_));
  line_.clear();
  cursor_ = 0;
}

}  // namespace wandb::internal
