// wandb-cpp: Weights & Biases experiment tracking for C++ programs.
//
//   auto run = wandb::init({.project = "mnist", .config = {{"lr", 1e-3}}});
//   for (int step = 0; step < 1000; ++step) run.log({{"loss", loss}});
//   run.summary()["best_acc"] = 0.98;
//   run.finish();
#ifndef WANDB_WANDB_H_
#define WANDB_WANDB_H_

#include "wandb/error.h"
#include "wandb/run.h"
#include "wandb/settings.h"
#include "wandb/value.h"

namespace wandb {

// Starts a run: connects to the per-user wandb-service daemon (starting it if none runs),
// creates the run directory and returns the run. Throws wandb::Error when the settings are
// invalid or no daemon can be reached, std::invalid_argument for an invalid config.
Run init(Settings settings = {});

// The version of this library.
const char* version();

}  // namespace wandb

#endif  // WANDB_WANDB_H_
