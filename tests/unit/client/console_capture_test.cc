#include "client/src/console_capture.h"

#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <spawn.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "tests/support/temp_dir.h"
#include "tests/support/text_lines.h"

extern char** environ;

namespace wandb::internal {
namespace {

using testing::LinesOf;
using testing::Only;
using testing::ReadBytes;
using testing::TempDir;
using Line = std::pair<records::OutputRecord::OutputType, std::string>;

// The threads of this process now.
int ThreadCount() {
  int count = 0;
  for ([[maybe_unused]] const auto& entry :
       std::filesystem::directory_iterator("/proc/self/task")) {
    ++count;
  }
  return count;
}

// Puts `replacement` on fd `fd` for the length of a test, and the original back after.
class FdSwap {
 public:
  FdSwap(int fd, int replacement) : fd_(fd), saved_(dup(fd)) {
    std::fflush(nullptr);
    dup2(replacement, fd);
  }
  ~FdSwap() {
    std::fflush(nullptr);
    dup2(saved_, fd_);
    close(saved_);
  }

 private:
  int fd_;
  int saved_;
};

// What the callbacks got, from the reader thread.
struct Received {
  std::mutex mu;
  std::vector<Line> lines;

  ConsoleCapture::Callbacks Callbacks() {
    ConsoleCapture::Callbacks callbacks;
    callbacks.on_lines = [this](records::OutputRecord::OutputType type, absl::Time,
                                std::vector<std::string>& lines) {
      std::lock_guard lock(mu);
      for (std::string& line : lines) this->lines.emplace_back(type, line);
    };
    return callbacks;
  }
  std::vector<std::string> Of(records::OutputRecord::OutputType type) {
    std::lock_guard lock(mu);
    std::vector<std::string> out;
    for (const Line& line : lines) {
      if (line.first == type) out.push_back(line.second);
    }
    return out;
  }
};

// Everything left in a pipe whose write ends are all closed.
std::string ReadToEnd(int fd) {
  std::string out;
  char buffer[4096];
  ssize_t n;
  while ((n = read(fd, buffer, sizeof(buffer))) > 0) out.append(buffer, static_cast<size_t>(n));
  return out;
}

// What arrives on `fd` until it holds `size` bytes or 10 s pass with nothing new.
std::string ReadSome(int fd, size_t size) {
  std::string out;
  char buffer[4096];
  while (out.size() < size) {
    struct pollfd p = {fd, POLLIN, 0};
    if (poll(&p, 1, 10000) != 1) break;
    ssize_t n = read(fd, buffer, sizeof(buffer));
    if (n <= 0) break;
    out.append(buffer, static_cast<size_t>(n));
  }
  return out;
}

void RunEcho(const char* text) {
  const char* argv[] = {"/bin/echo", text, nullptr};
  pid_t pid = -1;
  REQUIRE(posix_spawn(&pid, "/bin/echo", nullptr, nullptr, const_cast<char**>(argv), environ) == 0);
  int status = 0;
  waitpid(pid, &status, 0);
}

TEST_CASE("ConsoleCapture through pipes: every writer, copied unchanged and recorded",
          "[console_capture]") {
  TempDir dir;
  int out_copy[2], err_copy[2];
  REQUIRE(pipe(out_copy) == 0);
  REQUIRE(pipe(err_copy) == 0);
  Received received;
  bool piped = false;
  {
    FdSwap swap_out(STDOUT_FILENO, out_copy[1]);
    FdSwap swap_err(STDERR_FILENO, err_copy[1]);
    close(out_copy[1]);
    close(err_copy[1]);
    absl::StatusOr<std::unique_ptr<ConsoleCapture>> capture =
        ConsoleCapture::Start(dir.File("output.log"), received.Callbacks());
    REQUIRE(capture.ok());
    piped = !(*capture)->uses_pty(STDOUT_FILENO);
    std::cout << "cout line" << std::endl;
    std::printf("printf line\n");
    std::fflush(stdout);
    REQUIRE(write(STDOUT_FILENO, "write line\n", 11) == 11);
    std::cerr << "cerr line" << std::endl;
    RunEcho("child line");
    std::fprintf(stderr, "stderr \xFF bytes\n");
    std::printf("\r 50%%\r100%%\n");
    std::printf("no newline");  // left in stdio's buffer: Stop() flushes it
    int threads = ThreadCount();
    (*capture)->Stop();
    CHECK(ThreadCount() == threads - 1);  // the reader, and no forwarder: no child holds on
  }
  CHECK(piped);
  // The terminal's copy: byte for byte what the program wrote, per stream.
  CHECK(ReadToEnd(out_copy[0]) ==
        "cout line\nprintf line\nwrite line\nchild line\n\r 50%\r100%\nno newline");
  CHECK(ReadToEnd(err_copy[0]) == "cerr line\nstderr \xFF bytes\n");
  close(out_copy[0]);
  close(err_copy[0]);

  std::vector<std::string> out = {"cout line",  "printf line", "write line",
                                  "child line", "100%",        "no newline"};
  std::vector<std::string> err = {"cerr line", "stderr \xFF bytes"};
  CHECK(received.Of(records::OutputRecord::STDOUT) == out);
  CHECK(received.Of(records::OutputRecord::STDERR) == err);
  // output.log holds both streams, each in its order, raw bytes and all.
  std::vector<std::string> log = LinesOf(ReadBytes(dir.File("output.log")));
  CHECK(log.size() == out.size() + err.size());
  CHECK(Only(log, out) == out);
  CHECK(Only(log, err) == err);
}

TEST_CASE("ConsoleCapture through a pseudo-terminal keeps isatty and the window size",
          "[console_capture]") {
  TempDir dir;
  int master = -1, slave = -1;
  struct winsize size = {};
  size.ws_row = 33;
  size.ws_col = 101;
  REQUIRE(openpty(&master, &slave, nullptr, nullptr, &size) == 0);
  struct termios mode;
  REQUIRE(tcgetattr(slave, &mode) == 0);
  cfmakeraw(&mode);
  REQUIRE(tcsetattr(slave, TCSANOW, &mode) == 0);
  struct stat terminal_stat;
  REQUIRE(fstat(slave, &terminal_stat) == 0);

  Received received;
  bool used_pty = false, was_tty = false, same_terminal = true;
  struct winsize seen = {}, seen_after_resize = {};
  std::string shown;
  int threads_before = ThreadCount();
  {
    FdSwap swap_out(STDOUT_FILENO, slave);
    absl::StatusOr<std::unique_ptr<ConsoleCapture>> capture =
        ConsoleCapture::Start(dir.File("output.log"), received.Callbacks());
    REQUIRE(capture.ok());
    used_pty = (*capture)->uses_pty(STDOUT_FILENO);
    was_tty = isatty(STDOUT_FILENO) == 1;
    ioctl(STDOUT_FILENO, TIOCGWINSZ, &seen);
    struct stat during;
    fstat(STDOUT_FILENO, &during);
    same_terminal = during.st_rdev == terminal_stat.st_rdev;
    const char bytes[] = "progress 1\rprogress 2\r\nplain \xC3\xA9\n";
    REQUIRE(write(STDOUT_FILENO, bytes, sizeof(bytes) - 1) == sizeof(bytes) - 1);
    shown = ReadSome(master, sizeof(bytes) - 1);
    // The terminal is resized: the program sees the new size too, soon.
    struct winsize resized = {};
    resized.ws_row = 40;
    resized.ws_col = 120;
    REQUIRE(ioctl(slave, TIOCSWINSZ, &resized) == 0);
    for (int tries = 0; tries < 500 && seen_after_resize.ws_col != 120; ++tries) {
      usleep(10000);
      ioctl(STDOUT_FILENO, TIOCGWINSZ, &seen_after_resize);
    }
    (*capture)->Stop();
    struct stat after;
    fstat(STDOUT_FILENO, &after);
    CHECK(after.st_rdev == terminal_stat.st_rdev);  // the original terminal is back
    // Nobody else holds the pty: no forwarder is left behind for a child's late writes.
    CHECK(ThreadCount() == threads_before);
  }
  close(slave);
  close(master);
  CHECK(used_pty);
  CHECK(was_tty);
  CHECK_FALSE(same_terminal);  // the program wrote to our pty, not to the terminal itself
  CHECK(seen.ws_row == 33);
  CHECK(seen.ws_col == 101);
  CHECK(seen_after_resize.ws_row == 40);
  CHECK(seen_after_resize.ws_col == 120);
  // Raw mode: no "\n" -> "\r\n" on the way through.
  CHECK(shown == "progress 1\rprogress 2\r\nplain \xC3\xA9\n");
  std::vector<std::string> expected = {"progress 2", "plain \xC3\xA9"};
  CHECK(received.Of(records::OutputRecord::STDOUT) == expected);
  CHECK(Only(LinesOf(ReadBytes(dir.File("output.log"))), expected) == expected);
}

TEST_CASE("ConsoleCapture: one capture per process, and Stop is idempotent", "[console_capture]") {
  TempDir dir;
  int copy[2];
  REQUIRE(pipe(copy) == 0);
  {
    FdSwap swap_out(STDOUT_FILENO, copy[1]);
    close(copy[1]);
    Received received;
    absl::StatusOr<std::unique_ptr<ConsoleCapture>> first =
        ConsoleCapture::Start(dir.File("first.log"), received.Callbacks());
    REQUIRE(first.ok());
    absl::StatusOr<std::unique_ptr<ConsoleCapture>> second =
        ConsoleCapture::Start(dir.File("second.log"), received.Callbacks());
    CHECK(absl::IsFailedPrecondition(second.status()));
    (*first)->Stop();
    (*first)->Stop();
    first->reset();
    // Once stopped, another may start.
    absl::StatusOr<std::unique_ptr<ConsoleCapture>> third =
        ConsoleCapture::Start(dir.File("third.log"), received.Callbacks());
    CHECK(third.ok());
  }
  close(copy[0]);
}

TEST_CASE("ConsoleCapture: a forked child's writes are captured and its Stop leaves it alone",
          "[console_capture]") {
  TempDir dir;
  int copy[2];
  REQUIRE(pipe(copy) == 0);
  Received received;
  {
    FdSwap swap_out(STDOUT_FILENO, copy[1]);
    close(copy[1]);
    absl::StatusOr<std::unique_ptr<ConsoleCapture>> capture =
        ConsoleCapture::Start(dir.File("output.log"), received.Callbacks());
    REQUIRE(capture.ok());
    pid_t child = fork();
    if (child == 0) {
      // As a forked worker that exits: its copy of the capture must not touch the parent's.
      (*capture)->Stop();
      const char line[] = "from the forked child\n";
      ssize_t n = write(STDOUT_FILENO, line, sizeof(line) - 1);
      _exit(n == sizeof(line) - 1 ? 0 : 1);
    }
    int status = -1;
    waitpid(child, &status, 0);
    CHECK(status == 0);
    REQUIRE(write(STDOUT_FILENO, "parent after\n", 13) == 13);
    (*capture)->Stop();
  }
  CHECK(ReadToEnd(copy[0]) == "from the forked child\nparent after\n");
  close(copy[0]);
  std::vector<std::string> expected = {"from the forked child", "parent after"};
  CHECK(received.Of(records::OutputRecord::STDOUT) == expected);
}

TEST_CASE("ConsoleCapture reports an output.log it cannot create and changes nothing",
          "[console_capture]") {
  struct stat before, after;
  REQUIRE(fstat(STDOUT_FILENO, &before) == 0);
  Received received;
  absl::StatusOr<std::unique_ptr<ConsoleCapture>> capture =
      ConsoleCapture::Start("/nonexistent-dir/output.log", received.Callbacks());
  CHECK_FALSE(capture.ok());
  REQUIRE(fstat(STDOUT_FILENO, &after) == 0);
  CHECK(before.st_ino == after.st_ino);
  CHECK(before.st_rdev == after.st_rdev);
}

}  // namespace
}  // namespace wandb::internal
