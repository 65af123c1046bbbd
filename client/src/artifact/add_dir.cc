#include "client/src/artifact/add_dir.h"

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <system_error>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"

namespace wandb::internal {

namespace fs = std::filesystem;

absl::StatusOr<std::vector<std::pair<std::string, std::string>>> ListFiles(
    const std::string& dir, const std::string& prefix) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return absl::InvalidArgumentError(absl::StrCat("add_dir: '", dir, "' is not a directory"));
  }
  fs::path base = fs::path(dir).lexically_normal();
  if (!base.has_filename()) base = base.parent_path();  // "data/" is "data"
  std::vector<std::pair<std::string, std::string>> files;
  // Directory symlinks are not followed: a link to an ancestor would make the walk endless.
  fs::recursive_directory_iterator it(dir, fs::directory_options::none, ec);
  for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    std::error_code type_ec;
    if (!it->is_regular_file(type_ec)) continue;  // follows a symlink to a file
    // Lexical: fs::relative would resolve a symlink and name its target's place instead.
    const std::string relative =
        it->path().lexically_normal().lexically_relative(base).generic_string();
    files.emplace_back(prefix.empty() ? relative : absl::StrCat(prefix, "/", relative),
                       it->path().string());
  }
  if (ec)
    return absl::InternalError(absl::StrCat("add_dir: cannot list ", dir, ": ", ec.message()));
  std::sort(files.begin(), files.end());
  return files;
}

absl::Status AddDir(ArtifactState& artifact, const std::string& dir, const std::string& prefix,
                    int threads) {
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> files = ListFiles(dir, prefix);
  if (!files.ok()) return files.status();
  std::atomic<size_t> next{0};
  absl::Mutex mu;
  absl::Status first_error;
  auto work = [&] {
    for (size_t i = next++; i < files->size(); i = next++) {
      const auto& [path, source] = (*files)[i];
      absl::StatusOr<artifact::CachedFile> cached = artifact.cache().PutFile(source);
      absl::Status status = cached.status();
      if (status.ok()) status = artifact.AddCached(path, *cached).status();
      if (!status.ok()) {
        absl::MutexLock lock(&mu);
        if (first_error.ok()) first_error = status;
        next = files->size();  // the others stop at their next file
        return;
      }
    }
  };
  const int count = std::max(1, std::min<int>(threads, static_cast<int>(files->size())));
  std::vector<std::thread> pool;
  for (int t = 1; t < count; ++t) pool.emplace_back(work);
  work();
  for (std::thread& thread : pool) thread.join();
  return first_error;
}

}  // namespace wandb::internal
