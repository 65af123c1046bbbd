#include "service/files/ignore_rules.h"

#include <catch2/catch.hpp>

namespace wandb::files {
namespace {

TEST_CASE("FnMatch: Python fnmatch semantics", "[files][ignore_rules]") {
  CHECK(FnMatch("*.txt", "a.txt"));
  CHECK(FnMatch("*.txt", "dir/a.txt"));  // '*' crosses '/'
  CHECK(FnMatch("*", ".hidden"));        // and matches a leading '.'
  CHECK(FnMatch("a?c", "a/c"));
  CHECK(FnMatch("[ab]*", "b1"));
  CHECK(FnMatch("[!ab]*", "c1"));
  CHECK(FnMatch("a\\b", "a\\b"));  // a backslash is an ordinary character
  CHECK_FALSE(FnMatch("*.txt", "a.txt.bak"));
  CHECK_FALSE(FnMatch("a.txt", "A.TXT"));  // case-sensitive, as on POSIX
}

TEST_CASE("HasGlobMagic and HasDotComponent", "[files][ignore_rules]") {
  CHECK(HasGlobMagic("*.pt"));
  CHECK(HasGlobMagic("a?"));
  CHECK(HasGlobMagic("[ab]"));
  CHECK_FALSE(HasGlobMagic("ckpt/model.pt"));
  CHECK(HasDotComponent(".env"));
  CHECK(HasDotComponent("a/.git/b"));
  CHECK_FALSE(HasDotComponent("a/b.c/d.e"));
}

TEST_CASE("IgnoreRules: the watcher ignores wandb's names", "[files][ignore_rules]") {
  IgnoreRules rules;
  for (const char* name : {"x.tmp", "a/b/x.tmp", "run-1.wandb", "wandb-summary.json", ".hidden",
                           "a/.hidden", ".git/config"}) {
    INFO(name);
    CHECK(rules.IgnoredByWatcher(name));
    CHECK_FALSE(rules.IgnoredAtFinish(name));  // the finish scan uploads them
  }
  for (const char* name : {"config.yaml", "output.log", "media/x.png", "sub/wandb-summary.json",
                           "x.tmp.txt", "wandb-metadata.json"}) {
    INFO(name);
    CHECK_FALSE(rules.IgnoredByWatcher(name));
  }
}

TEST_CASE("IgnoreRules: user globs apply to the watcher and at finish", "[files][ignore_rules]") {
  IgnoreRules rules({"*.ckpt", "cache/*"});
  CHECK(rules.IgnoredByWatcher("big.ckpt"));
  CHECK(rules.IgnoredAtFinish("deep/big.ckpt"));
  CHECK(rules.IgnoredAtFinish("cache/a/b"));
  CHECK_FALSE(rules.IgnoredAtFinish("notcache/a"));
}

}  // namespace
}  // namespace wandb::files
