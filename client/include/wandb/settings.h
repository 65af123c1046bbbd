#ifndef WANDB_SETTINGS_H_
#define WANDB_SETTINGS_H_

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "wandb/value.h"

namespace wandb {

enum class Mode {
  kLocal,     // the default: the run directory, and the run tracked in the local store
  kOffline,   // only the run directory and transaction log, for a later `wandb sync`
  kDisabled,  // a run whose every call does nothing
};

// What wandb::init() takes. Every field is optional: an unset field falls back to its
// WANDB_* environment variable, then to the default. Init arguments win over the
// environment, as in wandb.
//
//   auto run = wandb::init({.project = "mnist", .config = {{"lr", 1e-3}}});
struct Settings {
  std::optional<std::string> project{};            // WANDB_PROJECT; default "uncategorized"
  std::optional<std::string> entity{};             // WANDB_ENTITY
  std::optional<std::string> name{};               // WANDB_NAME: the display name
  std::optional<std::string> notes{};              // WANDB_NOTES
  std::optional<std::vector<std::string>> tags{};  // WANDB_TAGS, comma-separated
  std::optional<std::string> group{};              // WANDB_RUN_GROUP
  std::optional<std::string> job_type{};           // WANDB_JOB_TYPE
  Value::Map config{};                             // the run's initial config
  // When non-empty, only these keys of `config` are kept; then those in exclude are dropped.
  std::vector<std::string> config_include_keys{};
  std::vector<std::string> config_exclude_keys{};
  std::optional<std::string> dir{};  // WANDB_DIR: where wandb/ is made; default the cwd
  std::optional<std::string> id{};   // WANDB_RUN_ID; default 8 random [0-9a-z]
  std::optional<Mode> mode{};        // WANDB_MODE (local, offline, dryrun, disabled)
  // The local store's directory (WANDB_CPP_STORE_DIR); default
  // $XDG_DATA_HOME/wandb-cpp/store, else ~/.local/share/wandb-cpp/store.
  std::optional<std::string> store_dir{};
  // A second init() in the same process finishes the first run when true; when false it
  // returns the run already in progress.
  bool reinit = false;
  std::optional<bool> silent{};  // WANDB_SILENT: no "wandb:" lines on stderr
  // How long init() waits for the daemon to start the run (WANDB_INIT_TIMEOUT, seconds).
  std::optional<std::chrono::milliseconds> init_timeout{};
  // How long finish() waits for the daemon to write everything (WANDB_FINISH_TIMEOUT, s).
  std::optional<std::chrono::milliseconds> finish_timeout{};
};

}  // namespace wandb

#endif  // WANDB_SETTINGS_H_
