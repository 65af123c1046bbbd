// The file a LogWriter writes through. The log's framing lives in LogWriter; this is only
// where its bytes go, so that tests can put a file there that fails or writes short (a full
// disk, an I/O error) and check what the writer does about it.
#ifndef WANDB_COMMON_TXLOG_WRITABLE_FILE_H_
#define WANDB_COMMON_TXLOG_WRITABLE_FILE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace wandb::txlog {

class WritableFile {
 public:
  virtual ~WritableFile() = default;

  // Appends all of `data` or fails. After a failure a prefix of `data` may be in the file:
  // Truncate() takes it back.
  virtual absl::Status Append(std::string_view data) = 0;
  // Hands what Append() buffered to the OS (implementations may buffer nothing).
  virtual absl::Status Flush() = 0;
  // Flush() and make the file's contents durable (fsync).
  virtual absl::Status Sync() = 0;
  // Cuts the file to `size` bytes; the next Append() continues there.
  virtual absl::Status Truncate(uint64_t size) = 0;
  // Flush() and release the file; nothing may be called after it.
  virtual absl::Status Close() = 0;
};

// The file on disk: every Append() is write(2)s straight through (LogWriter batches).
// `create`: make `path`, failing if it exists (O_EXCL, mode 0644); otherwise open an existing
// file and append at its end.
absl::StatusOr<std::unique_ptr<WritableFile>> OpenPosixFile(const std::string& path, bool create);

}  // namespace wandb::txlog

#endif  // WANDB_COMMON_TXLOG_WRITABLE_FILE_H_
