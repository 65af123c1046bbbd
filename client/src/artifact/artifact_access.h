// The library's way into a wandb::Artifact: its shared state, and a handle made from one.
#ifndef WANDB_CLIENT_SRC_ARTIFACT_ARTIFACT_ACCESS_H_
#define WANDB_CLIENT_SRC_ARTIFACT_ARTIFACT_ACCESS_H_

#include <memory>
#include <utility>

#include "client/src/artifact/artifact_state.h"
#include "wandb/artifact.h"

namespace wandb::internal {

struct ArtifactAccess {
  static const std::shared_ptr<ArtifactState>& State(const Artifact& artifact) {
    return artifact.state_;
  }
  static Artifact Handle(std::shared_ptr<ArtifactState> state) {
    return Artifact(std::move(state));
  }
};

}  // namespace wandb::internal

#endif  // WANDB_CLIENT_SRC_ARTIFACT_ARTIFACT_ACCESS_H_
