// wandb::Audio: the checks when it is built, the WAV file and wandb's "audio-file" JSON, and
// the "audio" batch a list becomes, as wandb 0.12.21's Audio writes them.
#include "wandb/audio.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "client/src/media/media_resolver.h"
#include "client/src/media/sha256.h"
#include "client/src/media/wav_codec.h"
#include "tests/support/media_reports.h"
#include "tests/support/temp_dir.h"

namespace wandb::internal {
namespace {

using testing::ReadBytes;
using testing::TempDir;
using testing::WriteBytes;
using Reports = testing::MediaReports;

}  // namespace

TEST_CASE("Audio checks its samples rate and channels and a file's extension and presence") {
  std::vector<float> four(4, 0.1f);
  CHECK(Audio(four, 8000).problem().empty());
  CHECK(Audio(four, 8000, {.channels = 2}).problem().empty());
  CHECK_THAT(Audio(four, 0).problem(), Catch::Contains("sample rate 0"));
  CHECK_THAT(Audio(four, 8000, {.channels = 3}).problem(),
             Catch::Contains("4 samples is not a whole number of frames of 3 channels"));
  CHECK_THAT(Audio(four, 8000, {.channels = 0}).problem(), Catch::Contains("0 channels"));
  CHECK_THAT(Audio(std::vector<float>{}, 8000).problem(), Catch::Contains("no samples"));
  TempDir dir;
  WriteBytes(dir.File("a.FLAC"), "x");
  CHECK(Audio::from_file(dir.File("a.FLAC")).problem().empty());
  CHECK_THAT(Audio::from_file(dir.File("a.txt")).problem(),
             Catch::Contains("unknown extension 'txt'"));
  CHECK_THAT(Audio::from_file(dir.File("none.wav")).problem(), Catch::Contains("missing"));
}

TEST_CASE("Audio's length is its frames over its rate") {
  std::vector<double> stereo(8000, 0.0);  // 4000 frames of 2 channels
  Audio audio(stereo, 16000, {.channels = 2});
  CHECK(audio.sample_rate() == 16000);
  CHECK(audio.duration() == Approx(0.25));
  CHECK(audio.payload_bytes() == 8000 * sizeof(float));
}

TEST_CASE("an Audio becomes a 16-bit WAV under media/audio and wandb's audio-file JSON") {
  TempDir dir;
  Reports reports;
  MediaResolver resolver(dir.path(), &reports.reporter);
  std::vector<float> samples(800);
  for (size_t i = 0; i < samples.size(); ++i)
    samples[i] = static_cast<float>(std::sin(i * 0.1) / 2);
  Value::Map row{{"voice", Audio(samples, 8000)},
                 {"named", Audio(samples, 8000, {.caption = "take 2"})}};
  std::vector<std::string> written = resolver.ResolveRow(row, 7);

  REQUIRE(written.size() == 2);  // each key names its own file
  std::string wav = ReadBytes(dir.File(written[0]));
  const std::string sha = Sha256Hex(wav);
  const std::string path = "media/audio/voice_7_" + sha.substr(0, 20) + ".wav";
  CHECK(written[0] == path);
  absl::StatusOr<Sound> back = DecodeWav(wav);
  REQUIRE(back.ok());
  CHECK(back->sample_rate == 8000);
  CHECK(back->samples.size() == 800);
  CHECK(row[0].second.to_json() == "{\"_type\": \"audio-file\", \"sha256\": \"" + sha +
                                       "\", \"size\": " + std::to_string(wav.size()) +
                                       ", \"path\": \"" + path + "\", \"caption\": null}");
  CHECK(*row[1].second.find("caption") == Value("take 2"));
  CHECK(reports.errors.empty());
}

TEST_CASE("an Audio's NaN and infinite samples are written as silence with a warning") {
  TempDir dir;
  Reports reports;
  MediaResolver resolver(dir.path(), &reports.reporter);
  std::vector<float> samples = {0.5f, std::numeric_limits<float>::quiet_NaN(),
                                std::numeric_limits<float>::infinity(), -0.5f};
  Value::Map row{{"noisy", Audio(samples, 8000)}};
  std::vector<std::string> written = resolver.ResolveRow(row, 0);
  REQUIRE(written.size() == 1);
  absl::StatusOr<Sound> back = DecodeWav(ReadBytes(dir.File(written[0])));
  REQUIRE(back.ok());
  REQUIRE(back->samples.size() == 4);
  CHECK(back->samples[1] == 0.0f);
  CHECK(back->samples[2] == 0.0f);
  CHECK(back->samples[3] == Approx(-0.5).margin(1e-4));
  REQUIRE(reports.warnings.size() == 1);
  CHECK_THAT(reports.warnings[0], Catch::Contains("noisy: 2 NaN or infinite samples"));
}

TEST_CASE("a list of Audio becomes wandb's audio batch with rates lengths and captions") {
  TempDir dir;
  Reports reports;
  MediaResolver resolver(dir.path(), &reports.reporter);
  absl::StatusOr<std::string> wav = EncodeWav(std::vector<float>(22050, 0.0f), 44100, 1);
  REQUIRE(wav.ok());
  WriteBytes(dir.File("take.wav"), *wav);
  WriteBytes(dir.File("song.m4a"), "not read by libsndfile");
  Value::Map row{
      {"plain", Value::List{Audio(std::vector<float>(8000, 0.1f), 16000),
                            Audio(std::vector<float>(8000, 0.2f), 8000)}},
      {"mixed", Value::List{Audio::from_file(dir.File("take.wav")),
                            Audio::from_file(dir.File("song.m4a"), {.caption = "song"})}}};
  resolver.ResolveRow(row, 2);

  const Value& plain = row[0].second;
  CHECK(*plain.find("_type") == Value("audio"));
  CHECK(*plain.find("count") == Value(2));
  CHECK(plain.find("audio")->as_list().size() == 2);
  CHECK(plain.find("sampleRates")->to_json() == "[16000, 8000]");
  CHECK(plain.find("durations")->to_json() == "[0.5, 1.0]");
  CHECK(plain.find("captions") == nullptr);  // wandb leaves them out when no clip has one

  const Value& mixed = row[1].second;
  CHECK(mixed.find("sampleRates")->to_json() == "[44100, null]");  // read from the WAV
  CHECK(mixed.find("durations")->to_json() == "[0.5, null]");
  CHECK(mixed.find("captions")->to_json() == "[\"\", \"song\"]");
  CHECK(*mixed.find("audio")->as_list()[1].find("path") ==
        Value("media/audio/mixed_2_" + Sha256Hex("not read by libsndfile").substr(0, 20) + ".m4a"));
  CHECK(reports.errors.empty());
}

}  // namespace wandb::internal
