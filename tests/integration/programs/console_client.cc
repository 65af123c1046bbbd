// A training process for the console capture tests: writes to stdout and stderr in every
// way a program does (C++ streams, stdio, write(2), child processes), then ends as told.
//
//   console_client --id ID [--console VALUE]
//                  [--end finish|exit|abort|segv|chained-segv|hang|pause --go-file PATH]
//
// finish (the default) calls finish(); exit returns from main with a line still in stdio's
// buffer, leaving finish to the exit hook; abort and segv leave an unfinished line and
// abort() or write through a null pointer (chained-segv: with a SIGSEGV handler of its own
// that exits 42);
// hang writes "ready" (and "ready err") on both streams after its lines and sleeps until killed;
// pause writes "ready", waits for the go file, writes "after 1".."after 20" and finishes;
// outlive starts a child that writes after finish() (to stdout and stderr), finishes, and
// says how the child ended ("child exited N" or "child killed by signal N").
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>

#include <wandb/wandb.h>

extern char** environ;

namespace {

void Run(const char* program, const char* arg1, const char* arg2) {
  const char* argv[] = {program, arg1, arg2, nullptr};
  pid_t pid = -1;
  if (posix_spawn(&pid, program, nullptr, nullptr, const_cast<char**>(argv), environ) != 0) {
    std::abort();
  }
  int status = 0;
  waitpid(pid, &status, 0);
}

void Write(int fd, const std::string& text) {
  if (write(fd, text.data(), text.size()) != static_cast<ssize_t>(text.size())) std::abort();
}

}  // namespace

int main(int argc, char** argv) {
  std::string id, end = "finish", go_file;
  std::optional<std::string> console;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (arg == "--id") id = next();
    if (arg == "--console") console = next();
    if (arg == "--end") end = next();
    if (arg == "--go-file") go_file = next();
  }
  if (end == "chained-segv") {
    // A crash handler of the program's own, installed before the run: it still runs.
    struct sigaction own = {};
    own.sa_sigaction = [](int, siginfo_t* info, void*) {
      const char text[] = "own handler saw the fault\n";
      if (info->si_code > 0) {
        ssize_t n = write(STDERR_FILENO, text, sizeof(text) - 1);  // async-signal-safe
        (void)n;
      }
      _exit(42);
    };
    own.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &own, nullptr);
    end = "segv";
  }
  // Through the environment, which takes wandb's strings (and so can be wrong).
  if (console.has_value()) setenv("WANDB_CONSOLE", console->c_str(), 1);
  wandb::Run run = wandb::init({.project = "integration", .id = id});

  std::cout << "cout 1" << std::endl;
  std::printf("printf 2\n");
  std::fflush(stdout);
  Write(STDOUT_FILENO, "write 3\n");
  Run("/bin/echo", "child 4", nullptr);
  for (int percent = 0; percent <= 100; percent += 10) {
    std::printf("\rprogress %3d%%", percent);
    std::fflush(stdout);
  }
  std::printf("\n");
  std::fflush(stdout);
  Write(STDOUT_FILENO, "bad \xFF bytes 5\n");
  std::cerr << "cerr 1" << std::endl;
  std::fprintf(stderr, "fprintf 2\n");
  Run("/bin/sh", "-c", "echo child err 3 >&2");
  Write(STDERR_FILENO, "write err 4\n");

  if (end == "abort" || end == "segv") {
    Write(STDOUT_FILENO, "unfinished");
    if (end == "abort") std::abort();
    volatile int* nowhere = nullptr;
    *nowhere = 1;  // a real fault, raised by the kernel
  }
  if (end == "pause") {
    // The test kills the daemon once it has seen "ready", then creates the go file.
    Write(STDOUT_FILENO, "ready\n");
    while (access(go_file.c_str(), F_OK) != 0) usleep(10000);
    for (int i = 1; i <= 20; ++i) std::printf("after %d\n", i);
    std::fflush(stdout);
    run.finish();
    return 0;
  }
  if (end == "hang") {
    // The test kills the process once it has seen these on the terminal's side.
    Write(STDOUT_FILENO, "ready\n");
    Write(STDERR_FILENO, "ready err\n");
    while (true) pause();
  }
  if (end == "outlive") {
    const char* argv[] = {"/bin/sh", "-c", "sleep 0.5; echo late out; echo late err >&2", nullptr};
    pid_t child = -1;
    if (posix_spawn(&child, "/bin/sh", nullptr, nullptr, const_cast<char**>(argv), environ) != 0) {
      std::abort();
    }
    run.finish();
    int status = 0;
    waitpid(child, &status, 0);
    if (WIFEXITED(status)) std::printf("child exited %d\n", WEXITSTATUS(status));
    if (WIFSIGNALED(status)) std::printf("child killed by signal %d\n", WTERMSIG(status));
    return 0;
  }
  if (end == "exit") {
    std::printf("left in the buffer\n");  // flushed by exit(), after the exit hook ran
    return 0;
  }
  run.finish();
  // The capture has ended: straight to the terminal, not into output.log.
  std::printf("after finish\n");
  return 0;
}
