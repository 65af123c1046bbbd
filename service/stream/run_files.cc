#include "service/stream/run_files.h"

namespace wandb::service {
RunFiles::RunFiles(std::string files_dir, Backend* backend, Logger* log,
                   files::UploadPoolOptions pool)
    : backend_(backend),
      log_(log),
      policies_(files_dir),
      pool_([this](const files::UploadTask& task) { return Upload(task); }, std::move(pool),
            [this](const files::UploadTask& task,
                   const absl::StatusOr<files::UploadOutcome>& result) { Done(task, result); }),
      watcher_(files_dir, [this](const std::string& name) { OnChanged(name); }) {}

RunFiles::~RunFiles() {
  watcher_.Stop();
  pool_.Stop();
}

void RunFiles::Start() {
  if (absl::Status s = watcher_.Start(); !s.ok()) {
    log_->Warning("files: cannot watch the run's files: %s", s.ToString());
  }
}

void RunFiles::OnFilesRecord(const records::FilesRecord& record) {
  absl::Time now = absl::Now();
  for (const records::FilesItem& item : record.files()) {
    absl::StatusOr<std::vector<files::UploadTask>> tasks;
    {
      absl::MutexLock lock(&mu_);
      tasks = policies_.OnSave(item.path(), files::PolicyFromProto(item.policy()), now);
    }
    if (!tasks.ok()) {
      log_->Warning("files: save('%s'): %s", item.path(), tasks.status().ToString());
      continue;
    }
    for (files::UploadTask& task : *tasks) Enqueue(std::move(task));
  }
}

void RunFiles::OnChanged(const std::string& save_name) {
  std::optional<files::UploadTask> task;
  {
    absl::MutexLock lock(&mu_);
    task = policies_.OnChanged(save_name, absl::Now());
  }
  if (task.has_value()) Enqueue(*std::move(task));
}

FilesSummary RunFiles::Finish(absl::Time deadline) {
  watcher_.Stop();
  FilesSummary summary;
  // What is under way first: the policies judge the finish list by confirmed uploads.
  summary.complete = pool_.WaitIdle(deadline);
  std::vector<files::UploadTask> owed;
  {
    absl::MutexLock lock(&mu_);
    owed = policies_.FilesToUploadAtFinish();
  }
  for (files::UploadTask& task : owed) Enqueue(std::move(task));
  summary.complete = pool_.WaitIdle(deadline) && summary.complete;
  files::UploadStats stats = pool_.stats();
  summary.files_uploaded = stats.files_uploaded;
  summary.bytes_uploaded = stats.bytes_uploaded;
  summary.files_failed = stats.failed;
  if (!summary.complete) {
    log_->Warning("files: the finish deadline passed with %d uploads still to do",
                  stats.in_flight + stats.queued);
  }
  return summary;
}

void RunFiles::Enqueue(files::UploadTask task) {
  std::string name = task.save_name;
  int64_t size = task.version.size;
  if (absl::Status s = pool_.Enqueue(std::move(task)); !s.ok()) {
    log_->Warning("files: %s not queued for upload: %s", name, s.ToString());
    return;
  }
  absl::MutexLock lock(&mu_);
  pending_[name] = size;
}

RunFiles::Progress RunFiles::progress() const {
  absl::MutexLock lock(&mu_);
  Progress out{.done_bytes = done_bytes_, .pending_bytes = 0};
  for (const auto& [name, size] : pending_) out.pending_bytes += size;
  return out;
}

void RunFiles::Settled(const std::string& name) {
  absl::MutexLock lock(&mu_);
  if (auto it = pending_.find(name); it != pending_.end()) {
    done_bytes_ += it->second;
    pending_.erase(it);
  }
}

absl::StatusOr<files::UploadOutcome> RunFiles::Upload(const files::UploadTask& task) const {
  absl::StatusOr<FileUploadResult> result = backend_->UploadFile(
      FileUpload{task.save_name, task.source_path, files::PolicyToProto(task.policy)});
  if (!result.ok()) return result.status();
  return files::UploadOutcome{result->bytes, result->unchanged};
}

void RunFiles::Done(const files::UploadTask& task,
                    const absl::StatusOr<files::UploadOutcome>& result) {
  Settled(task.save_name);
  if (!result.ok()) {
    log_->Warning("files: upload of %s failed: %s", task.save_name, result.status().ToString());
    return;
  }
  absl::MutexLock lock(&mu_);
  policies_.Uploaded(task.save_name, task.version.size, task.version.mtime);
}

}  // namespace wandb::service
