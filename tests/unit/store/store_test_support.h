// What the local-store tests share: a private temporary directory, whole-file reads and
// writes, and running a function in a forked child process.
#ifndef WANDB_TESTS_UNIT_STORE_STORE_TEST_SUPPORT_H_
#define WANDB_TESTS_UNIT_STORE_STORE_TEST_SUPPORT_H_

#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <exception>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <string>

namespace wandb::store::testing {

// A fresh directory under the system temp dir, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "store_test.XXXXXX").string();
    REQUIRE(mkdtemp(tmpl.data()) != nullptr);
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

inline std::string ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

inline void WriteBytes(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
  REQUIRE(out.good());
}

// Regular files anywhere under `dir`.
inline int CountFiles(const std::string& dir) {
  int count = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) ++count;
  }
  return count;
}

// Runs `body` in a forked child and returns its exit status (the body's return value; 99 for
// an exception, 98 when the child did not exit normally). The child leaves with _exit, so it
// never runs the parent's destructors or returns into the test framework; it must not use
// the parent's open stores.
inline int RunInChild(const std::function<int()>& body) {
  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    int code = 99;
    try {
      code = body();
    } catch (...) {
    }
    _exit(code);
  }
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 98;
}

}  // namespace wandb::store::testing

#endif  // WANDB_TESTS_UNIT_STORE_STORE_TEST_SUPPORT_H_
