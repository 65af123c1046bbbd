// Captures what the process writes to stdout and stderr, at the file-descriptor level: fds 1
// and 2 are replaced by the write ends of a pipe each (a pseudo-terminal when the original is
// a terminal), so C++ streams, printf, write(2) and child processes are all caught. One
// reader thread copies every chunk, unchanged and at once, to the original fd, and turns it
// into finished lines (TerminalLines): each is appended to output.log with write(2) before
// the chunk reaches the terminal, so whatever the user saw is in output.log even after a
// kill -9, and handed to `on_lines` (the run sends them as OutputRecords).
//
// Through a pseudo-terminal, isatty() stays true for the program: its stdout keeps line
// buffering and colours, and output is not held back in stdio's buffer. The slave is in raw
// mode so bytes pass unchanged, with the terminal's window size.
//
// A fatal signal (SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL) wakes the reader thread to
// drain what is left and flush it to output.log, the terminal and `on_crash`, waiting at
// most kCrashWait; should the reader not answer, the handler copies the raw bytes itself
// with async-signal-safe calls. It then restores fds 1 and 2 and the disposition the signal
// had before, and sends it again (a fault the kernel raised recurs by itself).
//
// fds 1 and 2 belong to the process, so one capture at a time: Start() fails while another
// is active. The signal handler reaches the active capture through a process-wide pointer,
// the one global this file keeps.
#ifndef WANDB_CLIENT_SRC_CONSOLE_CAPTURE_H_
#define WANDB_CLIENT_SRC_CONSOLE_CAPTURE_H_

#include <sys/types.h>

#include <array>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "client/src/terminal_lines.h"
#include "wandb/records.pb.h"

namespace wandb::internal {

class ConsoleCapture {
 public:
  using OutputType = records::OutputRecord::OutputType;
  struct Callbacks {
    // Lines one stream finished (without their '\n', raw bytes), in order, with the time
    // they were read. Called on the reader thread.
    std::function<void(OutputType type, absl::Time time, std::vector<std::string>& lines)> on_lines;
    // After a fatal signal, once the last lines went to on_lines: send them on.
    std::function<void()> on_crash;
  };

  // How long a fatal signal's handler waits for the reader thread before it copies the
  // remaining bytes itself.
  static constexpr auto kCrashWait = std::chrono::seconds(3);
  // At Stop(), bytes still arriving (a child that keeps writing) are read for this long at
  // most; a pseudo-terminal counts as drained after kPtyQuiet without data.
  static constexpr auto kDrainLimit = std::chrono::seconds(1);
  static constexpr auto kPtyQuiet = std::chrono::milliseconds(20);
  // How often a pseudo-terminal takes the size of the terminal it stands for, so a program
  // that asks (a progress bar) sees a resize.
  static constexpr auto kWindowSizeCheck = std::chrono::milliseconds(250);

  // Creates (truncates) `output_log` and starts capturing fds 1 and 2; a fd that is closed
  // is left alone. FailedPrecondition when another capture of this process is active.
  static absl::StatusOr<std::unique_ptr<ConsoleCapture>> Start(const std::string& output_log,
                                                               Callbacks callbacks);
  ~ConsoleCapture();  // Stop()s

  ConsoleCapture(const ConsoleCapture&) = delete;
  ConsoleCapture& operator=(const ConsoleCapture&) = delete;

  // Flushes stdio and the C++ standard streams, puts the original fds back, reads what is
  // still in flight (without waiting for writers such as children to close), ends the
  // unfinished lines, and joins the reader. Idempotent.
  void Stop();

  // Whether fd `fd` (1 or 2) is captured through a pseudo-terminal (exposed for tests).
  bool uses_pty(int fd) const;

 private:
  struct Channel {
    int target_fd = -1;  // 1 or 2
    OutputType type = records::OutputRecord::STDOUT;
    int saved_fd = -1;  // the original, where the bytes are copied to
    int read_fd = -1;   // the pipe's read end or the pty's master; -1 when not captured
    int slave_fd = -1;  // a pty's slave, held open until the end so reads never see EIO early
    bool pty = false;
    bool open = false;          // the reader still reads read_fd
    bool saved_broken = false;  // writing the original failed (EPIPE): copying stopped
    TerminalLines lines;
  };

  ConsoleCapture(Callbacks callbacks) : callbacks_(std::move(callbacks)) {}
  absl::Status Open(const std::string& output_log);
  absl::Status OpenChannel(Channel& channel);
  // Opens a pseudo-terminal like the original terminal for `channel`: its slave, or -1.
  int OpenPty(Channel& channel);
  void Loop();
  // Reads one chunk of `channel`; false at its end.
  bool ReadOnce(Channel& channel);
  void Process(Channel& channel, const char* data, size_t size);
  // Copies the terminal's window size to the pseudo-terminals, at most every kWindowSizeCheck.
  void FollowWindowSize();
  // Reads until nothing more arrives (see kDrainLimit, kPtyQuiet).
  void Drain();
  void FlushPartials();
  void AppendToLog(const std::vector<std::string>& lines);
  void CloseAll();

  Callbacks callbacks_;
  std::array<Channel, 2> channels_;
  int log_fd_ = -1;
  int control_r_ = -1, control_w_ = -1;  // wakes the reader: 's' stop, 'c' crash
  int ack_r_ = -1, ack_w_ = -1;          // the reader's answer to a crash
  std::vector<char> buffer_;
  std::vector<std::string> scratch_;
  absl::Time last_size_check_ = absl::InfinitePast();  // the reader's
  std::thread reader_;
  bool running_ = false;
  bool holds_process_ = false;  // this capture is the process's active one
  pid_t owner_ = 0;             // the process that started it
};

}  // namespace wandb::internal

#endif  // WANDB_CLIENT_SRC_CONSOLE_CAPTURE_H_
