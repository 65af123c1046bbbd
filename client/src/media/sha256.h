// SHA-256 as lowercase hex, through OpenSSL (wandb's media "sha256" field and file ids).
#ifndef WANDB_CLIENT_SRC_MEDIA_SHA256_H_
#define WANDB_CLIENT_SRC_MEDIA_SHA256_H_

#include <string>

#include "absl/strings/string_view.h"

namespace wandb::internal {

std::string Sha256Hex(absl::string_view bytes);

}  // namespace wandb::internal

#endif  // WANDB_CLIENT_SRC_MEDIA_SHA256_H_
