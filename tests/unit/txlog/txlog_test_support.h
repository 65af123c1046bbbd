// What the transaction-log tests share. The format constants are restated here rather than
// taken from log_format.h, so that a wrong constant there fails the tests instead of silently
// agreeing with itself.
#ifndef WANDB_TESTS_UNIT_TXLOG_TXLOG_TEST_SUPPORT_H_
#define WANDB_TESTS_UNIT_TXLOG_TXLOG_TEST_SUPPORT_H_

#include <stdlib.h>

#include <catch2/catch.hpp>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace wandb::txlog::testing {

constexpr size_t kBlock = 32768;
constexpr size_t kHeader = 7;
constexpr size_t kRoom = kBlock - kHeader;  // payload bytes in a chunk that fills a block
constexpr uint8_t kFull = 1, kFirst = 2, kMiddle = 3, kLast = 4;
inline const std::string kFileHeader("\x3a\x57\x26\x42\xe1\xbe\x00", 7);

// A fresh directory under the system temp dir, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "txlog_test.XXXXXX").string();
    REQUIRE(mkdtemp(tmpl.data()) != nullptr);
    path_ = tmpl;
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

inline std::string ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace wandb::txlog::testing

#endif  // WANDB_TESTS_UNIT_TXLOG_TXLOG_TEST_SUPPORT_H_
