// wandb::Api: what is stored, without a run (wandb's public API, wandb.Api()).
//
//   wandb::Api api;                                            // the user's local store
//   wandb::Artifact model = api.artifact("mnist/cnn:best", "model");
//   std::string dir = model.download();                        // ./artifacts/cnn:v3
//
// For a program that only reads, an inference server for instance: no run is made and no use
// is recorded (use Run::use_artifact() for lineage). The store is read through the per-user
// wandb-service daemon, started if none runs, as a run reads it.
#ifndef WANDB_API_H_
#define WANDB_API_H_

#include <optional>
#include <string>

#include "wandb/artifact.h"

#include "wandb/internal/api_begin.h"

namespace wandb {

struct ApiOptions {
  // Where a name without a project is looked for: default $WANDB_ENTITY and $WANDB_PROJECT;
  // with no project at all, the one project of the store that has an artifact of that name.
  std::optional<std::string> entity{};
  std::optional<std::string> project{};
  // The local store: default $WANDB_CPP_STORE_DIR, else $XDG_DATA_HOME/wandb-cpp/store or
  // ~/.local/share/wandb-cpp/store.
  std::optional<std::string> store_dir{};
};

class WANDB_API Api {
 public:
  explicit Api(ApiOptions options = {});

  // The stored version `name` names (use_artifact's forms: "name:alias", "name:vN",
  // "project/name:...", "entity/project/name:...", a digest), as wandb.Api().artifact(name,
  // type). Its download() and verify() work as a used artifact's. Throws wandb::Error:
  // kInvalidArgument for a malformed name or type, kNotFound for no such artifact, version or
  // alias, kFailedPrecondition for another `type` or a name in several projects,
  // kUnavailable when no daemon can be reached.
  Artifact artifact(const std::string& name, const std::string& type = "") const;

 private:
  ApiOptions options_;
};

}  // namespace wandb

#include "wandb/internal/api_end.h"

#endif  // WANDB_API_H_
