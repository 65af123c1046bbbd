#include "cli/store_option.h"

#include <filesystem>

#include "absl/strings/str_cat.h"
#include "common/run/store_location.h"

namespace wandb::cli {

void AddStoreOption(CLI::App* command, std::string* store_dir) {
  command->add_option("--store", *store_dir,
                      "the local store's directory (default: $WANDB_CPP_STORE_DIR, else "
                      "$XDG_DATA_HOME/wandb-cpp/store, else ~/.local/share/wandb-cpp/store)");
}

absl::StatusOr<std::string> ResolveStoreDir(const std::string& flag) {
  if (!flag.empty()) {
    std::error_code ec;
    std::filesystem::path absolute = std::filesystem::absolute(flag, ec);
    if (ec) return absl::InvalidArgumentError(absl::StrCat("bad --store '", flag, "'"));
    absolute = absolute.lexically_normal();
    if (!absolute.has_filename() && absolute.has_parent_path()) absolute = absolute.parent_path();
    return absolute.string();
  }
  return DefaultStoreDir();
}

absl::StatusOr<std::shared_ptr<store::LocalStore>> OpenExistingStore(const std::string& dir) {
  std::error_code ec;
  if (!std::filesystem::exists(dir + "/store.db", ec)) {
    return absl::NotFoundError(
        absl::StrCat("there is no local store in ", dir, " (no run has been tracked there yet)"));
  }
  absl::StatusOr<std::unique_ptr<store::LocalStore>> store = store::LocalStore::Open(dir);
  if (!store.ok()) return store.status();
  return std::shared_ptr<store::LocalStore>(*std::move(store));
}

absl::StatusOr<StoredRun> FindStoredRun(const std::string& flag, const std::string& run) {
  absl::StatusOr<std::string> dir = ResolveStoreDir(flag);
  if (!dir.ok()) return dir.status();
  absl::StatusOr<std::shared_ptr<store::LocalStore>> store = OpenExistingStore(*dir);
  if (absl::IsNotFound(store.status())) {
    return absl::NotFoundError(absl::StrCat("no run '", run, "': ", store.status().message()));
  }
  if (!store.ok()) return store.status();
  absl::StatusOr<store::RunRow> row = (*store)->runs().Find(run);
  if (!row.ok()) return row.status();
  return StoredRun{*std::move(store), *std::move(row)};
}

}  // namespace wandb::cli
