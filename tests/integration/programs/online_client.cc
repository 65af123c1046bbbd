// A training process whose run goes online (WANDB_MODE=online and the server's URL and key
// from the environment), for the tests of what the user is told about the upload.
//
//   online_client --id ID --stderr FILE --go-file PATH [--save-files K --file-bytes B]
//
// Logs a row every 10 ms until PATH exists (the test creates it once it has seen what it
// waits for on the client's stderr), then save()s K files of B bytes (beside PATH) and
// finishes. Its stderr
// goes to FILE.
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include <wandb/wandb.h>

int main(int argc, char** argv) {
  std::string id;
  std::string stderr_file;
  std::string go_file;
  int save_files = 0;
  long file_bytes = 0;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string arg = argv[i];
    if (arg == "--id") id = argv[i + 1];
    if (arg == "--stderr") stderr_file = argv[i + 1];
    if (arg == "--go-file") go_file = argv[i + 1];
    if (arg == "--save-files") save_files = std::atoi(argv[i + 1]);
    if (arg == "--file-bytes") file_bytes = std::atol(argv[i + 1]);
  }
  int fd = open(stderr_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0 || dup2(fd, STDERR_FILENO) < 0) return 3;
  close(fd);

  // Not silent: what the run says about its upload is what the tests read.
  wandb::Settings settings{.project = "online-client", .id = id};
  settings.silent = false;
  wandb::Run run = wandb::init(settings);
  for (long i = 0; !std::filesystem::exists(go_file); ++i) {
    run.log({{"i", i}});
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  for (int f = 0; f < save_files; ++f) {
    std::string name = (std::filesystem::path(go_file).parent_path() /
                        ("out-" + id + "-" + std::to_string(f) + ".bin"))
                           .string();
    std::ofstream out(name, std::ios::binary);
    for (long b = 0; b < file_bytes; ++b) out.put(static_cast<char>('a' + (b * 7 + f) % 26));
    out.close();
    run.save(name, {.base_path = std::filesystem::path(go_file).parent_path().string(),
                    .policy = wandb::Policy::kEnd});
  }
  run.finish();
  return 0;
}
