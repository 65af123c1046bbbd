#include "common/artifact/md5.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace wandb::artifact {

struct Md5::State {
  struct Free {
    void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
  };
  std::unique_ptr<EVP_MD_CTX, Free> ctx{EVP_MD_CTX_new()};
};

// OpenSSL fails these calls only when out of memory; MD5 is always available in the default
// provider, so a failure here is a broken installation and aborts loudly.
Md5::Md5() : state_(std::make_unique<State>()) {
  if (state_->ctx == nullptr || EVP_DigestInit_ex(state_->ctx.get(), EVP_md5(), nullptr) != 1) {
    std::abort();
  }
}
Md5::Md5(Md5&&) noexcept = default;
Md5& Md5::operator=(Md5&&) noexcept = default;
Md5::~Md5() = default;

void Md5::Update(absl::string_view bytes) {
  if (!bytes.empty() && EVP_DigestUpdate(state_->ctx.get(), bytes.data(), bytes.size()) != 1) {
    std::abort();
  }
}

Md5Bytes Md5::Finish() {
  Md5Bytes digest{};
  unsigned int length = 0;
  unsigned char out[EVP_MAX_MD_SIZE];
  if (EVP_DigestFinal_ex(state_->ctx.get(), out, &length) != 1 || length != digest.size()) {
    std::abort();
  }
  std::memcpy(digest.data(), out, digest.size());
  return digest;
}

Md5Bytes Md5Of(absl::string_view bytes) {
  Md5 md5;
  md5.Update(bytes);
  return md5.Finish();
}

std::string ToHex(const Md5Bytes& digest) {
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()));
}

std::string ToBase64(const Md5Bytes& digest) {
  return absl::Base64Escape(
      absl::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()));
}

absl::StatusOr<Md5Bytes> FromBase64(absl::string_view base64) {
  std::string raw;
  // 16 bytes are 24 base64 characters with "==" padding; anything else is not an MD5.
  if (base64.size() != 24 || !absl::Base64Unescape(base64, &raw) || raw.size() != 16) {
    return absl::InvalidArgumentError(
        absl::StrCat("'", base64, "' is not a base64 MD5 digest (24 characters)"));
  }
  Md5Bytes digest{};
  std::memcpy(digest.data(), raw.data(), digest.size());
  return digest;
}

absl::StatusOr<Md5Bytes> FromHex(absl::string_view hex) {
  bool valid = hex.size() == 32;
  for (char c : hex) valid = valid && absl::ascii_isxdigit(static_cast<unsigned char>(c));
  if (!valid) {
    return absl::InvalidArgumentError(absl::StrCat("'", hex, "' is not a hex MD5 digest"));
  }
  const std::string raw = absl::HexStringToBytes(hex);
  Md5Bytes digest{};
  std::memcpy(digest.data(), raw.data(), digest.size());
  return digest;
}

absl::StatusOr<FileDigest> Md5OfFile(const std::string& path) {
  // O_NONBLOCK: a FIFO is refused below instead of blocking the open.
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    return absl::NotFoundError(absl::StrCat("cannot open ", path, ": ", std::strerror(errno)));
  }
  struct Closer {
    int fd;
    ~Closer() { close(fd); }
  } closer{fd};
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    return absl::InvalidArgumentError(absl::StrCat(path, " is not a regular file"));
  }
  Md5 md5;
  FileDigest result;
  std::vector<char> buffer(1 << 20);
  while (true) {
    const ssize_t n = read(fd, buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      return absl::InternalError(absl::StrCat("cannot read ", path, ": ", std::strerror(errno)));
    }
    if (n == 0) break;
    md5.Update(absl::string_view(buffer.data(), static_cast<size_t>(n)));
    result.size += n;
  }
  result.md5 = md5.Finish();
  return result;
}

}  // namespace wandb::artifact
