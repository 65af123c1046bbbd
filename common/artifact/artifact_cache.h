// The per-user artifact cache, laid out as wandb lays it out:
//   ${WANDB_CACHE_DIR:-~/.cache/wandb}/artifacts/obj/md5/<hex[0:2]>/<hex[2:]>
// A file added to an artifact is copied here at once (write-through, as wandb does) unless the
// cache has its content already. The copy is hashed as it is written: the entry's digest is
// that of the bytes kept, so a file the program changes while it is being added is never
// recorded with a digest it does not have, and a file changed or deleted after add_file()
// still logs as it was when added. The daemon
// reads the artifact's files from here when it commits them to the store.
//
// Writes go to a temporary file in the object's directory, then rename(2) into place: an
// object is always whole. Thread-safe and safe across processes (no state but the root).
#ifndef WANDB_COMMON_ARTIFACT_ARTIFACT_CACHE_H_
#define WANDB_COMMON_ARTIFACT_ARTIFACT_CACHE_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "common/artifact/md5.h"

namespace wandb::artifact {

struct CachedFile {
  Md5Bytes md5{};
  int64_t size = 0;
  std::string path;  // the object in the cache
};

class ArtifactCache {
 public:
  // ${WANDB_CACHE_DIR}/artifacts, else ~/.cache/wandb/artifacts (HOME, else the passwd entry).
  static std::string DefaultRoot();
  explicit ArtifactCache(std::string root) : root_(std::move(root)) {}

  // Hashes the regular file at `source` (symlinks followed) and, unless the cache has that
  // content, copies it in, hashing the copy. NotFound / InvalidArgument (not a regular file)
  // name the source.
  absl::StatusOr<CachedFile> PutFile(const std::string& source) const;
  // Copies `source` (a copy the caller trusts, the store's blob) over the object `md5`, which
  // was found damaged; DataLoss when `source` does not have that MD5 either.
  absl::StatusOr<CachedFile> Refill(const std::string& source, const Md5Bytes& md5) const;
  // Where the object with this MD5 is (whether or not it exists).
  std::string ObjectPath(const Md5Bytes& md5) const;

  const std::string& root() const { return root_; }

 private:
  // Copies what is left of `in` into the cache under its MD5 (checked against `expected` when
  // given); `replace`: over an object already there, else that object is kept.
  absl::StatusOr<CachedFile> CopyIn(int in, const std::string& source, bool replace,
                                    const Md5Bytes* expected = nullptr) const;

  std::string root_;
};

}  // namespace wandb::artifact

#endif  // WANDB_COMMON_ARTIFACT_ARTIFACT_CACHE_H_
