// `wandb-cpp runs [--project P] [--store DIR]`: the runs in the local store, oldest first,
// with their state, exit code, start time (local) and duration.
//
// Output: a table, or with --json one JSON object per run per line (JSON lines; nothing for
// no runs). Exit codes: 0 listed (also when there are none); 1 the store cannot be read;
// 2 usage.
#ifndef WANDB_CLI_RUNS_COMMAND_H_
#define WANDB_CLI_RUNS_COMMAND_H_

#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "CLI/CLI.hpp"
#include "service/store/local_store.h"

namespace wandb::cli {

struct RunsOptions {
  std::string project;  // "project" or "entity/project"; empty: every run
  std::string store_dir;
  bool json = false;
};

CLI::App* AddRunsCommand(CLI::App& app, RunsOptions* options);
int RunRuns(const RunsOptions& options, std::ostream& out, std::ostream& err);

// A running run's duration is the time since its start, as of `now`.
void PrintRuns(const std::vector<store::RunRow>& runs, absl::Time now, std::ostream& out);
nlohmann::json RunJson(const store::RunRow& run);

}  // namespace wandb::cli

#endif  // WANDB_CLI_RUNS_COMMAND_H_
