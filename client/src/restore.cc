#include "client/src/restore.h"

#include <filesystem>

#include "absl/strings/str_cat.h"
#include "client/src/online_options.h"
#include "client/src/service_connection.h"
#include "common/protocol.h"
#include "common/run/store_location.h"

namespace wandb::internal {
namespace fs = std::filesystem;
namespace {

constexpr auto kRestoreTimeout = std::chrono::seconds(30);

// `name` as a path under root: relative, and not climbing out of it.
absl::StatusOr<fs::path> Target(const std::string& name, const fs::path& root) {
  fs::path relative = fs::path(name).lexically_normal();
  bool climbs = relative.empty() || relative.is_absolute() || name.empty();
  for (const fs::path& part : relative) climbs |= part == "..";
  if (climbs) {
    return absl::InvalidArgumentError(
        absl::StrCat("restore('", name, "'): the name must be a path inside ", root.string()));
  }
  return root / relative;
}

absl::StatusOr<std::string> StoreDir(const RestoreOptions& options, const ClientRun* active) {
  if (options.store_dir.has_value()) return fs::absolute(*options.store_dir).string();
  if (active != nullptr && !active->disabled()) return active->settings().store_dir;
  return DefaultStoreDir();
}

// Copies through a temporary name, so a reader never sees half a file.
absl::Status CopyInto(const std::string& from, const fs::path& to) {
  std::error_code ec;
  fs::create_directories(to.parent_path(), ec);
  fs::path temporary = to;
  temporary += ".restore-tmp";
  fs::copy_file(from, temporary, fs::copy_options::overwrite_existing, ec);
  if (!ec) fs::rename(temporary, to, ec);
  if (ec) {
    fs::remove(temporary, ec);
    return absl::InternalError(
        absl::StrCat("restore: cannot write ", to.string(), ": ", ec.message()));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::string> Restore(const std::string& name, const RestoreOptions& options,
                                    const ClientRun* active) {
  bool has_run = active != nullptr && !active->disabled();
  if (!options.run_path.has_value() && !has_run) {
    return absl::FailedPreconditionError(
        absl::StrCat("restore('", name, "'): give run_path, or call it during a run"));
  }
  fs::path root = options.root.has_value() ? fs::path(*options.root)
                  : has_run                ? fs::path(active->dir())
                                           : fs::current_path();
  absl::StatusOr<fs::path> target = Target(name, fs::absolute(root));
  if (!target.ok()) return target.status();
  absl::StatusOr<std::string> store_dir = StoreDir(options, active);
  if (!store_dir.ok()) return store_dir.status();
  absl::StatusOr<std::shared_ptr<ServiceConnection>> connection = ServiceConnection::Shared();
  if (!connection.ok()) return connection.status();
  service::RestoreFileRequest request;
  request.set_protocol_version(kProtocolVersion);
  request.set_store_dir(*store_dir);
  request.set_run_path(options.run_path.value_or(
      has_run ? absl::StrCat(active->settings().project, "/", active->settings().run_id) : ""));
  request.set_name(fs::path(name).lexically_normal().generic_string());
  // An online run's files are on W&B (as wandb.restore reads them); so are those of a run
  // named when the environment says mode online.
  if (has_run && active->settings().mode == Mode::kOnline) {
    *request.mutable_online() = OnlineOptionsOf(active->settings());
  } else if (!has_run) {
    absl::StatusOr<std::optional<service::OnlineOptions>> online = OnlineOptionsFromEnvironment();
    if (!online.ok()) return online.status();
    if (online->has_value()) *request.mutable_online() = **online;
  }
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + kRestoreTimeout);
  service::RestoreFileResponse response;
  if (grpc::Status s = (*connection)->stub().RestoreFile(&context, request, &response); !s.ok()) {
    return FromGrpc(s);
  }
  // The run and file are checked first, so a typo in run_path is an error even when a local
  // copy exists.
  std::error_code ec;
  if (!options.replace && fs::exists(*target, ec)) return target->string();
  if (absl::Status s = CopyInto(response.blob_path(), *target); !s.ok()) return s;
  return target->string();
}

}  // namespace wandb::internal
