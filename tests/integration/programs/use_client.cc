// A training process for the use_artifact integration tests: takes an artifact version as its
// input and downloads it.
//
//   use_client --id ID --project P --use NAME:ALIAS [--type T] [--root DIR] --out FILE
//
// Starts run ID in project P, calls use_artifact(NAME:ALIAS, T), downloads it into DIR (or the
// default root) and writes "<version>\n<root>\n" to FILE. Exit code 0 on success; 1 on a
// wandb::Error, whose message goes to stderr.
#include <cstdio>
#include <fstream>
#include <string>

#include <wandb/wandb.h>

int main(int argc, char** argv) {
  std::string id, project, use, type, root, out;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string arg = argv[i];
    const std::string value = argv[i + 1];
    if (arg == "--id") id = value;
    if (arg == "--project") project = value;
    if (arg == "--use") use = value;
    if (arg == "--type") type = value;
    if (arg == "--root") root = value;
    if (arg == "--out") out = value;
  }
  try {
    wandb::Run run = wandb::init({.project = project, .id = id});
    wandb::Artifact input = run.use_artifact(use, type);
    const std::string downloaded = input.download(root);
    input.verify(downloaded);
    run.finish();
    std::ofstream(out) << input.version() << "\n" << downloaded << "\n";
    return 0;
  } catch (const wandb::Error& e) {
    std::fprintf(stderr, "use_client: %s\n", e.what());
    return 1;
  }
}
