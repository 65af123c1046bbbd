// A process's resident memory (VmRSS), read from /proc/<pid>/status: now, and the highest a
// thread sampling it every few milliseconds saw while the sampler lived. Sampled rather than
// read from VmHWM because VmHWM only ever grows: one phase's peak would hide the next one's.
#ifndef WANDB_TESTS_SUPPORT_RSS_SAMPLER_H_
#define WANDB_TESTS_SUPPORT_RSS_SAMPLER_H_

#include <sys/types.h>

#include <atomic>
#include <thread>

namespace wandb::testing {

// VmRSS of `pid` in MiB; -1 when it cannot be read (the process is gone).
double RssMb(pid_t pid);

class RssSampler {
 public:
  explicit RssSampler(pid_t pid);
  ~RssSampler();  // stops and joins
  RssSampler(const RssSampler&) = delete;
  RssSampler& operator=(const RssSampler&) = delete;

  double peak_mb() const { return peak_kb_.load() / 1024.0; }

 private:
  const pid_t pid_;
  std::atomic<bool> stop_{false};
  std::atomic<long> peak_kb_{0};
  std::thread thread_;
};

}  // namespace wandb::testing

#endif  // WANDB_TESTS_SUPPORT_RSS_SAMPLER_H_
