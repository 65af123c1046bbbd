#include "service/recovery/store_run_files.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "service/files/save_policies.h"
#include "service/store/disk_full.h"

namespace wandb::service {

StoredRunFiles StoreRunFiles(const std::string& files_dir,
                             const std::vector<records::FilesRecord>& saves, Backend& backend) {
  StoredRunFiles result;
  files::SavePolicies policies(files_dir);
  for (const records::FilesRecord& save : saves) {
    for (const records::FilesItem& item : save.files()) {
      auto tasks = policies.OnSave(item.path(), files::PolicyFromProto(item.policy()), absl::Now());
      if (!tasks.ok()) {
        result.warnings.push_back(
            absl::StrCat("save('", item.path(), "') is ignored: ", tasks.status().message()));
      }
    }
  }
  for (const files::UploadTask& task : policies.FilesToUploadAtFinish()) {
    if (absl::StrContains(task.save_name, ".wandb")) continue;
    absl::StatusOr<FileUploadResult> stored =
        backend.UploadFile({task.save_name, task.source_path, files::PolicyToProto(task.policy)});
    if (!stored.ok()) {
      ++result.failed;
      if (result.no_room.ok() && store::IsDiskFull(stored.status())) {
        result.no_room = stored.status();
      }
      result.warnings.push_back(
          absl::StrCat("file ", task.save_name, " was not stored: ", stored.status().message()));
    } else if (stored->unchanged) {
      ++result.unchanged;
    } else {
      ++result.stored;
      result.bytes += stored->bytes;
    }
  }
  return result;
}

}  // namespace wandb::service
