#include "common/util/ca_file.h"

#include <filesystem>

#include "absl/strings/str_cat.h"
#include "common/util/read_file.h"

namespace wandb::tls {
namespace {

// A PEM bundle this large is not one; reading stops there.
constexpr size_t kMaxBundleBytes = size_t{64} << 20;

absl::Status Refuse(absl::string_view source, absl::string_view path, absl::string_view why) {
  return absl::FailedPreconditionError(
      absl::StrCat(source, "='", path, "': ", why,
                   "; it must be a PEM file of the CA certificates that HTTPS to the W&B server "
                   "is verified against"));
}

}  // namespace

absl::StatusOr<std::string> ResolveCaFile(const std::optional<std::string>& setting,
                                          const std::function<const char*(const char*)>& env) {
  std::string source = "ca_file";
  std::string path = setting.value_or("");
  if (path.empty()) {
    for (const char* name : kCaFileVariables) {
      const char* value = env(name);
      if (value != nullptr && *value != '\0') {
        source = name;
        path = value;
        break;
      }
    }
  }
  if (path.empty()) return std::string();
  std::error_code ec;
  std::filesystem::path absolute = std::filesystem::absolute(path, ec).lexically_normal();
  if (ec) return Refuse(source, path, ec.message());
  if (std::filesystem::is_directory(absolute, ec)) return Refuse(source, path, "a directory");
  absl::StatusOr<std::string> text = ReadFilePrefix(absolute.string(), kMaxBundleBytes);
  if (!text.ok()) return Refuse(source, path, text.status().message());
  if (text->find("-----BEGIN CERTIFICATE-----") == std::string::npos) {
    return Refuse(source, path, "no PEM certificate in it");
  }
  return absolute.string();
}

}  // namespace wandb::tls
