#include "client/src/media/run_table_artifact.h"

#include <memory>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "client/src/artifact/artifact_record_builder.h"
#include "client/src/artifact/artifact_state.h"

namespace wandb::internal {

std::string RunTableArtifactName(const std::string& run_id, absl::string_view key) {
  std::string kept;
  for (char c : key) {
    if (absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_') kept.push_back(c);
  }
  return absl::StrCat("run-", run_id, "-", kept);
}

absl::StatusOr<RunTableArtifact> MakeRunTableArtifact(const RunIdentity& run, absl::string_view key,
                                                      const std::string& table_file) {
  const std::string entry = absl::StrCat(key, ".table.json");
  absl::StatusOr<std::shared_ptr<ArtifactState>> state =
      ArtifactState::Make(RunTableArtifactName(run.run_id, key), "run_table", "", {});
  if (!state.ok()) return state.status();
  absl::StatusOr<artifact::CachedFile> cached = (*state)->cache().PutFile(table_file);
  if (!cached.ok()) return cached.status();
  if (absl::Status s = (*state)->AddCached(entry, *cached).status(); !s.ok()) return s;
  absl::StatusOr<artifact::Manifest> manifest = (*state)->Finalize();
  if (!manifest.ok()) return manifest.status();
  ArtifactRecordInput input{run.run_id,  run.entity, run.project, (*state)->name(),
                            "run_table", "",         {},          (*state)->client_id(),
                            {}};
  absl::StatusOr<records::Record> record = BuildArtifactRecord(input, *manifest);
  if (!record.ok()) return record.status();
  const records::ArtifactRecord& built = record->artifact();
  return RunTableArtifact{
      *std::move(record), absl::StrCat("wandb-client-artifact://", built.client_id(), "/", entry),
      absl::StrCat("wandb-client-artifact://", built.sequence_client_id(), ":latest/", entry)};
}

}  // namespace wandb::internal
