#include "service/replay/log_cut_file.h"

#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <tuple>

#include "absl/strings/str_cat.h"

namespace wandb::service {
namespace {

// A slot: magic "WCUT", CRC-32 of the 24 bytes after it, next_seq, skip, offset (all LE).
constexpr size_t kSlotSize = 32;
constexpr char kMagic[4] = {'W', 'C', 'U', 'T'};

void PutU64(uint64_t v, char* out) {
  for (int i = 0; i < 8; ++i) out[i] = static_cast<char>((v >> (8 * i)) & 0xff);
}

uint64_t GetU64(const char* in) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(in[i]);
  return v;
}

uint32_t Crc(const char* data, size_t n) {
  return static_cast<uint32_t>(crc32(0L, reinterpret_cast<const Bytef*>(data), n));
}

std::array<char, kSlotSize> Encode(const LogCut& cut) {
  std::array<char, kSlotSize> slot{};
  std::memcpy(slot.data(), kMagic, 4);
  PutU64(cut.next_seq, slot.data() + 8);
  PutU64(cut.skip, slot.data() + 16);
  PutU64(cut.offset, slot.data() + 24);
  uint32_t crc = Crc(slot.data() + 8, 24);
  for (int i = 0; i < 4; ++i) slot[4 + i] = static_cast<char>((crc >> (8 * i)) & 0xff);
  return slot;
}

std::optional<LogCut> Decode(const char* slot) {
  if (std::memcmp(slot, kMagic, 4) != 0) return std::nullopt;
  uint32_t crc = 0;
  for (int i = 3; i >= 0; --i) crc = (crc << 8) | static_cast<unsigned char>(slot[4 + i]);
  if (crc != Crc(slot + 8, 24)) return std::nullopt;
  return LogCut{GetU64(slot + 8), GetU64(slot + 16), GetU64(slot + 24)};
}

// Cuts only move forward: the later of two is the one further into the log.
bool Later(const LogCut& a, const LogCut& b) {
  return std::tie(a.offset, a.next_seq, a.skip) > std::tie(b.offset, b.next_seq, b.skip);
}

// The slots' contents (a short or missing file reads as empty slots).
absl::StatusOr<std::array<std::optional<LogCut>, 2>> ReadSlots(int fd, const std::string& path) {
  std::array<char, 2 * kSlotSize> bytes{};
  ssize_t n;
  do {
    n = pread(fd, bytes.data(), bytes.size(), 0);
  } while (n < 0 && errno == EINTR);
  if (n < 0) return absl::ErrnoToStatus(errno, absl::StrCat("cannot read ", path));
  std::array<std::optional<LogCut>, 2> slots;
  for (size_t i = 0; i < 2; ++i) {
    if (static_cast<size_t>(n) >= (i + 1) * kSlotSize) slots[i] = Decode(&bytes[i * kSlotSize]);
  }
  return slots;
}

std::optional<LogCut> Latest(const std::array<std::optional<LogCut>, 2>& slots, int* slot) {
  int best = -1;
  for (int i = 0; i < 2; ++i) {
    if (slots[i].has_value() && (best < 0 || Later(*slots[i], *slots[best]))) best = i;
  }
  if (slot != nullptr) *slot = best;
  return best < 0 ? std::nullopt : slots[best];
}

}  // namespace

absl::StatusOr<std::unique_ptr<LogCutFile>> LogCutFile::Open(const std::string& path) {
  const int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return absl::ErrnoToStatus(errno, absl::StrCat("cannot open ", path));
  absl::StatusOr<std::array<std::optional<LogCut>, 2>> slots = ReadSlots(fd, path);
  if (!slots.ok()) {
    close(fd);
    return slots.status();
  }
  int latest = -1;
  Latest(*slots, &latest);
  // The next write goes to the slot that does not hold the latest cut.
  return std::unique_ptr<LogCutFile>(new LogCutFile(path, fd, latest == 0 ? 1 : 0));
}

absl::StatusOr<std::optional<LogCut>> LogCutFile::Read(const std::string& path) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return std::optional<LogCut>();
    return absl::ErrnoToStatus(errno, absl::StrCat("cannot open ", path));
  }
  absl::StatusOr<std::array<std::optional<LogCut>, 2>> slots = ReadSlots(fd, path);
  close(fd);
  if (!slots.ok()) return slots.status();
  return Latest(*slots, nullptr);
}

LogCutFile::~LogCutFile() { close(fd_); }

absl::Status LogCutFile::Write(const LogCut& cut, bool sync) {
  std::array<char, kSlotSize> slot = Encode(cut);
  const off_t at = static_cast<off_t>(next_slot_ * kSlotSize);
  ssize_t n;
  do {
    n = pwrite(fd_, slot.data(), slot.size(), at);
  } while (n < 0 && errno == EINTR);
  if (n != static_cast<ssize_t>(slot.size())) {
    return absl::ErrnoToStatus(n < 0 ? errno : EIO, absl::StrCat("cannot write ", path_));
  }
  if (sync && fdatasync(fd_) != 0) {
    return absl::ErrnoToStatus(errno, absl::StrCat("cannot fsync ", path_));
  }
  next_slot_ = 1 - next_slot_;
  return absl::OkStatus();
}

}  // namespace wandb::service
