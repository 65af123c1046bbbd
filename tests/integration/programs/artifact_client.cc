// A training process for the artifact integration tests: logs one artifact of one file and
// prints its version once committed.
//
//   artifact_client --id ID --name NAME --content TEXT [--alias A] [--out FILE]
//
// Writes TEXT to a file, adds it to artifact NAME (type "dataset"), logs it, waits for the
// version and writes it to FILE (or stdout). Exit code 0 on success, 1 on a wandb::Error.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include <wandb/wandb.h>

int main(int argc, char** argv) {
  std::string id, name, content, out;
  std::vector<std::string> aliases;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string arg = argv[i];
    const std::string value = argv[i + 1];
    if (arg == "--id") id = value;
    if (arg == "--name") name = value;
    if (arg == "--content") content = value;
    if (arg == "--alias") aliases.push_back(value);
    if (arg == "--out") out = value;
  }
  try {
    wandb::Run run = wandb::init({.id = id});
    const std::string file = run.dir() + "/artifact-input.txt";
    std::ofstream(file) << content;
    wandb::Artifact artifact(name, "dataset");
    artifact.add_file(file, "data.txt");
    run.log_artifact(artifact, aliases);
    const std::string version = artifact.wait();
    run.finish();
    if (out.empty()) {
      std::cout << version << "\n";
    } else {
      std::ofstream(out) << version;
    }
    return 0;
  } catch (const wandb::Error& e) {
    std::fprintf(stderr, "artifact_client: %s\n", e.what());
    return 1;
  }
}
