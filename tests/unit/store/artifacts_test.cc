#include "service/store/artifacts.h"

#include <catch2/catch.hpp>
#include <memory>
#include <string>
#include <vector>

#include "common/artifact/artifact_cache.h"
#include "common/artifact/artifact_record.h"
#include "service/store/local_store.h"
#include "tests/unit/store/store_test_support.h"

namespace wandb::store {
namespace {

using testing::TempDir;
using testing::WriteBytes;

const RunKey kRun{"alice", "mnist", "run1"};

// A store with run alice/mnist/run1, and files put into an artifact cache as add_file does.
struct Fixture {
  TempDir tmp;
  std::unique_ptr<LocalStore> store;
  artifact::ArtifactCache cache{tmp.File("cache")};
  int calls = 0;

  Fixture() {
    absl::StatusOr<std::unique_ptr<LocalStore>> opened = LocalStore::Open(tmp.File("store"));
    REQUIRE(opened.ok());
    store = *std::move(opened);
    AddRun(kRun);
  }

  void AddRun(const RunKey& key) {
    RunRow run;
    run.key = key;
    run.start_time = absl::FromUnixSeconds(1795723221);
    REQUIRE(store->runs().Upsert(run).ok());
  }

  // An artifact record of `files` (path -> bytes), as the client sends it.
  records::ArtifactRecord Record(const std::string& name,
                                 const std::vector<std::pair<std::string, std::string>>& files,
                                 std::vector<std::string> aliases = {"latest"},
                                 const std::string& type = "dataset") {
    artifact::Manifest manifest;
    for (const auto& [path, bytes] : files) {
      const std::string source = tmp.File("source");
      WriteBytes(source, bytes);
      absl::StatusOr<artifact::CachedFile> cached = cache.PutFile(source);
      REQUIRE(cached.ok());
      artifact::ManifestEntry entry;
      entry.path = path;
      entry.digest = artifact::ToBase64(cached->md5);
      entry.size = cached->size;
      entry.local_path = cached->path;
      REQUIRE(manifest.Add(entry).ok());
    }
    records::ArtifactRecord record;
    record.set_name(name);
    record.set_type(type);
    record.set_client_id("call-" + std::to_string(++calls));
    for (const std::string& alias : aliases) record.add_aliases(alias);
    artifact::ManifestToProto(manifest, record.mutable_manifest());
    record.set_digest(manifest.Digest());
    return record;
  }

  ArtifactCommit Commit(const records::ArtifactRecord& record, const RunKey& run = kRun) {
    absl::StatusOr<ArtifactCommit> commit = store->artifacts().Commit(run, record);
    INFO(commit.status().ToString());
    REQUIRE(commit.ok());
    return *std::move(commit);
  }

  std::vector<ArtifactVersion> Versions(const std::string& name) {
    absl::StatusOr<std::vector<ArtifactVersion>> versions =
        store->artifacts().Versions("alice", "mnist", name);
    REQUIRE(versions.ok());
    return *std::move(versions);
  }
};

using Aliases = std::vector<std::string>;

TEST_CASE("store/Artifacts: versions are v0 v1 ... in order and latest is always the newest",
          "[store][artifacts]") {
  Fixture f;
  ArtifactCommit first = f.Commit(f.Record("data", {{"a.txt", "one"}}, {"latest", "best"}));
  CHECK(first.created);
  CHECK(first.version.VersionName() == "v0");
  CHECK(first.version.aliases == Aliases{"best", "latest"});
  CHECK(first.version.created_by == "run1");
  CHECK(first.version.size == 3);
  CHECK(first.version.file_count == 1);

  // Asking for no alias still moves latest; `best` stays where it was.
  ArtifactCommit second = f.Commit(f.Record("data", {{"a.txt", "two"}}, {"nightly"}));
  CHECK(second.version.VersionName() == "v1");
  std::vector<ArtifactVersion> versions = f.Versions("data");
  REQUIRE(versions.size() == 2);
  CHECK(versions[0].aliases == Aliases{"best"});
  CHECK(versions[1].aliases == Aliases{"latest", "nightly"});

  // `best` moves to the version that last received it.
  f.Commit(f.Record("data", {{"a.txt", "three"}}, {"best"}));
  versions = f.Versions("data");
  REQUIRE(versions.size() == 3);
  CHECK(versions[0].aliases.empty());
  CHECK(versions[2].aliases == Aliases{"best", "latest"});
  CHECK(f.store->IntegrityCheck().ok());
}

TEST_CASE("store/Artifacts: the same digest makes no new version but gains the aliases",
          "[store][artifacts]") {
  Fixture f;
  f.Commit(f.Record("data", {{"a.txt", "one"}}));
  f.Commit(f.Record("data", {{"a.txt", "two"}}));
  ArtifactCommit again = f.Commit(f.Record("data", {{"a.txt", "one"}}, {"latest", "golden"}));
  CHECK_FALSE(again.created);
  CHECK(again.version.VersionName() == "v0");
  // latest stays on v1, the newest.
  CHECK(again.version.aliases == Aliases{"golden"});
  CHECK(f.Versions("data").size() == 2);
}

TEST_CASE("store/Artifacts: unchanged files are stored once across versions and artifacts",
          "[store][artifacts]") {
  Fixture f;
  ArtifactCommit v0 = f.Commit(f.Record("data", {{"a", "same"}, {"b", "old"}}));
  CHECK(v0.blobs_stored == 2);
  ArtifactCommit v1 = f.Commit(f.Record("data", {{"a", "same"}, {"b", "new"}}));
  CHECK(v1.blobs_stored == 1);  // only the changed file
  ArtifactCommit other = f.Commit(f.Record("model", {{"weights", "same"}}, {}, "model"));
  CHECK(other.blobs_stored == 0);
  absl::StatusOr<std::vector<ArtifactFile>> files =
      f.store->artifacts().Files("alice", "mnist", "data", 1);
  REQUIRE(files.ok());
  REQUIRE(files->size() == 2);
  CHECK((*files)[0].path == "a");
  CHECK(testing::ReadBytes((*files)[1].blob_path) == "new");
}

TEST_CASE("store/Artifacts: a call committed before changes nothing when replayed",
          "[store][artifacts]") {
  Fixture f;
  records::ArtifactRecord record = f.Record("data", {{"a", "one"}});
  f.Commit(record);
  f.Commit(f.Record("data", {{"a", "two"}}));
  ArtifactCommit replayed = f.Commit(record);
  CHECK_FALSE(replayed.created);
  CHECK(replayed.version.VersionName() == "v0");
  CHECK(f.Versions("data")[1].aliases == Aliases{"latest"});  // latest did not move back
}

TEST_CASE("store/Artifacts: refusals say why and store no version", "[store][artifacts]") {
  Fixture f;
  f.Commit(f.Record("data", {{"a", "one"}}));
  SECTION("another type for the same name") {
    absl::StatusOr<ArtifactCommit> commit =
        f.store->artifacts().Commit(kRun, f.Record("data", {{"a", "x"}}, {}, "model"));
    CHECK(absl::IsFailedPrecondition(commit.status()));
    CHECK_THAT(std::string(commit.status().message()), Catch::Contains("type 'dataset'"));
  }
  SECTION("a cached file whose bytes are not its digest's") {
    records::ArtifactRecord record = f.Record("data", {{"a", "fresh content"}});
    WriteBytes(record.manifest().contents(0).local_path(), "tampered");
    absl::StatusOr<ArtifactCommit> commit = f.store->artifacts().Commit(kRun, record);
    CHECK(absl::IsDataLoss(commit.status()));
    CHECK_THAT(std::string(commit.status().message()),
               Catch::Contains("changed after it was added"));
  }
  SECTION("a run the store does not have") {
    CHECK(absl::IsNotFound(f.store->artifacts()
                               .Commit({"alice", "mnist", "nope"}, f.Record("data", {{"a", "z"}}))
                               .status()));
  }
  CHECK(f.Versions("data").size() == 1);
  CHECK(f.store->IntegrityCheck().ok());
}

TEST_CASE("store/Artifacts: references are recorded and not stored", "[store][artifacts]") {
  Fixture f;
  records::ArtifactRecord record = f.Record("data", {{"a", "one"}});
  records::ArtifactManifestEntry* ref = record.mutable_manifest()->add_contents();
  ref->set_path("remote");
  ref->set_ref("s3://bucket/key");
  ref->set_digest("s3://bucket/key");
  absl::StatusOr<artifact::Manifest> manifest = artifact::ManifestFromProto(record.manifest());
  REQUIRE(manifest.ok());
  record.set_digest(manifest->Digest());
  ArtifactCommit commit = f.Commit(record);
  CHECK(commit.version.file_count == 2);
  absl::StatusOr<std::vector<ArtifactFile>> files =
      f.store->artifacts().Files("alice", "mnist", "data", 0);
  REQUIRE(files.ok());
  CHECK((*files)[1].ref == "s3://bucket/key");
  CHECK((*files)[1].blob_path.empty());
}

TEST_CASE("store/Artifacts: Resolve takes an alias or vN or project/ or a digest",
          "[store][artifacts]") {
  Fixture f;
  ArtifactCommit v0 = f.Commit(f.Record("model", {{"w", "zero"}}, {"latest", "best"}, "model"));
  ArtifactCommit v1 = f.Commit(f.Record("model", {{"w", "one"}}, {"latest"}, "model"));
  Artifacts& artifacts = f.store->artifacts();
  auto version_of = [&](const std::string& ref) {
    absl::StatusOr<ArtifactVersion> found = artifacts.Resolve("alice", "mnist", ref);
    INFO(ref << ": " << found.status());
    REQUIRE(found.ok());
    return found->VersionName();
  };
  CHECK(version_of("model:latest") == "v1");
  CHECK(version_of("model:best") == "v0");
  CHECK(version_of("model:v0") == "v0");
  CHECK(version_of("mnist/model:v1") == "v1");
  CHECK(version_of("alice/mnist/model:latest") == "v1");
  CHECK(version_of(v0.version.digest) == "v0");
  absl::StatusOr<ArtifactVersion> latest = artifacts.Resolve("alice", "mnist", "model:latest");
  REQUIRE(latest.ok());
  CHECK(latest->id == v1.version.id);
  CHECK(latest->aliases == Aliases{"latest"});
  // The run's defaults are only defaults: the ref's project wins.
  CHECK(absl::IsNotFound(artifacts.Resolve("alice", "other", "model:v0").status()));
  CHECK(artifacts.Resolve("bob", "other", "alice/mnist/model:v0").ok());
}

TEST_CASE("store/Artifacts: Resolve says what is missing and refuses a wrong type",
          "[store][artifacts]") {
  Fixture f;
  f.Commit(f.Record("model", {{"w", "zero"}}, {"latest"}, "model"));
  f.Commit(f.Record("model", {{"w", "one"}}, {"latest"}, "model"));
  Artifacts& artifacts = f.store->artifacts();
  auto message = [&](const std::string& ref, const std::string& type = "") {
    absl::Status status = artifacts.Resolve("alice", "mnist", ref, type).status();
    REQUIRE(!status.ok());
    return std::string(status.message());
  };
  CHECK_THAT(message("model:v7"), Catch::Contains("no version v7") && Catch::Contains("v0..v1"));
  CHECK_THAT(message("model:golden"), Catch::Contains("no alias 'golden'"));
  CHECK_THAT(message("nothing:latest"), Catch::Contains("no artifact nothing in alice/mnist"));
  CHECK_THAT(message("model:latest", "dataset"), Catch::Contains("of type 'model', not 'dataset'"));
  CHECK_THAT(message("model"), Catch::Contains("no version or alias"));
  CHECK_THAT(message("bad name:v0"), Catch::Contains("bad name"));
  CHECK_THAT(message("0123456789abcdef0123456789abcdef"), Catch::Contains("has digest"));
  CHECK(absl::IsNotFound(artifacts.Resolve("alice", "mnist", "model:v7").status()));
  CHECK(absl::IsFailedPrecondition(
      artifacts.Resolve("alice", "mnist", "model:v0", "dataset").status()));
  CHECK(absl::IsInvalidArgument(artifacts.Resolve("alice", "mnist", "model").status()));
}

TEST_CASE("store/Artifacts: uses are recorded once per run and make the lineage",
          "[store][artifacts]") {
  Fixture f;
  const RunKey reader{"alice", "mnist", "run2"};
  f.AddRun(reader);
  ArtifactCommit made = f.Commit(f.Record("data", {{"a", "one"}}));
  f.Commit(f.Record("data", {{"a", "one"}}, {"again"}), reader);  // the same digest
  Artifacts& artifacts = f.store->artifacts();
  REQUIRE(artifacts.RecordUse(reader, made.version.id).ok());
  REQUIRE(artifacts.RecordUse(reader, made.version.id).ok());  // kept once
  REQUIRE(artifacts.RecordUse(kRun, made.version.id).ok());
  CHECK(absl::IsNotFound(artifacts.RecordUse({"alice", "mnist", "gone"}, made.version.id)));
  absl::StatusOr<ArtifactLineage> lineage = artifacts.Lineage(made.version.id);
  REQUIRE(lineage.ok());
  CHECK(lineage->logged_by == Aliases{"alice/mnist/run1", "alice/mnist/run2"});
  REQUIRE(lineage->used_by.size() == 2);
  CHECK(lineage->used_by[0].run == "alice/mnist/run2");
  CHECK(lineage->used_by[1].run == "alice/mnist/run1");
  CHECK(f.store->IntegrityCheck().ok());
}

TEST_CASE("store/Artifacts: OfRun lists what a run logged and what it used", "[store][artifacts]") {
  Fixture f;
  const RunKey trainer{"alice", "mnist", "run2"};
  f.AddRun(trainer);
  ArtifactCommit data = f.Commit(f.Record("data", {{"a", "one"}}));
  f.Commit(f.Record("data", {{"a", "one"}}, {"again"}));  // the same version: listed once
  ArtifactCommit model = f.Commit(f.Record("model", {{"w", "w"}}, {"latest"}, "model"), trainer);
  Artifacts& artifacts = f.store->artifacts();
  REQUIRE(artifacts.RecordUse(trainer, data.version.id).ok());

  absl::StatusOr<RunArtifacts> first = artifacts.OfRun(kRun);
  REQUIRE(first.ok());
  REQUIRE(first->logged.size() == 1);
  CHECK(first->logged[0].name == "data");
  CHECK(first->logged[0].aliases == Aliases{"again", "latest"});
  CHECK(first->used.empty());
  absl::StatusOr<RunArtifacts> second = artifacts.OfRun(trainer);
  REQUIRE(second.ok());
  REQUIRE(second->logged.size() == 1);
  CHECK(second->logged[0].id == model.version.id);
  REQUIRE(second->used.size() == 1);
  CHECK(second->used[0].id == data.version.id);
  CHECK(second->used[0].created_by == "run1");
  CHECK(absl::IsNotFound(artifacts.OfRun({"alice", "mnist", "gone"}).status()));
}

TEST_CASE("store/Artifacts: Collections lists each name with its newest version",
          "[store][artifacts]") {
  Fixture f;
  f.Commit(f.Record("data", {{"a", "one"}}));
  f.Commit(f.Record("data", {{"a", "two!"}}));
  f.Commit(f.Record("model", {{"w", "w"}}, {"latest"}, "model"));
  absl::StatusOr<std::vector<ArtifactCollection>> all = f.store->artifacts().Collections("", "");
  REQUIRE(all.ok());
  REQUIRE(all->size() == 2);
  CHECK((*all)[0].name == "data");
  CHECK((*all)[0].versions == 2);
  CHECK((*all)[0].latest == 1);
  CHECK((*all)[0].size == 4);
  CHECK((*all)[1].type == "model");
  absl::StatusOr<std::vector<ArtifactCollection>> none =
      f.store->artifacts().Collections("alice", "other");
  REQUIRE(none.ok());
  CHECK(none->empty());
}

}  // namespace
}  // namespace wandb::store
