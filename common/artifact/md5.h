// MD5, the hash wandb's artifacts are addressed by: an incremental digest over OpenSSL, and the
// two spellings wandb uses (hex for the artifact digest and the cache's paths, base64 for the
// manifest's entries).
#ifndef WANDB_COMMON_ARTIFACT_MD5_H_
#define WANDB_COMMON_ARTIFACT_MD5_H_

#include <array>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace wandb::artifact {

using Md5Bytes = std::array<uint8_t, 16>;

class Md5 {
 public:
  Md5();
  Md5(Md5&&) noexcept;
  Md5& operator=(Md5&&) noexcept;
  ~Md5();

  void Update(absl::string_view bytes);
  // The digest of everything given; the object is then spent.
  Md5Bytes Finish();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

Md5Bytes Md5Of(absl::string_view bytes);
std::string ToHex(const Md5Bytes& digest);
// Standard alphabet, padded: wandb's entry digest ("1B2M2Y8AsgTpgAmY7PhCfg==" for "").
std::string ToBase64(const Md5Bytes& digest);
// The 16 bytes of a base64 MD5; InvalidArgument unless `base64` is exactly that.
absl::StatusOr<Md5Bytes> FromBase64(absl::string_view base64);
// The 16 bytes of a 32-digit hex MD5 (either case).
absl::StatusOr<Md5Bytes> FromHex(absl::string_view hex);

// Hashes the regular file at `path`, reading it in large blocks; also gives its size.
struct FileDigest {
  Md5Bytes md5{};
  int64_t size = 0;
};
absl::StatusOr<FileDigest> Md5OfFile(const std::string& path);

}  // namespace wandb::artifact

#endif  // WANDB_COMMON_ARTIFACT_MD5_H_
