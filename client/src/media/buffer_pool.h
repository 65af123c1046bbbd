// Copies of the callers' pixels and frames, in buffers that are used again.
//
// A 224x224x3 image is 147 KB: above glibc's mmap threshold, so each fresh copy is new pages
// that the caller's thread faults in one by one (37 faults, about 60 us of a log() call that
// is otherwise 2 us; measured in docs/performance.md). A buffer is given back here when the
// run's background thread is done with the value, and the next copy of about that size takes
// it, already mapped. The pool keeps a few buffers and a bounded number of bytes; the rest are
// freed as usual.
#ifndef WANDB_CLIENT_SRC_MEDIA_BUFFER_POOL_H_
#define WANDB_CLIENT_SRC_MEDIA_BUFFER_POOL_H_

#include <cstddef>
#include <cstdint>
#include <memory>

namespace wandb::internal {

inline constexpr size_t kPoolMaxBuffers = 16;
inline constexpr size_t kPoolMaxBytes = size_t{64} << 20;

// `bytes` bytes copied from `data` into a pooled buffer, aligned for any scalar type; the
// buffer goes back to the pool when the last copy of the pointer is gone.
std::shared_ptr<const uint8_t> PooledCopy(const void* data, size_t bytes);

// What the pool holds now (for tests).
struct PoolStats {
  size_t buffers = 0;
  size_t bytes = 0;
};
PoolStats BufferPoolStats();

}  // namespace wandb::internal

#endif  // WANDB_CLIENT_SRC_MEDIA_BUFFER_POOL_H_
