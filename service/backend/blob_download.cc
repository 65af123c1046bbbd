#include "service/backend/blob_download.h"

#include <stdlib.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "absl/strings/str_cat.h"

namespace wandb::service {

absl::StatusOr<std::string> DownloadToBlob(WandbApi& api, const store::BlobStore& blobs,
                                           const std::string& url, const std::string& md5_hex,
                                           absl::string_view what, const RetryPolicy& policy) {
  absl::StatusOr<bool> have = blobs.Exists(md5_hex);
  if (!have.ok()) return have.status();
  if (*have) return blobs.Path(md5_hex);
  // Not in the blobs' own tmp/: a store opened by another daemon sweeps what it finds there.
  std::error_code ec;
  std::string temporary =
      (std::filesystem::temp_directory_path(ec) / "wandb-download-XXXXXX").string();
  int fd = mkstemp(temporary.data());
  if (fd < 0) {
    return absl::UnavailableError(
        absl::StrCat("a temporary file for a download: ", std::strerror(errno)));
  }
  ::close(fd);
  absl::Status downloaded =
      Retrying(api, policy, [&] { return api.Download(url, temporary, what); });
  absl::StatusOr<store::BlobInfo> blob =
      downloaded.ok() ? blobs.PutFile(temporary) : absl::StatusOr<store::BlobInfo>(downloaded);
  ::unlink(temporary.c_str());
  if (!blob.ok()) return blob.status();
  if (blob->md5 != md5_hex) {
    return absl::DataLossError(absl::StrCat(what, ": the bytes received have MD5 ", blob->md5,
                                            ", not the ", md5_hex, " the server named"));
  }
  return blobs.Path(md5_hex);
}

}  // namespace wandb::service
