#include "common/artifact/artifact_ref.h"

#include <catch2/catch.hpp>
#include <string>

namespace wandb::artifact {
namespace {

ArtifactRef Parse(const std::string& text) {
  absl::StatusOr<ArtifactRef> ref = ParseArtifactRef(text);
  INFO(text << ": " << ref.status());
  REQUIRE(ref.ok());
  return *std::move(ref);
}

TEST_CASE("artifact refs: wandb's forms name an alias or a version or a digest") {
  ArtifactRef alias = Parse("model:latest");
  CHECK(alias.name == "model");
  CHECK(alias.alias == "latest");
  CHECK(!alias.version.has_value());
  CHECK(alias.entity.empty());
  CHECK(alias.project.empty());

  ArtifactRef version = Parse("proj/model:v12");
  CHECK(version.project == "proj");
  CHECK(version.version == 12);
  CHECK(version.alias.empty());
  CHECK(version.ToString() == "proj/model:v12");

  ArtifactRef full = Parse("team/proj/data.set-1:best");
  CHECK(full.entity == "team");
  CHECK(full.project == "proj");
  CHECK(full.name == "data.set-1");
  CHECK(full.ToString() == "team/proj/data.set-1:best");

  // "v1x" is not a version number: it is an alias like any other.
  CHECK(Parse("model:v1x").alias == "v1x");
  CHECK(Parse("model:V1").alias == "V1");

  ArtifactRef digest = Parse("0123456789ABCDEF0123456789abcdef");
  CHECK(digest.digest == "0123456789abcdef0123456789abcdef");
  CHECK(digest.name.empty());
}

TEST_CASE("artifact refs: anything else is refused naming the input and the forms") {
  for (const char* bad : {"", "model", "model:", ":latest", "bad name:v0", "model:a/b",
                          "a/b/c/model:v0", "a//model:v0", "model:v0:v1", "0123456789abcdef"}) {
    absl::StatusOr<ArtifactRef> ref = ParseArtifactRef(bad);
    INFO(bad);
    CHECK(absl::IsInvalidArgument(ref.status()));
    CHECK_THAT(std::string(ref.status().message()), Catch::Contains("forms:"));
  }
  CHECK_THAT(std::string(ParseArtifactRef("model").status().message()),
             Catch::Contains("'model' names no version or alias"));
}

TEST_CASE("artifact refs: vN is a version only with digits after the v") {
  int version = -1;
  CHECK(IsVersionName("v0", &version));
  CHECK(version == 0);
  CHECK(IsVersionName("v42", &version));
  CHECK(version == 42);
  CHECK(!IsVersionName("v", &version));
  CHECK(!IsVersionName("v-1", &version));
  CHECK(!IsVersionName("latest", &version));
  CHECK(!IsVersionName("v99999999999", &version));  // no int; an alias then
}

}  // namespace
}  // namespace wandb::artifact
