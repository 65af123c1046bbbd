// log_artifact into the local store (issue 14): MB/s from the first add to wait()'s return
// (the store has every file), against a plain `cp` of the same bytes on the same disk; then a
// second version with one file changed, which copies only that file; then use_artifact +
// download() of that version into a fresh directory, with the artifact cache emptied first
// (every file copied from the store into the cache, then out) and with it warm.
//
//   bench_artifact [--small N] [--small-bytes B] [--large-mb M]
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

#include <wandb/wandb.h>

#include "bench/bench_util.h"

namespace {

namespace fs = std::filesystem;

// `count` files of `bytes` each under `dir`, each with its own content.
void WriteFiles(const std::string& dir, int count, int64_t bytes) {
  fs::create_directories(dir);
  std::string block(1 << 20, 'x');
  for (int f = 0; f < count; ++f) {
    std::ofstream out(dir + "/f" + std::to_string(f) + ".bin", std::ios::binary);
    out << "file " << f << '\n';
    for (int64_t left = bytes; left > 0; left -= static_cast<int64_t>(block.size())) {
      out.write(block.data(), std::min<int64_t>(left, static_cast<int64_t>(block.size())));
    }
  }
}

double Seconds(int64_t since_ns) { return static_cast<double>(bench::NowNs() - since_ns) / 1e9; }

// Seconds for `cp -r` of `dir` beside it.
double CopySeconds(const std::string& dir) {
  const int64_t t0 = bench::NowNs();
  const std::string command = "cp -r '" + dir + "' '" + dir + "-cp' && sync";
  if (std::system(command.c_str()) != 0) std::fprintf(stderr, "cp failed\n");
  const double seconds = Seconds(t0);
  fs::remove_all(dir + "-cp");
  return seconds;
}

// Logs `dir` as artifact `name` and waits for the store; seconds.
double LogSeconds(wandb::Run& run, const std::string& name, const std::string& dir,
                  std::string* version) {
  const int64_t t0 = bench::NowNs();
  wandb::Artifact artifact(name, "dataset");
  artifact.add_dir(dir);
  run.log_artifact(artifact);
  *version = artifact.wait();
  return Seconds(t0);
}

// Seconds for use_artifact(name:latest) + download() into `target`.
double DownloadSeconds(wandb::Run& run, const std::string& name, const std::string& target) {
  fs::remove_all(target);
  const int64_t t0 = bench::NowNs();
  run.use_artifact(name + ":latest").download(target);
  const double seconds = Seconds(t0);
  fs::remove_all(target);
  return seconds;
}

void Measure(wandb::Run& run, const std::string& root, const char* tag, int count, int64_t bytes) {
  const std::string dir = root + "/" + tag;
  WriteFiles(dir, count, bytes);
  const double mb = static_cast<double>(count) * static_cast<double>(bytes) / 1e6;
  const double cp = CopySeconds(dir);
  std::string version;
  const double first = LogSeconds(run, tag, dir, &version);
  std::printf(
      "  %d files of %.3f MB: log_artifact + wait %.3f s (%.1f MB/s, %s); cp %.3f s "
      "(%.1f MB/s)\n",
      count, static_cast<double>(bytes) / 1e6, first, mb / first, version.c_str(), cp, mb / cp);
  std::ofstream(dir + "/f0.bin", std::ios::binary | std::ios::app) << "changed";
  const double second = LogSeconds(run, tag, dir, &version);
  std::printf("  the same with one file changed: %.3f s (%s)\n", second, version.c_str());
  const std::string name(tag);
  fs::remove_all(root + "/cache/artifacts/obj");
  const double cold = DownloadSeconds(run, name, root + "/download");
  const double warm = DownloadSeconds(run, name, root + "/download");
  std::printf(
      "  use_artifact + download: %.3f s (%.1f MB/s) from the store, %.3f s (%.1f MB/s) "
      "from a warm cache\n",
      cold, mb / cold, warm, mb / warm);
  bench::Result("artifact_download_mb_per_s_" + name, mb / cold, "MB/s");
  bench::Result("artifact_download_warm_mb_per_s_" + name, mb / warm, "MB/s");
  bench::Result("artifact_mb_per_s_" + name, mb / first, "MB/s");
  bench::Result("artifact_cp_mb_per_s_" + name, mb / cp, "MB/s");
  bench::Result("artifact_one_changed_s_" + name, second, "s");
}

}  // namespace

int main(int argc, char** argv) {
  int small = 1000;
  int64_t small_bytes = 4096;
  int64_t large_mb = 1024;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--small") == 0) small = std::atoi(argv[i + 1]);
    if (std::strcmp(argv[i], "--small-bytes") == 0) small_bytes = std::atoll(argv[i + 1]);
    if (std::strcmp(argv[i], "--large-mb") == 0) large_mb = std::atoll(argv[i + 1]);
  }
  setenv("WANDB_MODE", "local", 1);
  bench::BenchEnv env;
  const std::string root = env.wandb_dir() + "/../artifact-data";
  setenv("WANDB_CACHE_DIR", (root + "/cache").c_str(), 1);
  wandb::Run run = wandb::init({.project = "bench", .name = "artifacts"});
  std::printf("log_artifact into the local store\n");
  Measure(run, root, "small", small, small_bytes);
  Measure(run, root, "large", 1, large_mb << 20);
  run.finish();
  return 0;
}
