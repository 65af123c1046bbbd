#include "client/src/artifact/references.h"

#include <filesystem>
#include <system_error>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "client/src/artifact/add_dir.h"
#include "common/artifact/artifact_names.h"
#include "common/artifact/md5.h"

namespace wandb::internal {
namespace {

namespace fs = std::filesystem;

std::string BaseName(const std::string& uri) {
  std::string trimmed = uri;
  while (!trimmed.empty() && trimmed.back() == '/') trimmed.pop_back();
  const size_t slash = trimmed.rfind('/');
  return slash == std::string::npos ? trimmed : trimmed.substr(slash + 1);
}

// One local file as a reference entry.
absl::StatusOr<artifact::ManifestEntry> LocalEntry(const std::string& path,
                                                   const std::string& entry_path,
                                                   const std::string& ref, bool checksum) {
  artifact::ManifestEntry entry;
  entry.path = entry_path;
  entry.ref = ref;
  if (checksum) {
    absl::StatusOr<artifact::FileDigest> digest = artifact::Md5OfFile(path);
    if (!digest.ok()) return digest.status();
    entry.digest = artifact::ToBase64(digest->md5);
    entry.size = digest->size;
  } else {
    std::error_code ec;
    const auto size = static_cast<int64_t>(fs::file_size(path, ec));
    if (ec) return absl::NotFoundError(absl::StrCat("cannot stat ", path, ": ", ec.message()));
    entry.digest = artifact::ToBase64(artifact::Md5Of(std::to_string(size)));
    entry.size = size;
  }
  return entry;
}

absl::StatusOr<std::vector<artifact::ManifestEntry>> FileReference(const std::string& uri,
                                                                   const std::string& name,
                                                                   bool checksum) {
  const std::string path = uri.substr(std::string("file://").size());
  std::error_code ec;
  if (fs::is_regular_file(path, ec)) {
    absl::StatusOr<artifact::ManifestEntry> entry =
        LocalEntry(path, name.empty() ? BaseName(path) : name, uri, checksum);
    if (!entry.ok()) return entry.status();
    return std::vector<artifact::ManifestEntry>{*std::move(entry)};
  }
  if (!fs::is_directory(path, ec)) {
    return absl::NotFoundError(
        absl::StrCat("reference ", uri, ": ", path, " is neither a file nor a directory"));
  }
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> files = ListFiles(path, "");
  if (!files.ok()) return files.status();
  std::vector<artifact::ManifestEntry> entries;
  for (const auto& [relative, source] : *files) {
    const std::string entry_path = name.empty() ? relative : absl::StrCat(name, "/", relative);
    std::string ref = uri;
    if (!absl::EndsWith(ref, "/")) ref += "/";
    absl::StatusOr<artifact::ManifestEntry> entry =
        LocalEntry(source, entry_path, ref + relative, checksum);
    if (!entry.ok()) return entry.status();
    entries.push_back(*std::move(entry));
  }
  return entries;
}

}  // namespace

absl::StatusOr<std::vector<artifact::ManifestEntry>> ReferenceEntries(const std::string& uri,
                                                                      const std::string& name,
                                                                      bool checksum) {
  if (absl::Status s = artifact::ValidateReferenceUri(uri); !s.ok()) return s;
  if (artifact::UriScheme(uri) == "file") return FileReference(uri, name, checksum);
  artifact::ManifestEntry entry;
  entry.path = name.empty() ? BaseName(uri) : name;
  entry.ref = uri;
  entry.digest = uri;
  return std::vector<artifact::ManifestEntry>{std::move(entry)};
}

}  // namespace wandb::internal
