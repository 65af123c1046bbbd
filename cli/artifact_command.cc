#include "cli/artifact_command.h"

#include <set>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "cli/artifact_cache_command.h"
#include "cli/artifact_put_command.h"
#include "cli/output.h"
#include "cli/store_option.h"
#include "common/artifact/artifact_cache.h"
#include "common/artifact/artifact_ref.h"
#include "common/artifact/materialize.h"
#include "common/artifact/md5.h"

namespace wandb::cli {
namespace {

using store::Artifacts;
using store::ArtifactVersion;

// Where the named artifact is: an entity and a project (either may be empty: any).
using Place = store::ArtifactPlace;

std::string CheckProject(const std::string& project) {
  std::vector<absl::string_view> parts = absl::StrSplit(project, '/');
  bool empty_part = false;
  for (absl::string_view part : parts) empty_part |= part.empty();
  if (parts.size() > 2 || empty_part) {
    return absl::StrCat("'", project, "' is not 'project' or 'entity/project'");
  }
  return "";
}

Place FromProjectOption(const std::string& project) {
  std::vector<std::string> parts = absl::StrSplit(project, '/', absl::SkipEmpty());
  if (parts.size() == 2) return {parts[0], parts[1]};
  if (parts.size() == 1) return {"", parts[0]};
  return {};
}

// The version `options.target` names.
absl::StatusOr<ArtifactVersion> ResolveTarget(Artifacts& artifacts,
                                              const ArtifactOptions& options) {
  absl::StatusOr<artifact::ArtifactRef> ref = artifact::ParseArtifactRef(options.target);
  if (!ref.ok()) return ref.status();
  Place place = FromProjectOption(options.project);
  if (!ref->project.empty()) place = {ref->entity, ref->project};
  absl::StatusOr<Place> located = artifacts.Locate(ref->name, place);
  if (!located.ok()) return located.status();
  return artifacts.Resolve(located->entity, located->project, options.target);
}

std::string VersionLabel(const ArtifactVersion& v) {
  return absl::StrCat(v.name, ":", v.VersionName());
}

absl::Status List(Artifacts& artifacts, const ArtifactOptions& options, std::ostream& out) {
  const Place place = FromProjectOption(options.project);
  absl::StatusOr<std::vector<store::ArtifactCollection>> all =
      artifacts.Collections(place.entity, place.project);
  if (!all.ok()) return all.status();
  if (options.json) {
    for (const store::ArtifactCollection& c : *all) {
      out << JsonLine({{"entity", c.entity},
                       {"project", c.project},
                       {"name", c.name},
                       {"type", c.type},
                       {"versions", c.versions},
                       {"latest", absl::StrCat("v", c.latest)},
                       {"size", c.size},
                       {"created_time", UnixSeconds(c.created_time)}})
          << "\n";
    }
    return absl::OkStatus();
  }
  if (all->empty()) {
    out << "no artifacts" << (options.project.empty() ? "" : " in project " + options.project)
        << "\n";
    return absl::OkStatus();
  }
  using Align = Table::Align;
  Table table({"NAME", "TYPE", "VERSIONS", "LATEST", "SIZE", "PROJECT"},
              {Align::kLeft, Align::kLeft, Align::kRight, Align::kLeft, Align::kRight});
  for (const store::ArtifactCollection& c : *all) {
    table.AddRow({c.name, c.type, absl::StrCat(c.versions), absl::StrCat("v", c.latest),
                  FormatBytes(c.size), c.entity + "/" + c.project});
  }
  table.Print(out);
  return absl::OkStatus();
}

absl::Status Versions(Artifacts& artifacts, const ArtifactOptions& options, std::ostream& out) {
  if (options.target.find(':') != std::string::npos) {
    return absl::InvalidArgumentError("versions takes a NAME, without ':'");
  }
  absl::StatusOr<Place> place =
      artifacts.Locate(options.target, FromProjectOption(options.project));
  if (!place.ok()) return place.status();
  absl::StatusOr<std::vector<ArtifactVersion>> versions =
      artifacts.Versions(place->entity, place->project, options.target);
  if (!versions.ok()) return versions.status();
  if (options.json) {
    for (const ArtifactVersion& v : *versions) out << JsonLine(ArtifactVersionJson(v)) << "\n";
    return absl::OkStatus();
  }
  using Align = Table::Align;
  Table table({"VERSION", "ALIASES", "SIZE", "FILES", "DIGEST", "LOGGED BY", "CREATED"},
              {Align::kLeft, Align::kLeft, Align::kRight, Align::kRight});
  for (const ArtifactVersion& v : *versions) {
    table.AddRow({v.VersionName(), v.aliases.empty() ? "-" : absl::StrJoin(v.aliases, ","),
                  FormatBytes(v.size), absl::StrCat(v.file_count), v.digest,
                  v.created_by.empty() ? "-" : v.created_by, FormatLocalTime(v.created_time)});
  }
  table.Print(out);
  return absl::OkStatus();
}

absl::Status Ls(Artifacts& artifacts, const ArtifactVersion& v, bool json, std::ostream& out) {
  absl::StatusOr<std::vector<store::ArtifactFile>> files =
      artifacts.Files(v.entity, v.project, v.name, v.version);
  if (!files.ok()) return files.status();
  if (json) {
    for (const store::ArtifactFile& f : *files) {
      out << JsonLine({{"path", f.path},
                       {"size", f.size.has_value() ? nlohmann::json(*f.size) : nlohmann::json()},
                       {"digest", f.digest},
                       {"ref", f.ref.empty() ? nlohmann::json() : nlohmann::json(f.ref)}})
          << "\n";
    }
    return absl::OkStatus();
  }
  Table table({"PATH", "SIZE", "DIGEST", "REFERENCE"}, {Table::Align::kLeft, Table::Align::kRight});
  for (const store::ArtifactFile& f : *files) {
    table.AddRow({f.path, f.size.has_value() ? FormatBytes(*f.size) : "-", f.digest,
                  f.ref.empty() ? "-" : f.ref});
  }
  table.Print(out);
  return absl::OkStatus();
}

absl::Status Get(Artifacts& artifacts, const ArtifactVersion& v, const ArtifactOptions& options,
                 std::ostream& out) {
  absl::StatusOr<std::vector<store::ArtifactFile>> files =
      artifacts.Files(v.entity, v.project, v.name, v.version);
  if (!files.ok()) return files.status();
  std::vector<artifact::StoredFile> stored;
  int64_t references = 0;
  for (const store::ArtifactFile& f : *files) {
    if (!f.ref.empty()) {
      ++references;
      continue;
    }
    absl::StatusOr<artifact::Md5Bytes> md5 = artifact::FromBase64(f.digest);
    if (!md5.ok()) return md5.status();
    stored.push_back({f.path, *md5, f.size.value_or(0), f.blob_path});
  }
  const std::string root =
      options.root.empty() ? artifact::DefaultDownloadRoot(v.name, v.VersionName()) : options.root;
  absl::StatusOr<artifact::MaterializeReport> report = artifact::Materialize(
      stored, root, artifact::ArtifactCache(artifact::ArtifactCache::DefaultRoot()));
  if (!report.ok()) return report.status();
  if (options.json) {
    nlohmann::json json = ArtifactVersionJson(v);
    json["root"] = root;
    json["files_written"] = report->files;
    json["bytes_written"] = report->bytes;
    json["cache_hits"] = report->cache_hits;
    json["cache_repaired"] = report->cache_repaired;
    json["references_skipped"] = references;
    out << JsonLine(json) << "\n";
    return absl::OkStatus();
  }
  out << VersionLabel(v) << ": " << report->files << (report->files == 1 ? " file (" : " files (")
      << FormatBytes(report->bytes) << ") in " << root;
  if (report->cache_repaired > 0) {
    out << "; " << report->cache_repaired << " damaged cache file(s) copied again from the store";
  }
  if (references > 0) out << "; " << references << " reference(s) not fetched";
  out << "\n";
  return absl::OkStatus();
}

absl::Status Lineage(Artifacts& artifacts, const ArtifactVersion& v, bool json, std::ostream& out) {
  absl::StatusOr<store::ArtifactLineage> lineage = artifacts.Lineage(v.id);
  if (!lineage.ok()) return lineage.status();
  if (json) {
    nlohmann::json j = ArtifactVersionJson(v);
    j["logged_by"] = lineage->logged_by;
    j["used_by"] = nlohmann::json::array();
    for (const store::ArtifactLineage::Use& use : lineage->used_by) {
      j["used_by"].push_back({{"run", use.run}, {"used_time", UnixSeconds(use.used_time)}});
    }
    out << JsonLine(j) << "\n";
    return absl::OkStatus();
  }
  out << VersionLabel(v) << " (" << v.entity << "/" << v.project << ", " << v.type << ")\n";
  out << "logged by:\n";
  if (lineage->logged_by.empty()) out << "  - (the run is gone)\n";
  for (const std::string& run : lineage->logged_by) out << "  " << run << "\n";
  out << "used by:\n";
  if (lineage->used_by.empty()) out << "  - (no run yet)\n";
  for (const store::ArtifactLineage::Use& use : lineage->used_by) {
    out << "  " << use.run << "  " << FormatLocalTime(use.used_time) << "\n";
  }
  return absl::OkStatus();
}

CLI::App* AddAction(CLI::App* artifact, ArtifactOptions* options, const std::string& action,
                    const std::string& description) {
  CLI::App* command = artifact->add_subcommand(action, description);
  command->callback([options, action] { options->action = action; });
  AddStoreOption(command, &options->store_dir);
  command->add_flag("--json", options->json, "print JSON lines (one object per line)");
  return command;
}

void AddProjectOption(CLI::App* command, ArtifactOptions* options) {
  command
      ->add_option("--project", options->project,
                   "the artifact's project ('project' or 'entity/project'); default: the one "
                   "project that has it")
      ->check(CLI::Validator(CheckProject, "PROJECT"));
}

}  // namespace

nlohmann::json ArtifactVersionJson(const ArtifactVersion& v) {
  return {{"entity", v.entity},
          {"project", v.project},
          {"name", v.name},
          {"type", v.type},
          {"version", v.VersionName()},
          {"digest", v.digest},
          {"aliases", v.aliases},
          {"size", v.size},
          {"file_count", v.file_count},
          {"description", v.description},
          {"created_by", v.created_by.empty() ? nlohmann::json() : nlohmann::json(v.created_by)},
          {"created_time", UnixSeconds(v.created_time)}};
}

CLI::App* AddArtifactCommand(CLI::App& app, ArtifactOptions* options) {
  CLI::App* artifact = app.add_subcommand("artifact", "the artifacts in the local store");
  artifact->require_subcommand(1);
  artifact->footer(
      "NAME:VERSION is name:alias, name:vN, project/name:..., entity/project/name:... or a "
      "digest. Exit codes: 0 done; 1 no such artifact, version or alias, or the store cannot be "
      "read or the files written; 2 bad arguments.");
  AddProjectOption(AddAction(artifact, options, "list", "list the artifacts by name"), options);
  CLI::App* versions = AddAction(artifact, options, "versions", "list the versions of NAME");
  versions->add_option("NAME", options->target, "the artifact's name")->required();
  AddProjectOption(versions, options);
  for (const auto& [action, description] : std::vector<std::pair<std::string, std::string>>{
           {"ls", "list the files of a version, with sizes and digests"},
           {"get", "copy a version's files out, each checked against its digest"},
           {"lineage", "the runs that logged a version and the runs that used it"}}) {
    CLI::App* command = AddAction(artifact, options, action, description);
    command->add_option("NAME:VERSION", options->target, "the version")->required();
    AddProjectOption(command, options);
    if (action == "get") {
      command->add_option("--root", options->root,
                          "where to write (default ./artifacts/NAME:vN, or under "
                          "$WANDB_ARTIFACT_DIR)");
    }
  }
  AddArtifactCacheCommand(artifact, options);
  AddArtifactPutCommand(artifact, options);
  return artifact;
}

int RunArtifact(const ArtifactOptions& options, std::ostream& out, std::ostream& err) {
  if (options.action == "cache cleanup") return RunArtifactCacheCleanup(options, out, err);
  if (options.action == "put") return RunArtifactPut(options, out, err);
  const std::string prefix = absl::StrCat("wandb-cpp artifact ", options.action, ": ");
  absl::StatusOr<std::string> dir = ResolveStoreDir(options.store_dir);
  if (!dir.ok()) {
    err << prefix << dir.status().message() << "\n";
    return kExitFailure;
  }
  absl::StatusOr<std::shared_ptr<store::LocalStore>> store = OpenExistingStore(*dir);
  if (!store.ok()) {
    // No store yet is an empty list; for the others, nothing to find.
    if (options.action == "list" && absl::IsNotFound(store.status())) {
      if (!options.json) out << "no artifacts: " << store.status().message() << "\n";
      return kExitOk;
    }
    err << prefix << store.status().message() << "\n";
    return kExitFailure;
  }
  Artifacts& artifacts = (*store)->artifacts();
  absl::Status status;
  if (options.action == "list") {
    status = List(artifacts, options, out);
  } else if (options.action == "versions") {
    status = Versions(artifacts, options, out);
  } else {
    absl::StatusOr<ArtifactVersion> version = ResolveTarget(artifacts, options);
    if (!version.ok()) {
      status = version.status();
    } else if (options.action == "ls") {
      status = Ls(artifacts, *version, options.json, out);
    } else if (options.action == "get") {
      status = Get(artifacts, *version, options, out);
    } else {
      status = Lineage(artifacts, *version, options.json, out);
    }
  }
  if (status.ok()) return kExitOk;
  err << prefix << status.message() << "\n";
  return absl::IsInvalidArgument(status) ? kExitUsage : kExitFailure;
}

}  // namespace wandb::cli
