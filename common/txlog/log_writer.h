// Appends records to a wandb transaction log; see log_format.h for the format.
#ifndef WANDB_COMMON_TXLOG_LOG_WRITER_H_
#define WANDB_COMMON_TXLOG_LOG_WRITER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/txlog/writable_file.h"

namespace wandb::txlog {

// Frames records into chunks and blocks and holds them until they are written to its
// WritableFile. A failed write loses nothing: what was not written stays held (up to
// max_held() bytes) and the next Flush() tries again, after cutting the file back to the last
// whole write, so a full disk or an I/O error leaves no torn record in the middle of the log.
// Not thread-safe: one thread owns a writer.
class LogWriter {
 public:
  static constexpr size_t kDefaultMaxHeld = 64 << 20;

  // Creates `path` exclusively (O_CREAT|O_EXCL, mode 0644) and writes the file header to it, so
  // an existing log is never overwritten and a reader sees a valid header at once.
  static absl::StatusOr<std::unique_ptr<LogWriter>> Create(const std::string& path);
  // Opens an existing log to append to it, cut back to `offset` first: a record boundary
  // (LogReader::good_offset()) at or after the file header. What follows `offset` is
  // discarded, and new records continue the block framing from there, exactly as if the
  // writer had never stopped.
  static absl::StatusOr<std::unique_ptr<LogWriter>> OpenForAppend(const std::string& path,
                                                                  uint64_t offset);
  // A new log in `file`, which must be empty; `name` is what messages call it.
  static absl::StatusOr<std::unique_ptr<LogWriter>> Create(std::unique_ptr<WritableFile> file,
                                                           std::string name);

  LogWriter(const LogWriter&) = delete;
  LogWriter& operator=(const LogWriter&) = delete;
  ~LogWriter();  // closes (flushing) if still open; errors are lost, call Close() to see them

  // Takes one record. Its bytes are held and written once kFlushThreshold bytes are held (or
  // by Flush()); a failure of that write is kept in write_error() and does not fail Append(),
  // since the record is held. Fails, taking nothing, when the writer is closed or when writes
  // have been failing and the record would make it hold more than max_held() bytes.
  absl::Status Append(std::string_view record);
  // Writes every held byte to the file. On failure they stay held, and the next Flush() first
  // cuts the file back to written() and tries again.
  absl::Status Flush();
  absl::Status Sync();   // Flush() + the file's Sync() (fsync)
  absl::Status Close();  // Flush() + the file's Close(); later calls to Close() return OK

  // Logical size of the log: bytes written plus bytes held (the file header included).
  uint64_t size() const { return written_ + buffer_.size(); }
  // Bytes known to be in the file, a record boundary.
  uint64_t written() const { return written_; }
  uint64_t held() const { return buffer_.size(); }
  // Why the last write failed; OK once a write succeeds again.
  const absl::Status& write_error() const { return write_error_; }
  size_t max_held() const { return max_held_; }
  void set_max_held(size_t bytes) { max_held_ = bytes; }
  const std::string& path() const { return path_; }

 private:
  static constexpr size_t kFlushThreshold = 64 * 1024;

  LogWriter(std::string path, std::unique_ptr<WritableFile> file, uint64_t offset);
  void EmitChunk(uint8_t type, const char* data, size_t length);
  absl::Status WriteHeld();

  const std::string path_;
  std::unique_ptr<WritableFile> file_;  // null once closed
  std::string buffer_;                  // held: framed bytes not yet in the file
  uint64_t written_;
  bool torn_ = false;  // a failed write may have left part of buffer_ in the file
  absl::Status write_error_;
  size_t max_held_ = kDefaultMaxHeld;
};

}  // namespace wandb::txlog

#endif  // WANDB_COMMON_TXLOG_LOG_WRITER_H_
