#include "cli/import_failure.h"

#include "absl/strings/str_cat.h"
#include "service/store/disk_full.h"

namespace wandb::cli {

std::string ImportFailureMessage(const absl::Status& status, const std::string& store_dir,
                                 const std::string& dirs) {
  if (!store::IsDiskFull(status)) return std::string(status.message());
  // An import only reads the run directory, and a run the store holds only in part stays
  // unfinished there (never "already imported"), so running it again completes it.
  return absl::StrCat(status.message(), "\nthe disk of the local store ", store_dir,
                      " is full: nothing was lost (", dirs,
                      " is untouched, and the store does not count the run as imported); free "
                      "space there and run `wandb-cpp import ",
                      dirs, "` again");
}

}  // namespace wandb::cli
