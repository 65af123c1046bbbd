// Artifact::new_file: a file written into a private staging file, copied into the artifact
// cache and added when closed (as wandb's new_file context manager does on exit).
#ifndef WANDB_CLIENT_SRC_ARTIFACT_ARTIFACT_FILE_STATE_H_
#define WANDB_CLIENT_SRC_ARTIFACT_ARTIFACT_FILE_STATE_H_

#include <fstream>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "client/src/artifact/artifact_state.h"

namespace wandb::internal {

class ArtifactFileState {
 public:
  // Reserves `path` in the artifact and opens a staging file for it.
  static absl::StatusOr<std::unique_ptr<ArtifactFileState>> Open(
      std::shared_ptr<ArtifactState> artifact, const std::string& path);
  ~ArtifactFileState();  // removes the staging file; releases the path when never closed

  std::ostream& stream() { return stream_; }
  // Closes the staging file and adds its content to the artifact; the second call fails.
  absl::StatusOr<ArtifactEntry> Close();
  bool closed() const { return closed_; }
  const std::string& path() const { return path_; }

 private:
  ArtifactFileState(std::shared_ptr<ArtifactState> artifact, std::string path,
                    std::string staging_dir);

  std::shared_ptr<ArtifactState> artifact_;
  const std::string path_;
  const std::string staging_dir_;
  std::ofstream stream_;
  bool closed_ = false;
};

}  // namespace wandb::internal

#endif  // WANDB_CLIENT_SRC_ARTIFACT_ARTIFACT_FILE_STATE_H_
