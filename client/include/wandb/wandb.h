// wandb-cpp: Weights & Biases experiment tracking for C++ programs.
//
//   auto run = wandb::init({.project = "mnist", .config = {{"lr", 1e-3}}});
//   for (int step = 0; step < 1000; ++step) run.log({{"loss", loss}});
//   run.summary()["best_acc"] = 0.98;
//   run.finish();
#ifndef WANDB_WANDB_H_
#define WANDB_WANDB_H_

#include <optional>
#include <string>
#include <utility>

#include "wandb/api.h"
#include "wandb/artifact.h"
#include "wandb/audio.h"
#include "wandb/error.h"
#include "wandb/histogram.h"
#include "wandb/html.h"
#include "wandb/image.h"
#include "wandb/media.h"
#include "wandb/object3d.h"
#include "wandb/plot.h"
#include "wandb/run.h"
#include "wandb/settings.h"
#include "wandb/table.h"
#include "wandb/value.h"
#include "wandb/video.h"

#include "wandb/internal/api_begin.h"
#include "wandb/internal/compiler.h"

namespace wandb {

namespace internal {
// How the program that calls init() was compiled (it may differ from libwandb's compiler).
struct CallerBuild {
  const char* compiler = "";
  long cplusplus = 0;
};
WANDB_API Run InitRun(Settings settings, CallerBuild caller);
}  // namespace internal

// Starts a run: connects to the per-user wandb-service daemon (starting it if none runs),
// creates the run directory and returns the run. Throws wandb::Error when the settings are
// invalid or no daemon can be reached, std::invalid_argument for an invalid config.
inline Run init(Settings settings = {}) {
  // Inline, so that the compiler facts are those of the caller's translation unit.
  return internal::InitRun(std::move(settings), {WANDB_INTERNAL_COMPILER, __cplusplus});
}

struct RestoreOptions {
  // "entity/project/id", "project/id" or "id" of the run to restore from. Default: the
  // active run.
  std::optional<std::string> run_path{};
  // Overwrite a local file that exists already. When false, the local file is kept.
  bool replace = false;
  // Where to put the file. Default: the active run's directory, else the current directory.
  std::optional<std::string> root{};
  // The local store to look in. Default: the active run's, else WANDB_CPP_STORE_DIR, else
  // $XDG_DATA_HOME/wandb-cpp/store or ~/.local/share/wandb-cpp/store.
  std::optional<std::string> store_dir{};
};

// Fetches the latest stored version of a run's file `name` (a path under its files/) to
// <root>/<name> and returns that path, as wandb.restore() does. Throws wandb::Error when the
// run or the file is not in the store, std::invalid_argument for a name that leaves root.
//   std::string path = wandb::restore("model.pt", {.run_path = "me/mnist/1a2b3c4d"});
WANDB_API std::string restore(const std::string& name, const RestoreOptions& options = {});

// The version of this library.
WANDB_API const char* version();

}  // namespace wandb

#undef WANDB_INTERNAL_COMPILER
#include "wandb/internal/api_end.h"

#endif  // WANDB_WANDB_H_
