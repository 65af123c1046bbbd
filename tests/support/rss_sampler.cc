#include "tests/support/rss_sampler.h"

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <string>

namespace wandb::testing {
namespace {

constexpr auto kInterval = std::chrono::milliseconds(5);

long RssKb(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("VmRSS:", 0) == 0) return std::strtol(line.c_str() + 6, nullptr, 10);
  }
  return -1;
}

}  // namespace

double RssMb(pid_t pid) {
  const long kb = RssKb(pid);
  return kb < 0 ? -1 : kb / 1024.0;
}

RssSampler::RssSampler(pid_t pid) : pid_(pid), peak_kb_(RssKb(pid)) {
  thread_ = std::thread([this] {
    while (!stop_.load()) {
      const long kb = RssKb(pid_);
      if (kb > peak_kb_.load()) peak_kb_ = kb;
      std::this_thread::sleep_for(kInterval);
    }
  });
}

RssSampler::~RssSampler() {
  stop_ = true;
  thread_.join();
}

}  // namespace wandb::testing
