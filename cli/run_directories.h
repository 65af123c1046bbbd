// The run directories a command's arguments name, for the commands that read them after the
// fact (`import` into the local store, `sync` to W&B).
#ifndef WANDB_CLI_RUN_DIRECTORIES_H_
#define WANDB_CLI_RUN_DIRECTORIES_H_

#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace wandb::cli {

// The run directories `dir` names: itself when it is one, else its offline-run-*
// subdirectories that are, sorted. NotFound when it names none.
absl::StatusOr<std::vector<std::string>> RunDirectoriesIn(const std::string& dir);

// Reports a failure of `what` (an argument, a run directory) as ForEachRunDirectory does.
void ReportRunFailure(const std::string& command, bool json, const std::string& what,
                      absl::string_view message, std::ostream& out, std::ostream& err);

// Calls `each` with every run directory that `args` name, in order. An argument that names
// none, or a run that `each` fails, is reported on `err` as "wandb-cpp <command>: <reason>"
// (and, with `json`, as a {"dir", "outcome": "failed", "error"} line on `out`); the others
// go on. Returns how many failed.
int ForEachRunDirectory(const std::vector<std::string>& args, const std::string& command, bool json,
                        std::ostream& out, std::ostream& err,
                        const std::function<absl::Status(const std::string& run_dir)>& each);

}  // namespace wandb::cli

#endif  // WANDB_CLI_RUN_DIRECTORIES_H_
