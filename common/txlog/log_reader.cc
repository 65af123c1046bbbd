#include "common/txlog/log_reader.h"

#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/txlog/log_format.h"

namespace wandb::txlog {
namespace {

uint32_t DecodeFixed16(const char* p) {
  const auto* b = reinterpret_cast<const unsigned char*>(p);
  return b[0] | (uint32_t{b[1]} << 8);
}

uint32_t DecodeFixed32(const char* p) {
  const auto* b = reinterpret_cast<const unsigned char*>(p);
  return b[0] | (uint32_t{b[1]} << 8) | (uint32_t{b[2]} << 16) | (uint32_t{b[3]} << 24);
}

const char* ChunkTypeName(int type) {
  switch (type) {
    case kFullType:
      return "FULL";
    case kFirstType:
      return "FIRST";
    case kMiddleType:
      return "MIDDLE";
    case kLastType:
      return "LAST";
  }
  return "?";
}

absl::Status CheckHeader(const std::string& path, const std::string& b) {
  if (b.size() < kFileHeaderSize) {
    return absl::DataLossError(
        absl::StrFormat("%s: too short for a transaction log header (%d bytes, need %d)", path,
                        b.size(), kFileHeaderSize));
  }
  if (std::memcmp(b.data(), kHeaderIdent, sizeof(kHeaderIdent)) != 0) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s: not a wandb transaction log (ident \"%s\", want \":W&B\")", path,
                        absl::CHexEscape(absl::string_view(b.data(), sizeof(kHeaderIdent)))));
  }
  if (const uint32_t magic = DecodeFixed16(b.data() + 4); magic != kHeaderMagic) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s: bad transaction log magic 0x%04X, want 0x%04X", path, magic, kHeaderMagic));
  }
  if (const auto version = static_cast<uint8_t>(b[6]); version != kHeaderVersion) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s: unsupported transaction log version %d, want %d", path, version, kHeaderVersion));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<LogReader>> LogReader::Open(const std::string& path,
                                                           Reporter* reporter) {
  return Open(path, kFileHeaderSize, reporter);
}

absl::StatusOr<std::unique_ptr<LogReader>> LogReader::Open(const std::string& path, uint64_t offset,
                                                           Reporter* reporter) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return absl::ErrnoToStatus(errno, absl::StrCat("cannot open transaction log ", path));
  std::unique_ptr<LogReader> reader(new LogReader(path, fd, reporter));
  if (!reader->ReadBlockAt(0)) return reader->status_;
  if (absl::Status s = CheckHeader(path, reader->block_); !s.ok()) return s;
  offset = std::max<uint64_t>(offset, kFileHeaderSize);
  if (!reader->ReadBlockAt(offset)) return reader->status_;
  reader->good_offset_ = offset;
  return reader;
}

LogReader::LogReader(std::string path, int fd, Reporter* reporter)
    : path_(std::move(path)), fd_(fd), reporter_(reporter), good_offset_(kFileHeaderSize) {}

LogReader::~LogReader() { close(fd_); }

// Reads the block holding `offset` and places the read position at `offset`. On failure the
// reader is done: status_ says why.
bool LogReader::ReadBlockAt(uint64_t offset) {
  block_start_ = offset - offset % kBlockSize;
  block_.resize(kBlockSize);
  size_t got = 0;
  while (got < kBlockSize) {
    const ssize_t n =
        pread(fd_, block_.data() + got, kBlockSize - got, static_cast<off_t>(block_start_ + got));
    if (n < 0) {
      if (errno == EINTR) continue;
      status_ =
          absl::ErrnoToStatus(errno, absl::StrFormat("cannot read transaction log %s at offset %d",
                                                     path_, block_start_ + got));
      failed_ = true;
      return false;
    }
    if (n == 0) break;
    got += static_cast<size_t>(n);
  }
  block_.resize(got);
  pos_ = offset - block_start_;
  if (pos_ > block_.size()) {
    status_ = absl::OutOfRangeError(
        absl::StrFormat("%s: offset %d is past the end of the log", path_, offset));
    failed_ = true;
    return false;
  }
  return true;
}

bool LogReader::NextBlock() { return ReadBlockAt(block_start_ + kBlockSize); }

// The physical layer: the next chunk, checked, wherever it is; what is not a chunk is skipped.
LogReader::Found LogReader::ReadChunk(std::string_view* payload, uint64_t* offset) {
  for (;;) {
    if (kBlockSize - pos_ < kChunkHeaderSize) {
      // The block's trailer: fewer bytes than a chunk header, zero padding.
      if (pos_ < block_.size() && block_.find_first_not_of('\0', pos_) != std::string::npos) {
        Report(position(), block_.size() - pos_, "non-zero block padding");
      }
      // A short block ending here is a file that ends in the padding: nothing lost.
      if (block_.size() < kBlockSize) return kFoundEnd;
      if (!NextBlock()) return kFoundError;
      continue;
    }
    *offset = position();
    const size_t avail = block_.size() - pos_;
    if (avail == 0) return kFoundEnd;
    // Even a partial header at the end means a chunk was being written.
    if (avail < kChunkHeaderSize) return kFoundPartial;

    const char* header = block_.data() + pos_;
    const uint32_t stored_crc = DecodeFixed32(header);
    const uint32_t length = DecodeFixed16(header + 4);
    const auto type = static_cast<uint8_t>(header[6]);
    if (stored_crc == 0 && length == 0 && type == kZeroType) {
      if (Found found = ZeroHeader(*offset); found != kFoundEnd || block_.size() < kBlockSize) {
        return found;
      }
      if (!NextBlock()) return kFoundError;
      continue;
    }
    if (zeros_from_.has_value()) {
      // Zeroed blocks lie between the last chunk and this one: whatever they held is lost.
      Report(*zeros_from_, *offset - *zeros_from_, "zeroed bytes between chunks");
      zeros_from_.reset();
      return kFoundSkipped;  // this chunk is read on the next call
    }
    if (pos_ + kChunkHeaderSize + length > kBlockSize) {
      DropBlock(*offset, absl::StrFormat("chunk length %d overruns its block", length));
      return kFoundSkipped;
    }
    if (kChunkHeaderSize + length > avail) return kFoundPartial;
    const char* data = header + kChunkHeaderSize;
    uLong crc = crc32(0L, reinterpret_cast<const Bytef*>(header + 6), 1);
    crc = crc32(crc, reinterpret_cast<const Bytef*>(data), length);
    if (static_cast<uint32_t>(crc) != stored_crc) {
      DropBlock(*offset, absl::StrFormat("chunk checksum mismatch (stored %08x, computed %08x)",
                                         stored_crc, static_cast<uint32_t>(crc)));
      return kFoundSkipped;
    }
    pos_ += kChunkHeaderSize + length;
    if (type < kFullType || type > kMaxChunkType) {
      // The checksum holds, so the framing does: only this chunk is dropped.
      Report(*offset, kChunkHeaderSize + length, absl::StrFormat("unknown chunk type %d", type));
      return kFoundSkipped;
    }
    *payload = std::string_view(data, length);
    return static_cast<Found>(type);
  }
}

// A chunk header of all zeros: a zeroed (preallocated) tail if only zeros follow to the end of
// the file. kFoundEnd: the block's rest is zeros (the caller reads on, or stops at the last
// block); kFoundSkipped: data follows in this block, which is dropped.
LogReader::Found LogReader::ZeroHeader(uint64_t offset) {
  if (block_.find_first_not_of('\0', pos_) == std::string::npos) {
    if (!zeros_from_.has_value()) zeros_from_ = offset;
    return kFoundEnd;
  }
  if (zeros_from_.has_value()) {
    Report(*zeros_from_, offset - *zeros_from_, "zeroed bytes between chunks");
    zeros_from_.reset();
  }
  DropBlock(offset, "zero chunk header followed by data");
  return kFoundSkipped;
}

// Skips from `offset` to the end of its block, where reading resynchronizes: chunks never cross
// a block boundary, so the next block starts with a chunk header.
void LogReader::DropBlock(uint64_t offset, std::string_view problem) {
  Report(offset, block_.size() - pos_, problem);
  pos_ = kBlockSize;
}

void LogReader::Report(uint64_t offset, uint64_t bytes, std::string_view problem) {
  dropped_bytes_ += bytes;
  if (reporter_ == nullptr) return;
  reporter_->Corruption(bytes, absl::DataLossError(absl::StrFormat(
                                   "%s: corrupt transaction log at offset %d: %s; %d bytes skipped",
                                   path_, offset, problem, bytes)));
}

// The logical layer: fragments into records. A record whose chunks are not all there is
// dropped and reported; the chunks around it still make records.
bool LogReader::Next(std::string* record) {
  record->clear();
  if (failed_) return false;
  if (resume_at_.has_value()) {
    const uint64_t at = *resume_at_;
    resume_at_.reset();
    status_ = absl::OkStatus();
    truncated_ = false;
    if (!ReadBlockAt(at)) return false;
  }
  bool in_record = false;
  uint64_t record_offset = 0;  // where the multi-chunk record being assembled starts
  std::string_view fragment;
  uint64_t offset = 0;
  for (;;) {
    const Found found = ReadChunk(&fragment, &offset);
    switch (found) {
      case kFoundFull:
      case kFoundFirst:
        if (in_record) {
          Report(record_offset, offset - record_offset,
                 absl::StrFormat("%s chunk inside the record that starts at offset %d",
                                 ChunkTypeName(found), record_offset));
        }
        record->assign(fragment);
        if (found == kFoundFull) {
          good_offset_ = position();
          return true;
        }
        in_record = true;
        record_offset = offset;
        break;
      case kFoundMiddle:
      case kFoundLast:
        if (!in_record) {
          Report(offset, kChunkHeaderSize + fragment.size(),
                 absl::StrCat(ChunkTypeName(found), " chunk without a FIRST chunk"));
          break;
        }
        record->append(fragment);
        if (found == kFoundLast) {
          good_offset_ = position();
          return true;
        }
        break;
      case kFoundSkipped:
        if (in_record) {
          Report(record_offset, offset - record_offset,
                 "the start of a record whose later chunks are corrupt");
          in_record = false;
          record->clear();
        }
        break;
      case kFoundEnd:
        return AtEnd(record, in_record ? std::optional(record_offset) : std::nullopt);
      case kFoundPartial:
        return AtEnd(record, in_record ? record_offset : offset);
      case kFoundError:
        record->clear();
        return false;
    }
  }
}

// `incomplete`: the file ends inside the record (or chunk) that starts there.
bool LogReader::AtEnd(std::string* record, std::optional<uint64_t> incomplete) {
  record->clear();
  // The next call starts at the first byte not yet returned or skipped: a record still being
  // written is read whole once it is; zeros may yet be overwritten.
  resume_at_ = incomplete.value_or(zeros_from_.value_or(position()));
  zeros_from_.reset();
  truncated_ = incomplete.has_value();
  status_ = truncated_ ? absl::DataLossError(absl::StrFormat(
                             "%s: incomplete record at offset %d at the end of the file (%d bytes)",
                             path_, *incomplete, block_start_ + block_.size()))
                       : absl::OkStatus();
  return false;
}

}  // namespace wandb::txlog
