// Reads records back from a wandb transaction log; see log_format.h for the format.
#ifndef WANDB_COMMON_TXLOG_LOG_READER_H_
#define WANDB_COMMON_TXLOG_LOG_READER_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace wandb::txlog {

// Reads a log front to back one block at a time, so memory is one block plus the record.
// In two layers, as LevelDB's reader: ReadChunk() finds chunks (framing, checksums, padding)
// and Next() assembles their fragments into records. Corrupt bytes are skipped: the rest of
// their block is dropped, reading resumes at the next block boundary, and what was dropped
// goes to the Reporter. (A reader following a live log reports a dropped block as far as it
// was written when dropped; what is written to that block later is skipped unreported.)
class LogReader {
 public:
  class Reporter {
   public:
    virtual ~Reporter() = default;
    // `bytes` bytes of the log were skipped; `reason` (DataLoss) says where and why.
    virtual void Corruption(uint64_t bytes, const absl::Status& reason) = 0;
  };

  // Opens `path` and checks its file header: DataLoss when the file is shorter than the header,
  // InvalidArgument when the ident, magic or version is not wandb's. `reporter` (may be null,
  // not owned) hears of every corruption skipped.
  static absl::StatusOr<std::unique_ptr<LogReader>> Open(const std::string& path,
                                                         Reporter* reporter = nullptr);
  // The same, reading from `offset` on: a good_offset() an earlier reader returned.
  static absl::StatusOr<std::unique_ptr<LogReader>> Open(const std::string& path, uint64_t offset,
                                                         Reporter* reporter = nullptr);

  LogReader(const LogReader&) = delete;
  LogReader& operator=(const LogReader&) = delete;
  ~LogReader();

  // Reads the next record into *record. Returns false at the end of what the file holds or on
  // a failed read; status() then says which: OK for a clean end (end of file, or a zeroed
  // tail, at a record boundary), DataLoss for a record cut off at the end (truncated()),
  // another code for a failed read (final). After an end, Next() reads on from the first byte
  // it has not returned: a log still being written is followed by one reader.
  bool Next(std::string* record);

  absl::Status status() const { return status_; }
  // End offset of the last complete record returned (kFileHeaderSize if none): where a writer
  // could resume, or where a crashed log could be cut back to.
  uint64_t good_offset() const { return good_offset_; }
  // True when the reader stopped at an incomplete record at the end of the file, which is what a
  // crash or a log still being written leaves, as opposed to corruption.
  bool truncated() const { return truncated_; }
  // Bytes skipped as corrupt so far.
  uint64_t dropped_bytes() const { return dropped_bytes_; }

 private:
  // What ReadChunk() found. The first four are ChunkType's values.
  enum Found : int {
    kFoundFull = 1,
    kFoundFirst = 2,
    kFoundMiddle = 3,
    kFoundLast = 4,
    kFoundEnd,      // the end of the file, at a chunk boundary
    kFoundPartial,  // the end of the file, inside the chunk at *offset
    kFoundSkipped,  // corrupt bytes were skipped (and reported)
    kFoundError,    // a read failed: status_
  };

  LogReader(std::string path, int fd, Reporter* reporter);
  Found ReadChunk(std::string_view* payload, uint64_t* offset);
  Found ZeroHeader(uint64_t offset);
  bool NextBlock();
  bool ReadBlockAt(uint64_t offset);
  void DropBlock(uint64_t offset, std::string_view problem);
  void Report(uint64_t offset, uint64_t bytes, std::string_view problem);
  bool AtEnd(std::string* record, std::optional<uint64_t> incomplete);
  uint64_t position() const { return block_start_ + pos_; }

  const std::string path_;
  int fd_;
  Reporter* reporter_;
  std::string block_;         // the current block, kBlockSize bytes or fewer at the end of file
  uint64_t block_start_ = 0;  // file offset of block_
  size_t pos_ = 0;            // read position in block_; kBlockSize when the rest is dropped
  std::optional<uint64_t> zeros_from_;  // start of a run of zeroed blocks being crossed
  std::optional<uint64_t> resume_at_;   // set at an end: where the next Next() starts
  bool failed_ = false;
  absl::Status status_;
  uint64_t good_offset_;
  bool truncated_ = false;
  uint64_t dropped_bytes_ = 0;
};

}  // namespace wandb::txlog

#endif  // WANDB_COMMON_TXLOG_LOG_READER_H_
