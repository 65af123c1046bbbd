// Reads the store's file contents (blobs/md5/<hex[0:2]>/<hex[2:]>) for downloads, confined to
// the blob directory: the name of a blob is its MD5, which must be 32 hex digits, and every
// step from the store's directory down to the file is opened with O_NOFOLLOW, so neither a
// crafted name nor a symlink planted in the store can reach a file outside it.
#ifndef WANDB_UI_SERVER_BLOB_READER_H_
#define WANDB_UI_SERVER_BLOB_READER_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace wandb::ui {

// An open blob: the descriptor closes with the last copy.
class OpenBlob {
 public:
  OpenBlob(int fd, int64_t size);
  int64_t size() const { return size_; }
  // Reads up to `length` bytes at `offset`; the count read (0 at the end), or an error.
  absl::StatusOr<size_t> ReadAt(int64_t offset, char* buffer, size_t length) const;

 private:
  struct Fd {
    explicit Fd(int fd) : fd(fd) {}
    ~Fd();
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    int fd;
  };
  std::shared_ptr<Fd> fd_;
  int64_t size_;
};

class BlobReader {
 public:
  explicit BlobReader(std::string store_dir) : store_dir_(std::move(store_dir)) {}

  // InvalidArgument for a malformed MD5, NotFound when there is no such blob, PermissionDenied
  // when the way to it is not plain directories and a regular file.
  absl::StatusOr<OpenBlob> Open(absl::string_view md5) const;

 private:
  const std::string store_dir_;
};

}  // namespace wandb::ui

#endif  // WANDB_UI_SERVER_BLOB_READER_H_
