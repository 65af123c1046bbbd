#include "cli/artifact_put_command.h"

#include <exception>
#include <filesystem>
#include <optional>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "cli/output.h"
#include "cli/store_option.h"
#include "common/artifact/artifact_names.h"
#include "wandb/wandb.h"

namespace wandb::cli {
namespace {

namespace fs = std::filesystem;

// --name split as wandb's _parse_artifact_path splits it.
struct PutTarget {
  std::optional<std::string> entity;
  std::optional<std::string> project;
  std::string name;
};

absl::StatusOr<PutTarget> ParseName(const ArtifactOptions& options) {
  std::string name = options.name;
  if (name.empty()) name = fs::path(options.path).filename().string();
  std::vector<std::string> parts = absl::StrSplit(name, '/');
  PutTarget target;
  target.name = parts.back();
  if (parts.size() == 2) target.project = parts[0];
  if (parts.size() == 3) {
    target.entity = parts[0];
    target.project = parts[1];
  }
  if (parts.size() > 3 || target.name.empty() || (target.project && target.project->empty()) ||
      (target.entity && target.entity->empty())) {
    return absl::InvalidArgumentError(
        absl::StrCat("--name '", name, "' is not NAME, PROJECT/NAME or ENTITY/PROJECT/NAME"));
  }
  // Checked before a run is made for it.
  if (absl::Status s = artifact::ValidateArtifactName(target.name); !s.ok()) return s;
  if (absl::Status s = artifact::ValidateArtifactType(options.type); !s.ok()) return s;
  for (const std::string& alias : options.aliases) {
    if (absl::Status s = artifact::ValidateAlias(alias); !s.ok()) return s;
  }
  return target;
}

// "entity/project/name:version", without the entity when there is none (a local run).
std::string VersionRef(const std::string& entity, const std::string& project,
                       const std::string& name, const std::string& version) {
  return absl::StrCat(entity.empty() ? "" : entity + "/", project, "/", name, ":", version);
}

// What PATH is, in wandb's order: a directory, a file, else a URI.
enum class Source { kDirectory, kFile, kReference };

absl::StatusOr<Source> SourceOf(const std::string& path) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) return Source::kDirectory;
  if (fs::is_regular_file(path, ec)) return Source::kFile;
  if (path.find("://") != std::string::npos) return Source::kReference;
  return absl::InvalidArgumentError(
      absl::StrCat("'", path, "' is not a file, a directory or a reference URI"));
}

Settings PutSettings(const ArtifactOptions& options, const PutTarget& target) {
  Settings settings;
  settings.entity = target.entity;
  settings.project = target.project;
  settings.job_type = "cli_put";
  settings.config = {{"path", options.path}};
  settings.silent = true;  // this command says what happens itself
  if (!options.store_dir.empty()) settings.store_dir = options.store_dir;
  return settings;
}

void AddSource(Artifact& artifact, Source source, const std::string& path) {
  switch (source) {
    case Source::kDirectory:
      artifact.add_dir(path);
      break;
    case Source::kFile:
      artifact.add_file(path);
      break;
    case Source::kReference:
      artifact.add_reference(path);
      break;
  }
}

struct PutResult {
  std::string entity, project, run_id, version, digest;
  int64_t size = 0;
};

// Logs the artifact through a run of its own; a wandb::Error or a bad argument of the library
// becomes this command's error.
absl::StatusOr<PutResult> Put(const ArtifactOptions& options, const PutTarget& target,
                              Source source, const std::vector<std::string>& aliases,
                              std::ostream& out) {
  try {
    Artifact artifact(target.name, options.type, options.description);
    AddSource(artifact, source, options.path);
    Run run = wandb::init(PutSettings(options, target));
    if (!options.json) {
      const char* what = source == Source::kDirectory ? "directory"
                         : source == Source::kFile    ? "file"
                                                      : "reference";
      out << "Uploading " << what << " " << options.path << " to: \""
          << VersionRef(run.entity(), run.project(), target.name, aliases[0]) << "\" ("
          << options.type << ")\n";
    }
    Artifact logged = run.log_artifact(artifact, aliases);
    PutResult result{run.entity(),  run.project(),   run.id(),
                     logged.wait(), logged.digest(), logged.size()};
    run.finish();
    return result;
  } catch (const Error& e) {
    return absl::Status(e.code() == ErrorCode::kInvalidArgument ? absl::StatusCode::kInvalidArgument
                                                                : absl::StatusCode::kInternal,
                        e.what());
  } catch (const std::invalid_argument& e) {
    return absl::InvalidArgumentError(e.what());
  } catch (const std::exception& e) {
    return absl::InternalError(e.what());
  }
}

}  // namespace

void AddArtifactPutCommand(CLI::App* artifact, ArtifactOptions* options) {
  CLI::App* put = artifact->add_subcommand(
      "put", "log a file, a directory or a reference URI as a new version of an artifact");
  put->callback([options] { options->action = "put"; });
  put->add_option("PATH", options->path, "what to log")->required();
  put->add_option("--name,-n", options->name,
                  "[ENTITY/][PROJECT/]NAME (default: PATH's base name; the project: "
                  "$WANDB_PROJECT or uncategorized)");
  put->add_option("--type,-t", options->type, "the artifact's type (default: dataset)");
  put->add_option("--alias,-a", options->aliases, "an alias for the version (default: latest)");
  put->add_option("--description,-d", options->description, "a description of the artifact");
  AddStoreOption(put, &options->store_dir);
  put->add_flag("--json", options->json, "print the version as one JSON object");
}

int RunArtifactPut(const ArtifactOptions& options, std::ostream& out, std::ostream& err) {
  const std::string prefix = "wandb-cpp artifact put: ";
  absl::StatusOr<PutTarget> target = ParseName(options);
  absl::StatusOr<Source> source =
      target.ok() ? SourceOf(options.path) : absl::StatusOr<Source>(target.status());
  if (!source.ok()) {
    err << prefix << source.status().message() << "\n";
    return kExitUsage;
  }
  std::vector<std::string> aliases = options.aliases;
  if (aliases.empty()) aliases = {"latest"};
  absl::StatusOr<PutResult> put = Put(options, *target, *source, aliases, out);
  if (!put.ok()) {
    err << prefix << put.status().message() << "\n";
    return absl::IsInvalidArgument(put.status()) ? kExitUsage : kExitFailure;
  }
  std::string ref = VersionRef(put->entity, put->project, target->name, put->version);
  if (options.json) {
    out << nlohmann::json{{"entity", put->entity},   {"project", put->project},
                          {"name", target->name},    {"type", options.type},
                          {"version", put->version}, {"digest", put->digest},
                          {"aliases", aliases},      {"path", options.path},
                          {"run", put->run_id},      {"size", put->size}}
               .dump()
        << "\n";
  } else {
    out << "Artifact uploaded, use this artifact in a run by adding:\n\n"
        << "    run.use_artifact(\"" << ref << "\");\n";
  }
  return kExitOk;
}

}  // namespace wandb::cli
