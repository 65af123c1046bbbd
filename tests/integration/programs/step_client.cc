// A training process that logs at a step lower than the current one, which the run drops.
//
//   step_client --id ID --stderr FILE
//
// Logs steps 0-9, then "loss" at step 5 twice and "acc" at step 3 once (all dropped), then
// step 10. Its stderr goes to FILE: the test reads the warnings there.
#include <fcntl.h>
#include <unistd.h>

#include <string>

#include <wandb/wandb.h>

int main(int argc, char** argv) {
  std::string id;
  std::string stderr_file;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string arg = argv[i];
    if (arg == "--id") id = argv[i + 1];
    if (arg == "--stderr") stderr_file = argv[i + 1];
  }
  int fd = open(stderr_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0 || dup2(fd, STDERR_FILENO) < 0) return 3;
  close(fd);

  wandb::Settings settings;
  settings.id = id;
  wandb::Run run = wandb::init(settings);
  for (int step = 0; step < 10; ++step) run.log({{"loss", 1.0 / (step + 1)}});
  wandb::LogOptions at;
  at.step = 5;
  run.log({{"loss", 0.5}}, at);
  run.log({{"loss", 0.25}}, at);  // the same keys: no second warning
  at.step = 3;
  run.log({{"acc", 0.5}}, at);
  at.step = 10;
  run.log({{"loss", 0.01}}, at);
  run.finish();
  return 0;
}
