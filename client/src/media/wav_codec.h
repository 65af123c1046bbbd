// Audio through libsndfile: float samples to a WAV file's bytes (16-bit PCM, as wandb's
// soundfile.write makes them), a WAV file's bytes back to samples (the tests read what the run
// wrote), and what an audio file on disk holds (its rate and length, for wandb's list form).
#ifndef WANDB_CLIENT_SRC_MEDIA_WAV_CODEC_H_
#define WANDB_CLIENT_SRC_MEDIA_WAV_CODEC_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace wandb::internal {

struct Sound {
  int64_t sample_rate = 0;
  int64_t channels = 1;
  std::vector<float> samples;  // frames x channels, interleaved; -1..1 is full scale
};

// What a sound file says of itself.
struct SoundInfo {
  int64_t sample_rate = 0;
  int64_t channels = 0;
  int64_t frames = 0;
};

// `samples`: frames x channels, interleaved. Past full scale is clipped; a non-finite sample
// must have been replaced by the caller.
absl::StatusOr<std::string> EncodeWav(absl::Span<const float> samples, int64_t sample_rate,
                                      int64_t channels);
absl::StatusOr<Sound> DecodeWav(absl::string_view wav);
// The rate and length of the sound file at `path`, when libsndfile reads its format (WAV,
// FLAC, Ogg, MP3, ...); an error otherwise.
absl::StatusOr<SoundInfo> ReadSoundInfo(const std::string& path);

}  // namespace wandb::internal

#endif  // WANDB_CLIENT_SRC_MEDIA_WAV_CODEC_H_
