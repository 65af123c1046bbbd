#include "common/txlog/log_writer.h"

#include <zlib.h>

#include <algorithm>
#include <cassert>
#include <filesystem>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/txlog/log_format.h"

namespace wandb::txlog {
namespace {

void PutFixed16(std::string* dst, uint16_t v) {
  dst->push_back(static_cast<char>(v & 0xff));
  dst->push_back(static_cast<char>(v >> 8));
}

void PutFixed32(std::string* dst, uint32_t v) {
  for (int shift = 0; shift < 32; shift += 8)
    dst->push_back(static_cast<char>((v >> shift) & 0xff));
}

}  // namespace

absl::StatusOr<std::unique_ptr<LogWriter>> LogWriter::Create(const std::string& path) {
  absl::StatusOr<std::unique_ptr<WritableFile>> file = OpenPosixFile(path, /*create=*/true);
  if (!file.ok()) return file.status();
  absl::StatusOr<std::unique_ptr<LogWriter>> writer = Create(*std::move(file), path);
  // The file is ours (O_EXCL) and holds no records: leave no headerless log behind.
  if (!writer.ok()) std::filesystem::remove(path);
  return writer;
}

absl::StatusOr<std::unique_ptr<LogWriter>> LogWriter::Create(std::unique_ptr<WritableFile> file,
                                                             std::string name) {
  std::unique_ptr<LogWriter> writer(new LogWriter(std::move(name), std::move(file), 0));
  writer->buffer_.append(kHeaderIdent, sizeof(kHeaderIdent));
  PutFixed16(&writer->buffer_, kHeaderMagic);
  writer->buffer_.push_back(static_cast<char>(kHeaderVersion));
  if (absl::Status s = writer->Flush(); !s.ok()) {
    writer->Close().IgnoreError();
    return s;
  }
  return writer;
}

absl::StatusOr<std::unique_ptr<LogWriter>> LogWriter::OpenForAppend(const std::string& path,
                                                                    uint64_t offset) {
  if (offset < kFileHeaderSize) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot append to ", path, " at offset ", offset, ": inside the header"));
  }
  absl::StatusOr<std::unique_ptr<WritableFile>> file = OpenPosixFile(path, /*create=*/false);
  if (!file.ok()) return file.status();
  std::error_code ec;
  const uintmax_t end = std::filesystem::file_size(path, ec);
  if (ec) {
    return absl::InternalError(
        absl::StrCat("cannot size transaction log ", path, ": ", ec.message()));
  }
  if (end < offset) {
    return absl::OutOfRangeError(absl::StrCat("cannot append to ", path, " at offset ", offset,
                                              ": the file has only ", end, " bytes"));
  }
  if (absl::Status s = (*file)->Truncate(offset); !s.ok()) return s;
  // Append() places chunks by the absolute offset, so the framing goes on where it stopped.
  return std::unique_ptr<LogWriter>(new LogWriter(path, *std::move(file), offset));
}

LogWriter::LogWriter(std::string path, std::unique_ptr<WritableFile> file, uint64_t offset)
    : path_(std::move(path)), file_(std::move(file)), written_(offset) {}

LogWriter::~LogWriter() { Close().IgnoreError(); }

absl::Status LogWriter::Append(std::string_view record) {
  if (file_ == nullptr) return absl::FailedPreconditionError(absl::StrCat(path_, " is closed"));
  if (!write_error_.ok() && buffer_.size() + record.size() > max_held_) {
    return absl::ResourceExhaustedError(
        absl::StrCat(path_, ": ", buffer_.size(), " bytes are waiting to be written (",
                     write_error_.message(), "); no more are taken until they are"));
  }
  const char* data = record.data();
  size_t left = record.size();
  bool begin = true;
  // do/while so that an empty record still gets its (empty) FULL chunk.
  do {
    size_t room = kBlockSize - size() % kBlockSize;
    if (room < kChunkHeaderSize) {
      buffer_.append(room, '\0');
      room = kBlockSize;
    }
    // Invariant: a chunk starts where its header fits in the block.
    assert(size() % kBlockSize + kChunkHeaderSize <= kBlockSize);
    // When exactly kChunkHeaderSize bytes remain this makes an empty FIRST chunk rather than
    // padding: wandb's writer does the same, and byte-compatibility requires it.
    const size_t n = std::min(left, room - kChunkHeaderSize);
    const bool end = n == left;
    const uint8_t type = begin ? (end ? kFullType : kFirstType) : (end ? kLastType : kMiddleType);
    EmitChunk(type, data, n);
    data += n;
    left -= n;
    begin = false;
  } while (left > 0);
  // Written only after whole records, so written() is always a record boundary.
  if (buffer_.size() >= kFlushThreshold && write_error_.ok()) WriteHeld().IgnoreError();
  return absl::OkStatus();
}

void LogWriter::EmitChunk(uint8_t type, const char* data, size_t length) {
  [[maybe_unused]] const uint64_t start = size();
  const char type_byte = static_cast<char>(type);
  uLong crc = crc32(0L, reinterpret_cast<const Bytef*>(&type_byte), 1);
  crc = crc32(crc, reinterpret_cast<const Bytef*>(data), static_cast<uInt>(length));
  PutFixed32(&buffer_, static_cast<uint32_t>(crc));
  PutFixed16(&buffer_, static_cast<uint16_t>(length));
  buffer_.push_back(type_byte);
  buffer_.append(data, length);
  // Invariants: a chunk never crosses a block boundary, so its payload fits one block.
  assert(length <= kMaxChunkPayload);
  assert(start / kBlockSize == (size() - 1) / kBlockSize);
}

absl::Status LogWriter::Flush() {
  if (file_ == nullptr) return absl::FailedPreconditionError(absl::StrCat(path_, " is closed"));
  return WriteHeld();
}

absl::Status LogWriter::WriteHeld() {
  if (buffer_.empty() && !torn_) return absl::OkStatus();
  absl::Status s;
  // A failed write may have left a prefix of buffer_ in the file: take it back first, so the
  // retry writes the same bytes at the same place and nothing torn stays mid-log.
  if (torn_) s = file_->Truncate(written_);
  if (s.ok()) torn_ = false;
  if (s.ok()) s = file_->Append(buffer_);
  if (s.ok()) s = file_->Flush();
  if (!s.ok()) {
    torn_ = true;
    write_error_ = s;
    return s;
  }
  written_ += buffer_.size();
  buffer_.clear();
  write_error_ = absl::OkStatus();
  return s;
}

absl::Status LogWriter::Sync() {
  if (absl::Status s = Flush(); !s.ok()) return s;
  absl::Status s = file_->Sync();
  if (!s.ok()) write_error_ = s;
  return s;
}

absl::Status LogWriter::Close() {
  if (file_ == nullptr) return absl::OkStatus();
  absl::Status s = WriteHeld();
  if (!s.ok()) {
    // The log then ends at its last whole write, which a reader takes for a clean end.
    if (torn_) file_->Truncate(written_).IgnoreError();
    s = absl::Status(s.code(), absl::StrCat(s.message(), "; ", buffer_.size(),
                                            " bytes of records could not be written"));
  }
  if (absl::Status closed = file_->Close(); s.ok()) s = closed;
  file_.reset();
  buffer_.clear();
  return s;
}

}  // namespace wandb::txlog
