// Media (issue 13): what log() costs the caller with one 224x224x3 image, with a batch of 16
// of them, with a histogram of 1M floats, with 1 s of 16 kHz audio and with a 16-frame
// 64x64 video; how many images per second reach the run
// directory end to end (log() to finish(), PNG + SHA-256 + file, announced to the store);
// and, for comparison, what encoding one image costs when done on the caller's thread, as
// wandb's Python SDK does.
//
//   bench_media [--images N] [--batches N] [--histograms N] [--clips N] [--end-to-end N]
//   bench_media --peak N   only this: N images back to back (random pixels, 224x224x3) in one
//                          run, then the client's and a fresh daemon's peak RSS (VmHWM)
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <random>
#include <vector>

#include <wandb/wandb.h>

#include "bench/bench_util.h"

namespace {

struct Stats {
  double median_us;
  double p99_us;
  double max_us;
};

Stats Summarize(std::vector<int64_t>& ns) {
  double median = bench::Us(bench::Quantile(ns, 0.5));
  double p99 = bench::Us(bench::Quantile(ns, 0.99));
  return {median, p99, bench::Us(ns.back())};
}

void Print(const char* what, Stats s) {
  std::printf("  %-40s median %9.1f us  p99 %9.1f us  max %9.1f us\n", what, s.median_us, s.p99_us,
              s.max_us);
}

// The peak memory of logging `count` images as fast as the loop can: the client's queue of
// unwritten media is bounded (media_queue, 256 MiB by default), the daemon only sees JSON.
int PeakMemory(int count) {
  bench::BenchEnv env;
  env.NewServiceDir();  // a daemon of this phase alone
  std::mt19937 rng(11);
  std::vector<uint8_t> pixels(224 * 224 * 3);
  for (uint8_t& p : pixels) p = static_cast<uint8_t>(rng());
  wandb::Run run = wandb::init({.project = "bench", .name = "media-peak"});
  pid_t daemon = env.daemon_pid();
  int64_t start = bench::NowNs();
  for (int i = 0; i < count; ++i) {
    pixels[0] = static_cast<uint8_t>(i);
    pixels[1] = static_cast<uint8_t>(i >> 8);
    run.log({{"image", wandb::Image(pixels, {224, 224, 3})}});
  }
  run.finish();
  double seconds = static_cast<double>(bench::NowNs() - start) / 1e9;
  double client_mb = static_cast<double>(bench::StatusKb(getpid(), "VmHWM")) / 1024;
  double daemon_mb = static_cast<double>(bench::StatusKb(daemon, "VmHWM")) / 1024;
  std::printf("%d images back to back in %.1f s: client VmHWM %.1f MB, daemon VmHWM %.1f MB\n",
              count, seconds, client_mb, daemon_mb);
  bench::Result("media_peak_client_mb", client_mb, "MB");
  bench::Result("media_peak_daemon_mb", daemon_mb, "MB");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  int images = 300;
  int batches = 30;
  int histograms = 30;
  int clips = 100;
  int end_to_end = 1000;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--images") == 0) images = std::atoi(argv[i + 1]);
    if (std::strcmp(argv[i], "--batches") == 0) batches = std::atoi(argv[i + 1]);
    if (std::strcmp(argv[i], "--histograms") == 0) histograms = std::atoi(argv[i + 1]);
    if (std::strcmp(argv[i], "--clips") == 0) clips = std::atoi(argv[i + 1]);
    if (std::strcmp(argv[i], "--peak") == 0) return PeakMemory(std::atoi(argv[i + 1]));
    if (std::strcmp(argv[i], "--end-to-end") == 0) end_to_end = std::atoi(argv[i + 1]);
  }
  bench::BenchEnv env;
  const std::vector<size_t> shape{224, 224, 3};
  std::mt19937 rng(7);
  std::vector<uint8_t> pixels(224 * 224 * 3);
  for (uint8_t& p : pixels) p = static_cast<uint8_t>(rng());
  std::vector<float> values(1'000'000);
  std::normal_distribution<float> normal;
  for (float& v : values) v = normal(rng);

  std::printf(
      "caller's cost of log(), Image built inside the timed call (its pixel copy counts)\n");
  wandb::Run run = wandb::init({.project = "bench", .name = "media"});
  std::vector<int64_t> ns;
  // As a training loop logs: an image, then a step's work during which the writer catches up
  // (flush(), outside the timing, stands for it).
  for (int i = 0; i < images; ++i) {
    pixels[0] = static_cast<uint8_t>(i);  // a new file each time
    int64_t t0 = bench::NowNs();
    run.log({{"image", wandb::Image(pixels, shape)}});
    ns.push_back(bench::NowNs() - t0);
    run.flush();
  }
  Stats one = Summarize(ns);
  Print("one 224x224x3 image, writer caught up", one);
  // Back to back: each image's copy is new memory, since all the others wait to be written.
  ns.clear();
  for (int i = 0; i < images; ++i) {
    pixels[0] = static_cast<uint8_t>(i + images);
    int64_t t0 = bench::NowNs();
    run.log({{"image", wandb::Image(pixels, shape)}});
    ns.push_back(bench::NowNs() - t0);
  }
  Stats back_to_back = Summarize(ns);
  // Each phase starts with the media queue empty, so it times the caller's own work, not the
  // back-pressure that a backlog (of the phase before) would apply.
  run.flush();
  Print("one 224x224x3 image, back to back", back_to_back);
  ns.clear();
  for (int i = 0; i < batches; ++i) {
    int64_t t0 = bench::NowNs();
    wandb::Value::List batch;
    for (int k = 0; k < 16; ++k) {
      pixels[1] = static_cast<uint8_t>(i * 16 + k);
      batch.emplace_back(wandb::Image(pixels, shape));
    }
    run.log({{"batch", std::move(batch)}});
    ns.push_back(bench::NowNs() - t0);
  }
  Stats sixteen = Summarize(ns);
  run.flush();
  Print("a list of 16 such images", sixteen);
  ns.clear();
  for (int i = 0; i < histograms; ++i) {
    int64_t t0 = bench::NowNs();
    run.log({{"hist", wandb::Histogram(values)}});
    ns.push_back(bench::NowNs() - t0);
  }
  Stats hist = Summarize(ns);
  run.flush();
  Print("a histogram of 1M floats", hist);
  std::vector<float> second(16000);
  for (float& v : second) v = 0.2f * normal(rng);
  ns.clear();
  for (int i = 0; i < clips; ++i) {
    second[0] = static_cast<float>(i) / static_cast<float>(clips);
    int64_t t0 = bench::NowNs();
    run.log({{"audio", wandb::Audio(second, 16000)}});
    ns.push_back(bench::NowNs() - t0);
  }
  Stats audio = Summarize(ns);
  run.flush();
  Print("1 s of 16 kHz audio", audio);
  std::vector<uint8_t> frames(16 * 3 * 64 * 64);
  for (uint8_t& p : frames) p = static_cast<uint8_t>(rng() & 0xe0);  // 8 levels a channel
  ns.clear();
  int64_t videos0 = bench::NowNs();
  for (int i = 0; i < clips; ++i) {
    frames[0] = static_cast<uint8_t>(i);
    int64_t t0 = bench::NowNs();
    run.log({{"video", wandb::Video(frames, {16, 3, 64, 64})}});
    ns.push_back(bench::NowNs() - t0);
  }
  Stats video = Summarize(ns);
  run.flush();
  double videos_per_second = clips / (static_cast<double>(bench::NowNs() - videos0) / 1e9);
  Print("a 16-frame 64x64 video", video);
  std::printf("  videos (GIF) written end to end: %.1f/s\n", videos_per_second);
  int64_t finish0 = bench::NowNs();
  run.finish();
  std::printf("  finish() after that: %.1f ms\n", bench::Ms(bench::NowNs() - finish0));

  // End to end: every image's file written and the run finished.
  wandb::Run flood = wandb::init({.project = "bench", .name = "media-flood"});
  int64_t start = bench::NowNs();
  for (int i = 0; i < end_to_end; ++i) {
    pixels[2] = static_cast<uint8_t>(i);
    pixels[3] = static_cast<uint8_t>(i >> 8);
    flood.log({{"image", wandb::Image(pixels, shape)}});
  }
  int64_t logged = bench::NowNs();
  flood.finish();
  int64_t done = bench::NowNs();
  double per_second = end_to_end / (static_cast<double>(done - start) / 1e9);
  std::printf(
      "end to end: %d images (random pixels, 151 KB PNG each) in %.1f ms: %.0f images/s "
      "(log() loop %.1f ms)\n",
      end_to_end, bench::Ms(done - start), per_second, bench::Ms(logged - start));

  bench::Result("media_log_image_median_us", one.median_us, "us");
  bench::Result("media_log_image_p99_us", one.p99_us, "us");
  bench::Result("media_log_image_back_to_back_median_us", back_to_back.median_us, "us");
  bench::Result("media_log_16_images_median_us", sixteen.median_us, "us");
  bench::Result("media_log_histogram_1m_median_us", hist.median_us, "us");
  bench::Result("media_images_per_second", per_second, "images/s");
  bench::Result("media_log_audio_1s_median_us", audio.median_us, "us");
  bench::Result("media_log_video_16x64x64_median_us", video.median_us, "us");
  bench::Result("media_videos_per_second", videos_per_second, "videos/s");
  return 0;
}
