// A training process that forks after init(), for the fork tests:
//
//   fork_client --id ID --rows N --child MODE
//
// Logs N rows, forks, and has the child do MODE while the parent waits for it:
//   exit       exit(0): the atexit handlers run
//   use        logs, updates config and summary, saves, flushes, finishes, returns from main
//   init       tries to start a run of its own, which must fail with a wandb::Error that
//              names fork()
// Then the parent logs N more rows and finishes. Exits 1 if the child failed, else 0.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include <wandb/wandb.h>

namespace {

void LogRows(wandb::Run& run, long first, long rows) {
  for (long i = first; i < first + rows; ++i) run.log({{"i", i}, {"pid", getpid()}});
}

int Child(wandb::Run& run, const std::string& mode, const std::string& id, long rows) {
  if (mode == "exit") std::exit(0);
  if (mode == "use") {
    LogRows(run, 1'000'000, rows);
    run.config().update({{"child", true}});
    run.summary()["child"] = 1;
    run.flush();
    run.finish(3);
    return 0;
  }
  if (mode == "init") {
    try {
      wandb::init({.project = "fork", .id = id + "-child", .reinit = true});
    } catch (const wandb::Error& e) {
      std::printf("init in the child: %s\n", e.what());
      return std::string(e.what()).find("fork()") != std::string::npos ? 0 : 1;
    }
    return 1;
  }
  std::fprintf(stderr, "unknown --child %s\n", mode.c_str());
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string id;
  std::string mode = "exit";
  long rows = 0;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (arg == "--id") id = next();
    if (arg == "--rows") rows = std::atol(next().c_str());
    if (arg == "--child") mode = next();
  }
  wandb::Run run = wandb::init({.project = "fork", .id = id});
  LogRows(run, 0, rows);
  std::fflush(nullptr);
  pid_t child = fork();
  if (child == 0) return Child(run, mode, id, rows);
  int status = 0;
  while (waitpid(child, &status, 0) < 0) {
  }
  LogRows(run, rows, rows);
  run.finish();
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::fprintf(stderr, "fork_client: the child ended with status %d\n", status);
    return 1;
  }
  return 0;
}
