#ifndef WANDB_ARTIFACT_H_
#define WANDB_ARTIFACT_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "wandb/value.h"

#include "wandb/internal/api_begin.h"

namespace wandb {

namespace internal {
class ArtifactState;
class ArtifactFileState;
struct ArtifactAccess;  // the library's own way into an Artifact
}  // namespace internal

// One entry of an artifact's manifest.
struct ArtifactEntry {
  std::string path;    // inside the artifact, '/'-separated
  std::string digest;  // base64 MD5 of the content; a reference's checksum
  std::string ref;     // a reference's URI; empty for a file stored with the artifact
  std::optional<int64_t> size{};
  // Where the content is on this machine (the artifact cache); empty for a reference.
  std::string local_path;
};

class Artifact;

// A file being written into an artifact (Artifact::new_file): write through stream() or <<,
// then close(), which adds it. A file never closed is added when the object goes (an error
// then is printed, not thrown).
class WANDB_API ArtifactFile {
 public:
  ArtifactFile(ArtifactFile&&) noexcept;
  ArtifactFile& operator=(ArtifactFile&&) noexcept;
  ArtifactFile(const ArtifactFile&) = delete;
  ArtifactFile& operator=(const ArtifactFile&) = delete;
  ~ArtifactFile();

  std::ostream& stream();
  template <typename T>
  ArtifactFile& operator<<(const T& value) {
    stream() << value;
    return *this;
  }
  // Adds the file to the artifact. Throws wandb::Error when it cannot be written or added.
  ArtifactEntry close();

 private:
  friend class Artifact;
  explicit ArtifactFile(std::unique_ptr<internal::ArtifactFileState> state);
  std::unique_ptr<internal::ArtifactFileState> state_;
};

// A versioned set of files and references: a dataset, a model checkpoint (wandb's Artifact).
// A handle: copies share the artifact. Thread-safe. Every call throws wandb::Error for bad
// input (naming it), and adding after the artifact was logged throws too.
//
//   wandb::Artifact data("mnist", "dataset");
//   data.add_dir("data/mnist");
//   run.log_artifact(data, {"best"});
//   std::string version = data.wait();  // "v0", once the store has it
class WANDB_API Artifact {
 public:
  // `name`: letters, digits, '-', '_', '.' (wandb's rule); `type`: the same ("dataset").
  Artifact(const std::string& name, const std::string& type, const std::string& description = "",
           Value::Map metadata = {});

  const std::string& name() const;
  const std::string& type() const;
  std::string description() const;
  Value::Map metadata() const;
  void set_description(const std::string& description);
  void set_metadata(Value::Map metadata);

  // Copies the file at `local_path` into the artifact cache, hashing the bytes copied, and
  // adds it as `name` (default: the file's base name).
  ArtifactEntry add_file(const std::string& local_path, const std::string& name = "");
  // Adds every file under `local_path` (hashed in parallel) as its path relative to it,
  // under `name/` when given. Symlinks to files are followed; symlinks to directories are
  // not (no loop can make the walk endless).
  void add_dir(const std::string& local_path, const std::string& name = "");
  // A file to write into the artifact as `name`; added when closed.
  ArtifactFile new_file(const std::string& name);
  // Records a reference. file:// URIs (a file or a directory) are hashed with MD5 (or, with
  // `checksum` false, named by their size, as wandb does); http(s)://, s3:// and gs:// URIs
  // are recorded, not fetched: their checksum is the URI. `name` defaults to the base name.
  std::vector<ArtifactEntry> add_reference(const std::string& uri, const std::string& name = "",
                                           bool checksum = true);
  // The entry at `name`; throws wandb::Error when the artifact has none.
  ArtifactEntry get_path(const std::string& name) const;
  std::vector<ArtifactEntry> entries() const;

  // The artifact digest (wandb-artifact-manifest-v1, hex) of the entries so far.
  std::string digest() const;
  // wandb_manifest.json of the entries so far.
  std::string manifest_json() const;
  // Total bytes of the entries that have a size.
  int64_t size() const;
  bool logged() const;

  // Waits until the store has committed the logged artifact and returns its version ("v0",
  // "v1", ...; an earlier version when it has the same digest). Throws wandb::Error when the
  // artifact was not logged, could not be committed (the message says why), the run is
  // offline (`wandb-cpp import` commits it), or `timeout_seconds` passed first.
  std::string wait(double timeout_seconds = 300);
  // The version once wait() has returned it (for a used artifact, at once); empty before.
  std::string version() const;

  // An artifact from run.use_artifact() (a stored version):
  //   wandb::Artifact model = run.use_artifact("model:latest", "model");
  //   std::string dir = model.download();  // ./artifacts/model:v3
  // Its aliases when it was resolved (sorted).
  std::vector<std::string> aliases() const;
  // Copies its files under `root` (default ./artifacts/<name>:<version>, where ./artifacts is
  // $WANDB_ARTIFACT_DIR when set) through the artifact cache, in parallel, each checked
  // against its digest (a damaged cache object is copied again from the store); returns the
  // root. Files already there are replaced; other files are left alone. References are not
  // fetched. Throws wandb::Error for an artifact not from use_artifact(), a directory inside
  // the root that is a symlink, or a file that cannot be written or whose stored copy is
  // damaged.
  std::string download(const std::string& root = "") const;
  // download() that also removes the files under `root` the artifact does not have (files
  // only: folders stay; a symlink is removed, not followed), as wandb's checkout(); returns the
  // root.
  std::string checkout(const std::string& root = "") const;
  // The single file of a one-entry artifact, downloaded under `root`: its path. Throws
  // wandb::Error (kFailedPrecondition) for an artifact of more entries, as wandb's file().
  std::string file(const std::string& root = "") const;
  // Re-hashes the files under `root` (default as download's); throws wandb::Error naming the
  // files that are missing or differ.
  void verify(const std::string& root = "") const;

 private:
  friend struct internal::ArtifactAccess;
  explicit Artifact(std::shared_ptr<internal::ArtifactState> state) : state_(std::move(state)) {}
  std::shared_ptr<internal::ArtifactState> state_;
};

}  // namespace wandb

#include "wandb/internal/api_end.h"

#endif  // WANDB_ARTIFACT_H_
