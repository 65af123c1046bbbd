// Reading captured console text in tests: its lines, and the ones a test cares about.
#ifndef WANDB_TESTS_SUPPORT_TEXT_LINES_H_
#define WANDB_TESTS_SUPPORT_TEXT_LINES_H_

#include <algorithm>
#include <string>
#include <vector>

namespace wandb::testing {

// The '\n'-separated lines of `text`; an unfinished last line is marked "<no newline>".
inline std::vector<std::string> LinesOf(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  for (size_t end; (end = text.find('\n', start)) != std::string::npos; start = end + 1) {
    lines.push_back(text.substr(start, end - start));
  }
  if (start < text.size()) lines.push_back(text.substr(start) + "<no newline>");
  return lines;
}

// The lines of `all` that are in `wanted`, in their order in `all`.
inline std::vector<std::string> Only(const std::vector<std::string>& all,
                                     const std::vector<std::string>& wanted) {
  std::vector<std::string> out;
  for (const std::string& line : all) {
    if (std::find(wanted.begin(), wanted.end(), line) != wanted.end()) out.push_back(line);
  }
  return out;
}

}  // namespace wandb::testing

#endif  // WANDB_TESTS_SUPPORT_TEXT_LINES_H_
