#include "service/backend/wandb_api.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "service/backend/http_client.h"

namespace wandb::service {

TEST_CASE("FileStreamBody: files with offsets and content, and the final request", "[wandb_api]") {
  FileStreamBody body;
  body.BeginFile("wandb-history.jsonl", 7);
  body.AddLine(R"({"loss": NaN, "_step": 7})");
  body.AddLine(R"({"loss": 1, "_step": 8})");
  body.EndFile();
  body.BeginFile("wandb-summary.json", 0);
  body.AddLine(R"({"loss": 1})");
  body.EndFile();
  nlohmann::json parsed = nlohmann::json::parse(body.Finish());
  CHECK(parsed["files"]["wandb-history.jsonl"]["offset"] == 7);
  CHECK(parsed["files"]["wandb-history.jsonl"]["content"][0] == R"({"loss": NaN, "_step": 7})");
  CHECK(parsed["files"]["wandb-history.jsonl"]["content"].size() == 2);
  CHECK(parsed["files"]["wandb-summary.json"]["content"][0] == R"({"loss": 1})");
  CHECK_FALSE(parsed.contains("complete"));

  FileStreamBody last;
  last.SetComplete(3);
  nlohmann::json final_request = nlohmann::json::parse(last.Finish());
  CHECK(final_request["complete"] == true);
  CHECK(final_request["exitcode"] == 3);
  CHECK(final_request["uploaded"] == nlohmann::json::array());
  CHECK_FALSE(final_request.contains("files"));

  FileStreamBody with_files;
  with_files.SetComplete(0, {"config.yaml", "media/images/a \"b\".png"});
  nlohmann::json named = nlohmann::json::parse(with_files.Finish());
  CHECK(named["uploaded"] == nlohmann::json::array({"config.yaml", "media/images/a \"b\".png"}));
}

TEST_CASE("WandbConfigJson: every key as {desc, value}, and wandb's own key", "[wandb_api]") {
  absl::StatusOr<std::string> config = WandbConfigJson(R"({"lr": 0.001, "layers": [1, 2]})");
  REQUIRE(config.ok());
  nlohmann::json parsed = nlohmann::json::parse(*config);
  CHECK(parsed["lr"]["value"] == 0.001);
  CHECK(parsed["lr"]["desc"].is_null());
  CHECK(parsed["layers"]["value"] == nlohmann::json::array({1, 2}));
  CHECK(parsed["_wandb"]["value"].contains("t"));
  CHECK_FALSE(WandbConfigJson("[1]").ok());
}

TEST_CASE("IsRetryable and Retry-After: network trouble, 429 and 5xx heal", "[wandb_api]") {
  CHECK(IsRetryable(absl::UnavailableError("503")));
  CHECK(IsRetryable(absl::ResourceExhaustedError("429")));
  CHECK_FALSE(IsRetryable(absl::UnauthenticatedError("401")));
  CHECK_FALSE(IsRetryable(absl::InvalidArgumentError("400")));
  CHECK(ParseRetryAfter(" 3\r\n") == absl::Seconds(3));
  CHECK_FALSE(ParseRetryAfter("Wed, 21 Oct 2026 07:28:00 GMT").has_value());
}

TEST_CASE("RunPageUrl: the app beside the API", "[wandb_api]") {
  Bucket run{.storage_id = "", .name = "abc", .display_name = "", .project = "p", .entity = "e"};
  CHECK(RunPageUrl("https://api.wandb.ai", run) == "https://wandb.ai/e/p/runs/abc");
  CHECK(RunPageUrl("http://localhost:8080", run) == "http://localhost:8080/e/p/runs/abc");
}

}  // namespace wandb::service
