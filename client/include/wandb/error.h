#ifndef WANDB_ERROR_H_
#define WANDB_ERROR_H_

#include <stdexcept>
#include <string>

#include "wandb/internal/api_begin.h"

namespace wandb {

// What a wandb::Error is about, so that a program can act on it without reading the
// message. The codes mean what absl::StatusCode's (and gRPC's) codes of the same name mean.
enum class ErrorCode {
  // A setting that cannot be used, whatever the state of the system: a malformed WANDB_*
  // variable, an unknown mode, a directory that cannot be made.
  kInvalidArgument,
  // The call does not fit the state things are in (misuse): logging to a finished run, a Run
  // that init() did not make, changing a config key without allow_val_change, init() in a
  // forked child, a daemon that speaks another protocol version. Retrying will not help
  // until the program or the state changes.
  kFailedPrecondition,
  // What was named does not exist: restore()'s run or file, resume = kMust of an unknown
  // run, use_artifact()'s artifact or alias, add_file()'s file, the wandb-service binary.
  kNotFound,
  // What was to be created exists already: resume = kNever of a run id that is stored.
  kAlreadyExists,
  // wandb-service cannot be reached or started now; a later try may succeed.
  kUnavailable,
  // wandb-service did not answer in time (init_timeout).
  kDeadlineExceeded,
  // Anything else: an unexpected failure of the system (a file that cannot be written) or a
  // bug; the message says what.
  kInternal,
};

// The exception of every misuse and failure of the API. Invalid data (a bad key or value
// passed to log(), a config, a summary) throws std::invalid_argument instead, naming the key.
//   try { run = wandb::init(settings); }
//   catch (const wandb::Error& e) {
//     if (e.code() == wandb::ErrorCode::kUnavailable) { /* train without tracking */ }
//   }
class WANDB_API Error : public std::runtime_error {
 public:
  explicit Error(const std::string& what, ErrorCode code = ErrorCode::kFailedPrecondition)
      : std::runtime_error(what), code_(code) {}
  ErrorCode code() const noexcept { return code_; }

 private:
  ErrorCode code_;
};

}  // namespace wandb

#include "wandb/internal/api_end.h"

#endif  // WANDB_ERROR_H_
