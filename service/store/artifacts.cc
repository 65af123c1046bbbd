#include "service/store/artifacts.h"

#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/artifact/artifact_record.h"
#include "common/artifact/artifact_ref.h"
#include "common/artifact/md5.h"

namespace wandb::store {
namespace {

constexpr absl::string_view kLatest = "latest";

// The columns ReadVersion reads, after FROM/JOINs that name v (artifact_versions), a
// (artifacts), p (projects) and r (runs, left-joined).
constexpr absl::string_view kVersionSelect =
    "SELECT v.id, p.entity, p.name, a.name, a.type, v.version, v.digest, v.description, "
    "v.metadata, v.size, v.file_count, coalesce(r.run_id, ''), v.created_at "
    "FROM artifact_versions v JOIN artifacts a ON a.id = v.artifact_id "
    "JOIN projects p ON p.id = a.project_id LEFT JOIN runs r ON r.id = v.created_by ";

absl::Status ReadAliases(Database& db, int64_t version_id, ArtifactVersion* out) {
  absl::StatusOr<CachedStatement> select = db.Query(
      "SELECT alias FROM artifact_aliases WHERE version_id = ?1 ORDER BY alias", version_id);
  if (!select.ok()) return select.status();
  out->aliases.clear();
  while (true) {
    absl::StatusOr<bool> row = (*select)->Step();
    if (!row.ok()) return row.status();
    if (!*row) return absl::OkStatus();
    out->aliases.push_back((*select)->ColumnText(0));
  }
}

// Versions selected by kVersionSelect + `where_and_order`, with `args` bound.
template <typename... Args>
absl::StatusOr<std::vector<ArtifactVersion>> ReadVersions(Database& db,
                                                          absl::string_view where_and_order,
                                                          const Args&... args) {
  std::vector<std::pair<int64_t, ArtifactVersion>> found;
  {
    absl::StatusOr<CachedStatement> select =
        db.Query(absl::StrCat(kVersionSelect, where_and_order), args...);
    if (!select.ok()) return select.status();
    while (true) {
      absl::StatusOr<bool> row = (*select)->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      const Statement& c = **select;
      ArtifactVersion v;
      v.id = c.ColumnInt64(0);
      v.entity = c.ColumnText(1);
      v.project = c.ColumnText(2);
      v.name = c.ColumnText(3);
      v.type = c.ColumnText(4);
      v.version = static_cast<int>(c.ColumnInt64(5));
      v.digest = c.ColumnText(6);
      v.description = c.ColumnText(7);
      v.metadata = c.ColumnText(8);
      v.size = c.ColumnInt64(9);
      v.file_count = c.ColumnInt64(10);
      v.created_by = c.ColumnText(11);
      v.created_time = FromDbTime(c.ColumnDouble(12));
      found.emplace_back(c.ColumnInt64(0), std::move(v));
    }
  }  // the statement is given back before the alias queries borrow theirs
  std::vector<ArtifactVersion> versions;
  for (auto& [id, version] : found) {
    if (absl::Status s = ReadAliases(db, id, &version); !s.ok()) return s;
    versions.push_back(std::move(version));
  }
  return versions;
}

// The collection's row, created when missing; refuses a type other than its first.
absl::StatusOr<int64_t> CollectionRow(Database& db, int64_t run_row,
                                      const records::ArtifactRecord& record, double now) {
  absl::Status status = db.Run(
      "INSERT INTO artifacts (project_id, name, type, created_at) "
      "SELECT project_id, ?2, ?3, ?4 FROM runs WHERE id = ?1 "
      "ON CONFLICT (project_id, name) DO NOTHING",
      run_row, record.name(), record.type(), now);
  if (!status.ok()) return status;
  absl::StatusOr<CachedStatement> select = db.Query(
      "SELECT a.id, a.type FROM artifacts a JOIN runs r ON r.project_id = a.project_id "
      "WHERE r.id = ?1 AND a.name = ?2",
      run_row, record.name());
  if (!select.ok()) return select.status();
  absl::StatusOr<bool> row = (*select)->Step();
  if (!row.ok()) return row.status();
  if (!*row) return absl::InternalError("the artifact's row vanished inside its transaction");
  const std::string type = (*select)->ColumnText(1);
  if (type != record.type()) {
    return absl::FailedPreconditionError(absl::StrCat("artifact ", record.name(), " is of type '",
                                                      type, "', not '", record.type(), "'"));
  }
  return (*select)->ColumnInt64(0);
}

// The first column of the first row: nothing when there is no row or it is NULL.
template <typename... Args>
absl::StatusOr<std::optional<int64_t>> QueryInt(Database& db, absl::string_view sql,
                                                const Args&... args) {
  absl::StatusOr<CachedStatement> select = db.Query(sql, args...);
  if (!select.ok()) return select.status();
  absl::StatusOr<bool> row = (*select)->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<int64_t>();
  return (*select)->ColumnOptionalInt64(0);
}

absl::Status InsertFiles(Database& db, int64_t version_id, const records::ArtifactManifest& m) {
  for (const records::ArtifactManifestEntry& entry : m.contents()) {
    std::optional<std::string> md5;
    std::optional<int64_t> size;
    if (entry.ref().empty()) {
      md5 = artifact::ToHex(*artifact::FromBase64(entry.digest()));  // checked before
      size = entry.size();
    } else if (entry.size() > 0) {
      size = entry.size();
    }
    std::optional<std::string> extra;
    if (entry.extra_size() > 0) {
      std::string json = "{";
      for (const records::ExtraItem& item : entry.extra()) {
        if (json.size() > 1) json += ", ";
        absl::StrAppend(&json, "\"", item.key(), "\": ", item.value_json());
      }
      extra = json + "}";
    }
    std::optional<std::string> ref;
    if (!entry.ref().empty()) ref = entry.ref();
    absl::Status status = db.Run(
        "INSERT INTO artifact_files (version_id, path, digest, md5, ref, size, extra) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        version_id, entry.path(), entry.digest(), md5, ref, size, extra);
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

// Points `alias` of the collection at the version.
absl::Status SetAlias(Database& db, int64_t collection, absl::string_view alias,
                      int64_t version_id) {
  return db.Run(
      "INSERT INTO artifact_aliases (artifact_id, alias, version_id) VALUES (?1, ?2, ?3) "
      "ON CONFLICT (artifact_id, alias) DO UPDATE SET version_id = excluded.version_id",
      collection, alias, version_id);
}

// Why `ref` names nothing in entity/project: which part is missing, and what there is.
absl::Status WhyNotFound(Database& db, absl::string_view entity, absl::string_view project,
                         const artifact::ArtifactRef& ref) {
  const std::string where = absl::StrCat(entity, "/", project);
  if (!ref.digest.empty()) {
    return absl::NotFoundError(
        absl::StrCat("no artifact version of ", where, " has digest ", ref.digest));
  }
  absl::StatusOr<std::optional<int64_t>> versions = QueryInt(
      db,
      "SELECT max(v.version) FROM artifact_versions v JOIN artifacts a ON a.id = v.artifact_id "
      "JOIN projects p ON p.id = a.project_id WHERE p.entity = ?1 AND p.name = ?2 AND a.name = ?3",
      entity, project, ref.name);
  if (!versions.ok()) return versions.status();
  if (!versions->has_value()) {
    return absl::NotFoundError(absl::StrCat("there is no artifact ", ref.name, " in ", where));
  }
  const std::string has = absl::StrCat("it has v0..v", **versions);
  if (ref.version.has_value()) {
    return absl::NotFoundError(absl::StrCat("artifact ", ref.name, " of ", where,
                                            " has no version v", *ref.version, " (", has, ")"));
  }
  return absl::NotFoundError(absl::StrCat("artifact ", ref.name, " of ", where, " has no alias '",
                                          ref.alias, "' (", has, ")"));
}

}  // namespace

absl::StatusOr<int64_t> Artifacts::StoreBlobs(const records::ArtifactRecord& record) {
  int64_t stored = 0;
  for (const records::ArtifactManifestEntry& entry : record.manifest().contents()) {
    if (!entry.ref().empty()) continue;  // references are recorded, never fetched
    const std::string md5 = artifact::ToHex(*artifact::FromBase64(entry.digest()));
    absl::StatusOr<bool> exists = blobs_.Exists(md5);
    if (!exists.ok()) return exists.status();
    if (*exists) continue;  // the same content, from any artifact or run: kept once
    absl::StatusOr<BlobInfo> blob = blobs_.PutFile(entry.local_path());
    if (!blob.ok()) {
      return Context(blob.status(), absl::StrCat("cannot store file ", entry.path(),
                                                 " of artifact ", record.name()));
    }
    if (blob->md5 != md5) {
      return absl::DataLossError(absl::StrCat(
          "file ", entry.path(), " of artifact ", record.name(), " changed after it was added (",
          entry.local_path(), " has MD5 ", blob->md5, ", the manifest says ", md5, ")"));
    }
    if (blob->created) ++stored;
  }
  return stored;
}

absl::StatusOr<ArtifactCommit> Artifacts::Commit(const RunKey& run,
                                                 const records::ArtifactRecord& record) {
  absl::StatusOr<artifact::Manifest> manifest = artifact::CheckArtifactRecord(record);
  if (!manifest.ok()) return manifest.status();
  // A call committed before (the log replayed after a crash) copies nothing again.
  if (absl::StatusOr<ArtifactVersion> known = ByClientId(record.client_id()); known.ok()) {
    return ArtifactCommit{.version = *std::move(known), .created = false, .blobs_stored = 0};
  }
  ArtifactCommit result;
  absl::StatusOr<int64_t> stored = StoreBlobs(record);  // outside the mutex: may be large
  if (!stored.ok()) return stored.status();
  result.blobs_stored = *stored;
  const double now = ToDbTime(absl::Now());
  int64_t version_id = 0;
  absl::Status status = connection_.WithRun(
      run, Transaction::Mode::kImmediate,
      absl::StrCat("cannot commit artifact ", record.name(), " of run"),
      [&](Database& db, int64_t run_row) -> absl::Status {
        absl::StatusOr<std::optional<int64_t>> logged = QueryInt(
            db, "SELECT version_id FROM artifact_logs WHERE client_id = ?1", record.client_id());
        if (!logged.ok()) return logged.status();
        if (logged->has_value()) {  // another connection committed this call meanwhile
          version_id = **logged;
          return absl::OkStatus();
        }
        absl::StatusOr<int64_t> collection = CollectionRow(db, run_row, record, now);
        if (!collection.ok()) return collection.status();
        absl::StatusOr<std::optional<int64_t>> same =
            QueryInt(db, "SELECT id FROM artifact_versions WHERE artifact_id = ?1 AND digest = ?2",
                     *collection, record.digest());
        if (!same.ok()) return same.status();
        result.created = !same->has_value();
        if (result.created) {
          absl::Status s = db.Run(
              "INSERT INTO artifact_versions (artifact_id, version, digest, description, "
              "metadata, size, file_count, created_by, created_at) "
              "SELECT ?1, coalesce(max(version) + 1, 0), ?2, ?3, ?4, ?5, ?6, ?7, ?8 "
              "FROM artifact_versions WHERE artifact_id = ?1",
              *collection, record.digest(), record.description(),
              record.metadata().empty() ? std::string("{}") : record.metadata(),
              manifest->TotalSize(), static_cast<int64_t>(manifest->entries().size()), run_row,
              now);
          if (!s.ok()) return s;
          version_id = db.last_insert_rowid();
          if (s = InsertFiles(db, version_id, record.manifest()); !s.ok()) return s;
          if (s = SetAlias(db, *collection, kLatest, version_id); !s.ok()) return s;
        } else {
          version_id = **same;
        }
        absl::StatusOr<std::optional<int64_t>> newest = QueryInt(
            db, "SELECT max(id) FROM artifact_versions WHERE artifact_id = ?1", *collection);
        if (!newest.ok()) return newest.status();
        for (const std::string& alias : record.aliases()) {
          // `latest` names the newest version, whatever a call asks.
          if (alias == kLatest && *newest != version_id) continue;
          if (absl::Status s = SetAlias(db, *collection, alias, version_id); !s.ok()) return s;
        }
        return db.Run(
            "INSERT INTO artifact_logs (client_id, version_id, run, logged_at) "
            "VALUES (?1, ?2, ?3, ?4)",
            record.client_id(), version_id, run_row, now);
      });
  if (!status.ok()) return status;
  absl::StatusOr<ArtifactVersion> version = ByClientId(record.client_id());
  if (!version.ok()) return version.status();
  result.version = *std::move(version);
  return result;
}

absl::StatusOr<ArtifactVersion> Artifacts::ByClientId(absl::string_view client_id) {
  std::vector<ArtifactVersion> found;
  absl::Status status = connection_.Transact(Transaction::Mode::kDeferred, [&](Database& db) {
    absl::StatusOr<std::vector<ArtifactVersion>> versions = ReadVersions(
        db, "WHERE v.id = (SELECT version_id FROM artifact_logs WHERE client_id = ?1)", client_id);
    if (!versions.ok()) return versions.status();
    found = *std::move(versions);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (found.empty()) {
    return absl::NotFoundError(absl::StrCat("no artifact was logged by call ", client_id));
  }
  return std::move(found.front());
}

absl::StatusOr<std::vector<ArtifactVersion>> Artifacts::Versions(absl::string_view entity,
                                                                 absl::string_view project,
                                                                 absl::string_view name) {
  std::vector<ArtifactVersion> versions;
  absl::Status status = connection_.Transact(Transaction::Mode::kDeferred, [&](Database& db) {
    absl::StatusOr<std::vector<ArtifactVersion>> read =
        ReadVersions(db, "WHERE p.entity = ?1 AND p.name = ?2 AND a.name = ?3 ORDER BY v.version",
                     entity, project, name);
    if (!read.ok()) return read.status();
    versions = *std::move(read);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return versions;
}

absl::StatusOr<ArtifactVersion> Artifacts::Resolve(absl::string_view entity,
                                                   absl::string_view project,
                                                   absl::string_view ref_text,
                                                   absl::string_view type) {
  absl::StatusOr<artifact::ArtifactRef> ref = artifact::ParseArtifactRef(ref_text);
  if (!ref.ok()) return ref.status();
  const std::string e = ref->entity.empty() ? std::string(entity) : ref->entity;
  const std::string p = ref->project.empty() ? std::string(project) : ref->project;
  std::vector<ArtifactVersion> found;
  absl::Status status = connection_.Transact(Transaction::Mode::kDeferred, [&](Database& db) {
    absl::StatusOr<std::vector<ArtifactVersion>> read;
    constexpr absl::string_view kProject = "WHERE p.entity = ?1 AND p.name = ?2 ";
    if (!ref->digest.empty()) {
      // A digest may be in several collections of the project: the oldest version wins.
      read = ReadVersions(db, absl::StrCat(kProject, "AND v.digest = ?3 ORDER BY v.id LIMIT 1"), e,
                          p, ref->digest);
    } else if (ref->version.has_value()) {
      read = ReadVersions(db, absl::StrCat(kProject, "AND a.name = ?3 AND v.version = ?4"), e, p,
                          ref->name, static_cast<int64_t>(*ref->version));
    } else {
      read = ReadVersions(db,
                          absl::StrCat(kProject,
                                       "AND a.name = ?3 AND v.id = (SELECT version_id FROM "
                                       "artifact_aliases WHERE artifact_id = a.id AND alias = ?4)"),
                          e, p, ref->name, ref->alias);
    }
    if (!read.ok()) return read.status();
    if (read->empty()) return WhyNotFound(db, e, p, *ref);
    found = *std::move(read);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  ArtifactVersion& version = found.front();
  if (!type.empty() && type != version.type) {
    return absl::FailedPreconditionError(absl::StrCat("artifact ", version.name, ":",
                                                      version.VersionName(), " is of type '",
                                                      version.type, "', not '", type, "'"));
  }
  return std::move(version);
}

absl::Status Artifacts::RecordUse(const RunKey& run, int64_t version_id) {
  const double now = ToDbTime(absl::Now());
  return connection_.WithRun(
      run, Transaction::Mode::kImmediate, "cannot record an artifact used by run",
      [&](Database& db, int64_t run_row) {
        return db.Run(
            "INSERT INTO artifact_usage (version_id, run, used_at) VALUES (?1, ?2, ?3) "
            "ON CONFLICT (version_id, run) DO NOTHING",
            version_id, run_row, now);
      });
}

absl::StatusOr<ArtifactLineage> Artifacts::Lineage(int64_t version_id) {
  ArtifactLineage lineage;
  absl::Status status = connection_.Transact(Transaction::Mode::kDeferred, [&](Database& db) {
    // Each run as entity/project/id.
    constexpr absl::string_view kRunPath = "p.entity || '/' || p.name || '/' || r.run_id";
    constexpr absl::string_view kRuns = " FROM runs r JOIN projects p ON p.id = r.project_id ";
    {
      absl::StatusOr<CachedStatement> logs =
          db.Query(absl::StrCat("SELECT ", kRunPath, kRuns,
                                "JOIN artifact_logs l ON l.run = r.id WHERE l.version_id = ?1 "
                                "GROUP BY r.id ORDER BY min(l.logged_at), r.id"),
                   version_id);
      if (!logs.ok()) return logs.status();
      while (true) {
        absl::StatusOr<bool> row = (*logs)->Step();
        if (!row.ok()) return row.status();
        if (!*row) break;
        lineage.logged_by.push_back((*logs)->ColumnText(0));
      }
    }  // given back before the next query
    absl::StatusOr<CachedStatement> uses =
        db.Query(absl::StrCat("SELECT ", kRunPath, ", u.used_at", kRuns,
                              "JOIN artifact_usage u ON u.run = r.id WHERE u.version_id = ?1 "
                              "ORDER BY u.used_at, r.id"),
                 version_id);
    if (!uses.ok()) return uses.status();
    while (true) {
      absl::StatusOr<bool> row = (*uses)->Step();
      if (!row.ok()) return row.status();
      if (!*row) return absl::OkStatus();
      lineage.used_by.push_back({(*uses)->ColumnText(0), FromDbTime((*uses)->ColumnDouble(1))});
    }
  });
  if (!status.ok()) return status;
  return lineage;
}

absl::StatusOr<RunArtifacts> Artifacts::OfRun(const RunKey& run) {
  RunArtifacts found;
  absl::Status status = connection_.WithRun(
      run, Transaction::Mode::kDeferred, "cannot list the artifacts of run",
      [&](Database& db, int64_t run_row) -> absl::Status {
        // A run that logged the same digest twice made one version: it is listed once.
        absl::StatusOr<std::vector<ArtifactVersion>> logged = ReadVersions(
            db,
            "JOIN (SELECT version_id, min(logged_at) AS t FROM artifact_logs WHERE run = ?1 "
            "GROUP BY version_id) l ON l.version_id = v.id ORDER BY l.t, v.id",
            run_row);
        if (!logged.ok()) return logged.status();
        absl::StatusOr<std::vector<ArtifactVersion>> used =
            ReadVersions(db,
                         "JOIN artifact_usage u ON u.version_id = v.id WHERE u.run = ?1 "
                         "ORDER BY u.used_at, v.id",
                         run_row);
        if (!used.ok()) return used.status();
        found = {*std::move(logged), *std::move(used)};
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return found;
}

absl::StatusOr<ArtifactPlace> Artifacts::Locate(absl::string_view name,
                                                const ArtifactPlace& place) {
  absl::StatusOr<std::vector<ArtifactCollection>> all = Collections(place.entity, place.project);
  if (!all.ok()) return all.status();
  std::set<std::pair<std::string, std::string>> found;
  for (const ArtifactCollection& c : *all) {
    if (name.empty() || c.name == name) found.insert({c.entity, c.project});
  }
  const std::string what = name.empty() ? "artifacts" : absl::StrCat("artifact ", name);
  if (found.empty()) return absl::NotFoundError(absl::StrCat("there is no ", what, " here"));
  if (found.size() > 1) {
    std::vector<std::string> places;
    for (const auto& [entity, project] : found) places.push_back(entity + "/" + project);
    return absl::FailedPreconditionError(
        absl::StrCat(what, " is in several projects (", absl::StrJoin(places, ", "),
                     "): give a project or write project/NAME:VERSION"));
  }
  return ArtifactPlace{found.begin()->first, found.begin()->second};
}

absl::StatusOr<std::vector<ArtifactCollection>> Artifacts::Collections(absl::string_view entity,
                                                                       absl::string_view project) {
  std::vector<ArtifactCollection> collections;
  absl::Status status = connection_.Transact(Transaction::Mode::kDeferred, [&](Database& db) {
    absl::StatusOr<CachedStatement> select = db.Query(
        "SELECT p.entity, p.name, a.name, a.type, count(v.id), max(v.version), "
        "(SELECT size FROM artifact_versions WHERE artifact_id = a.id ORDER BY version DESC "
        "LIMIT 1), a.created_at "
        "FROM artifacts a JOIN projects p ON p.id = a.project_id "
        "JOIN artifact_versions v ON v.artifact_id = a.id "
        "WHERE (?1 = '' OR p.entity = ?1) AND (?2 = '' OR p.name = ?2) "
        "GROUP BY a.id ORDER BY p.entity, p.name, a.name",
        entity, project);
    if (!select.ok()) return select.status();
    while (true) {
      absl::StatusOr<bool> row = (*select)->Step();
      if (!row.ok()) return row.status();
      if (!*row) return absl::OkStatus();
      const Statement& c = **select;
      collections.push_back({.entity = c.ColumnText(0),
                             .project = c.ColumnText(1),
                             .name = c.ColumnText(2),
                             .type = c.ColumnText(3),
                             .versions = c.ColumnInt64(4),
                             .latest = static_cast<int>(c.ColumnInt64(5)),
                             .size = c.ColumnInt64(6),
                             .created_time = FromDbTime(c.ColumnDouble(7))});
    }
  });
  if (!status.ok()) return status;
  return collections;
}

absl::StatusOr<std::vector<ArtifactFile>> Artifacts::Files(absl::string_view entity,
                                                           absl::string_view project,
                                                           absl::string_view name, int version) {
  std::vector<ArtifactFile> files;
  absl::Status status = connection_.Transact(Transaction::Mode::kDeferred, [&](Database& db) {
    absl::StatusOr<CachedStatement> select = db.Query(
        "SELECT f.path, f.digest, coalesce(f.ref, ''), f.size, coalesce(f.md5, '') "
        "FROM artifact_files f JOIN artifact_versions v ON v.id = f.version_id "
        "JOIN artifacts a ON a.id = v.artifact_id JOIN projects p ON p.id = a.project_id "
        "WHERE p.entity = ?1 AND p.name = ?2 AND a.name = ?3 AND v.version = ?4 "
        "ORDER BY f.path",
        entity, project, name, version);
    if (!select.ok()) return select.status();
    while (true) {
      absl::StatusOr<bool> row = (*select)->Step();
      if (!row.ok()) return row.status();
      if (!*row) return absl::OkStatus();
      const Statement& c = **select;
      ArtifactFile file{.path = c.ColumnText(0),
                        .digest = c.ColumnText(1),
                        .ref = c.ColumnText(2),
                        .size = c.ColumnOptionalInt64(3),
                        .blob_path = "",
                        .md5 = ""};
      if (const std::string md5 = c.ColumnText(4); !md5.empty()) {
        absl::StatusOr<std::string> path = blobs_.Path(md5);
        if (!path.ok()) return absl::DataLossError(path.status().message());
        file.blob_path = *std::move(path);
        file.md5 = md5;
      }
      files.push_back(std::move(file));
    }
  });
  if (!status.ok()) return status;
  return files;
}

}  // namespace wandb::store
