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

const char* ChunkTypeName(uint8_t type) {
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

}  // namespace

absl::StatusOr<std::unique_ptr<LogReader>> LogReader::Open(const std::string& path) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return absl::ErrnoToStatus(errno, absl::StrCat("cannot open transaction log ", path));
  std::unique_ptr<LogReader> reader(new LogReader(path, fd));
  if (absl::Status s = reader->ReadBlock(); !s.ok()) return s;
  const std::string& b = reader->block_;
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
  reader->pos_ = kFileHeaderSize;
  return reader;
}

absl::StatusOr<std::unique_ptr<LogReader>> LogReader::Open(const std::string& path,
                                                           uint64_t offset) {
  absl::StatusOr<std::unique_ptr<LogReader>> reader = Open(path);
  if (!reader.ok() || offset <= kFileHeaderSize) return reader;
  LogReader& r = **reader;
  r.block_start_ = offset - offset % kBlockSize;
  if (absl::Status s = r.ReadBlock(); !s.ok()) return s;
  if (offset - r.block_start_ > r.block_.size()) {
    return absl::OutOfRangeError(
        absl::StrFormat("%s: offset %d is past the end of the log", path, offset));
  }
  r.pos_ = offset - r.block_start_;
  r.good_offset_ = offset;
  return reader;
}

LogReader::LogReader(std::string path, int fd)
    : path_(std::move(path)), fd_(fd), good_offset_(kFileHeaderSize) {}

LogReader::~LogReader() { close(fd_); }

absl::Status LogReader::ReadBlock() {
  block_.resize(kBlockSize);
  size_t got = 0;
  while (got < kBlockSize) {
    const ssize_t n =
        pread(fd_, block_.data() + got, kBlockSize - got, static_cast<off_t>(block_start_ + got));
    if (n < 0) {
      if (errno == EINTR) continue;
      const int error = errno;
      block_.clear();
      return absl::ErrnoToStatus(
          error, absl::StrFormat("cannot read transaction log %s at offset %d", path_,
                                 block_start_ + got));
    }
    if (n == 0) break;
    got += static_cast<size_t>(n);
  }
  block_.resize(got);
  pos_ = 0;
  return absl::OkStatus();
}

bool LogReader::Next(std::string* record) {
  record->clear();
  if (done_) return false;
  bool in_record = false;
  uint64_t record_offset = 0;  // where the multi-chunk record being assembled starts
  for (;;) {
    if (kBlockSize - pos_ < kChunkHeaderSize) {
      if (block_.find_first_not_of('\0', pos_) != std::string::npos) {
        return Corrupt(record, block_start_ + pos_, "non-zero block padding");
      }
      // A short block ending in the padding is a file cut off inside the padding: no record lost.
      if (block_.size() < kBlockSize) return EndOfFile(record, in_record, record_offset);
      block_start_ += kBlockSize;
      if (absl::Status s = ReadBlock(); !s.ok()) return Finish(record, std::move(s), false);
      continue;
    }
    const uint64_t offset = block_start_ + pos_;
    const size_t avail = block_.size() - pos_;
    if (avail == 0) return EndOfFile(record, in_record, record_offset);
    if (avail < kChunkHeaderSize) {  // even a partial header means a chunk was being written
      return EndOfFile(record, true, in_record ? record_offset : offset);
    }

    const char* header = block_.data() + pos_;
    const uint32_t stored_crc = DecodeFixed32(header);
    const uint32_t length = DecodeFixed16(header + 4);
    const auto type = static_cast<uint8_t>(header[6]);
    if (stored_crc == 0 && length == 0 && type == kZeroType) {
      // A preallocated or zero-filled tail; anything but zeros after it is corruption.
      absl::StatusOr<bool> zero = RestIsZero();
      if (!zero.ok()) return Finish(record, zero.status(), false);
      if (!*zero) return Corrupt(record, offset, "zero chunk header followed by data");
      return EndOfFile(record, in_record, record_offset);
    }
    if (pos_ + kChunkHeaderSize + length > kBlockSize) {
      return Corrupt(record, offset, absl::StrFormat("chunk length %d overruns its block", length));
    }
    if (kChunkHeaderSize + length > avail) {
      return EndOfFile(record, true, in_record ? record_offset : offset);
    }
    const char* payload = header + kChunkHeaderSize;
    uLong crc = crc32(0L, reinterpret_cast<const Bytef*>(header + 6), 1);
    crc = crc32(crc, reinterpret_cast<const Bytef*>(payload), length);
    if (static_cast<uint32_t>(crc) != stored_crc) {
      return Corrupt(record, offset,
                     absl::StrFormat("chunk checksum mismatch (stored %08x, computed %08x)",
                                     stored_crc, static_cast<uint32_t>(crc)));
    }
    pos_ += kChunkHeaderSize + length;

    switch (type) {
      case kFullType:
      case kFirstType:
        if (in_record) {
          return Corrupt(record, offset,
                         absl::StrFormat("%s chunk inside the record that starts at offset %d",
                                         ChunkTypeName(type), record_offset));
        }
        record->assign(payload, length);
        if (type == kFullType) {
          good_offset_ = block_start_ + pos_;
          return true;
        }
        in_record = true;
        record_offset = offset;
        break;
      case kMiddleType:
      case kLastType:
        if (!in_record) {
          return Corrupt(record, offset,
                         absl::StrCat(ChunkTypeName(type), " chunk without a FIRST chunk"));
        }
        record->append(payload, length);
        if (type == kLastType) {
          good_offset_ = block_start_ + pos_;
          return true;
        }
        break;
      default:
        return Corrupt(record, offset, absl::StrFormat("unknown chunk type %d", type));
    }
  }
}

absl::StatusOr<bool> LogReader::RestIsZero() {
  for (;;) {
    if (block_.find_first_not_of('\0', pos_) != std::string::npos) return false;
    if (block_.size() < kBlockSize) return true;
    block_start_ += kBlockSize;
    if (absl::Status s = ReadBlock(); !s.ok()) return s;
  }
}

bool LogReader::EndOfFile(std::string* record, bool incomplete, uint64_t incomplete_offset) {
  if (!incomplete) return Finish(record, absl::OkStatus(), false);
  return Finish(record,
                absl::DataLossError(absl::StrFormat(
                    "%s: incomplete record at offset %d at the end of the file (%d bytes)", path_,
                    incomplete_offset, block_start_ + block_.size())),
                true);
}

bool LogReader::Corrupt(std::string* record, uint64_t offset, std::string_view problem) {
  return Finish(record,
                absl::DataLossError(absl::StrFormat("%s: corrupt transaction log at offset %d: %s",
                                                    path_, offset, problem)),
                false);
}

bool LogReader::Finish(std::string* record, absl::Status status, bool truncated) {
  record->clear();
  done_ = true;
  status_ = std::move(status);
  truncated_ = truncated;
  return false;
}

}  // namespace wandb::txlog
