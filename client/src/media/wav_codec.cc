#include "client/src/media/wav_codec.h"

#include <sndfile.h>

#include <algorithm>
#include <cstring>
#include <memory>

#include "absl/strings/str_cat.h"

namespace wandb::internal {
namespace {

// A growable buffer that libsndfile reads and writes through its virtual I/O: WAV's header
// is patched after the samples, so writing needs seeks too.
struct MemoryFile {
  std::string bytes;
  sf_count_t position = 0;
};

sf_count_t Length(void* file) { return static_cast<MemoryFile*>(file)->bytes.size(); }

sf_count_t Seek(sf_count_t offset, int whence, void* file) {
  auto* f = static_cast<MemoryFile*>(file);
  sf_count_t base = whence == SEEK_CUR   ? f->position
                    : whence == SEEK_END ? static_cast<sf_count_t>(f->bytes.size())
                                         : 0;
  if (base + offset < 0) return -1;
  f->position = base + offset;
  return f->position;
}

sf_count_t Read(void* out, sf_count_t count, void* file) {
  auto* f = static_cast<MemoryFile*>(file);
  sf_count_t size = static_cast<sf_count_t>(f->bytes.size());
  sf_count_t n = std::clamp<sf_count_t>(size - f->position, 0, count);
  std::memcpy(out, f->bytes.data() + f->position, static_cast<size_t>(n));
  f->position += n;
  return n;
}

sf_count_t Write(const void* in, sf_count_t count, void* file) {
  auto* f = static_cast<MemoryFile*>(file);
  size_t end = static_cast<size_t>(f->position + count);
  if (end > f->bytes.size()) f->bytes.resize(end);
  std::memcpy(f->bytes.data() + f->position, in, static_cast<size_t>(count));
  f->position += count;
  return count;
}

sf_count_t Tell(void* file) { return static_cast<MemoryFile*>(file)->position; }

SF_VIRTUAL_IO MemoryIo() { return SF_VIRTUAL_IO{Length, Seek, Read, Write, Tell}; }

struct CloseSound {
  void operator()(SNDFILE* sound) const { sf_close(sound); }
};
using SoundHandle = std::unique_ptr<SNDFILE, CloseSound>;

}  // namespace

absl::StatusOr<std::string> EncodeWav(absl::Span<const float> samples, int64_t sample_rate,
                                      int64_t channels) {
  if (sample_rate <= 0 || sample_rate > 0x7fffffff || channels <= 0 ||
      samples.size() % static_cast<size_t>(channels) != 0) {
    return absl::InvalidArgumentError(absl::StrCat("WAV: ", samples.size(), " samples, ", channels,
                                                   " channels at ", sample_rate, " Hz"));
  }
  MemoryFile file;
  SF_VIRTUAL_IO io = MemoryIo();
  SF_INFO info{};
  info.samplerate = static_cast<int>(sample_rate);
  info.channels = static_cast<int>(channels);
  info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
  SoundHandle out(sf_open_virtual(&io, SFM_WRITE, &info, &file));
  if (out == nullptr) return absl::InternalError(absl::StrCat("WAV: ", sf_strerror(nullptr)));
  // Past full scale clips rather than wraps around.
  sf_command(out.get(), SFC_SET_CLIPPING, nullptr, SF_TRUE);
  sf_count_t frames = static_cast<sf_count_t>(samples.size()) / channels;
  if (sf_writef_float(out.get(), samples.data(), frames) != frames) {
    return absl::InternalError(absl::StrCat("WAV: ", sf_strerror(out.get())));
  }
  out.reset();  // writes the header's sizes
  return std::move(file.bytes);
}

absl::StatusOr<Sound> DecodeWav(absl::string_view wav) {
  MemoryFile file{std::string(wav), 0};
  SF_VIRTUAL_IO io = MemoryIo();
  SF_INFO info{};
  SoundHandle in(sf_open_virtual(&io, SFM_READ, &info, &file));
  if (in == nullptr) return absl::InvalidArgumentError(absl::StrCat("WAV: ", sf_strerror(nullptr)));
  Sound sound;
  sound.sample_rate = info.samplerate;
  sound.channels = info.channels;
  sound.samples.resize(static_cast<size_t>(info.frames * info.channels));
  if (sf_readf_float(in.get(), sound.samples.data(), info.frames) != info.frames) {
    return absl::InvalidArgumentError(absl::StrCat("WAV: ", sf_strerror(in.get())));
  }
  return sound;
}

absl::StatusOr<SoundInfo> ReadSoundInfo(const std::string& path) {
  SF_INFO info{};
  SoundHandle in(sf_open(path.c_str(), SFM_READ, &info));
  if (in == nullptr) return absl::InvalidArgumentError(sf_strerror(nullptr));
  return SoundInfo{info.samplerate, info.channels, info.frames};
}

}  // namespace wandb::internal
