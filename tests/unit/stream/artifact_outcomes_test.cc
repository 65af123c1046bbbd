#include "service/stream/artifact_outcomes.h"

#include <catch2/catch.hpp>
#include <string>

namespace wandb::service {
namespace {

ArtifactStatusResponse Committed(const std::string& version) {
  ArtifactStatusResponse out;
  out.set_state(ArtifactStatusResponse::COMMITTED);
  out.set_version(version);
  out.set_digest("d");
  return out;
}

ArtifactStatusResponse Failed(const std::string& error) {
  ArtifactStatusResponse out;
  out.set_state(ArtifactStatusResponse::FAILED);
  out.set_error(error);
  return out;
}

const ArtifactStatusResponse kPending;

}  // namespace

TEST_CASE("an online run's artifact is W&B's version once W&B has committed it") {
  CHECK(WithOnline(Committed("v4"), Committed("v9"), false).version() == "v9");
  CHECK(WithOnline(kPending, Committed("v9"), true).version() == "v9");
}

TEST_CASE("an online run's artifact stays pending until W&B has it, then fails if it never does") {
  CHECK(WithOnline(Committed("v4"), kPending, false).state() == ArtifactStatusResponse::PENDING);
  ArtifactStatusResponse over = WithOnline(Committed("v4"), kPending, true);
  CHECK(over.state() == ArtifactStatusResponse::FAILED);
  CHECK(over.error().find("wandb-cpp sync") != std::string::npos);
  CHECK(over.error().find("local store has it as v4") != std::string::npos);
}

TEST_CASE("an artifact W&B refused fails with W&B's reason and what the local store kept") {
  ArtifactStatusResponse refused =
      WithOnline(Committed("v2"), Failed("HTTP 400 (bad type)"), false);
  CHECK(refused.state() == ArtifactStatusResponse::FAILED);
  CHECK(refused.error() == "not on W&B: HTTP 400 (bad type); the local store has it as v2");
  CHECK(WithOnline(Failed("disk"), Failed("HTTP 400"), true).error() == "not on W&B: HTTP 400");
}

}  // namespace wandb::service
