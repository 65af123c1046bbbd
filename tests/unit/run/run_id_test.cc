#include "common/run/run_id.h"

#include <catch2/catch.hpp>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace wandb {
namespace {

const std::string kAlphabet = "0123456789abcdefghijklmnopqrstuvwxyz";

std::string Error(absl::string_view id) {
  absl::Status s = ValidateRunId(id);
  REQUIRE_FALSE(s.ok());
  CHECK(s.code() == absl::StatusCode::kInvalidArgument);
  return std::string(s.message());
}

TEST_CASE("GenerateRunId: 8 characters of [0-9a-z]", "[run_id]") {
  std::set<char> seen;
  std::set<std::string> ids;
  for (int i = 0; i < 2000; ++i) {
    std::string id = GenerateRunId();
    REQUIRE(id.size() == 8);
    for (char c : id) {
      INFO("id " << id);
      REQUIRE(kAlphabet.find(c) != std::string::npos);
      seen.insert(c);
    }
    CHECK(ValidateRunId(id).ok());
    ids.insert(id);
  }
  // 16000 draws from 36 characters: every character shows up, and ids do not repeat.
  CHECK(seen.size() == kAlphabet.size());
  CHECK(ids.size() == 2000);
}

TEST_CASE("GenerateRunId: threads do not share a sequence", "[run_id]") {
  std::vector<std::string> a, b;
  std::thread t1([&] {
    for (int i = 0; i < 100; ++i) a.push_back(GenerateRunId());
  });
  std::thread t2([&] {
    for (int i = 0; i < 100; ++i) b.push_back(GenerateRunId());
  });
  t1.join();
  t2.join();
  std::set<std::string> all(a.begin(), a.end());
  all.insert(b.begin(), b.end());
  CHECK(all.size() == 200);
}

TEST_CASE("ValidateRunId accepts safe path components", "[run_id]") {
  CHECK(ValidateRunId("a").ok());
  CHECK(ValidateRunId("abc123xy").ok());
  CHECK(ValidateRunId("My-Run_1.2").ok());
  CHECK(ValidateRunId("...").ok());  // only "." and ".." are special
  CHECK(ValidateRunId(".hidden").ok());
  CHECK(ValidateRunId(std::string(64, 'z')).ok());
}

TEST_CASE("ValidateRunId refuses ids that are not safe path components", "[run_id]") {
  CHECK(Error("") == "run id '' must have 1 to 64 characters");
  CHECK(Error(std::string(65, 'z')) ==
        "run id '" + std::string(65, 'z') + "' must have 1 to 64 characters");
  CHECK(Error(".") == "run id '.' is not allowed");
  CHECK(Error("..") == "run id '..' is not allowed");
  const std::string bad_chars = "run id '../x' may only contain letters, digits, '_', '-' and '.'";
  CHECK(Error("../x") == bad_chars);
  CHECK(Error("a/b") == "run id 'a/b' may only contain letters, digits, '_', '-' and '.'");
  for (const char* id : {"a b", "a\\b", "a:b", "a\nb", "tab\t", "\xc3\xa9", "a*", "~user", "$x"}) {
    INFO("id " << id);
    CHECK_THAT(Error(id), Catch::EndsWith("may only contain letters, digits, '_', '-' and '.'"));
  }
  CHECK_FALSE(ValidateRunId(std::string("a\0b", 3)).ok());
}

}  // namespace
}  // namespace wandb
