// save() into the local store: what a save() call costs the caller, and how fast the daemon
// stores files (files/s for many small ones, MB/s for a few large ones). Every file has its
// own content, so nothing is deduplicated. The clock runs from the first save() to the
// return of finish(), which waits until the store has every file.
//
//   bench_save [--small N] [--small-bytes B] [--large N] [--large-mb M]
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <wandb/wandb.h>

#include "bench/bench_util.h"

namespace {

// Writes `count` files of `bytes` each under `dir`, each with its own content.
void WriteFiles(const std::string& dir, const std::string& prefix, int count, int64_t bytes) {
  std::filesystem::create_directories(dir);
  std::string block(1 << 20, 'x');
  for (int f = 0; f < count; ++f) {
    std::ofstream out(dir + "/" + prefix + std::to_string(f) + ".bin", std::ios::binary);
    out << prefix << f << '\n';
    for (int64_t left = bytes; left > 0; left -= static_cast<int64_t>(block.size())) {
      block[0] = static_cast<char>('a' + f % 26);
      out.write(block.data(), std::min<int64_t>(left, static_cast<int64_t>(block.size())));
    }
  }
}

void Measure(const bench::BenchEnv& env, const char* tag, int count, int64_t bytes) {
  std::string dir = env.wandb_dir() + "/../data-" + tag;
  WriteFiles(dir, tag, count, bytes);
  std::filesystem::current_path(dir);
  wandb::Run run = wandb::init({.project = "bench", .name = std::string("save-") + tag});
  std::vector<int64_t> call_ns;
  int64_t t0 = bench::NowNs();
  for (int f = 0; f < count; ++f) {
    int64_t c0 = bench::NowNs();
    run.save(std::string(tag) + std::to_string(f) + ".bin", {.policy = wandb::Policy::kNow});
    call_ns.push_back(bench::NowNs() - c0);
  }
  run.finish();
  double seconds = static_cast<double>(bench::NowNs() - t0) / 1e9;
  double mb = static_cast<double>(count) * static_cast<double>(bytes) / 1e6;
  double median_us = static_cast<double>(bench::Quantile(call_ns, 0.5)) / 1e3;
  double p99_us = static_cast<double>(bench::Quantile(call_ns, 0.99)) / 1e3;
  std::printf(
      "  %d files of %.1f MB: %.3f s from the first save() to finish() -> %.0f files/s, "
      "%.1f MB/s; save() call median %.1f us, p99 %.1f us\n",
      count, static_cast<double>(bytes) / 1e6, seconds, count / seconds, mb / seconds, median_us,
      p99_us);
  std::string name(tag);
  bench::Result("save_files_per_s_" + name, count / seconds, "files/s");
  bench::Result("save_mb_per_s_" + name, mb / seconds, "MB/s");
  bench::Result("save_call_median_us_" + name, median_us, "us");
  bench::Result("save_call_p99_us_" + name, p99_us, "us");
}

}  // namespace

int main(int argc, char** argv) {
  int small = 1000;
  int64_t small_bytes = 4096;
  int large = 10;
  int64_t large_mb = 50;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--small") == 0) small = std::atoi(argv[i + 1]);
    if (std::strcmp(argv[i], "--small-bytes") == 0) small_bytes = std::atoll(argv[i + 1]);
    if (std::strcmp(argv[i], "--large") == 0) large = std::atoi(argv[i + 1]);
    if (std::strcmp(argv[i], "--large-mb") == 0) large_mb = std::atoll(argv[i + 1]);
  }
  setenv("WANDB_MODE", "local", 1);
  bench::BenchEnv env;
  std::printf("save() into the local store\n");
  Measure(env, "small", small, small_bytes);
  Measure(env, "large", large, large_mb << 20);
  return 0;
}
