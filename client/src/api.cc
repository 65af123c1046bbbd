// wandb::Api: artifacts fetched through the daemon's FetchArtifact, which resolves a version as
// use_artifact() does but without a run, so no use is recorded: from the store, or from W&B
// when the environment says mode online.
#include "wandb/api.h"

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <utility>

#include "absl/strings/str_cat.h"
#include "client/src/artifact/artifact_access.h"
#include "client/src/artifact/artifact_state.h"
#include "client/src/online_options.h"
#include "client/src/service_connection.h"
#include "client/src/status_error.h"
#include "common/artifact/artifact_names.h"
#include "common/artifact/artifact_ref.h"
#include "common/protocol.h"
#include "common/run/store_location.h"

namespace wandb {
namespace {

constexpr auto kFetchTimeout = std::chrono::seconds(60);

std::string OptionOrEnv(const std::optional<std::string>& option, const char* variable) {
  if (option.has_value()) return *option;
  const char* value = std::getenv(variable);
  return value != nullptr ? value : "";
}

absl::StatusOr<service::FetchArtifactRequest> MakeRequest(const ApiOptions& options,
                                                          const std::string& name,
                                                          const std::string& type) {
  if (absl::Status s = artifact::ParseArtifactRef(name).status(); !s.ok()) return s;
  if (!type.empty()) {
    if (absl::Status s = artifact::ValidateArtifactType(type); !s.ok()) return s;
  }
  absl::StatusOr<std::string> store = options.store_dir.has_value()
                                          ? std::filesystem::absolute(*options.store_dir).string()
                                          : DefaultStoreDir();
  if (!store.ok()) return store.status();
  service::FetchArtifactRequest request;
  request.set_protocol_version(kProtocolVersion);
  request.set_store_dir(*store);
  request.set_entity(OptionOrEnv(options.entity, "WANDB_ENTITY"));
  request.set_project(OptionOrEnv(options.project, "WANDB_PROJECT"));
  request.set_name(name);
  request.set_type(type);
  // WANDB_MODE=online: the version on W&B, as wandb.Api() reads it.
  absl::StatusOr<std::optional<service::OnlineOptions>> online =
      internal::OnlineOptionsFromEnvironment();
  if (!online.ok()) return online.status();
  if (online->has_value()) *request.mutable_online() = **online;
  return request;
}

absl::StatusOr<std::shared_ptr<internal::ArtifactState>> Fetch(
    const service::FetchArtifactRequest& request) {
  absl::StatusOr<std::shared_ptr<internal::ServiceConnection>> connection =
      internal::ServiceConnection::Shared();
  if (!connection.ok()) return connection.status();
  service::UseArtifactResponse response;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + kFetchTimeout);
  grpc::Status s = (*connection)->stub().FetchArtifact(&context, request, &response);
  if (s.error_code() == grpc::StatusCode::UNAVAILABLE) {
    // The daemon may have idled out since the connection was made: once more, afresh.
    connection = internal::ServiceConnection::Shared(/*reconnect=*/true);
    if (!connection.ok()) return connection.status();
    grpc::ClientContext retry;
    retry.set_deadline(std::chrono::system_clock::now() + kFetchTimeout);
    s = (*connection)->stub().FetchArtifact(&retry, request, &response);
  }
  if (!s.ok()) return internal::FromGrpc(s);
  return internal::ArtifactState::Used(response);
}

}  // namespace

Api::Api(ApiOptions options) : options_(std::move(options)) {}

Artifact Api::artifact(const std::string& name, const std::string& type) const {
  const std::string what = absl::StrCat("Api::artifact('", name, "'): ");
  absl::StatusOr<service::FetchArtifactRequest> request = MakeRequest(options_, name, type);
  if (!request.ok()) internal::ThrowError(request.status(), what);
  absl::StatusOr<std::shared_ptr<internal::ArtifactState>> state = Fetch(*request);
  if (!state.ok()) internal::ThrowError(state.status(), what);
  return internal::ArtifactAccess::Handle(*std::move(state));
}

}  // namespace wandb
