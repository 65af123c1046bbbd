#include "service/files/save_policies.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "tests/unit/files/files_test_support.h"

namespace wandb::files {
namespace {

using testing::SetMtime;
using testing::TempDir;
using testing::WriteFileAt;

const absl::Time kStart = absl::FromUnixSeconds(1'700'000'000);
absl::Time At(absl::Duration offset) { return kStart + offset; }

std::vector<std::string> Names(const std::vector<UploadTask>& tasks) {
  std::vector<std::string> names;
  for (const UploadTask& task : tasks) names.push_back(task.save_name);
  return names;
}

std::vector<UploadTask> Save(SavePolicies& policies, absl::string_view glob, Policy policy,
                             absl::Time now = kStart) {
  absl::StatusOr<std::vector<UploadTask>> tasks = policies.OnSave(glob, policy, now);
  REQUIRE(tasks.ok());
  return *tasks;
}

// Tells the policies that `task` was uploaded as decided.
void Confirm(SavePolicies& policies, const UploadTask& task) {
  policies.Uploaded(task.save_name, task.version.size, task.version.mtime);
}

TEST_CASE("SavePolicies: files nobody saved are end files", "[files][save_policies]") {
  TempDir dir;
  SavePolicies policies(dir.path());
  CHECK(policies.PolicyFor("config.yaml") == Policy::kEnd);
  CHECK(policies.PolicyFor("media/images/a.png") == Policy::kEnd);
}

TEST_CASE("SavePolicies: tfevents and graph.pbtxt are live, whatever save() said",
          "[files][save_policies]") {
  TempDir dir;
  SavePolicies policies(dir.path());
  Save(policies, "events.out.tfevents.123.host", Policy::kNow);
  Save(policies, "*", Policy::kEnd);
  CHECK(policies.PolicyFor("events.out.tfevents.123.host") == Policy::kLive);
  CHECK(policies.PolicyFor("logs/train/events.out.tfevents.9") == Policy::kLive);
  CHECK(policies.PolicyFor("graph.pbtxt") == Policy::kLive);
  CHECK(policies.PolicyFor("model/graph.pbtxt.bak") == Policy::kLive);
}

TEST_CASE("SavePolicies: an exact save name keeps its own policy", "[files][save_policies]") {
  TempDir dir;
  SavePolicies policies(dir.path());
  Save(policies, "model.h5", Policy::kNow);
  Save(policies, "./ckpt//last.pt", Policy::kLive);  // normalised to ckpt/last.pt
  Save(policies, "notes.txt", Policy::kEnd);
  Save(policies, "*.txt", Policy::kLive);
  CHECK(policies.PolicyFor("model.h5") == Policy::kNow);
  CHECK(policies.PolicyFor("ckpt/last.pt") == Policy::kLive);
  // The exact name wins over a matching glob, even for end.
  CHECK(policies.PolicyFor("notes.txt") == Policy::kEnd);
  CHECK(policies.PolicyFor("other.txt") == Policy::kLive);
}

TEST_CASE("SavePolicies: globs match like Python's fnmatch", "[files][save_policies]") {
  TempDir dir;
  SavePolicies policies(dir.path());
  Save(policies, "*.pt", Policy::kLive);
  Save(policies, "logs/run?.log", Policy::kNow);
  Save(policies, "data[0-9].csv", Policy::kLive);
  CHECK(policies.PolicyFor("a.pt") == Policy::kLive);
  CHECK(policies.PolicyFor("ckpt/deep/b.pt") == Policy::kLive);  // '*' crosses '/'
  CHECK(policies.PolicyFor(".hidden.pt") == Policy::kLive);      // and a leading '.'
  CHECK(policies.PolicyFor("logs/run1.log") == Policy::kNow);
  CHECK(policies.PolicyFor("logs/run12.log") == Policy::kEnd);
  CHECK(policies.PolicyFor("data7.csv") == Policy::kLive);
  CHECK(policies.PolicyFor("datax.csv") == Policy::kEnd);
  CHECK(policies.PolicyFor("a.pth") == Policy::kEnd);
}

TEST_CASE("SavePolicies: a now glob wins over a live glob, an end glob demotes nothing",
          "[files][save_policies]") {
  TempDir dir;
  SavePolicies policies(dir.path());
  Save(policies, "*.json", Policy::kLive);
  Save(policies, "results*", Policy::kNow);
  Save(policies, "*", Policy::kEnd);
  CHECK(policies.PolicyFor("results.json") == Policy::kNow);
  CHECK(policies.PolicyFor("metrics.json") == Policy::kLive);
  CHECK(policies.PolicyFor("results.txt") == Policy::kNow);
}

TEST_CASE("SavePolicies: a file keeps the policy it was first seen with",
          "[files][save_policies]") {
  TempDir dir;
  SavePolicies policies(dir.path());
  CHECK(policies.PolicyFor("later.bin") == Policy::kEnd);
  // A glob recorded afterwards that names no existing file does not reach it.
  Save(policies, "*.bin", Policy::kLive);
  CHECK(policies.PolicyFor("later.bin") == Policy::kEnd);
  CHECK(policies.PolicyFor("new.bin") == Policy::kLive);
}

TEST_CASE("SavePolicies: bad globs are refused", "[files][save_policies]") {
  TempDir dir;
  SavePolicies policies(dir.path());
  for (const char* glob : {"", "/etc/passwd", "../x", "a/../../b", "./", "."}) {
    INFO("glob = '" << glob << "'");
    absl::StatusOr<std::vector<UploadTask>> tasks = policies.OnSave(glob, Policy::kNow, kStart);
    CHECK(tasks.status().code() == absl::StatusCode::kInvalidArgument);
  }
  CHECK(policies.PolicyFor("x") == Policy::kEnd);
}

TEST_CASE("SavePolicies: now uploads once per save() call", "[files][save_policies]") {
  TempDir dir;
  WriteFileAt(dir.File("model.h5"), "weights", 100);
  SavePolicies policies(dir.path());
  std::vector<UploadTask> first = Save(policies, "model.h5", Policy::kNow);
  REQUIRE(first.size() == 1);
  CHECK(first[0].save_name == "model.h5");
  CHECK(first[0].source_path == dir.File("model.h5"));
  CHECK(first[0].policy == Policy::kNow);
  CHECK(first[0].version == FileVersion{.size = 7, .mtime = absl::FromUnixSeconds(100)});

  // Changes alone do not upload a now file again...
  WriteFileAt(dir.File("model.h5"), "weights v2", 200);
  CHECK_FALSE(policies.OnChanged("model.h5", At(absl::Hours(1))).has_value());
  // ...another save() does, even unchanged.
  CHECK(Names(Save(policies, "model.h5", Policy::kNow)) == std::vector<std::string>{"model.h5"});
  CHECK(Names(Save(policies, "model.h5", Policy::kNow)) == std::vector<std::string>{"model.h5"});
}

TEST_CASE("SavePolicies: a now file saved before it exists uploads when it appears",
          "[files][save_policies]") {
  TempDir dir;
  SavePolicies policies(dir.path());
  CHECK(Save(policies, "result.json", Policy::kNow).empty());
  WriteFileAt(dir.File("result.json"), "", 100);
  CHECK_FALSE(policies.OnChanged("result.json", kStart).has_value());  // empty: not yet
  WriteFileAt(dir.File("result.json"), "{}", 101);
  std::optional<UploadTask> task = policies.OnChanged("result.json", kStart);
  REQUIRE(task.has_value());
  CHECK(task->policy == Policy::kNow);
  WriteFileAt(dir.File("result.json"), "{1}", 102);
  CHECK_FALSE(policies.OnChanged("result.json", kStart).has_value());
}

TEST_CASE("SavePolicies: a now glob uploads every existing match", "[files][save_policies]") {
  TempDir dir;
  std::filesystem::create_directories(dir.File("ckpt/sub"));
  WriteFileAt(dir.File("ckpt/a.pt"), "a", 1);
  WriteFileAt(dir.File("ckpt/sub/b.pt"), "b", 1);
  WriteFileAt(dir.File("ckpt/c.txt"), "c", 1);
  WriteFileAt(dir.File("ckpt/.d.pt"), "d", 1);    // ignored by the watcher's rules
  WriteFileAt(dir.File("ckpt/empty.pt"), "", 1);  // nothing to upload
  SavePolicies policies(dir.path());
  CHECK(Names(Save(policies, "ckpt/*.pt", Policy::kNow)) ==
        std::vector<std::string>{"ckpt/a.pt", "ckpt/sub/b.pt"});
  // The empty one is still owed its upload.
  WriteFileAt(dir.File("ckpt/empty.pt"), "now full", 2);
  CHECK(policies.OnChanged("ckpt/empty.pt", kStart).has_value());
}

TEST_CASE("SavePolicies: live uploads follow the live policy", "[files][save_policies]") {
  TempDir dir;
  SavePolicies policies(dir.path());
  Save(policies, "log.txt", Policy::kLive);
  WriteFileAt(dir.File("log.txt"), std::string(1000, 'x'), 100);
  std::optional<UploadTask> first = policies.OnChanged("log.txt", kStart);
  REQUIRE(first.has_value());
  CHECK(first->policy == Policy::kLive);

  WriteFileAt(dir.File("log.txt"), std::string(2000, 'x'), 101);
  CHECK_FALSE(policies.OnChanged("log.txt", At(absl::Seconds(20))).has_value());
  CHECK(policies.OnChanged("log.txt", At(absl::Seconds(61))).has_value());
  // The throttle restarts from that upload.
  WriteFileAt(dir.File("log.txt"), std::string(4000, 'x'), 102);
  CHECK_FALSE(policies.OnChanged("log.txt", At(absl::Seconds(100))).has_value());
}

TEST_CASE("SavePolicies: save() forces a changed live file past the throttle",
          "[files][save_policies]") {
  TempDir dir;
  WriteFileAt(dir.File("log.txt"), "abc", 100);
  SavePolicies policies(dir.path());
  CHECK(Names(Save(policies, "log.txt", Policy::kLive)) == std::vector<std::string>{"log.txt"});
  CHECK(Save(policies, "log.txt", Policy::kLive, At(absl::Seconds(1))).empty());  // unchanged
  SetMtime(dir.File("log.txt"), 101);
  CHECK(Save(policies, "log.txt", Policy::kLive, At(absl::Seconds(2))).size() == 1);
}

TEST_CASE("SavePolicies: end files never upload before finish", "[files][save_policies]") {
  TempDir dir;
  WriteFileAt(dir.File("final.csv"), "1,2", 100);
  SavePolicies policies(dir.path());
  CHECK(Save(policies, "final.csv", Policy::kEnd).empty());
  CHECK_FALSE(policies.OnChanged("final.csv", At(absl::Hours(5))).has_value());
  CHECK_FALSE(policies.OnChanged("config.yaml", kStart).has_value());
}

TEST_CASE("SavePolicies: a save() with another policy replaces the file's policy",
          "[files][save_policies]") {
  TempDir dir;
  WriteFileAt(dir.File("out.bin"), "data", 100);
  SavePolicies policies(dir.path());
  CHECK_FALSE(policies.OnChanged("out.bin", kStart).has_value());  // first seen: end
  REQUIRE(policies.PolicyFor("out.bin") == Policy::kEnd);
  CHECK(Save(policies, "out.bin", Policy::kLive).size() == 1);
  CHECK(policies.PolicyFor("out.bin") == Policy::kLive);
  CHECK(Save(policies, "*.bin", Policy::kNow).size() == 1);
  CHECK(policies.PolicyFor("out.bin") == Policy::kLive);  // its exact name says live
}

TEST_CASE("SavePolicies: missing, empty and ignored files never upload on change",
          "[files][save_policies]") {
  TempDir dir;
  SavePolicies policies(dir.path());
  Save(policies, "*", Policy::kNow);
  CHECK_FALSE(policies.OnChanged("missing.txt", kStart).has_value());
  WriteFileAt(dir.File("empty.txt"), "", 1);
  CHECK_FALSE(policies.OnChanged("empty.txt", kStart).has_value());
  for (const char* name : {"x.tmp", "run.wandb", "wandb-summary.json", ".env"}) {
    WriteFileAt(dir.File(name), "content", 1);
    CHECK_FALSE(policies.OnChanged(name, kStart).has_value());
  }
  WriteFileAt(dir.File("ok.txt"), "content", 1);
  CHECK(policies.OnChanged("ok.txt", kStart).has_value());
}

TEST_CASE("SavePolicies: a symlinked file is versioned by its target", "[files][save_policies]") {
  TempDir dir;
  TempDir user;
  WriteFileAt(user.File("ckpt.pt"), "12345", 100);
  REQUIRE(symlink(user.File("ckpt.pt").c_str(), dir.File("ckpt.pt").c_str()) == 0);
  SavePolicies policies(dir.path());
  std::vector<UploadTask> tasks = Save(policies, "ckpt.pt", Policy::kNow);
  REQUIRE(tasks.size() == 1);
  CHECK(tasks[0].source_path == dir.File("ckpt.pt"));  // the link, not resolved
  CHECK(tasks[0].version == FileVersion{.size = 5, .mtime = absl::FromUnixSeconds(100)});
}

TEST_CASE("SavePolicies: finish uploads every end file and changed live and now files",
          "[files][save_policies]") {
  TempDir dir;
  std::filesystem::create_directories(dir.File("media/images"));
  WriteFileAt(dir.File("config.yaml"), "a: 1", 100);
  WriteFileAt(dir.File("wandb-summary.json"), "{}", 100);  // wandb uploads it at the end too
  WriteFileAt(dir.File("media/images/x.png"), "png", 100);
  WriteFileAt(dir.File("live_same.txt"), "same", 100);
  WriteFileAt(dir.File("live_new.txt"), "new", 100);
  WriteFileAt(dir.File("live_never.txt"), "never", 100);
  WriteFileAt(dir.File("now_same.txt"), "same", 100);
  WriteFileAt(dir.File("now_new.txt"), "new", 100);
  WriteFileAt(dir.File("empty.txt"), "", 100);
  SavePolicies policies(dir.path());
  Save(policies, "live_*", Policy::kLive);
  Save(policies, "now_*", Policy::kNow);
  for (const char* name : {"live_same.txt", "live_new.txt", "now_same.txt", "now_new.txt"}) {
    policies.Uploaded(name, 0, absl::FromUnixSeconds(100));
  }
  policies.Uploaded("live_same.txt", 4, absl::FromUnixSeconds(100));
  policies.Uploaded("now_same.txt", 4, absl::FromUnixSeconds(100));
  policies.Uploaded("config.yaml", 4, absl::FromUnixSeconds(100));  // end: uploaded again
  SetMtime(dir.File("live_new.txt"), 200);
  SetMtime(dir.File("now_new.txt"), 200);

  std::vector<UploadTask> tasks = policies.FilesToUploadAtFinish();
  CHECK(Names(tasks) == std::vector<std::string>{"config.yaml", "live_never.txt", "live_new.txt",
                                                 "media/images/x.png", "now_new.txt",
                                                 "wandb-summary.json"});
  for (const UploadTask& task : tasks) {
    INFO(task.save_name);
    CHECK(task.source_path == dir.File(task.save_name));
    Policy expected = absl::StartsWith(task.save_name, "live_")  ? Policy::kLive
                      : absl::StartsWith(task.save_name, "now_") ? Policy::kNow
                                                                 : Policy::kEnd;
    CHECK(task.policy == expected);
  }
}

TEST_CASE("SavePolicies: at finish only a size or mtime change counts", "[files][save_policies]") {
  TempDir dir;
  WriteFileAt(dir.File("a.log"), "abcd", 100);
  SavePolicies policies(dir.path());
  std::vector<UploadTask> saved = Save(policies, "a.log", Policy::kLive);
  REQUIRE(saved.size() == 1);
  Confirm(policies, saved[0]);
  CHECK(policies.FilesToUploadAtFinish().empty());
  WriteFileAt(dir.File("a.log"), "abcdef", 100);  // same mtime, new size
  CHECK(policies.FilesToUploadAtFinish().size() == 1);
}

TEST_CASE("SavePolicies: an upload decided but never confirmed is made at finish",
          "[files][save_policies]") {
  TempDir dir;
  WriteFileAt(dir.File("a.log"), "abcd", 100);
  SavePolicies policies(dir.path());
  REQUIRE(Save(policies, "a.log", Policy::kLive).size() == 1);  // say the upload failed
  CHECK(Names(policies.FilesToUploadAtFinish()) == std::vector<std::string>{"a.log"});
}

TEST_CASE("SavePolicies: finish skips the ignore_globs setting, and dot-files are kept",
          "[files][save_policies]") {
  TempDir dir;
  std::filesystem::create_directories(dir.File("cache"));
  WriteFileAt(dir.File("cache/blob"), "x", 1);
  WriteFileAt(dir.File("big.ckpt"), "x", 1);
  WriteFileAt(dir.File(".keep"), "x", 1);
  WriteFileAt(dir.File("kept.txt"), "x", 1);
  SavePoliciesOptions options;
  options.ignore_globs = {"*.ckpt", "cache"};
  SavePolicies policies(dir.path(), options);
  CHECK(Names(policies.FilesToUploadAtFinish()) == std::vector<std::string>{".keep", "kept.txt"});
}

TEST_CASE("SavePolicies: changed now files at finish can follow wandb 0.12 exactly",
          "[files][save_policies]") {
  TempDir dir;
  WriteFileAt(dir.File("n.txt"), "x", 1);
  SavePoliciesOptions options;
  options.upload_changed_now_files_at_finish = false;
  SavePolicies policies(dir.path(), options);
  Save(policies, "n.txt", Policy::kNow);  // never confirmed
  CHECK(policies.FilesToUploadAtFinish().empty());
}

TEST_CASE("SavePolicies: finish uploads a symlinked file and skips a symlinked directory",
          "[files][save_policies]") {
  TempDir dir;
  TempDir user;
  std::filesystem::create_directories(user.File("d"));
  WriteFileAt(user.File("d/inner.txt"), "x", 1);
  WriteFileAt(user.File("f.txt"), "x", 1);
  REQUIRE(symlink(user.File("f.txt").c_str(), dir.File("f.txt").c_str()) == 0);
  REQUIRE(symlink(user.File("d").c_str(), dir.File("d").c_str()) == 0);
  REQUIRE(symlink(user.File("gone").c_str(), dir.File("dangling").c_str()) == 0);
  SavePolicies policies(dir.path());
  CHECK(Names(policies.FilesToUploadAtFinish()) == std::vector<std::string>{"f.txt"});
}

TEST_CASE("SavePolicies: FilesRecord policies map onto ours", "[files][save_policies]") {
  CHECK(PolicyFromProto(records::FilesItem::NOW) == Policy::kNow);
  CHECK(PolicyFromProto(records::FilesItem::LIVE) == Policy::kLive);
  CHECK(PolicyFromProto(records::FilesItem::END) == Policy::kEnd);
}

}  // namespace
}  // namespace wandb::files
