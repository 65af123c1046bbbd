// A run's files: what save() asked for and whatever appears in its files/ directory, uploaded
// to the backend by wandb's policies (service/files). The sender feeds it the FilesRecords it
// reads from the log; the watcher reports changes; the upload pool does the slow part. At
// finish, what the policies still owe is uploaded, within the finish deadline.
#ifndef WANDB_SERVICE_STREAM_RUN_FILES_H_
#define WANDB_SERVICE_STREAM_RUN_FILES_H_

#include <cstdint>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/util/logger.h"
#include "service/backend/backend.h"
#include "service/files/dir_watcher.h"
#include "service/files/save_policies.h"
#include "service/files/upload_pool.h"

namespace wandb::service {

struct FilesSummary {
  int64_t files_uploaded = 0;  // new versions stored
  int64_t bytes_uploaded = 0;
  int64_t files_failed = 0;
  bool complete = true;  // false: the deadline passed with uploads still to do
};

class RunFiles {
 public:
  // `backend` must outlive this; its UploadFile is called from the pool's threads, with the
  // pool's retries (`pool`: a network wants more patience than a local disk).
  RunFiles(std::string files_dir, Backend* backend, Logger* log,
           files::UploadPoolOptions pool = {});
  ~RunFiles();  // stops the watcher and the pool

  void Start();
  // A save(): its glob and policy (the sender's thread).
  void OnFilesRecord(const records::FilesRecord& record);
  // Stops watching, uploads what the run owes at its end, and waits for the backend to have
  // it all, until `deadline`.
  FilesSummary Finish(absl::Time deadline);
  // Bytes of files the backend has taken (or refused for good) and of files still to upload,
  // as far as they are known now; any thread.
  struct Progress {
    int64_t done_bytes = 0;
    int64_t pending_bytes = 0;
  };
  Progress progress() const;

 private:
  void OnChanged(const std::string& save_name);  // the watcher's thread
  void Enqueue(files::UploadTask task);
  absl::StatusOr<files::UploadOutcome> Upload(const files::UploadTask& task) const;
  void Done(const files::UploadTask& task, const absl::StatusOr<files::UploadOutcome>& result);
  // The upload of `name` ended, well or for good: its bytes count as done.
  void Settled(const std::string& name);

  Backend* backend_;
  Logger* log_;
  mutable absl::Mutex mu_;
  files::SavePolicies policies_ ABSL_GUARDED_BY(mu_);
  // Each queued file's size, by name (a file queued again replaces its entry), and the
  // bytes of those done.
  absl::flat_hash_map<std::string, int64_t> pending_ ABSL_GUARDED_BY(mu_);
  int64_t done_bytes_ ABSL_GUARDED_BY(mu_) = 0;
  files::UploadPool pool_;
  files::DirWatcher watcher_;
};

}  // namespace wandb::service

#endif  // WANDB_SERVICE_STREAM_RUN_FILES_H_
