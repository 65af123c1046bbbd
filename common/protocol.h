// Versions that the client and the daemon compare before they talk.
#ifndef WANDB_COMMON_PROTOCOL_H_
#define WANDB_COMMON_PROTOCOL_H_

#include <cstdint>
#include <string_view>

namespace wandb {

// Bump on any change to service.proto that changes what a message means. A client and a
// daemon with different numbers refuse each other with a clear error instead of misreading.
// 5: artifacts (ArtifactRecord, ArtifactStatus); 6: UseArtifact; 7: restore and fetch from W&B
// (RestoreFileRequest.online, FetchArtifactRequest.online).
inline constexpr uint32_t kProtocolVersion = 7;

// The release, set by CMake from project(VERSION).
inline constexpr char kVersion[] = WANDB_CPP_VERSION;

}  // namespace wandb

#endif  // WANDB_COMMON_PROTOCOL_H_
