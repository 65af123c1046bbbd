// The decisions of wandb's DirWatcher and its PolicyNow/Live/End handlers, without threads:
// which policy a file under files/ falls under, whether a change or a save() call uploads it
// now, and what must be uploaded when the run finishes. The caller feeds it FilesRecord
// items, watcher events and completed uploads, and hands the tasks it returns to the pool.
//
// Policy of a file, first rule that applies (wandb's _get_file_event_handler):
//   1. its name contains "tfevents" or "graph.pbtxt": live;
//   2. save() named it exactly (a glob without '*', '?', '['): that save's policy;
//   3. it matches a `now` or `live` glob (Python fnmatch, '*' crosses '/'): `now` wins over
//      `live`; an `end` glob demotes nothing;
//   4. otherwise end.
// A file keeps the policy it got when first seen, until a save() that matches it asks for
// another (wandb's update_policy); then its upload history starts afresh.
#ifndef WANDB_SERVICE_FILES_SAVE_POLICIES_H_
#define WANDB_SERVICE_FILES_SAVE_POLICIES_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "service/files/ignore_rules.h"
#include "service/files/live_policy.h"
#include "service/files/upload_task.h"
#include "wandb/records.pb.h"

namespace wandb::files {

struct SavePoliciesOptions {
  LivePolicyOptions live;
  // wandb's `ignore_globs` setting: never uploaded, not even at finish.
  std::vector<std::string> ignore_globs;
  // At finish, upload a `now` file that changed since its last upload. wandb 0.12's
  // PolicyNow.finish() does nothing, so such a change is lost there; we keep it by default.
  bool upload_changed_now_files_at_finish = true;
};

Policy PolicyFromProto(records::FilesItem::PolicyType policy);
records::FilesItem::PolicyType PolicyToProto(Policy policy);

class SavePolicies {
 public:
  using Options = SavePoliciesOptions;

  // `files_dir`: the run's absolute files/ directory.
  explicit SavePolicies(std::string files_dir) : SavePolicies(std::move(files_dir), Options{}) {}
  SavePolicies(std::string files_dir, Options options);

  // One FilesRecord item (a save() call): remembers the glob's policy and returns the
  // uploads it causes now. Every existing file the glob names is forced (wandb's
  // on_modified(force=True)): `now` files upload, `live` files upload if they changed since
  // their last upload, `end` files wait. InvalidArgument for an empty or absolute glob or
  // one with a ".." component.
  absl::StatusOr<std::vector<UploadTask>> OnSave(absl::string_view glob, Policy policy,
                                                 absl::Time now);

  // The watcher saw files/<save_name> change: the upload due now, if any. Missing, empty
  // and watcher-ignored files never upload.
  std::optional<UploadTask> OnChanged(absl::string_view save_name, absl::Time now);

  // The policy of `save_name`. Fixes it for the file when it is seen for the first time.
  Policy PolicyFor(absl::string_view save_name);

  // An upload of files/<save_name> at `size` bytes and `mtime` completed (from the task's
  // `version`). Only confirmed uploads count at finish, so a failed or dropped upload is
  // made again then.
  void Uploaded(absl::string_view save_name, int64_t size, absl::Time mtime);

  // Every file under files/ (recursively, minus the ignore_globs setting) that the finish
  // must upload, sorted by name: `end` files always, `live` (and `now`) files when their
  // size or mtime differs from their last confirmed upload. Empty files are left out, as
  // wandb's FilePusher skips them. Call it once the upload pool is idle, or uploads still
  // in flight are made twice.
  std::vector<UploadTask> FilesToUploadAtFinish();

  const std::string& files_dir() const { return files_dir_; }

 private:
  struct FileState {
    Policy policy = Policy::kEnd;
    LivePolicy live;                      // decisions of a live file
    bool now_pending = true;              // a now file owes an upload (first sight, save())
    std::optional<FileVersion> uploaded;  // last confirmed upload
  };

  FileState& StateFor(absl::string_view save_name);
  FileState NewState(absl::string_view save_name) const;
  Policy PolicyByRules(absl::string_view save_name) const;
  bool MatchesGlobOf(Policy policy, absl::string_view save_name) const;
  // Save names of the existing files a save() glob names.
  std::vector<std::string> FilesMatching(absl::string_view glob) const;
  // The upload save() forces for one file, if any.
  std::optional<UploadTask> Force(absl::string_view save_name, Policy policy, absl::Time now);
  std::optional<UploadTask> DecideUpload(FileState& state, absl::string_view save_name,
                                         const FileVersion& version, absl::Time now);
  bool DueAtFinish(const FileState& state, const FileVersion& version) const;
  UploadTask MakeTask(absl::string_view save_name, Policy policy, const FileVersion& version) const;

  std::string files_dir_;
  Options options_;
  IgnoreRules ignore_;
  absl::flat_hash_map<std::string, Policy> save_name_policies_;
  std::vector<std::string> now_globs_;
  std::vector<std::string> live_globs_;
  std::vector<std::string> end_globs_;  // recorded as wandb does; they decide nothing
  absl::flat_hash_map<std::string, FileState> files_;
};

}  // namespace wandb::files

#endif  // WANDB_SERVICE_FILES_SAVE_POLICIES_H_
