// A two-run pipeline with artifacts: the first run writes a dataset and a model checkpoint and
// logs both; the second takes them as its inputs (use_artifact), downloads them and checks
// them. Afterwards:
//   wandb-cpp artifact list --project pipeline-example
//   wandb-cpp artifact lineage pipeline-example/checkpoint:latest
//
//   pipeline train      (run 1: logs dataset:vN and checkpoint:vN)
//   pipeline evaluate   (run 2: uses dataset:latest and checkpoint:latest)
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include <wandb/wandb.h>

namespace {

constexpr char kProject[] = "pipeline-example";

void Train() {
  wandb::Run run = wandb::init({.project = kProject, .job_type = "train"});
  wandb::Artifact dataset("dataset", "dataset", "ten squares", {{"rows", 10}});
  {
    wandb::ArtifactFile rows = dataset.new_file("rows.csv");
    for (int x = 0; x < 10; ++x) rows << x << "," << x * x << "\n";
    rows.close();
  }
  run.log_artifact(dataset);

  // The "model": a line fitted to the rows; its checkpoint a file of the program's own.
  const std::string checkpoint = run.dir() + "/files/model.txt";
  std::filesystem::create_directories(run.dir() + "/files");
  std::ofstream(checkpoint) << "slope 9\nintercept -12\n";
  wandb::Artifact model("checkpoint", "model");
  model.add_file(checkpoint);
  run.log_artifact(model, {"candidate"});
  std::printf("logged dataset:%s and checkpoint:%s\n", dataset.wait().c_str(),
              model.wait().c_str());
  run.finish();
}

void Evaluate() {
  wandb::Run run = wandb::init({.project = kProject, .job_type = "evaluate"});
  wandb::Artifact dataset = run.use_artifact("dataset:latest", "dataset");
  wandb::Artifact model = run.use_artifact("checkpoint:latest", "model");
  const std::string data_dir = dataset.download();
  const std::string model_dir = model.download();
  double slope = 0, intercept = 0;
  std::string word;
  std::ifstream(model_dir + "/model.txt") >> word >> slope >> word >> intercept;
  std::ifstream rows(data_dir + "/rows.csv");
  double error = 0;
  int n = 0;
  for (double x, y; rows >> x && rows.ignore(1) && rows >> y; ++n) {
    error += (slope * x + intercept - y) * (slope * x + intercept - y);
  }
  run.summary()["mse"] = n > 0 ? error / n : 0.0;
  std::printf("evaluated checkpoint:%s on dataset:%s (files in %s, %s): mse %.2f\n",
              model.version().c_str(), dataset.version().c_str(), model_dir.c_str(),
              data_dir.c_str(), n > 0 ? error / n : 0.0);
  run.finish();
}

}  // namespace

int main(int argc, char** argv) {
  const std::string step = argc > 1 ? argv[1] : "";
  try {
    if (step == "train") {
      Train();
    } else if (step == "evaluate") {
      Evaluate();
    } else {
      std::fprintf(stderr, "usage: pipeline train | pipeline evaluate\n");
      return 2;
    }
  } catch (const wandb::Error& e) {
    std::fprintf(stderr, "pipeline: %s\n", e.what());
    return 1;
  }
  return 0;
}
