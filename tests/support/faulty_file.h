// A WritableFile over a real one that fails when a test says so, as a full disk (ENOSPC) or a
// failing device (EIO) would: a failing Append() may first write part of its bytes (a short
// write). The faults may be changed from another thread while a writer uses the file.
#ifndef WANDB_TESTS_SUPPORT_FAULTY_FILE_H_
#define WANDB_TESTS_SUPPORT_FAULTY_FILE_H_

#include <algorithm>
#include <atomic>
#include <memory>
#include <string>
#include <utility>

#include "common/txlog/writable_file.h"

namespace wandb::testing {

struct FileFaults {
  std::atomic<int> error{0};       // errno each Append() fails with; 0: none
  std::atomic<size_t> partial{0};  // bytes a failing Append() writes before it fails
  std::atomic<int> sync_error{0};  // errno each Sync() fails with; 0: none
  std::atomic<int> failed_appends{0};
};

class FaultyFile final : public txlog::WritableFile {
 public:
  FaultyFile(std::unique_ptr<txlog::WritableFile> inner, std::shared_ptr<FileFaults> faults)
      : inner_(std::move(inner)), faults_(std::move(faults)) {}

  // A new file at `path` whose faults the test holds.
  static std::unique_ptr<txlog::WritableFile> Create(const std::string& path,
                                                     std::shared_ptr<FileFaults> faults) {
    auto inner = txlog::OpenPosixFile(path, /*create=*/true);
    if (!inner.ok()) return nullptr;
    return std::make_unique<FaultyFile>(*std::move(inner), std::move(faults));
  }

  absl::Status Append(std::string_view data) override {
    const int error = faults_->error.load();
    if (error == 0) return inner_->Append(data);
    ++faults_->failed_appends;
    const size_t written = std::min(faults_->partial.load(), data.size());
    if (absl::Status s = inner_->Append(data.substr(0, written)); !s.ok()) return s;
    return absl::ErrnoToStatus(error, "injected write failure");
  }
  absl::Status Flush() override { return inner_->Flush(); }
  absl::Status Sync() override {
    if (const int error = faults_->sync_error.load(); error != 0) {
      return absl::ErrnoToStatus(error, "injected fsync failure");
    }
    return inner_->Sync();
  }
  absl::Status Truncate(uint64_t size) override { return inner_->Truncate(size); }
  absl::Status Close() override { return inner_->Close(); }

 private:
  std::unique_ptr<txlog::WritableFile> inner_;
  std::shared_ptr<FileFaults> faults_;
};

}  // namespace wandb::testing

#endif  // WANDB_TESTS_SUPPORT_FAULTY_FILE_H_
