// A training process for the integration tests: logs --rows rows of 10 metrics to one run.
//
//   log_client --id ID --rows N [--finish-code C] [--hang --ready-file PATH]
//              [--save-files K --file-bytes B]
//
// With --save-files it writes K files of B bytes each (contents unique to the run) in the
// current directory and save()s them with the now policy, before finishing.
// With --hang it makes sure everything logged reached the daemon, touches the ready file and
// sleeps until killed, as a training process that crashes mid-run would.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>

#include <wandb/wandb.h>

int main(int argc, char** argv) {
  std::string id;
  std::string ready_file;
  long rows = 0;
  int finish_code = 0;
  bool hang = false;
  int save_files = 0;
  long file_bytes = 0;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (arg == "--id")
      id = next();
    else if (arg == "--rows")
      rows = std::atol(next().c_str());
    else if (arg == "--finish-code")
      finish_code = std::atoi(next().c_str());
    else if (arg == "--ready-file")
      ready_file = next();
    else if (arg == "--hang")
      hang = true;
    else if (arg == "--save-files")
      save_files = std::atoi(next().c_str());
    else if (arg == "--file-bytes")
      file_bytes = std::atol(next().c_str());
  }
  wandb::Run run = wandb::init({.project = "integration", .config = {{"rows", rows}}, .id = id});
  for (long i = 0; i < rows; ++i) {
    double x = static_cast<double>(i);
    run.log({{"i", i},
             {"loss", 1.0 / (x + 1)},
             {"m2", x * 2},
             {"m3", x * 3},
             {"m4", x * 4},
             {"m5", x * 5},
             {"m6", x * 6},
             {"m7", x * 7},
             {"m8", x * 8},
             {"m9", x * 9}});
  }
  for (int f = 0; f < save_files; ++f) {
    std::string name = "out-" + id + "-" + std::to_string(f) + ".bin";
    std::ofstream out(name);
    for (long b = 0; b < file_bytes; ++b) out.put(static_cast<char>('a' + (b + f) % 26));
    out << id;
    out.close();
    run.save(name, {.policy = wandb::Policy::kNow});
  }
  if (hang) {
    run.summary().get();  // returns once the daemon has handled every row logged above
    std::ofstream(ready_file) << "ready\n";
    while (true) pause();
  }
  run.finish(finish_code);
  return 0;
}
