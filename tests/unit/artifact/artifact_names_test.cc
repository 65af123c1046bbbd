#include "common/artifact/artifact_names.h"

#include <catch2/catch.hpp>
#include <string>

namespace wandb::artifact {
namespace {

TEST_CASE("artifact names take only letters digits dash underscore and dot as wandb's pattern") {
  CHECK(ValidateArtifactName("mnist-train_v2.0").ok());
  for (const char* bad : {"", "with space", "a/b", "a:b", "caf\xc3\xa9", "a\nb"}) {
    absl::Status status = ValidateArtifactName(bad);
    CHECK(absl::IsInvalidArgument(status));
  }
  CHECK_THAT(std::string(ValidateArtifactName("a/b").message()), Catch::Contains("'a/b'"));
  CHECK_FALSE(ValidateArtifactName(std::string(129, 'a')).ok());
  CHECK(ValidateArtifactType("dataset").ok());
  CHECK_FALSE(ValidateArtifactType("").ok());
}

TEST_CASE("aliases may not contain '/' or ':'") {
  CHECK(ValidateAlias("best").ok());
  CHECK(ValidateAlias("epoch 3").ok());
  CHECK_FALSE(ValidateAlias("").ok());
  CHECK_FALSE(ValidateAlias("a/b").ok());
  CHECK_FALSE(ValidateAlias("v:1").ok());
}

TEST_CASE("entry paths cannot leave the artifact's root") {
  CHECK(ValidateEntryPath("a.txt").ok());
  CHECK(ValidateEntryPath("images/train/0001.png").ok());
  for (const char* bad :
       {"", "/etc/passwd", "../up", "a/../../b", "a//b", "a/./b", "a/", "a\\..\\b"}) {
    CHECK_FALSE(ValidateEntryPath(bad).ok());
  }
  CHECK_FALSE(ValidateEntryPath(std::string("a\0b", 3)).ok());
  CHECK_FALSE(ValidateEntryPath("\xff\xfe").ok());
}

TEST_CASE("references are URIs with a scheme we take") {
  for (const char* good : {"file:///data/x.csv", "s3://bucket/key", "gs://b/k",
                           "https://example.com/x", "http://h/x"}) {
    CHECK(ValidateReferenceUri(good).ok());
  }
  CHECK_THAT(std::string(ValidateReferenceUri("/data/x.csv").message()),
             Catch::Contains("file:///"));
  CHECK_FALSE(ValidateReferenceUri("ftp://host/x").ok());
  CHECK(UriScheme("s3://bucket/key") == "s3");
  CHECK(UriScheme("no-scheme").empty());
}

}  // namespace
}  // namespace wandb::artifact
