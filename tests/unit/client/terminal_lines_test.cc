#include "client/src/terminal_lines.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

namespace wandb::internal {
namespace {

using Lines = std::vector<std::string>;

// Feeds `chunks` in order; the finished lines.
Lines Feed(TerminalLines& terminal, const std::vector<std::string>& chunks) {
  Lines lines;
  for (const std::string& chunk : chunks) terminal.Feed(chunk, &lines);
  return lines;
}

Lines Feed(const std::vector<std::string>& chunks) {
  TerminalLines terminal;
  return Feed(terminal, chunks);
}

TEST_CASE("TerminalLines ends lines at newlines, across chunks", "[terminal_lines]") {
  CHECK(Feed({"one\ntwo\n"}) == Lines{"one", "two"});
  CHECK(Feed({"on", "e\ntw", "o", "\n"}) == Lines{"one", "two"});
  CHECK(Feed({"\n\n"}) == Lines{"", ""});
  CHECK(Feed({""}).empty());
}

TEST_CASE("TerminalLines keeps the unfinished line for later", "[terminal_lines]") {
  TerminalLines terminal;
  CHECK(Feed(terminal, {"done\npart"}) == Lines{"done"});
  CHECK(terminal.has_partial());
  std::string partial;
  REQUIRE(terminal.TakePartial(&partial));
  CHECK(partial == "part");
  CHECK_FALSE(terminal.has_partial());
  CHECK_FALSE(terminal.TakePartial(&partial));
  // What follows starts a new line.
  CHECK(Feed(terminal, {"next\n"}) == Lines{"next"});
}

TEST_CASE("TerminalLines collapses a progress bar redrawn with carriage returns",
          "[terminal_lines]") {
  CHECK(Feed({"\r 10%|#   |", "\r 50%|##  |", "\r100%|####|", "\n"}) == Lines{"100%|####|"});
  // The return at the end of one chunk, the new state in the next.
  CHECK(Feed({"epoch 1 50%\r", "epoch 1 60%\n"}) == Lines{"epoch 1 60%"});
  // A bar, then ordinary lines after it.
  CHECK(Feed({"0/3\r1/3\r2/3\r3/3\nafter\n"}) == Lines{"3/3", "after"});
}

TEST_CASE("TerminalLines overwrites from column 0 as a terminal does", "[terminal_lines]") {
  // A shorter redraw leaves the rest of the longer line, as on the screen.
  CHECK(Feed({"abcdef\rXY\n"}) == Lines{"XYcdef"});
  CHECK(Feed({"abc\rabcdef\n"}) == Lines{"abcdef"});
  CHECK(Feed({"abc\r\rZ\n"}) == Lines{"Zbc"});
  // "\r\n" ends the line unchanged.
  CHECK(Feed({"hello\r\nworld\r\n"}) == Lines{"hello", "world"});
  CHECK(Feed({"hello\r", "\n"}) == Lines{"hello"});
}

TEST_CASE("TerminalLines counts a UTF-8 code point as one column", "[terminal_lines]") {
  const std::string e = "\xC3\xA9";         // é, two bytes
  const std::string euro = "\xE2\x82\xAC";  // €, three bytes
  CHECK(Feed({e + e + e + "\rab\n"}) == Lines{"ab" + e});
  CHECK(Feed({"abc\r" + euro + "\n"}) == Lines{euro + "bc"});
  CHECK(Feed({euro + "x\r" + e + "\n"}) == Lines{e + "x"});
  // A code point cut between two chunks while overwriting.
  CHECK(Feed({"abc\r\xE2\x82", "\xAC\n"}) == Lines{euro + "bc"});
}

TEST_CASE("TerminalLines keeps invalid bytes and escape sequences as they are",
          "[terminal_lines]") {
  CHECK(Feed({"bad \xFF\xFE bytes\n"}) == Lines{"bad \xFF\xFE bytes"});
  CHECK(Feed({"\x1b[31mred\x1b[0m\n"}) == Lines{"\x1b[31mred\x1b[0m"});
  CHECK(Feed({std::string("nul\0inside\n", 11)}) == Lines{std::string("nul\0inside", 10)});
  // An invalid byte is a column of its own when overwritten.
  CHECK(Feed({"\xFF\xFE"
              "c\rab\n"}) == Lines{"abc"});
}

TEST_CASE("TerminalLines ends a line that grows past the limit", "[terminal_lines]") {
  TerminalLines terminal(8);
  CHECK(Feed(terminal, {"0123456789\n"}) == Lines{"01234567", "89"});
  CHECK(Feed(terminal, {"01234567\n"}) == Lines{"01234567"});
  CHECK(Feed(terminal, {"0123", "456789abcdefgh"}) == Lines{"01234567", "89abcdef"});
  std::string partial;
  REQUIRE(terminal.TakePartial(&partial));
  CHECK(partial == "gh");

  TerminalLines big;
  Lines lines = Feed(big, {std::string(TerminalLines::kMaxLineBytes + 5, 'x') + "\n"});
  REQUIRE(lines.size() == 2);
  CHECK(lines[0].size() == TerminalLines::kMaxLineBytes);
  CHECK(lines[1] == "xxxxx");
}

}  // namespace
}  // namespace wandb::internal
