// `wandb-cpp artifact ...`: the artifacts in the local store.
//   list [--project P]           each artifact name: type, versions, newest, its size
//   versions NAME [--project P]  each version: digest, aliases, size, files, who logged it
//   ls NAME:VER                  a version's files: path, size, digest (references too)
//   get NAME:VER [--root DIR]    copies a version's files out (through the artifact cache),
//                                each checked against its digest; records no use (no run)
//   lineage NAME:VER             the runs that logged the version and the runs that used it
//   cache cleanup SIZE           shrinks the artifact cache (artifact_cache_command.h)
//   put PATH [--name N] ...      logs PATH as a new version (artifact_put_command.h)
// NAME:VER is any form use_artifact() takes (artifact_ref.h); without a project, the one
// project that has such an artifact. Every command takes --store DIR and --json (JSON lines:
// one object per line). Exit codes: 0 done (also an empty list); 1 no such artifact, version
// or alias, or the store cannot be read or the files written; 2 usage.
#ifndef WANDB_CLI_ARTIFACT_COMMAND_H_
#define WANDB_CLI_ARTIFACT_COMMAND_H_

#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "CLI/CLI.hpp"
#include "service/store/artifacts.h"

namespace wandb::cli {

struct ArtifactOptions {
  std::string action;   // list, versions, ls, get, lineage, cache cleanup, put: the one parsed
  std::string project;  // "project" or "entity/project"; empty: any
  std::string target;   // NAME (versions) or NAME:VER (ls, get, lineage)
  std::string root;     // get: where to write; empty: ./artifacts/<name>:<version>
  std::string size;     // cache cleanup: the size to shrink the cache to
  // put: what to log and as what.
  std::string path;
  std::string name;  // [entity/][project/]name; empty: PATH's base name
  std::string type = "dataset";
  std::vector<std::string> aliases;  // empty: {"latest"}
  std::string description;
  std::string store_dir;
  bool json = false;
};

// Adds `artifact` and its subcommands; `options->action` names the one parsed.
CLI::App* AddArtifactCommand(CLI::App& app, ArtifactOptions* options);
int RunArtifact(const ArtifactOptions& options, std::ostream& out, std::ostream& err);

// A version as --json prints it: name, version ("vN"), digest, aliases, size and more.
nlohmann::json ArtifactVersionJson(const store::ArtifactVersion& version);

}  // namespace wandb::cli

#endif  // WANDB_CLI_ARTIFACT_COMMAND_H_
