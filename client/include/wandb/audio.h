// wandb::Audio: a sound logged as a WAV file (or the file given) under the run's
// files/media/audio/, with wandb's "audio-file" JSON in the row; W&B plays it in a panel.
//
//   std::vector<float> wave(16000);                             // one second at 16 kHz
//   run.log({{"speech", wandb::Audio(wave, 16000, {.caption = "epoch 3"})}});
//   run.log({{"stereo", wandb::Audio(left_right, 44100, {.channels = 2})}});
//   run.log({{"sample", wandb::Audio::from_file("take1.flac")}});
//   run.log({{"clips", wandb::Value::List{wandb::Audio(a, 8000), wandb::Audio(b, 8000)}}});
//
// Samples are float (or double), -1..1 full scale, frames after one another with their
// channels interleaved; they are written as 16-bit PCM WAV, as wandb's soundfile writes them
// (past full scale is clipped; a NaN or infinity is written as silence, with one warning per
// key). Files: wav, mp3, ogg, oga, opus, flac, m4a, aac, webm (by extension, any case), copied
// as they are. Building an Audio copies the samples; encoding, hashing and writing happen on
// the run's background thread.
#ifndef WANDB_AUDIO_H_
#define WANDB_AUDIO_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "wandb/media.h"
#include "wandb/value.h"

#include "wandb/internal/api_begin.h"

namespace wandb {

struct AudioOptions {
  std::optional<std::string> caption{};
  // Samples per frame: 1 mono, 2 stereo, ...
  int64_t channels = 1;
};

class WANDB_API Audio : public Media {
 public:
  static constexpr int64_t kMaxChannels = 1024;

  Audio(const float* samples, size_t count, int64_t sample_rate, const AudioOptions& options = {});
  Audio(const std::vector<float>& samples, int64_t sample_rate, const AudioOptions& options = {});
  Audio(const double* samples, size_t count, int64_t sample_rate, const AudioOptions& options = {});
  Audio(const std::vector<double>& samples, int64_t sample_rate, const AudioOptions& options = {});

  // An audio file, copied into the run when logged. It must exist; its rate and length are
  // read for wandb's list form when its format is one libsndfile reads.
  static Audio from_file(const std::string& path, const AudioOptions& options = {});

  // For samples: the rate given and the length in seconds; unset for a file.
  std::optional<int64_t> sample_rate() const noexcept { return sample_rate_; }
  std::optional<double> duration() const noexcept;
  const std::optional<std::string>& caption() const noexcept { return options_.caption; }
  // from_file's path; "" for samples.
  const std::string& file() const noexcept { return file_; }

  Value Resolve(internal::MediaContext& context) const override;

 private:
  Audio() = default;
  void Init(std::vector<float> samples, int64_t sample_rate, const AudioOptions& options);

  AudioOptions options_;
  std::optional<int64_t> sample_rate_;
  std::vector<float> samples_;
  std::string file_;
};

}  // namespace wandb

#include "wandb/internal/api_end.h"

#endif  // WANDB_AUDIO_H_
