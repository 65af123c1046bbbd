// What a media value needs to become files and JSON: where the run's files go, the key and
// step that name them, and a place to report what went wrong. One per value, on the run's
// background thread (MediaResolver makes them).
#ifndef WANDB_CLIENT_SRC_MEDIA_MEDIA_CONTEXT_H_
#define WANDB_CLIENT_SRC_MEDIA_MEDIA_CONTEXT_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "client/src/media/run_table_artifact.h"
#include "wandb/records.pb.h"
#include "wandb/value.h"

namespace wandb::internal {

// A file written under files/: wandb's "path", "sha256" and "size".
struct MediaFile {
  std::string path;  // relative to files/, '/'-separated: media/images/k_3_<hash>.png
  std::string sha256;
  int64_t size = 0;
};

class MediaContext {
 public:
  struct Reporter {
    // A problem with one value (the value is left out of its row); `key` names it.
    std::function<void(absl::string_view key, absl::string_view message)> error;
    // A warning shown once per key and `what`.
    std::function<void(absl::string_view key, absl::string_view what, absl::string_view message)>
        warn_once;
  };

  // `files_dir`: the run's files/ directory. `step`: the history step, or "summary". `run`:
  // the run the values belong to, for the records some log beside them (tables' artifacts);
  // null when there are none to log.
  MediaContext(std::string files_dir, std::string key, std::string step, Reporter* reporter,
               const RunIdentity* run = nullptr);

  const std::string& key() const { return key_; }
  const std::string& step() const { return step_; }
  const RunIdentity* run() const { return run_; }
  // Where a file written through this context is on disk.
  std::string FullPath(const MediaFile& file) const;

  // Writes `bytes` to files/media/<subdir>/<key>_<step>_<sha256[:20]><ext> (a key with '/'
  // makes folders), atomically. nullopt after reporting an error.
  std::optional<MediaFile> Write(absl::string_view subdir, absl::string_view ext,
                                 absl::string_view bytes);
  // Copies the file at `source` there likewise.
  std::optional<MediaFile> Copy(absl::string_view subdir, absl::string_view ext,
                                const std::string& source);

  // A config entry the value needs (wandb's "singletons", such as a box group's class labels),
  // set under `nested_key` before the row that holds the value.
  void AddConfig(std::vector<std::string> nested_key, Value value);

  void Error(absl::string_view message);
  void WarnOnce(absl::string_view what, absl::string_view message);

  // Every file written through this context, relative to files/.
  const std::vector<std::string>& written() const { return written_; }
  struct ConfigEntry {
    std::vector<std::string> nested_key;
    Value value;
  };
  std::vector<ConfigEntry>& config() { return config_; }
  // A record to send before the row that holds the value (a table's artifact).
  void AddRecord(records::Record record) { records_.push_back(std::move(record)); }
  std::vector<records::Record>& records() { return records_; }

 private:
  const std::string files_dir_;
  const std::string key_;
  const std::string step_;
  Reporter* reporter_;
  const RunIdentity* run_;
  std::vector<std::string> written_;
  std::vector<ConfigEntry> config_;
  std::vector<records::Record> records_;
};

// The extension of the file at `path` (after the last '.' of its name, as written), or ""
// when its name has none.
std::string FileExtension(absl::string_view path);

// wandb's media file name: <key>_<step>_<id><ext>.
std::string MediaFileName(absl::string_view key, absl::string_view step, absl::string_view id,
                          absl::string_view ext);

}  // namespace wandb::internal

#endif  // WANDB_CLIENT_SRC_MEDIA_MEDIA_CONTEXT_H_
