// A program built as C++17, as libtorch and CUDA code is: it uses the public API without
// designated initializers, setting each option by field.
//
//   cxx17_client --id ID
//
// Logs 10 rows (the last at an explicit step), sets config (a std::array too) and summary (a
// type of its own too), and finishes.
#include <array>
#include <cstdio>
#include <string>
#include <vector>

#include <wandb/wandb.h>

// A type of the program's own, logged through its ValueConverter (C++17 has no std::span:
// Value::list(pointer, size) takes a buffer of numbers).
struct Weights {
  std::vector<float> values;
};
template <>
struct wandb::ValueConverter<Weights> {
  static wandb::Value convert(const Weights& w) {
    return wandb::Value::list(w.values.data(), w.values.size());
  }
};

int main(int argc, char** argv) {
  static_assert(__cplusplus == 201703L, "this program must be built as C++17");
  std::string id = argc > 2 ? argv[2] : "";
  wandb::Settings settings;
  settings.project = "cxx17";
  settings.id = id;
  settings.config = {{"lr", 0.01}, {"layers", {64, 32}}};
  wandb::Run run = wandb::init(settings);
  for (int step = 0; step < 9; ++step) run.log({{"loss", 1.0 / (step + 1)}});
  wandb::LogOptions at_step;
  at_step.step = 20;
  run.log({{"loss", 0.05}}, at_step);
  run.config().update({{"epochs", 3}, {"shape", std::array<int, 2>{4, 2}}});
  run.summary()["weights"] = Weights{{0.5f, 0.25f}};
  run.summary()["best"]["loss"] = 0.05;
  run.finish();
  std::printf("%s\n", run.dir().c_str());
  return 0;
}
