// A small filesystem for full-disk tests: a tmpfs of a given size mounted on a directory for a
// test's length (mounting needs root; callers skip with a message when it fails), and a way to
// fill it up.
#ifndef WANDB_TESTS_SUPPORT_SMALL_DISK_H_
#define WANDB_TESTS_SUPPORT_SMALL_DISK_H_

#include <sys/mount.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

namespace wandb::testing {

// Writes zeros to `path` until the filesystem is full.
inline void FillUp(const std::string& path) {
  std::ofstream out(path, std::ios::binary);
  const std::string block(64 * 1024, '\0');
  while (out.write(block.data(), static_cast<std::streamsize>(block.size())) && out.flush()) {
  }
}

// A tmpfs of `size` (as mount(8) takes it: "8m") mounted on `dir` until destruction.
class SmallDisk {
 public:
  SmallDisk(const std::string& dir, const char* size) : dir_(dir) {
    std::filesystem::create_directories(dir);
    std::string options = std::string("size=") + size;
    mounted_ = mount("tmpfs", dir.c_str(), "tmpfs", 0, options.c_str()) == 0;
    if (!mounted_) error_ = std::strerror(errno);
  }
  ~SmallDisk() {
    if (mounted_) umount2(dir_.c_str(), MNT_DETACH);
  }
  SmallDisk(const SmallDisk&) = delete;
  SmallDisk& operator=(const SmallDisk&) = delete;
  bool mounted() const { return mounted_; }
  const std::string& error() const { return error_; }

 private:
  std::string dir_;
  bool mounted_ = false;
  std::string error_;
};

}  // namespace wandb::testing

#endif  // WANDB_TESTS_SUPPORT_SMALL_DISK_H_
