// A training loop that tracks itself with wandb-cpp: config, 1,000 steps of metrics, a
// nested validation group every 100 steps (also printed: the run's files/output.log keeps
// the console), and a summary value. The daemon adds system metrics and wandb-metadata.json.
//
//   ./build/bin/train [--steps N]
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include <wandb/wandb.h>

int main(int argc, char** argv) {
  int steps = 1000;
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], "--steps") == 0) steps = std::atoi(argv[i + 1]);
  }

  // Settings by field, so the example builds as C++17 too (libtorch and CUDA code do); C++20
  // code can write wandb::init({.project = "wandb-cpp-examples", .name = ...}).
  wandb::Settings settings;
  settings.project = "wandb-cpp-examples";
  settings.name = "train-example";
  settings.tags = std::vector<std::string>{"example", "cpp"};
  settings.config = {{"lr", 1e-3},
                     {"batch_size", 64},
                     {"layers", {128, 64, 10}},
                     {"optimizer", {{"name", "adam"}, {"betas", {0.9, 0.999}}}}};
  wandb::Run run = wandb::init(settings);
  run.config().update({{"epochs", steps / 100}});

  std::mt19937 rng(42);
  std::normal_distribution<double> noise(0.0, 0.02);
  double best_acc = 0;
  for (int step = 0; step < steps; ++step) {
    double progress = static_cast<double>(step) / steps;
    double loss = 2.3 * std::exp(-4.0 * progress) + 0.05 + noise(rng);
    double acc = 1.0 - 0.9 * std::exp(-5.0 * progress) + noise(rng) / 2;
    if (step % 100 == 99) {
      double val_acc = acc - 0.02;
      best_acc = std::max(best_acc, val_acc);
      // commit=false: merged into this step's row, which the next log() call writes.
      wandb::LogOptions merge;
      merge.commit = false;
      run.log({{"val", {{"loss", loss * 1.1}, {"acc", val_acc}}}}, merge);
      // Console output still reaches the terminal, and is kept in the run's output.log.
      std::printf("step %d: loss %.4f, val_acc %.4f\n", step + 1, loss, val_acc);
    }
    run.log({{"loss", loss}, {"acc", acc}, {"lr", 1e-3 * (1.0 - progress)}});
  }
  run.summary()["best_val_acc"] = best_acc;
  run.finish();
  std::printf("run %s written to %s\n", run.id().c_str(), run.dir().c_str());
  return 0;
}
