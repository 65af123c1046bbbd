// The files of a run the local store keeps (table file_versions, reference sections 7 and
// 10): every version of each file of the run's files/, its content in the blob store.
// Storing content equal to a file's latest version adds no version.
#ifndef WANDB_SERVICE_STORE_FILES_H_
#define WANDB_SERVICE_STORE_FILES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "service/store/blob_store.h"
#include "service/store/connection.h"
#include "service/store/run_key.h"

namespace wandb::store {

// The save policies of reference section 7, stored as "now", "live", "end".
enum class FilePolicy { kNow, kLive, kEnd };
absl::string_view FilePolicyName(FilePolicy policy);
absl::StatusOr<FilePolicy> ParseFilePolicy(absl::string_view name);

struct PutFileResult {
  int version = 0;  // the file's latest version after the put (1 for a new file)
  std::string md5;  // hex
  int64_t size = 0;
  bool stored_new_blob = false;  // the content was not in the blob store before
  bool unchanged = false;        // same MD5 as the latest version: no version was added
};

struct FileVersion {
  std::string path;  // inside the run's files/, '/'-separated
  int version = 0;
  std::string md5;
  int64_t size = 0;
  absl::Time created_time;
  FilePolicy policy = FilePolicy::kLive;
  std::string blob_path;  // where the content is, in the blob store
};

class Files {
 public:
  Files(Connection& connection, const BlobStore& blobs) : connection_(connection), blobs_(blobs) {}

  // Stores the content of the file at `source_path` as the next version of `path` (relative
  // to the run's files/, no '..' or empty parts). The bytes are copied and hashed outside
  // the connection's mutex, so a large file does not hold up other runs' rows.
  absl::StatusOr<PutFileResult> Put(const RunKey& run, absl::string_view path,
                                    const std::string& source_path, FilePolicy policy);
  absl::StatusOr<PutFileResult> PutBytes(const RunKey& run, absl::string_view path,
                                         absl::string_view bytes, FilePolicy policy);
  // The latest version of `path`; NotFound naming the file and the run when it has none.
  absl::StatusOr<FileVersion> Latest(const RunKey& run, absl::string_view path);
  // The latest version of each of the run's files, by path.
  absl::StatusOr<std::vector<FileVersion>> List(const RunKey& run);
  // Every version of `path`, oldest first (empty when there is none).
  absl::StatusOr<std::vector<FileVersion>> Versions(const RunKey& run, absl::string_view path);

 private:
  // Validates the run and the path, and that the store has the run, before any byte is
  // copied.
  absl::Status CheckPut(const RunKey& run, absl::string_view path);
  // Adds `blob` as the next version of `path` unless it is the latest one's content.
  absl::StatusOr<PutFileResult> Record(const RunKey& run, absl::string_view path,
                                       const BlobInfo& blob, FilePolicy policy);
  // File versions selected by `where_and_order` (after FROM file_versions f) with ?1 = the
  // run's row and ?2 = `path` (when not empty).
  absl::StatusOr<std::vector<FileVersion>> Query(const RunKey& run, absl::string_view path,
                                                 absl::string_view where_and_order);

  Connection& connection_;
  const BlobStore& blobs_;  // thread-safe on its own
};

}  // namespace wandb::store

#endif  // WANDB_SERVICE_STORE_FILES_H_
