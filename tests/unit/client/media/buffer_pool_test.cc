// The pool of media buffers: copies are exact, a released buffer is used again for a copy of
// about its size (not for a much smaller one), and the pool keeps no more than its bounds.
#include "client/src/media/buffer_pool.h"

#include <catch2/catch.hpp>
#include <cstring>
#include <string>
#include <vector>

namespace wandb::internal {

TEST_CASE("PooledCopy copies the bytes and a released buffer is taken again by a like copy") {
  // An odd size no other test uses, so that the buffer found again is this one.
  const size_t size = 150'001;
  std::vector<uint8_t> data(size);
  for (size_t i = 0; i < size; ++i) data[i] = static_cast<uint8_t>(i * 7);
  const uint8_t* first_address = nullptr;
  {
    std::shared_ptr<const uint8_t> copy = PooledCopy(data.data(), size);
    CHECK(std::memcmp(copy.get(), data.data(), size) == 0);
    first_address = copy.get();
  }
  std::shared_ptr<const uint8_t> again = PooledCopy(data.data(), size - 1);
  CHECK(again.get() == first_address);
  std::shared_ptr<const uint8_t> small = PooledCopy(data.data(), 1000);
  CHECK(small.get() != first_address);
}

TEST_CASE("the buffer pool keeps at most its bounds of released buffers") {
  std::vector<std::shared_ptr<const uint8_t>> held;
  std::string bytes(4096, 'x');
  for (size_t i = 0; i < kPoolMaxBuffers + 8; ++i) held.push_back(PooledCopy(bytes.data(), 4096));
  held.clear();
  PoolStats stats = BufferPoolStats();
  CHECK(stats.buffers <= kPoolMaxBuffers);
  CHECK(stats.bytes <= kPoolMaxBytes);
  // Larger than the pool may keep: freed, not kept.
  size_t before = BufferPoolStats().bytes;
  std::vector<uint8_t> huge(kPoolMaxBytes + 1);
  { std::shared_ptr<const uint8_t> copy = PooledCopy(huge.data(), huge.size()); }
  CHECK(BufferPoolStats().bytes <= before);
}

}  // namespace wandb::internal
