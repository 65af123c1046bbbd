// The local store a command works on: --store DIR, else $WANDB_CPP_STORE_DIR, else the
// default location (common/run/store_location.h).
#ifndef WANDB_CLI_STORE_OPTION_H_
#define WANDB_CLI_STORE_OPTION_H_

#include <memory>
#include <string>

#include "CLI/CLI.hpp"
#include "absl/status/statusor.h"
#include "service/store/local_store.h"

namespace wandb::cli {

void AddStoreOption(CLI::App* command, std::string* store_dir);

// `flag` when set, else the environment's or the default directory.
absl::StatusOr<std::string> ResolveStoreDir(const std::string& flag);

// Opens the store in `dir` only when there is one: NotFound, naming the directory, when no
// run has been tracked there yet (a command that reads must not create a store).
absl::StatusOr<std::shared_ptr<store::LocalStore>> OpenExistingStore(const std::string& dir);

// A run a command names (an id or entity/project/id) in the store of --store `flag`.
struct StoredRun {
  std::shared_ptr<store::LocalStore> store;
  store::RunRow run;
};
// The error's message is a sentence for the user: no store there ("no run 'X': ..."), no
// such run, or an ambiguous id.
absl::StatusOr<StoredRun> FindStoredRun(const std::string& flag, const std::string& run);

}  // namespace wandb::cli

#endif  // WANDB_CLI_STORE_OPTION_H_
