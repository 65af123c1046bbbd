#include "service/store/files.h"

#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace wandb::store {
namespace {

// A file's path inside the run: relative, '/'-separated, no empty, '.' or '..' parts.
absl::Status ValidateFilePath(absl::string_view path) {
  auto bad = [path](absl::string_view why) {
    return absl::InvalidArgumentError(absl::StrCat("file path '", path, "' ", why));
  };
  if (path.empty()) return bad("is empty");
  if (path.size() > 4096) return bad("is over 4096 bytes");
  if (path.front() == '/') return bad("is absolute; it must be relative to the run's files/");
  if (path.find('\0') != absl::string_view::npos) return bad("contains a NUL byte");
  for (absl::string_view part : absl::StrSplit(path, '/')) {
    if (part.empty()) return bad("has an empty part");
    if (part == "." || part == "..") return bad("has a '.' or '..' part");
  }
  return absl::OkStatus();
}

}  // namespace

absl::string_view FilePolicyName(FilePolicy policy) {
  switch (policy) {
    case FilePolicy::kNow:
      return "now";
    case FilePolicy::kLive:
      return "live";
    case FilePolicy::kEnd:
      return "end";
  }
  return "end";
}

absl::StatusOr<FilePolicy> ParseFilePolicy(absl::string_view name) {
  for (FilePolicy policy : {FilePolicy::kNow, FilePolicy::kLive, FilePolicy::kEnd}) {
    if (name == FilePolicyName(policy)) return policy;
  }
  return absl::InvalidArgumentError(absl::StrCat("unknown file policy '", name, "'"));
}

absl::Status Files::CheckPut(const RunKey& run, absl::string_view path) {
  absl::Status status = ValidateFilePath(path);
  if (!status.ok()) return status;
  return connection_.WithRun(run, Transaction::Mode::kDeferred, "cannot store a file of run",
                             [](Database&, int64_t) { return absl::OkStatus(); });
}

absl::StatusOr<PutFileResult> Files::Put(const RunKey& run, absl::string_view path,
                                         const std::string& source_path, FilePolicy policy) {
  if (absl::Status status = CheckPut(run, path); !status.ok()) return status;
  absl::StatusOr<BlobInfo> blob = blobs_.PutFile(source_path);  // outside the mutex
  if (!blob.ok()) {
    return Context(blob.status(),
                   absl::StrCat("cannot store file ", path, " of run ", run.ToString()));
  }
  return Record(run, path, *blob, policy);
}

absl::StatusOr<PutFileResult> Files::PutBytes(const RunKey& run, absl::string_view path,
                                              absl::string_view bytes, FilePolicy policy) {
  if (absl::Status status = CheckPut(run, path); !status.ok()) return status;
  absl::StatusOr<BlobInfo> blob = blobs_.PutBytes(bytes);
  if (!blob.ok()) {
    return Context(blob.status(),
                   absl::StrCat("cannot store file ", path, " of run ", run.ToString()));
  }
  return Record(run, path, *blob, policy);
}

absl::StatusOr<PutFileResult> Files::Record(const RunKey& run, absl::string_view path,
                                            const BlobInfo& blob, FilePolicy policy) {
  const double now = ToDbTime(absl::Now());
  PutFileResult result{.version = 0,
                       .md5 = blob.md5,
                       .size = blob.size,
                       .stored_new_blob = blob.created,
                       .unchanged = false};
  absl::Status status = connection_.WithRun(
      run, Transaction::Mode::kImmediate, absl::StrCat("cannot record file ", path, " of run"),
      [&](Database& db, int64_t run_row) {
        std::optional<int> latest;
        {
          absl::StatusOr<CachedStatement> select = db.Query(
              "SELECT version, md5 FROM file_versions WHERE run = ?1 AND path = ?2 "
              "ORDER BY version DESC LIMIT 1",
              run_row, path);
          if (!select.ok()) return select.status();
          absl::StatusOr<bool> found = (*select)->Step();
          if (!found.ok()) return found.status();
          if (*found) {
            latest = static_cast<int>((*select)->ColumnInt64(0));
            result.unchanged = (*select)->ColumnText(1) == blob.md5;
          }
        }
        result.version = latest.value_or(0) + (result.unchanged ? 0 : 1);
        if (result.unchanged) return absl::OkStatus();
        absl::Status status = db.Run(
            "INSERT INTO file_versions (run, path, version, md5, size, created_at, policy) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            run_row, path, result.version, blob.md5, blob.size, now, FilePolicyName(policy));
        if (!status.ok()) return status;
        return db.Run("UPDATE runs SET heartbeat_time = ?1 WHERE id = ?2", now, run_row);
      });
  if (!status.ok()) return status;
  return result;
}

absl::StatusOr<std::vector<FileVersion>> Files::Query(const RunKey& run, absl::string_view path,
                                                      absl::string_view where_and_order) {
  const std::string sql = absl::StrCat(
      "SELECT path, version, md5, size, created_at, policy FROM file_versions f ", where_and_order);
  std::vector<FileVersion> files;
  absl::Status status = connection_.WithRun(
      run, Transaction::Mode::kDeferred, "cannot read the files of run",
      [&](Database& db, int64_t run_row) {
        absl::StatusOr<CachedStatement> select = db.Query(sql, run_row);
        if (!select.ok()) return select.status();
        if (!path.empty()) {
          if (absl::Status status = (*select)->Bind(2, path); !status.ok()) return status;
        }
        while (true) {
          absl::StatusOr<bool> row = (*select)->Step();
          if (!row.ok()) return row.status();
          if (!*row) return absl::OkStatus();
          const Statement& columns = **select;
          FileVersion file;
          file.path = columns.ColumnText(0);
          file.version = static_cast<int>(columns.ColumnInt64(1));
          file.md5 = columns.ColumnText(2);
          file.size = columns.ColumnInt64(3);
          file.created_time = FromDbTime(columns.ColumnDouble(4));
          absl::StatusOr<FilePolicy> policy = ParseFilePolicy(columns.ColumnText(5));
          if (!policy.ok()) return absl::DataLossError(policy.status().message());
          file.policy = *policy;
          absl::StatusOr<std::string> blob_path = blobs_.Path(file.md5);
          if (!blob_path.ok()) {
            return absl::DataLossError(absl::StrCat("file ", file.path, " version ", file.version,
                                                    ": ", blob_path.status().message()));
          }
          file.blob_path = *std::move(blob_path);
          files.push_back(std::move(file));
        }
      });
  if (!status.ok()) return status;
  return files;
}

absl::StatusOr<FileVersion> Files::Latest(const RunKey& run, absl::string_view path) {
  if (absl::Status status = ValidateFilePath(path); !status.ok()) return status;
  absl::StatusOr<std::vector<FileVersion>> files =
      Query(run, path, "WHERE run = ?1 AND path = ?2 ORDER BY version DESC LIMIT 1");
  if (!files.ok()) return files.status();
  if (files->empty()) {
    return absl::NotFoundError(
        absl::StrCat("file ", path, " is not in run ", run.ToString(), " of the local store"));
  }
  return std::move(files->front());
}

absl::StatusOr<std::vector<FileVersion>> Files::List(const RunKey& run) {
  return Query(run, "",
               "WHERE run = ?1 AND version = (SELECT max(version) FROM file_versions "
               "WHERE run = f.run AND path = f.path) ORDER BY path");
}

absl::StatusOr<std::vector<FileVersion>> Files::Versions(const RunKey& run,
                                                         absl::string_view path) {
  if (absl::Status status = ValidateFilePath(path); !status.ok()) return status;
  return Query(run, path, "WHERE run = ?1 AND path = ?2 ORDER BY version");
}

}  // namespace wandb::store
