#include "common/artifact/artifact_record.h"

#include <catch2/catch.hpp>
#include <string>

#include "common/artifact/md5.h"

namespace wandb::artifact {
namespace {

records::ArtifactRecord GoodRecord() {
  Manifest manifest;
  ManifestEntry entry;
  entry.path = "a.txt";
  entry.digest = ToBase64(Md5Of("hello\n"));
  entry.size = 6;
  entry.local_path = "/cache/obj";
  REQUIRE(manifest.Add(entry).ok());
  records::ArtifactRecord record;
  record.set_name("data");
  record.set_type("dataset");
  record.set_client_id("c1");
  record.add_aliases("latest");
  record.set_metadata(R"({"rows": 3})");
  ManifestToProto(manifest, record.mutable_manifest());
  record.set_digest(manifest.Digest());
  return record;
}

TEST_CASE("a manifest survives its message form") {
  records::ArtifactRecord record = GoodRecord();
  absl::StatusOr<Manifest> manifest = CheckArtifactRecord(record);
  REQUIRE(manifest.ok());
  REQUIRE(manifest->Find("a.txt") != nullptr);
  CHECK(manifest->Find("a.txt")->size == 6);
  CHECK(manifest->Find("a.txt")->local_path == "/cache/obj");
  CHECK(record.manifest().storage_policy() == "wandb-storage-policy-v1");
  CHECK(record.manifest().storage_policy_config(0).value_json() == "\"V2\"");
}

TEST_CASE("the daemon refuses a record a client should not have sent") {
  SECTION("a digest that is not its manifest's") {
    records::ArtifactRecord record = GoodRecord();
    record.set_digest("00000000000000000000000000000000");
    CHECK_THAT(std::string(CheckArtifactRecord(record).status().message()),
               Catch::Contains("is not its manifest's"));
  }
  SECTION("an entry that climbs out of the artifact") {
    records::ArtifactRecord record = GoodRecord();
    record.mutable_manifest()->mutable_contents(0)->set_path("../../etc/passwd");
    CHECK(absl::IsInvalidArgument(CheckArtifactRecord(record).status()));
  }
  SECTION("a stored file whose digest is not an MD5") {
    records::ArtifactRecord record = GoodRecord();
    record.mutable_manifest()->mutable_contents(0)->set_digest("xyz");
    CHECK(absl::IsInvalidArgument(CheckArtifactRecord(record).status()));
  }
  SECTION("a bad alias, name or metadata") {
    records::ArtifactRecord record = GoodRecord();
    record.add_aliases("a:b");
    CHECK_FALSE(CheckArtifactRecord(record).ok());
    record = GoodRecord();
    record.set_name("bad name");
    CHECK_FALSE(CheckArtifactRecord(record).ok());
    record = GoodRecord();
    record.set_metadata("[1, 2]");
    CHECK_FALSE(CheckArtifactRecord(record).ok());
  }
}

// wandb's reader and `wandb sync` see only the numbers; these are wandb_internal.proto's at
// v0.12.21 (git show v0.12.21:wandb/proto/wandb_internal.proto, messages Record,
// ArtifactRecord, ArtifactManifest, ArtifactManifestEntry).
TEST_CASE("artifact records carry wandb's field numbers") {
  CHECK(records::Record::kArtifactFieldNumber == 8);
  using A = records::ArtifactRecord;
  CHECK(A::kRunIdFieldNumber == 1);
  CHECK(A::kProjectFieldNumber == 2);
  CHECK(A::kEntityFieldNumber == 3);
  CHECK(A::kTypeFieldNumber == 4);
  CHECK(A::kNameFieldNumber == 5);
  CHECK(A::kDigestFieldNumber == 6);
  CHECK(A::kDescriptionFieldNumber == 7);
  CHECK(A::kMetadataFieldNumber == 8);
  CHECK(A::kAliasesFieldNumber == 11);
  CHECK(A::kManifestFieldNumber == 12);
  CHECK(A::kFinalizeFieldNumber == 14);
  CHECK(A::kClientIdFieldNumber == 15);
  CHECK(A::kSequenceClientIdFieldNumber == 16);
  using M = records::ArtifactManifest;
  CHECK(M::kVersionFieldNumber == 1);
  CHECK(M::kStoragePolicyFieldNumber == 2);
  CHECK(M::kStoragePolicyConfigFieldNumber == 3);
  CHECK(M::kContentsFieldNumber == 4);
  using E = records::ArtifactManifestEntry;
  CHECK(E::kPathFieldNumber == 1);
  CHECK(E::kDigestFieldNumber == 2);
  CHECK(E::kRefFieldNumber == 3);
  CHECK(E::kSizeFieldNumber == 4);
  CHECK(E::kLocalPathFieldNumber == 6);
  CHECK(E::kBirthArtifactIdFieldNumber == 7);
  CHECK(E::kExtraFieldNumber == 16);
}

}  // namespace
}  // namespace wandb::artifact
