#include "common/artifact/manifest_json.h"

#include <catch2/catch.hpp>
#include <string>

#include "common/artifact/md5.h"

namespace wandb::artifact {
namespace {

ManifestEntry Stored(const std::string& path, const std::string& bytes, const std::string& birth) {
  ManifestEntry entry;
  entry.path = path;
  entry.digest = ToBase64(Md5Of(bytes));
  entry.size = static_cast<int64_t>(bytes.size());
  entry.birth_artifact_id = birth;
  return entry;
}

}  // namespace

TEST_CASE("a manifest read back from its JSON has every entry and the same digest") {
  Manifest manifest;
  REQUIRE(manifest.Add(Stored("weights.bin", "w", "QXJ0aWZhY3Q6MQ==")).ok());
  REQUIRE(manifest.Add(Stored("sub/é.json", "{}", "")).ok());
  ManifestEntry reference;
  reference.path = "data";
  reference.ref = "s3://bucket/data";
  reference.digest = "etag-1";
  reference.extra = {{"etag", "\"etag-1\""}};
  REQUIRE(manifest.Add(reference).ok());

  absl::StatusOr<Manifest> read = ParseManifestJson(manifest.ToJson());
  REQUIRE(read.ok());
  CHECK(read->Digest() == manifest.Digest());
  CHECK(read->ToJson() == manifest.ToJson());
  REQUIRE(read->Find("weights.bin") != nullptr);
  CHECK(read->Find("weights.bin")->birth_artifact_id == "QXJ0aWZhY3Q6MQ==");
  CHECK(read->Find("weights.bin")->size == 1);
  CHECK(read->Find("data")->is_reference());
  CHECK(read->Find("data")->extra == manifest.Find("data")->extra);
}

TEST_CASE("a manifest from a server is refused when it is not one we can read") {
  auto error = [](const std::string& text) {
    absl::StatusOr<Manifest> read = ParseManifestJson(text);
    REQUIRE_FALSE(read.ok());
    CHECK(absl::IsInvalidArgument(read.status()));
    return std::string(read.status().message());
  };
  CHECK(error("not json").find("not a JSON object") != std::string::npos);
  CHECK(error(R"({"version": 2, "storagePolicy": "wandb-storage-policy-v1", "contents": {}})")
            .find("version 1") != std::string::npos);
  CHECK(error(R"({"version": 1, "storagePolicy": "s3", "contents": {}})").find("policy") !=
        std::string::npos);
  CHECK(error(R"({"version": 1, "storagePolicy": "wandb-storage-policy-v1"})").find("contents") !=
        std::string::npos);
  const std::string head = R"({"version": 1, "storagePolicy": "wandb-storage-policy-v1", )";
  CHECK(error(head + R"("contents": {"../up": {"digest": "1B2M2Y8AsgTpgAmY7PhCfg=="}}})")
            .find("..") != std::string::npos);
  CHECK(error(head + R"("contents": {"a": {"digest": "not-md5"}}})").find("base64 MD5") !=
        std::string::npos);
  CHECK(error(head + R"("contents": {"a": {"size": 3}}})").find("no digest") != std::string::npos);
  CHECK(error(head + R"("contents": {"a": {"digest": "1B2M2Y8AsgTpgAmY7PhCfg==", "size": -1}}})")
            .find("negative") != std::string::npos);
}

}  // namespace wandb::artifact
