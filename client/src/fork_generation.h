// Which process a run belongs to. fork() copies a run's memory into the child, but none of
// its threads, and the child's gRPC cannot be used (its polling engine is the parent's): the
// run stays the parent's. The run registry counts forks in each child (a pthread_atfork
// handler, installed when the first run starts), and a run remembers the count it started
// under, so that telling a run inherited through fork() from one's own costs a relaxed
// atomic load (getpid() is a system call, too slow for log()).
#ifndef WANDB_CLIENT_SRC_FORK_GENERATION_H_
#define WANDB_CLIENT_SRC_FORK_GENERATION_H_

#include <atomic>
#include <cstdint>

namespace wandb::internal {

class ForkGeneration {
 public:
  // 0 in a process not forked from one that started a run; one more in each forked child.
  static uint64_t Current() { return generation_.load(std::memory_order_relaxed); }
  // Called by the fork handler in the child only.
  static void EnterChild() { generation_.fetch_add(1, std::memory_order_relaxed); }

 private:
  static inline std::atomic<uint64_t> generation_{0};
};

}  // namespace wandb::internal

#endif  // WANDB_CLIENT_SRC_FORK_GENERATION_H_
