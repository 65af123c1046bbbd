// Console capture: what a training process writes to stdout and stderr reaches its terminal
// unchanged and is recorded in files/output.log and as OutputRecords in the run's log, even
// when the process crashes. The client runs with pipes for stdout and stderr (the pipe path
// of the capture; the pseudo-terminal path is in the unit tests).
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <grpcpp/grpcpp.h>
#include <wandb/wandb.h>
#include <algorithm>
#include <catch2/catch.hpp>
#include <fstream>
#include <string>
#include <vector>

#include "common/value/validation.h"
#include "service/store/local_store.h"
#include "tests/support/cli_runner.h"
#include "tests/support/raw_client.h"
#include "tests/support/test_env.h"
#include "tests/support/text_lines.h"
#include "wandb/service.grpc.pb.h"

extern char** environ;

namespace wandb::testing {
namespace {

// A client program whose stdout and stderr are pipes this test reads: its "terminal".
class Client {
 public:
  Client(const std::string& name, const std::vector<std::string>& args) {
    int out[2], err[2];
    REQUIRE(pipe2(out, O_CLOEXEC) == 0);
    REQUIRE(pipe2(err, O_CLOEXEC) == 0);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, err[1], STDERR_FILENO);
    std::vector<std::string> argv_store = {std::string(WANDB_TEST_BIN_DIR "/") + name};
    argv_store.insert(argv_store.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& a : argv_store) argv.push_back(a.data());
    argv.push_back(nullptr);
    int rc = posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    close(out[1]);
    close(err[1]);
    out_fd_ = out[0];
    err_fd_ = err[0];
    REQUIRE(rc == 0);
  }
  ~Client() {
    close(out_fd_);
    close(err_fd_);
  }

  pid_t pid() const { return pid_; }
  const std::string& out() const { return out_; }
  const std::string& err() const { return err_; }

  // Reads both pipes until `done` holds or both end; false if nothing came for 60 s.
  bool ReadUntil(const std::function<bool()>& done) {
    while (!done() && (out_fd_ >= 0 || err_fd_ >= 0)) {
      struct pollfd fds[2] = {{out_fd_, POLLIN, 0}, {err_fd_, POLLIN, 0}};
      if (poll(fds, 2, 60000) <= 0) return false;
      ReadOne(fds[0], out_fd_, out_);
      ReadOne(fds[1], err_fd_, err_);
    }
    return true;
  }
  // Everything the program wrote, once it and its children closed their ends.
  bool ReadAll() {
    return ReadUntil([] { return false; });
  }

 private:
  static void ReadOne(const struct pollfd& p, int& fd, std::string& into) {
    if (p.revents == 0) return;
    char buffer[4096];
    ssize_t n = read(fd, buffer, sizeof(buffer));
    if (n > 0) {
      into.append(buffer, static_cast<size_t>(n));
    } else {
      close(fd);
      fd = -1;
    }
  }

  pid_t pid_ = -1;
  int out_fd_ = -1;
  int err_fd_ = -1;
  std::string out_;
  std::string err_;
};

const std::string kStdoutBytes =
    "cout 1\nprintf 2\nwrite 3\nchild 4\n"
    "\rprogress   0%\rprogress  10%\rprogress  20%\rprogress  30%\rprogress  40%"
    "\rprogress  50%\rprogress  60%\rprogress  70%\rprogress  80%\rprogress  90%"
    "\rprogress 100%\nbad \xFF bytes 5\n";
const std::string kStderrBytes = "cerr 1\nfprintf 2\nchild err 3\nwrite err 4\n";
const std::vector<std::string> kStdoutLines = {"cout 1",  "printf 2",      "write 3",
                                               "child 4", "progress 100%", "bad \xFF bytes 5"};
const std::vector<std::string> kStderrLines = {"cerr 1", "fprintf 2", "child err 3", "write err 4"};

// The OutputRecords of one stream in the run's log, in order.
std::vector<std::string> OutputLines(const LogContents& log,
                                     records::OutputRecord::OutputType type) {
  std::vector<std::string> lines;
  for (const records::Record& r : log.records) {
    if (r.has_output() && r.output().output_type() == type) lines.push_back(r.output().line());
  }
  return lines;
}

// `lines` as records carry them: a '\n' at the end, invalid bytes as U+FFFD.
std::vector<std::string> AsRecords(std::vector<std::string> lines) {
  for (std::string& line : lines) {
    if (line == "bad \xFF bytes 5") line = "bad \xEF\xBF\xBD bytes 5";
    line += "\n";
  }
  return lines;
}

LogContents FinishedLog(const TestEnv& env, const std::string& id) {
  std::string dir = env.RunDir(id);
  LogContents log;
  REQUIRE(Eventually([&] {
    log = ReadLog(dir + "/run-" + id + ".wandb");
    return !log.records.empty() && log.records.back().has_footer();
  }));
  return log;
}

TEST_CASE("console capture: every writer reaches the terminal, output.log and the log") {
  TestEnv env;
  std::string end = GENERATE(std::string("finish"), std::string("exit"));
  INFO("end: " << end);
  std::string id = "console-" + end;
  Client client("console_client", {"--id", id, "--end", end});
  REQUIRE(client.ReadAll());
  int status = WaitExit(client.pid());
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);

  // The terminal saw exactly what the program wrote, carriage returns and bad bytes included.
  // After finish() the program's output is its own again: on the terminal only.
  std::string tail = end == "exit" ? "left in the buffer\n" : "after finish\n";
  CHECK(client.out() == kStdoutBytes + tail);
  CHECK(client.err() == kStderrBytes);

  std::vector<std::string> out_lines = kStdoutLines;
  if (end == "exit") out_lines.push_back("left in the buffer");
  std::string dir = env.RunDir(id);
  REQUIRE_FALSE(dir.empty());
  std::vector<std::string> output_log = LinesOf(ReadFile(dir + "/files/output.log"));
  CHECK(output_log.size() == out_lines.size() + kStderrLines.size());
  CHECK(Only(output_log, out_lines) == out_lines);
  CHECK(Only(output_log, kStderrLines) == kStderrLines);
  CHECK(Only(output_log, {"after finish"}).empty());

  LogContents log = FinishedLog(env, id);
  CHECK(OutputLines(log, records::OutputRecord::STDOUT) == AsRecords(out_lines));
  // STDERR is OutputType's zero value: a stream mix-up would show here.
  CHECK(OutputLines(log, records::OutputRecord::STDERR) == AsRecords(kStderrLines));
  // Every line has a time of its own, strictly increasing: how the store knows a line sent
  // again from the same text printed twice.
  int64_t last_ns = 0;
  for (const records::Record& r : log.records) {
    if (!r.has_output()) continue;
    int64_t ns = r.output().timestamp().seconds() * 1'000'000'000 + r.output().timestamp().nanos();
    CHECK(ns > last_ns);
    last_ns = ns;
  }

  // The run's console log in the local store: the records' lines, each stream in order.
  absl::StatusOr<std::unique_ptr<store::LocalStore>> store =
      store::LocalStore::Open(env.store_dir());
  REQUIRE(store.ok());
  absl::StatusOr<store::RunRow> row = (*store)->runs().Find(id);
  REQUIRE(row.ok());
  absl::StatusOr<std::vector<store::ConsoleLine>> stored = (*store)->series().Console(row->key);
  REQUIRE(stored.ok());
  std::vector<std::string> stored_out, stored_err;
  for (const store::ConsoleLine& line : *stored) {
    (line.is_stderr ? stored_err : stored_out).push_back(line.line + "\n");
  }
  CHECK(stored_out == AsRecords(out_lines));
  CHECK(stored_err == AsRecords(kStderrLines));

  // `wandb-cpp logs` prints it: the program's stderr lines alone, in order.
  CommandResult logs = RunCli({"logs", id, "--stream", "stderr"});
  CHECK(logs.exit_code == 0);
  CHECK(LinesOf(logs.out) == kStderrLines);
}

TEST_CASE("console capture: console off records nothing") {
  TestEnv env;
  Client client("console_client", {"--id", "console-off", "--console", "off"});
  REQUIRE(client.ReadAll());
  int status = WaitExit(client.pid());
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK(client.out() == kStdoutBytes + "after finish\n");
  CHECK(client.err() == kStderrBytes);

  std::string dir = env.RunDir("console-off");
  REQUIRE_FALSE(dir.empty());
  struct stat st;
  CHECK(stat((dir + "/files/output.log").c_str(), &st) != 0);
  LogContents log = FinishedLog(env, "console-off");
  for (const records::Record& r : log.records) CHECK_FALSE(r.has_output());
}

TEST_CASE("console capture: a child that outlives the capture still reaches the terminal") {
  TestEnv env;
  Client client("console_client", {"--id", "console-outlive", "--end", "outlive"});
  REQUIRE(client.ReadAll());
  int status = WaitExit(client.pid());
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  // Not killed by SIGPIPE: its late lines went on to the terminal, as without capture...
  CHECK(client.out() == kStdoutBytes + "late out\nchild exited 0\n");
  CHECK(client.err() == kStderrBytes + "late err\n");
  // ...and were not recorded: the run had ended.
  std::string output_log = ReadFile(env.RunDir("console-outlive") + "/files/output.log");
  CHECK(output_log.find("cout 1\n") != std::string::npos);
  CHECK(output_log.find("late") == std::string::npos);
}

TEST_CASE("console capture: an invalid console setting fails init with a clear error") {
  TestEnv env;
  Client client("console_client", {"--id", "console-bad", "--console", "sideways"});
  REQUIRE(client.ReadAll());
  int status = WaitExit(client.pid());
  CHECK_FALSE((WIFEXITED(status) && WEXITSTATUS(status) == 0));
  CHECK_THAT(client.err(), Catch::Contains("WANDB_CONSOLE='sideways' is not a console setting"));
}

TEST_CASE("console capture: a process that crashes keeps its output, the unfinished line too") {
  TestEnv env;
  std::string end = GENERATE(std::string("abort"), std::string("segv"));
  INFO("end: " << end);
  std::string id = "console-" + end;
  Client client("console_client", {"--id", id, "--end", end});
  REQUIRE(client.ReadAll());
  int status = WaitExit(client.pid());
  REQUIRE(WIFSIGNALED(status));
  // Re-raised, or faulted again, with the default disposition.
  CHECK(WTERMSIG(status) == (end == "abort" ? SIGABRT : SIGSEGV));
  CHECK(client.out() == kStdoutBytes + "unfinished");
  CHECK(client.err() == kStderrBytes);

  std::string dir = env.RunDir(id);
  REQUIRE_FALSE(dir.empty());
  std::vector<std::string> out_lines = kStdoutLines;
  out_lines.push_back("unfinished");
  std::vector<std::string> output_log = LinesOf(ReadFile(dir + "/files/output.log"));
  CHECK(Only(output_log, out_lines) == out_lines);
  CHECK(Only(output_log, kStderrLines) == kStderrLines);
  // The daemon finishes the run as crashed.
  LogContents log = FinishedLog(env, id);
  const records::RunExitRecord* exit = nullptr;
  for (const records::Record& r : log.records) {
    if (r.has_exit()) exit = &r.exit();
  }
  REQUIRE(exit != nullptr);
  CHECK(exit->exit_code() != 0);
}

TEST_CASE("console capture: the program's own crash handler still runs, with the fault") {
  TestEnv env;
  Client client("console_client", {"--id", "console-chained", "--end", "chained-segv"});
  REQUIRE(client.ReadAll());
  int status = WaitExit(client.pid());
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 42);
  // It saw the kernel's siginfo of the fault, and wrote to the terminal directly.
  CHECK(client.err() == kStderrBytes + "own handler saw the fault\n");
  std::vector<std::string> out_lines = kStdoutLines;
  out_lines.push_back("unfinished");
  std::vector<std::string> output_log =
      LinesOf(ReadFile(env.RunDir("console-chained") + "/files/output.log"));
  CHECK(Only(output_log, out_lines) == out_lines);
}

TEST_CASE("console capture: a process killed with kill -9 keeps every line it had shown") {
  TestEnv env;
  Client client("console_client", {"--id", "console-kill", "--end", "hang"});
  // The capture writes a line to output.log before it passes it on to the terminal: once the
  // terminal shows its "ready" lines on both streams, the lines before it must be in output.log.
  REQUIRE(client.ReadUntil([&] {
    return client.out().find("ready\n") != std::string::npos &&
           client.err().find("ready err\n") != std::string::npos;
  }));
  kill(client.pid(), SIGKILL);
  WaitExit(client.pid());

  std::string dir = env.RunDir("console-kill");
  REQUIRE_FALSE(dir.empty());
  std::vector<std::string> out_lines = kStdoutLines;
  out_lines.push_back("ready");
  std::vector<std::string> err_lines = kStderrLines;
  err_lines.push_back("ready err");
  std::vector<std::string> output_log = LinesOf(ReadFile(dir + "/files/output.log"));
  CHECK(Only(output_log, out_lines) == out_lines);
  CHECK(Only(output_log, err_lines) == err_lines);
}

records::Record OutputRecord(int type, const std::string& line) {
  records::Record record;
  record.mutable_output()->set_output_type(static_cast<records::OutputRecord::OutputType>(type));
  record.mutable_output()->set_line(line);
  return record;
}

TEST_CASE("console capture: the daemon refuses an unknown stream and cuts an overlong line") {
  TestEnv env;
  Run keeper = wandb::init({.id = "console-keeper", .console = Console::kOff});  // the daemon
  // A run of a client that skipped the client's checks.
  RawClient client(env);
  REQUIRE(client.StartRun(client.StartRequest("console-forged")).ok());
  std::string long_line = std::string(validation::kMaxOutputLineBytes - 2, 'x') + "\xC3\xA9tail\n";
  CHECK(client
            .Publish("console-forged", {{OutputRecord(7, "no such stream\n"),
                                         OutputRecord(records::OutputRecord::STDOUT, long_line),
                                         OutputRecord(records::OutputRecord::STDERR, "after\n")}})
            .ok());
  service::FinishRunResponse finished;
  REQUIRE(client.FinishRun("console-forged", 1, &finished).ok());
  keeper.finish();

  LogContents log = FinishedLog(env, "console-forged");
  std::vector<const records::OutputRecord*> outputs;
  for (const records::Record& r : log.records) {
    if (r.has_output()) outputs.push_back(&r.output());
  }
  REQUIRE(outputs.size() == 2);
  // Cut below the limit at a code point boundary (the two-byte é would straddle it), still a
  // finished line.
  CHECK(outputs[0]->line().size() <= validation::kMaxOutputLineBytes);
  CHECK(outputs[0]->line() == std::string(validation::kMaxOutputLineBytes - 2, 'x') + "\n");
  CHECK(outputs[1]->line() == "after\n");
  CHECK(outputs[1]->output_type() == records::OutputRecord::STDERR);
  CHECK_THAT(ReadFile(env.RunDir("console-forged") + "/logs/debug-internal.log"),
             Catch::Contains("refused a console line"));
}

TEST_CASE("console capture: a daemon killed mid-run loses no line and stores none twice") {
  TestEnv env;
  std::string go = env.root_dir() + "/go";
  Client client("console_client", {"--id", "console-reattach", "--end", "pause", "--go-file", go});
  REQUIRE(client.ReadUntil([&] { return client.out().find("ready\n") != std::string::npos; }));
  std::string dir = env.RunDir("console-reattach");
  REQUIRE_FALSE(dir.empty());
  // Once the first daemon's store has the lines so far: the new daemon replays the whole log
  // into the store again, and the client sends again what the first had not written.
  REQUIRE(Eventually([&] {
    absl::StatusOr<std::unique_ptr<store::LocalStore>> store =
        store::LocalStore::Open(env.store_dir());
    if (!store.ok()) return false;
    absl::StatusOr<store::RunRow> row = (*store)->runs().Find("console-reattach");
    if (!row.ok()) return false;
    absl::StatusOr<std::vector<store::ConsoleLine>> lines = (*store)->series().Console(row->key);
    return lines.ok() && std::any_of(lines->begin(), lines->end(),
                                     [](const auto& line) { return line.line == "ready"; });
  }));
  REQUIRE(env.KillDaemonAndAwaitNext());
  std::ofstream(go) << "go\n";
  REQUIRE(client.ReadAll());
  int status = WaitExit(client.pid());
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);

  std::vector<std::string> out_lines = kStdoutLines;
  out_lines.push_back("ready");
  for (int i = 1; i <= 20; ++i) out_lines.push_back("after " + std::to_string(i));
  LogContents log = FinishedLog(env, "console-reattach");
  CHECK(OutputLines(log, records::OutputRecord::STDOUT) == AsRecords(out_lines));
  CHECK(OutputLines(log, records::OutputRecord::STDERR) == AsRecords(kStderrLines));

  absl::StatusOr<std::unique_ptr<store::LocalStore>> store =
      store::LocalStore::Open(env.store_dir());
  REQUIRE(store.ok());
  absl::StatusOr<store::RunRow> row = (*store)->runs().Find("console-reattach");
  REQUIRE(row.ok());
  absl::StatusOr<std::vector<store::ConsoleLine>> stored = (*store)->series().Console(row->key);
  REQUIRE(stored.ok());
  std::vector<std::string> stored_out, stored_err;
  for (const store::ConsoleLine& line : *stored) {
    (line.is_stderr ? stored_err : stored_out).push_back(line.line + "\n");
  }
  CHECK(stored_out == AsRecords(out_lines));
  CHECK(stored_err == AsRecords(kStderrLines));
}

}  // namespace
}  // namespace wandb::testing
