#include "client/src/media/buffer_pool.h"

#include <cstring>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace wandb::internal {
namespace {

struct Buffer {
  uint8_t* data;
  size_t capacity;
};

class BufferPool {
 public:
  // A buffer of at least `bytes`: the smallest kept one no more than twice that size (so a
  // small image does not hold a large buffer), or a new one.
  Buffer Take(size_t bytes) {
    {
      absl::MutexLock lock(&mu_);
      size_t best = free_.size();
      for (size_t i = 0; i < free_.size(); ++i) {
        size_t capacity = free_[i].capacity;
        if (capacity >= bytes && capacity / 2 <= bytes &&
            (best == free_.size() || capacity < free_[best].capacity)) {
          best = i;
        }
      }
      if (best < free_.size()) {
        Buffer found = free_[best];
        free_[best] = free_.back();
        free_.pop_back();
        bytes_ -= found.capacity;
        return found;
      }
    }
    // operator new[] is aligned for any scalar; not zeroed, since it is copied over at once.
    return Buffer{new uint8_t[bytes > 0 ? bytes : 1], bytes};
  }

  void Give(Buffer buffer) {
    {
      absl::MutexLock lock(&mu_);
      if (free_.size() < kPoolMaxBuffers && bytes_ + buffer.capacity <= kPoolMaxBytes) {
        free_.push_back(buffer);
        bytes_ += buffer.capacity;
        return;
      }
    }
    delete[] buffer.data;
  }

  PoolStats Stats() {
    absl::MutexLock lock(&mu_);
    return PoolStats{free_.size(), bytes_};
  }

 private:
  absl::Mutex mu_;
  std::vector<Buffer> free_ ABSL_GUARDED_BY(mu_);
  size_t bytes_ ABSL_GUARDED_BY(mu_) = 0;
};

// Never destroyed: a value may be released by a thread that outlives static destruction.
BufferPool& Pool() {
  static BufferPool* pool = new BufferPool;
  return *pool;
}

}  // namespace

std::shared_ptr<const uint8_t> PooledCopy(const void* data, size_t bytes) {
  Buffer buffer = Pool().Take(bytes);
  if (bytes > 0) std::memcpy(buffer.data, data, bytes);
  return std::shared_ptr<const uint8_t>(buffer.data,
                                        [buffer](const uint8_t*) { Pool().Give(buffer); });
}

PoolStats BufferPoolStats() { return Pool().Stats(); }

}  // namespace wandb::internal
