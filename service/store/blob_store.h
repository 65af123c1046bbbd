// Content-addressed file storage: every blob is named by the hex MD5 of its bytes, at
// `<root>/md5/<hex[0:2]>/<hex[2:]>` (the layout of wandb's artifact cache), so a file stored
// twice is kept once.
//
// A put copies into a temporary file `<root>/tmp/put-XXXXXX`, hashing while it copies,
// fsyncs it, then renames it into place (and fsyncs the directory): a blob under md5/ is
// always whole, whatever moment the process dies at. Each temporary file is flock()ed by its
// writer for its whole life; Open() (or SweepTemps()) removes those nobody holds, which are
// the leftovers of a killed process. A put in flight in another process is never swept.
//
// Thread-safe and safe across processes: a BlobStore holds no mutable state, and concurrent
// puts of the same content both end with one whole blob.
#ifndef WANDB_SERVICE_STORE_BLOB_STORE_H_
#define WANDB_SERVICE_STORE_BLOB_STORE_H_

#include <cstdint>
#include <string>
#include <utility>
#include "absl/strings/string_view.h"

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace wandb::store {

struct BlobInfo {
  std::string md5;  // 32 lowercase hex digits
  int64_t size = 0;
  // True when this put wrote the blob file; false when an equal blob was already there.
  bool created = false;
};

class BlobStore {
 public:
  // Uses `root` (created with mode 0700 when missing, as are md5/ and tmp/ under it) and
  // removes stale temporary files.
  static absl::StatusOr<BlobStore> Open(const std::string& root);
  // The blob store at `root` as it is, for a reader that must not write (the web UI): it
  // creates and sweeps nothing, so only Path() and reads make sense on it.
  static BlobStore ForReading(std::string root) { return BlobStore(std::move(root)); }

  // Stores the contents of the regular file at `source_path` (symlinks are followed).
  absl::StatusOr<BlobInfo> PutFile(const std::string& source_path) const;
  absl::StatusOr<BlobInfo> PutBytes(absl::string_view bytes) const;

  // Where the blob with this MD5 lives (whether or not it exists). InvalidArgument unless
  // `md5` is 32 lowercase hex digits.
  absl::StatusOr<std::string> Path(absl::string_view md5) const;
  absl::StatusOr<bool> Exists(absl::string_view md5) const;
  // Re-hashes the blob: OK when its content still has this MD5, NotFound when it is missing,
  // DataLoss when the content differs.
  absl::Status Verify(absl::string_view md5) const;

  // Removes the temporary files that no live put holds; returns how many it removed.
  absl::StatusOr<int> SweepTemps() const;

  const std::string& root() const { return root_; }
  std::string temp_dir() const { return root_ + "/tmp"; }

  static bool IsValidMd5(absl::string_view md5);
  // The hex MD5 of the regular file at `path` / of `bytes`.
  static absl::StatusOr<std::string> Md5OfFile(const std::string& path);
  static absl::StatusOr<std::string> Md5OfBytes(absl::string_view bytes);

 private:
  explicit BlobStore(std::string root) : root_(std::move(root)) {}

  // Hashes and writes everything `read_some` yields into a new locked temporary file, then
  // moves it into place. `read_some` fills a buffer and returns the byte count (0 at the end).
  template <typename ReadFn>
  absl::StatusOr<BlobInfo> Put(ReadFn read_some, absl::string_view source) const;

  std::string root_;
};

}  // namespace wandb::store

#endif  // WANDB_SERVICE_STORE_BLOB_STORE_H_
