// Appends records to a wandb transaction log; see log_format.h for the format.
#ifndef WANDB_COMMON_TXLOG_LOG_WRITER_H_
#define WANDB_COMMON_TXLOG_LOG_WRITER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace wandb::txlog {

// Not thread-safe: one thread owns a writer.
class LogWriter {
 public:
  // Creates `path` exclusively (O_CREAT|O_EXCL, mode 0644) and writes the file header to it, so
  // an existing log is never overwritten and a reader sees a valid header at once.
  static absl::StatusOr<std::unique_ptr<LogWriter>> Create(const std::string& path);
  // Opens an existing log to append to it, cut back to `offset` first: a record boundary
  // (LogReader::good_offset()) at or after the file header. What follows `offset` is
  // discarded, and new records continue the block framing from there, exactly as if the
  // writer had never stopped.
  static absl::StatusOr<std::unique_ptr<LogWriter>> OpenForAppend(const std::string& path,
                                                                  uint64_t offset);

  LogWriter(const LogWriter&) = delete;
  LogWriter& operator=(const LogWriter&) = delete;
  ~LogWriter();  // closes (flushing) if still open; errors are lost, call Close() to see them

  // Appends one record. Bytes are buffered and handed to the OS whenever kFlushThreshold bytes
  // accumulate, checked after every chunk, so the buffer stays under kFlushThreshold plus one
  // block however large the record.
  // After a failed write every later call returns the same error: what reached the file is
  // unknown, so going on could interleave a partial chunk with new ones.
  absl::Status Append(std::string_view record);
  absl::Status Flush();  // write(2)s the buffered bytes
  absl::Status Sync();   // Flush() + fsync(2)
  absl::Status Close();  // Flush() + close(2); later calls to Close() return OK

  // Logical size of the log: bytes written plus bytes buffered (the file header included).
  uint64_t size() const { return size_; }
  const std::string& path() const { return path_; }

 private:
  static constexpr size_t kFlushThreshold = 64 * 1024;

  LogWriter(std::string path, int fd);
  void EmitChunk(uint8_t type, const char* data, size_t length);
  absl::Status CheckWritable() const;

  const std::string path_;
  int fd_;
  std::string buffer_;
  uint64_t size_ = 0;
  absl::Status status_;  // the first write error, kept
};

}  // namespace wandb::txlog

#endif  // WANDB_COMMON_TXLOG_LOG_WRITER_H_
