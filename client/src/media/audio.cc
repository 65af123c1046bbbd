#include "wandb/audio.h"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "client/src/media/media_context.h"
#include "client/src/media/wav_codec.h"

namespace wandb {
namespace {

// What a browser plays, so what W&B's audio panel can show.
constexpr std::array<const char*, 9> kExtensions = {"wav",  "mp3", "ogg", "oga", "opus",
                                                    "flac", "m4a", "aac", "webm"};

// The samples with NaNs and infinities as silence; how many there were.
size_t SilenceNonFinite(std::vector<float>& samples) {
  size_t replaced = 0;
  for (float& s : samples) {
    if (!std::isfinite(s)) {
      s = 0.0f;
      ++replaced;
    }
  }
  return replaced;
}

bool AllFinite(const std::vector<float>& samples) {
  return std::all_of(samples.begin(), samples.end(), [](float s) { return std::isfinite(s); });
}

}  // namespace

void Audio::Init(std::vector<float> samples, int64_t sample_rate, const AudioOptions& options) {
  options_ = options;
  set_payload_bytes(samples.size() * sizeof(float));
  if (sample_rate <= 0) {
    Fail(absl::StrCat("audio: sample rate ", sample_rate, " Hz; it must be positive"));
    return;
  }
  // libsndfile takes the rate as an int.
  if (sample_rate > 0x7fffffff) {
    Fail(absl::StrCat("audio: sample rate ", sample_rate, " Hz is too high"));
    return;
  }
  if (options.channels < 1 || options.channels > kMaxChannels) {
    Fail(absl::StrCat("audio: ", options.channels, " channels; 1 to ", kMaxChannels,
                      " are supported"));
    return;
  }
  if (samples.empty()) {
    Fail("audio: no samples");
    return;
  }
  if (samples.size() % static_cast<size_t>(options.channels) != 0) {
    Fail(absl::StrCat("audio: ", samples.size(), " samples is not a whole number of frames of ",
                      options.channels, " channels"));
    return;
  }
  sample_rate_ = sample_rate;
  samples_ = std::move(samples);
}

Audio::Audio(const float* samples, size_t count, int64_t sample_rate, const AudioOptions& options) {
  if (samples == nullptr && count != 0) {
    Fail("audio: null samples");
    return;
  }
  Init(std::vector<float>(samples, samples + count), sample_rate, options);
}
Audio::Audio(const std::vector<float>& samples, int64_t sample_rate, const AudioOptions& options)
    : Audio(samples.data(), samples.size(), sample_rate, options) {}
Audio::Audio(const double* samples, size_t count, int64_t sample_rate,
             const AudioOptions& options) {
  if (samples == nullptr && count != 0) {
    Fail("audio: null samples");
    return;
  }
  Init(std::vector<float>(samples, samples + count), sample_rate, options);
}
Audio::Audio(const std::vector<double>& samples, int64_t sample_rate, const AudioOptions& options)
    : Audio(samples.data(), samples.size(), sample_rate, options) {}

Audio Audio::from_file(const std::string& path, const AudioOptions& options) {
  Audio audio;
  audio.options_ = options;
  audio.file_ = path;
  std::string ext = absl::AsciiStrToLower(internal::FileExtension(path));
  if (std::find(kExtensions.begin(), kExtensions.end(), ext) == kExtensions.end()) {
    audio.Fail(absl::StrCat("audio file ", path, ": unknown extension '",
                            internal::FileExtension(path),
                            "' (wav, mp3, ogg, oga, opus, flac, m4a, aac or webm)"));
  } else if (access(path.c_str(), R_OK) != 0) {
    audio.Fail(absl::StrCat("audio file ", path, ": missing or unreadable"));
  }
  return audio;
}

std::optional<double> Audio::duration() const noexcept {
  if (!sample_rate_.has_value()) return std::nullopt;
  size_t frames = samples_.size() / static_cast<size_t>(options_.channels);
  return static_cast<double>(frames) / static_cast<double>(*sample_rate_);
}

Value Audio::Resolve(internal::MediaContext& context) const {
  std::optional<internal::MediaFile> file;
  if (!file_.empty()) {
    file = context.Copy("audio", absl::StrCat(".", internal::FileExtension(file_)), file_);
  } else {
    // Copied only when some samples must be silenced.
    std::vector<float> silenced;
    if (!AllFinite(samples_)) {
      silenced = samples_;
      size_t count = SilenceNonFinite(silenced);
      context.WarnOnce("audio-non-finite",
                       absl::StrCat(count, " NaN or infinite samples written as silence"));
    }
    absl::StatusOr<std::string> wav = internal::EncodeWav(silenced.empty() ? samples_ : silenced,
                                                          *sample_rate_, options_.channels);
    if (!wav.ok()) {
      context.Error(wav.status().message());
      return Value();
    }
    file = context.Write("audio", ".wav", *wav);
  }
  if (!file.has_value()) return Value();
  // wandb's Audio.to_json: Media's fields, then the caption, null when there is none.
  return Value::map(
      {{"_type", "audio-file"},
       {"sha256", file->sha256},
       {"size", file->size},
       {"path", file->path},
       {"caption", options_.caption.has_value() ? Value(*options_.caption) : Value()}});
}

}  // namespace wandb
