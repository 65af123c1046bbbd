// Reads records back from a wandb transaction log; see log_format.h for the format.
#ifndef WANDB_COMMON_TXLOG_LOG_READER_H_
#define WANDB_COMMON_TXLOG_LOG_READER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace wandb::txlog {

// Reads a log front to back one block at a time, so memory is one block plus the record.
class LogReader {
 public:
  // Opens `path` and checks its file header: DataLoss when the file is shorter than the header,
  // InvalidArgument when the ident, magic or version is not wandb's.
  static absl::StatusOr<std::unique_ptr<LogReader>> Open(const std::string& path);
  // The same, reading from `offset` on: a good_offset() an earlier reader returned. This is
  // how a log still being written is followed: read to the end, reopen there later.
  static absl::StatusOr<std::unique_ptr<LogReader>> Open(const std::string& path, uint64_t offset);

  LogReader(const LogReader&) = delete;
  LogReader& operator=(const LogReader&) = delete;
  ~LogReader();

  // Reads the next record into *record. Returns false at the end or on a problem, and from then
  // on; status() then says which: OK for a clean end (end of file, or a zeroed tail, at a record
  // boundary), DataLoss for corruption or for a truncated tail, naming the byte offset.
  bool Next(std::string* record);

  absl::Status status() const { return status_; }
  // End offset of the last complete record returned (kFileHeaderSize if none): where a writer
  // could resume, or where a crashed log could be cut back to.
  uint64_t good_offset() const { return good_offset_; }
  // True when the reader stopped at an incomplete record at the end of the file, which is what a
  // crash or a log still being written leaves, as opposed to corruption.
  bool truncated() const { return truncated_; }

 private:
  LogReader(std::string path, int fd);
  absl::Status ReadBlock();
  absl::StatusOr<bool> RestIsZero();
  bool Finish(std::string* record, absl::Status status, bool truncated);
  bool Corrupt(std::string* record, uint64_t offset, std::string_view problem);
  // `incomplete`: the file ends inside the record (or chunk) that starts at `incomplete_offset`.
  bool EndOfFile(std::string* record, bool incomplete, uint64_t incomplete_offset);

  const std::string path_;
  int fd_;
  std::string block_;         // the current block, kBlockSize bytes or fewer at the end of file
  uint64_t block_start_ = 0;  // file offset of block_
  size_t pos_ = 0;            // read position in block_
  bool done_ = false;
  absl::Status status_;
  uint64_t good_offset_;
  bool truncated_ = false;
};

}  // namespace wandb::txlog

#endif  // WANDB_COMMON_TXLOG_LOG_READER_H_
