// What `wandb-cpp import` prints when it could not import: the store's error, and when the
// store's disk is full (the one failure that passes once space is freed), that nothing was
// lost and what to do, so a person does not take a full disk for a damaged run.
#ifndef WANDB_CLI_IMPORT_FAILURE_H_
#define WANDB_CLI_IMPORT_FAILURE_H_

#include <string>

#include "absl/status/status.h"

namespace wandb::cli {

// `status`: why importing `dirs` (the run directories, as given) into the store in
// `store_dir` failed.
std::string ImportFailureMessage(const absl::Status& status, const std::string& store_dir,
                                 const std::string& dirs);

}  // namespace wandb::cli

#endif  // WANDB_CLI_IMPORT_FAILURE_H_
