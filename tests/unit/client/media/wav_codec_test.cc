// WAV through libsndfile: samples written as 16-bit PCM and read back, clipping, what a file
// says of itself.
#include "client/src/media/wav_codec.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <string>
#include <vector>

#include "tests/support/temp_dir.h"

namespace wandb::internal {
namespace {

// `seconds` of a `hz` sine at `rate`, at half of full scale.
std::vector<float> Sine(double hz, int rate, double seconds) {
  std::vector<float> samples(static_cast<size_t>(rate * seconds));
  for (size_t i = 0; i < samples.size(); ++i) {
    samples[i] = static_cast<float>(0.5 * std::sin(2 * M_PI * hz * static_cast<double>(i) / rate));
  }
  return samples;
}

}  // namespace

TEST_CASE("a 1 kHz sine's WAV reads back with its rate its length and its samples") {
  std::vector<float> sine = Sine(1000, 8000, 0.5);
  absl::StatusOr<std::string> wav = EncodeWav(sine, 8000, 1);
  REQUIRE(wav.ok());
  CHECK(wav->substr(0, 4) == "RIFF");
  CHECK(wav->substr(8, 4) == "WAVE");
  CHECK(wav->size() == 44 + 2 * 4000);  // the canonical header, then 16-bit samples
  absl::StatusOr<Sound> back = DecodeWav(*wav);
  REQUIRE(back.ok());
  CHECK(back->sample_rate == 8000);
  CHECK(back->channels == 1);
  REQUIRE(back->samples.size() == 4000);
  for (size_t i = 0; i < sine.size(); ++i) {
    REQUIRE(back->samples[i] == Approx(sine[i]).margin(1.0 / 32768));
  }
}

TEST_CASE("WAV keeps interleaved channels and clips past full scale instead of wrapping") {
  std::vector<float> stereo = {0.25f, -0.25f, 1.5f, -3.0f};  // 2 frames of left, right
  absl::StatusOr<std::string> wav = EncodeWav(stereo, 44100, 2);
  REQUIRE(wav.ok());
  absl::StatusOr<Sound> back = DecodeWav(*wav);
  REQUIRE(back.ok());
  CHECK(back->channels == 2);
  REQUIRE(back->samples.size() == 4);
  CHECK(back->samples[0] == Approx(0.25).margin(1e-4));
  CHECK(back->samples[1] == Approx(-0.25).margin(1e-4));
  CHECK(back->samples[2] == Approx(1.0).margin(1e-4));
  CHECK(back->samples[3] == Approx(-1.0).margin(1e-4));
}

TEST_CASE("EncodeWav refuses a rate or channel count that makes no file") {
  std::vector<float> three = {0, 0, 0};
  CHECK_FALSE(EncodeWav(three, 0, 1).ok());
  CHECK_FALSE(EncodeWav(three, 8000, 2).ok());  // not whole frames
  CHECK_FALSE(DecodeWav("not a wav").ok());
}

TEST_CASE("ReadSoundInfo gives a sound file's rate and length and fails on other files") {
  testing::TempDir dir;
  absl::StatusOr<std::string> wav = EncodeWav(Sine(440, 16000, 0.25), 16000, 1);
  REQUIRE(wav.ok());
  testing::WriteBytes(dir.File("a.wav"), *wav);
  absl::StatusOr<SoundInfo> info = ReadSoundInfo(dir.File("a.wav"));
  REQUIRE(info.ok());
  CHECK(info->sample_rate == 16000);
  CHECK(info->channels == 1);
  CHECK(info->frames == 4000);
  testing::WriteBytes(dir.File("b.ogg"), "no sound here");
  CHECK_FALSE(ReadSoundInfo(dir.File("b.ogg")).ok());
  CHECK_FALSE(ReadSoundInfo(dir.File("none.wav")).ok());
}

}  // namespace wandb::internal
