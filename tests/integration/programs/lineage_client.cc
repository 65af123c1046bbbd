// A three-stage pipeline for the UI's artifact tests: each stage is one run, and together
// they make a lineage two steps deep (dataset -> train -> model -> evaluate -> predictions).
//
//   lineage_client --stage dataset  --id ID [--project P] [--rows N]
//   lineage_client --stage train    --id ID [--project P]
//   lineage_client --stage evaluate --id ID [--project P]
//
// dataset logs "digits" (type dataset): train.csv (N rows of 7 bytes, default 100), test.csv
// (N/4 rows), labels/classes.json and a reference to s3://example-bucket/digits/raw.tar, with
// a description and metadata {rows, source}. train uses digits:latest, downloads it into its run
// directory and logs "cnn" (type model; model.bin of 4096 bytes, config.json) with the alias "best"
// and metadata {accuracy, epochs}. evaluate uses cnn:best and logs "predictions" (type evaluation;
// predictions.csv). Exit code 0 on success, 1 on a wandb::Error.
#include <cstdio>
#include <fstream>
#include <string>

#include <wandb/wandb.h>

namespace {

void WriteRows(wandb::Artifact& artifact, const std::string& name, long rows) {
  wandb::ArtifactFile file = artifact.new_file(name);
  for (long i = 0; i < rows; ++i) file.stream() << "x" << (i % 10) << "," << (i * 7 % 10) << ",y\n";
  file.close();
}

void Dataset(wandb::Run& run, long rows) {
  wandb::Artifact data("digits", "dataset");
  data.set_description("Handwritten digits: " + std::to_string(rows) + " training rows");
  data.set_metadata({{"rows", rows}, {"source", "synthetic"}});
  WriteRows(data, "train.csv", rows);
  WriteRows(data, "test.csv", rows / 4);
  wandb::ArtifactFile classes = data.new_file("labels/classes.json");
  classes.stream() << R"({"classes": ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]})";
  classes.close();
  data.add_reference("s3://example-bucket/digits/raw.tar");
  run.log_artifact(data);
  data.wait();
}

void Train(wandb::Run& run) {
  wandb::Artifact input = run.use_artifact("digits:latest", "dataset");
  input.download(run.dir() + "/digits");  // in the run, not the working directory
  wandb::Artifact model("cnn", "model");
  model.set_description("A small convolutional net");
  model.set_metadata({{"accuracy", 0.93}, {"epochs", 3}});
  wandb::ArtifactFile weights = model.new_file("model.bin");
  weights.stream() << std::string(4096, '\x2a');
  weights.close();
  wandb::ArtifactFile config = model.new_file("config.json");
  config.stream() << R"({"layers": 4})";
  config.close();
  run.log_artifact(model, {"best"});
  model.wait();
}

void Evaluate(wandb::Run& run) {
  wandb::Artifact model = run.use_artifact("cnn:best", "model");
  model.download(run.dir() + "/cnn");
  wandb::Artifact predictions("predictions", "evaluation");
  WriteRows(predictions, "predictions.csv", 25);
  run.log_artifact(predictions);
  predictions.wait();
}

}  // namespace

int main(int argc, char** argv) {
  std::string stage, id, project = "pipeline";
  long rows = 100;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string arg = argv[i];
    const std::string value = argv[i + 1];
    if (arg == "--stage") stage = value;
    if (arg == "--id") id = value;
    if (arg == "--project") project = value;
    if (arg == "--rows") rows = std::stol(value);
  }
  if (stage != "dataset" && stage != "train" && stage != "evaluate") {
    std::fprintf(stderr, "lineage_client: --stage dataset|train|evaluate\n");
    return 2;
  }
  try {
    wandb::Run run = wandb::init({.project = project, .job_type = stage, .id = id});
    if (stage == "dataset") Dataset(run, rows);
    if (stage == "train") Train(run);
    if (stage == "evaluate") Evaluate(run);
    run.finish();
    return 0;
  } catch (const wandb::Error& e) {
    std::fprintf(stderr, "lineage_client: %s\n", e.what());
    return 1;
  }
}
