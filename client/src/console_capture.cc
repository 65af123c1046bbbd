#include "client/src/console_capture.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace wandb::internal {
namespace {

constexpr size_t kReadChunk = 64 << 10;
// A larger pipe lets a burst of output through without the program waiting on the reader.
constexpr int kPipeBytes = 1 << 20;
constexpr std::array<int, 5> kFatalSignals = {SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL};

// What the fatal-signal handler needs, as plain values it can read in a signal handler.
struct CrashTarget {
  int control_w = -1;
  int ack_r = -1;
  std::atomic<pid_t> reader_tid{0};
  int read_fd[2] = {-1, -1};
  int saved_fd[2] = {-1, -1};
  int target_fd[2] = {-1, -1};
  int log_fd = -1;
  pid_t owner = 0;  // a forked child inherits the handler, not the reader thread
  struct sigaction previous[std::size(kFatalSignals)];
  std::atomic<bool> handled{false};
};

// The active capture, for the signal handler; null when none (see the header).
std::atomic<CrashTarget*> g_crash_target{nullptr};
std::atomic<bool> g_capture_active{false};

absl::Status Errno(absl::string_view what) {
  return absl::InternalError(absl::StrCat(what, ": ", std::strerror(errno)));
}

void CloseFd(int& fd) {
  if (fd >= 0) close(fd);
  fd = -1;
}

// Writes all of `data` to `fd`, waiting when it is non-blocking and full. False on an error
// such as EPIPE. Async-signal-safe.
bool WriteAll(int fd, const char* data, size_t size) {
  while (size > 0) {
    ssize_t n = write(fd, data, size);
    if (n > 0) {
      data += n;
      size -= static_cast<size_t>(n);
    } else if (n < 0 && errno == EAGAIN) {
      struct pollfd p = {fd, POLLOUT, 0};
      poll(&p, 1, 100);
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else {
      return false;
    }
  }
  return true;
}

// Whether a process still holds the write end of `read_fd`'s pipe or pty: no hang-up yet.
bool StillWritten(int read_fd) {
  struct pollfd p = {read_fd, POLLIN, 0};
  return poll(&p, 1, 0) >= 0 && (p.revents & (POLLHUP | POLLERR | POLLNVAL)) == 0;
}

// A child that inherited fd 1 or 2 may write to it after the capture ended (a background
// helper the program started). Closing the read end would kill it with SIGPIPE (a pipe) or
// fail its writes with EIO (a pty), where without capture its output reaches the terminal.
// So its output goes on to the terminal, unrecorded, until the last writer closes its end.
// The thread is detached on purpose: it outlives the run, touches nothing but its own two
// fds, and ends by itself (or with the process).
void ForwardUntilClosed(int from, int to) {
  fcntl(from, F_SETFL, fcntl(from, F_GETFL) & ~O_NONBLOCK);
  std::thread([from, to] {
    char buffer[4096];
    for (;;) {
      ssize_t n = read(from, buffer, sizeof(buffer));
      if (n > 0 && WriteAll(to, buffer, static_cast<size_t>(n))) continue;
      if (n < 0 && errno == EINTR) continue;
      break;  // end of file, EIO (a pty without slaves), or the terminal went away
    }
    close(from);
    close(to);
  }).detach();
}

// The handler's last resort when the reader thread does not answer (it may be the thread
// that crashed, or stuck on a lock the crashed thread held): raw bytes, no line handling.
void CopyRemainingRaw(const CrashTarget& t) {
  static char buffer[4096];
  for (int i = 0; i < 2; ++i) {
    if (t.read_fd[i] < 0) continue;
    ssize_t n;
    while ((n = read(t.read_fd[i], buffer, sizeof(buffer))) > 0) {
      if (t.log_fd >= 0) WriteAll(t.log_fd, buffer, static_cast<size_t>(n));
      WriteAll(t.saved_fd[i], buffer, static_cast<size_t>(n));
    }
  }
}

void OnFatalSignal(int sig, siginfo_t* info, void*) {
  int saved_errno = errno;
  CrashTarget* t = g_crash_target.load();
  if (t == nullptr) {
    signal(sig, SIG_DFL);
    raise(sig);
    return;
  }
  if (getpid() == t->owner && !t->handled.exchange(true)) {
    bool answered = false;
    if (gettid() != t->reader_tid.load()) {
      char wake = 'c';
      if (write(t->control_w, &wake, 1) == 1) {
        struct pollfd p = {t->ack_r, POLLIN, 0};
        int wait_ms = static_cast<int>(
            std::chrono::duration_cast<std::chrono::milliseconds>(ConsoleCapture::kCrashWait)
                .count());
        answered = poll(&p, 1, wait_ms) == 1;
      }
    }
    if (!answered) CopyRemainingRaw(*t);
    // Whatever is written from here on (a crash reporter, a sanitizer) goes straight out.
    for (int i = 0; i < 2; ++i) {
      if (t->saved_fd[i] >= 0) dup2(t->saved_fd[i], t->target_fd[i]);
    }
  }
  for (size_t i = 0; i < kFatalSignals.size(); ++i) {
    if (kFatalSignals[i] == sig) sigaction(sig, &t->previous[i], nullptr);
  }
  // A fault the kernel raised (a bad access, a division by zero) happens again when the
  // instruction re-executes on return, with its own siginfo, for the previous handler to see.
  // A signal sent by abort(), raise() or kill is sent again; it is delivered to the previous
  // disposition when this handler returns (the signal is blocked meanwhile).
  if (info == nullptr || info->si_code <= 0) raise(sig);
  errno = saved_errno;
}

CrashTarget& CrashTargetStorage() {
  // Never destroyed: a signal may arrive while static destructors run.
  static CrashTarget* target = new CrashTarget();
  return *target;
}

}  // namespace

absl::StatusOr<std::unique_ptr<ConsoleCapture>> ConsoleCapture::Start(const std::string& output_log,
                                                                      Callbacks callbacks) {
  if (g_capture_active.exchange(true)) {
    return absl::FailedPreconditionError(
        "another run of this process is capturing stdout and stderr");
  }
  std::unique_ptr<ConsoleCapture> capture(new ConsoleCapture(std::move(callbacks)));
  capture->holds_process_ = true;
  capture->owner_ = getpid();
  if (absl::Status s = capture->Open(output_log); !s.ok()) {
    capture->Stop();  // puts back what was replaced, closes what was opened
    return s;
  }
  return capture;
}

ConsoleCapture::~ConsoleCapture() { Stop(); }

bool ConsoleCapture::uses_pty(int fd) const {
  for (const Channel& c : channels_) {
    if (c.target_fd == fd) return c.pty && c.read_fd >= 0;
  }
  return false;
}

absl::Status ConsoleCapture::Open(const std::string& output_log) {
  log_fd_ = open(output_log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (log_fd_ < 0) return Errno(absl::StrCat("cannot create ", output_log));
  int control[2], ack[2];
  if (pipe2(control, O_CLOEXEC) != 0 || pipe2(ack, O_CLOEXEC) != 0) return Errno("pipe");
  control_r_ = control[0];
  control_w_ = control[1];
  ack_r_ = ack[0];
  ack_w_ = ack[1];
  buffer_.resize(kReadChunk);

  // What was printed before the run stays out of its log.
  std::cout.flush();
  std::cerr.flush();
  std::fflush(nullptr);
  channels_[0].target_fd = STDOUT_FILENO;
  channels_[0].type = records::OutputRecord::STDOUT;
  channels_[1].target_fd = STDERR_FILENO;
  channels_[1].type = records::OutputRecord::STDERR;
  for (Channel& channel : channels_) {
    if (absl::Status s = OpenChannel(channel); !s.ok()) return s;
  }

  CrashTarget& target = CrashTargetStorage();
  target.control_w = control_w_;
  target.ack_r = ack_r_;
  target.reader_tid = 0;
  target.log_fd = log_fd_;
  for (int i = 0; i < 2; ++i) {
    target.read_fd[i] = channels_[i].read_fd;
    target.saved_fd[i] = channels_[i].saved_fd;
    target.target_fd[i] = channels_[i].target_fd;
  }
  target.handled = false;
  target.owner = getpid();
  running_ = true;
  reader_ = std::thread([this] { Loop(); });

  struct sigaction action = {};
  action.sa_sigaction = OnFatalSignal;
  action.sa_flags = SA_SIGINFO | SA_ONSTACK;
  sigemptyset(&action.sa_mask);
  g_crash_target = &target;
  for (size_t i = 0; i < kFatalSignals.size(); ++i) {
    sigaction(kFatalSignals[i], &action, &target.previous[i]);
  }
  return absl::OkStatus();
}

absl::Status ConsoleCapture::OpenChannel(Channel& channel) {
  channel.saved_fd = fcntl(channel.target_fd, F_DUPFD_CLOEXEC, 3);
  if (channel.saved_fd < 0) return absl::OkStatus();  // closed: nothing to capture
  // A terminal is captured through a pseudo-terminal; where none can be had (no /dev/ptmx in
  // a container, say), through a pipe like anything else.
  int write_fd = isatty(channel.saved_fd) ? OpenPty(channel) : -1;
  if (write_fd < 0) {
    int ends[2];
    if (pipe2(ends, O_CLOEXEC) != 0) return Errno("pipe");
    fcntl(ends[1], F_SETPIPE_SZ, kPipeBytes);  // a smaller pipe still works
    channel.read_fd = ends[0];
    write_fd = ends[1];
  }
  fcntl(channel.read_fd, F_SETFL, fcntl(channel.read_fd, F_GETFL) | O_NONBLOCK);
  int replaced = dup2(write_fd, channel.target_fd);
  if (!channel.pty) close(write_fd);  // fd 1 or 2 holds the write end now
  if (replaced < 0) return Errno(absl::StrCat("dup2 onto fd ", channel.target_fd));
  channel.open = true;
  return absl::OkStatus();
}

int ConsoleCapture::OpenPty(Channel& channel) {
  struct winsize size = {};
  bool has_size = ioctl(channel.saved_fd, TIOCGWINSZ, &size) == 0;
  int master = -1, slave = -1;
  if (openpty(&master, &slave, nullptr, nullptr, has_size ? &size : nullptr) != 0) return -1;
  fcntl(master, F_SETFD, FD_CLOEXEC);
  fcntl(slave, F_SETFD, FD_CLOEXEC);
  struct termios mode;
  if (tcgetattr(slave, &mode) == 0) {
    cfmakeraw(&mode);  // no "\n" -> "\r\n": the bytes reach the terminal as written
    tcsetattr(slave, TCSANOW, &mode);
  }
  channel.read_fd = master;
  channel.slave_fd = slave;
  channel.pty = true;
  return slave;
}

void ConsoleCapture::Loop() {
  CrashTargetStorage().reader_tid = gettid();
  while (true) {
    struct pollfd fds[3] = {
        {channels_[0].open ? channels_[0].read_fd : -1, POLLIN, 0},
        {channels_[1].open ? channels_[1].read_fd : -1, POLLIN, 0},
        {control_r_, POLLIN, 0},
    };
    bool any_pty = channels_[0].pty || channels_[1].pty;
    int timeout_ms = any_pty ? static_cast<int>(kWindowSizeCheck.count()) : -1;
    if (poll(fds, 3, timeout_ms) < 0) {
      if (errno == EINTR) continue;
      return;  // cannot happen with valid fds; Stop() still restores the fds
    }
    if (any_pty) FollowWindowSize();
    for (int i = 0; i < 2; ++i) {
      if (fds[i].revents != 0 && !ReadOnce(channels_[i])) channels_[i].open = false;
    }
    if (fds[2].revents == 0) continue;
    char command = 0;
    if (read(control_r_, &command, 1) != 1) continue;
    Drain();
    FlushPartials();
    if (command == 's') return;
    // A crash: what was written is in output.log and on the terminal; send the lines on,
    // then let the signal handler go on.
    if (callbacks_.on_crash) callbacks_.on_crash();
    char ack = 'a';
    WriteAll(ack_w_, &ack, 1);
  }
}

void ConsoleCapture::FollowWindowSize() {
  absl::Time now = absl::Now();
  if (now - last_size_check_ < absl::FromChrono(kWindowSizeCheck)) return;
  last_size_check_ = now;
  for (Channel& channel : channels_) {
    if (!channel.pty || channel.slave_fd < 0) continue;
    struct winsize terminal, ours;
    if (ioctl(channel.saved_fd, TIOCGWINSZ, &terminal) != 0) continue;
    if (ioctl(channel.slave_fd, TIOCGWINSZ, &ours) == 0 && ours.ws_row == terminal.ws_row &&
        ours.ws_col == terminal.ws_col) {
      continue;
    }
    ioctl(channel.slave_fd, TIOCSWINSZ, &terminal);
  }
}

bool ConsoleCapture::ReadOnce(Channel& channel) {
  ssize_t n = read(channel.read_fd, buffer_.data(), buffer_.size());
  if (n > 0) {
    Process(channel, buffer_.data(), static_cast<size_t>(n));
    return true;
  }
  if (n < 0 && (errno == EAGAIN || errno == EINTR)) return true;
  return false;  // end of file, or EIO: a pty whose slaves are all closed
}

void ConsoleCapture::Process(Channel& channel, const char* data, size_t size) {
  scratch_.clear();
  channel.lines.Feed(absl::string_view(data, size), &scratch_);
  // output.log first: what reaches the terminal is already in the log.
  if (!scratch_.empty()) AppendToLog(scratch_);
  if (!channel.saved_broken) channel.saved_broken = !WriteAll(channel.saved_fd, data, size);
  if (!scratch_.empty() && callbacks_.on_lines) {
    callbacks_.on_lines(channel.type, absl::Now(), scratch_);
  }
}

void ConsoleCapture::Drain() {
  absl::Time deadline = absl::Now() + absl::FromChrono(kDrainLimit);
  bool any_pty = (channels_[0].open && channels_[0].pty) || (channels_[1].open && channels_[1].pty);
  // A pty hands written bytes to the master asynchronously: wait briefly for stragglers.
  int quiet_ms = any_pty ? static_cast<int>(kPtyQuiet.count()) : 0;
  while (absl::Now() < deadline) {
    struct pollfd fds[2] = {
        {channels_[0].open ? channels_[0].read_fd : -1, POLLIN, 0},
        {channels_[1].open ? channels_[1].read_fd : -1, POLLIN, 0},
    };
    int ready = poll(fds, 2, quiet_ms);
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) return;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].revents != 0 && !ReadOnce(channels_[i])) channels_[i].open = false;
    }
  }
}

void ConsoleCapture::FlushPartials() {
  for (Channel& channel : channels_) {
    std::string line;
    if (!channel.lines.TakePartial(&line)) continue;
    scratch_.clear();
    scratch_.push_back(std::move(line));
    AppendToLog(scratch_);
    if (callbacks_.on_lines) callbacks_.on_lines(channel.type, absl::Now(), scratch_);
  }
}

void ConsoleCapture::AppendToLog(const std::vector<std::string>& lines) {
  if (log_fd_ < 0) return;
  std::string bytes;
  for (const std::string& line : lines) {
    bytes.append(line);
    bytes.push_back('\n');
  }
  // One write per chunk: a crash leaves whole lines. A failing disk stops the log, never
  // the program.
  if (!WriteAll(log_fd_, bytes.data(), bytes.size())) CloseFd(log_fd_);
}

void ConsoleCapture::Stop() {
  // A child forked from the program (finishing its copy of the run at exit) has neither the
  // reader thread nor a say over the parent's capture: its output goes on to the parent's.
  if (owner_ != getpid()) return;
  if (running_) {
    // exit() runs atexit handlers (our finish) before it flushes stdio: flush first so the
    // program's last lines are captured.
    std::cout.flush();
    std::cerr.flush();
    std::clog.flush();
    std::fflush(nullptr);
  }
  for (Channel& channel : channels_) {
    if (channel.saved_fd >= 0 && channel.read_fd >= 0) dup2(channel.saved_fd, channel.target_fd);
  }
  if (running_) {
    char stop = 's';
    WriteAll(control_w_, &stop, 1);
    reader_.join();
    running_ = false;
  }
  CloseAll();
}

void ConsoleCapture::CloseAll() {
  if (!holds_process_) return;
  CrashTarget& target = CrashTargetStorage();
  if (g_crash_target.load() == &target) {
    for (size_t i = 0; i < kFatalSignals.size(); ++i) {
      // Unless the program installed a handler of its own since: that one stays.
      struct sigaction current;
      if (sigaction(kFatalSignals[i], nullptr, &current) == 0 &&
          (current.sa_flags & SA_SIGINFO) != 0 && current.sa_sigaction == OnFatalSignal) {
        sigaction(kFatalSignals[i], &target.previous[i], nullptr);
      }
    }
    g_crash_target = nullptr;
  }
  for (Channel& channel : channels_) {
    CloseFd(channel.slave_fd);  // ours: what holds the write end now is someone else's
    if (channel.read_fd >= 0 && channel.saved_fd >= 0 && StillWritten(channel.read_fd)) {
      ForwardUntilClosed(channel.read_fd, channel.saved_fd);
      channel.read_fd = channel.saved_fd = -1;  // the forwarder's now
    }
    CloseFd(channel.read_fd);
    CloseFd(channel.saved_fd);
  }
  CloseFd(log_fd_);
  CloseFd(control_r_);
  CloseFd(control_w_);
  CloseFd(ack_r_);
  CloseFd(ack_w_);
  holds_process_ = false;
  g_capture_active = false;
}

}  // namespace wandb::internal
