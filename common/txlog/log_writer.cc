#include "common/txlog/log_writer.h"

#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
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

absl::Status ErrnoError(int error, const char* what, const std::string& path) {
  return absl::ErrnoToStatus(error, absl::StrCat(what, " ", path));
}

}  // namespace

absl::StatusOr<std::unique_ptr<LogWriter>> LogWriter::Create(const std::string& path) {
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return ErrnoError(errno, "cannot create transaction log", path);
  std::unique_ptr<LogWriter> writer(new LogWriter(path, fd));
  writer->buffer_.append(kHeaderIdent, sizeof(kHeaderIdent));
  PutFixed16(&writer->buffer_, kHeaderMagic);
  writer->buffer_.push_back(static_cast<char>(kHeaderVersion));
  writer->size_ = kFileHeaderSize;
  if (absl::Status s = writer->Flush(); !s.ok()) {
    // The file is ours (O_EXCL) and holds no records: leave no headerless log behind.
    writer->Close().IgnoreError();
    unlink(path.c_str());
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
  const int fd = open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return ErrnoError(errno, "cannot open transaction log", path);
  std::unique_ptr<LogWriter> writer(new LogWriter(path, fd));
  const off_t end = lseek(fd, 0, SEEK_END);
  if (end < 0) return ErrnoError(errno, "cannot seek in transaction log", path);
  if (static_cast<uint64_t>(end) < offset) {
    return absl::OutOfRangeError(absl::StrCat("cannot append to ", path, " at offset ", offset,
                                              ": the file has only ", end, " bytes"));
  }
  if (ftruncate(fd, static_cast<off_t>(offset)) != 0 ||
      lseek(fd, static_cast<off_t>(offset), SEEK_SET) < 0) {
    return ErrnoError(errno, "cannot cut back transaction log", path);
  }
  // Append() places chunks by the absolute offset, so the framing goes on where it stopped.
  writer->size_ = offset;
  return writer;
}

LogWriter::LogWriter(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}

LogWriter::~LogWriter() { Close().IgnoreError(); }

absl::Status LogWriter::CheckWritable() const {
  if (!status_.ok()) return status_;
  if (fd_ < 0) return absl::FailedPreconditionError(absl::StrCat("log ", path_, " is closed"));
  return absl::OkStatus();
}

absl::Status LogWriter::Append(std::string_view record) {
  if (absl::Status s = CheckWritable(); !s.ok()) return s;
  const char* data = record.data();
  size_t left = record.size();
  bool begin = true;
  // do/while so that an empty record still gets its (empty) FULL chunk.
  do {
    size_t room = kBlockSize - size_ % kBlockSize;
    if (room < kChunkHeaderSize) {
      buffer_.append(room, '\0');
      size_ += room;
      room = kBlockSize;
    }
    // When exactly kChunkHeaderSize bytes remain this makes an empty FIRST chunk rather than
    // padding: wandb's writer does the same, and byte-compatibility requires it.
    const size_t n = std::min(left, room - kChunkHeaderSize);
    const bool end = n == left;
    const uint8_t type = begin ? (end ? kFullType : kFirstType) : (end ? kLastType : kMiddleType);
    EmitChunk(type, data, n);
    data += n;
    left -= n;
    begin = false;
    if (buffer_.size() >= kFlushThreshold) {
      if (absl::Status s = Flush(); !s.ok()) return s;
    }
  } while (left > 0);
  return absl::OkStatus();
}

void LogWriter::EmitChunk(uint8_t type, const char* data, size_t length) {
  const char type_byte = static_cast<char>(type);
  uLong crc = crc32(0L, reinterpret_cast<const Bytef*>(&type_byte), 1);
  crc = crc32(crc, reinterpret_cast<const Bytef*>(data), static_cast<uInt>(length));
  PutFixed32(&buffer_, static_cast<uint32_t>(crc));
  PutFixed16(&buffer_, static_cast<uint16_t>(length));
  buffer_.push_back(type_byte);
  buffer_.append(data, length);
  size_ += kChunkHeaderSize + length;
}

absl::Status LogWriter::Flush() {
  if (absl::Status s = CheckWritable(); !s.ok()) return s;
  size_t done = 0;
  while (done < buffer_.size()) {
    const ssize_t n = write(fd_, buffer_.data() + done, buffer_.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      status_ = ErrnoError(errno, "cannot write transaction log", path_);
      return status_;
    }
    done += static_cast<size_t>(n);
  }
  buffer_.clear();
  return absl::OkStatus();
}

absl::Status LogWriter::Sync() {
  if (absl::Status s = Flush(); !s.ok()) return s;
  if (fsync(fd_) != 0) {
    status_ = ErrnoError(errno, "cannot fsync transaction log", path_);
    return status_;
  }
  return absl::OkStatus();
}

absl::Status LogWriter::Close() {
  if (fd_ < 0) return absl::OkStatus();
  absl::Status s = status_.ok() ? Flush() : status_;
  // close(2) must not be retried on EINTR on Linux: the descriptor is released either way.
  if (close(fd_) != 0 && s.ok()) s = ErrnoError(errno, "cannot close transaction log", path_);
  fd_ = -1;
  buffer_.clear();
  return s;
}

}  // namespace wandb::txlog
