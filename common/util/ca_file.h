// The file of CA certificates that HTTPS to a W&B server is verified against, in place of the
// system's bundle: for a server whose certificate a private CA signed. Found as Python's
// requests (which wandb uses) finds it, so that one setting serves wandb and wandb-cpp alike.
// Verification itself is never turned off.
#ifndef WANDB_COMMON_UTIL_CA_FILE_H_
#define WANDB_COMMON_UTIL_CA_FILE_H_

#include <functional>
#include <optional>
#include <string>

#include "absl/status/statusor.h"

namespace wandb::tls {

// The variables read, in order: requests' two, then OpenSSL's.
inline constexpr const char* kCaFileVariables[] = {"REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE",
                                                   "SSL_CERT_FILE"};

// `setting` when given (non-empty), else the first of kCaFileVariables that `env` has set;
// "" when none: the system's bundle. The path comes back absolute, checked to be a readable
// file that holds a PEM certificate; else FailedPrecondition naming the path and where it
// came from ("ca_file", or the variable).
absl::StatusOr<std::string> ResolveCaFile(const std::optional<std::string>& setting,
                                          const std::function<const char*(const char*)>& env);

}  // namespace wandb::tls

#endif  // WANDB_COMMON_UTIL_CA_FILE_H_
