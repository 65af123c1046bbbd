// The small types the file-saving units pass between them: a save policy, the version of a
// file (what "changed" means), one upload to make and what it achieved.
#ifndef WANDB_SERVICE_FILES_UPLOAD_TASK_H_
#define WANDB_SERVICE_FILES_UPLOAD_TASK_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "service/store/local_store.h"

namespace wandb::files {

// wandb's save policies: `now` uploads once per save() call, `live` on change (throttled by
// LivePolicy), `end` only when the run finishes. The store keeps each file version's policy
// under the same names (store::FilePolicyName).
using Policy = store::FilePolicy;

// What wandb compares to decide whether a file changed: its size and modification time
// (through symlinks: the version of the file a symlink points to).
struct FileVersion {
  int64_t size = 0;
  absl::Time mtime = absl::InfinitePast();

  friend bool operator==(const FileVersion&, const FileVersion&) = default;
};

struct UploadTask {
  // The file's name in the run: its path relative to files/, '/'-separated.
  std::string save_name;
  // files/<save_name> as an absolute path, symlinks NOT resolved. Opening it follows a
  // save() symlink to the user's file at upload time, so the upload reads what the file
  // holds then, even if the symlink was re-pointed meanwhile; resolving it when the task is
  // made would upload a stale target instead.
  std::string source_path;
  Policy policy = Policy::kEnd;
  // The size and mtime seen when the upload was decided. Report them to
  // SavePolicies::Uploaded once the upload succeeds: the bytes read may be newer, which at
  // worst costs one redundant upload at finish, never a missed one.
  FileVersion version;
};

struct UploadOutcome {
  int64_t bytes = 0;       // bytes of the file read and stored
  bool unchanged = false;  // the store already held exactly this content (deduplicated)
};

}  // namespace wandb::files

#endif  // WANDB_SERVICE_FILES_UPLOAD_TASK_H_
