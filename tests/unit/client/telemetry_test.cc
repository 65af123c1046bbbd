#include "client/src/telemetry.h"

#include <catch2/catch.hpp>
#include <set>
#include <vector>

namespace wandb::internal {
namespace {

// The field numbers of the flags set in `record`'s Feature message.
std::set<int> FlagNumbers(const records::TelemetryRecord& record) {
  std::vector<const google::protobuf::FieldDescriptor*> fields;
  record.feature().GetReflection()->ListFields(record.feature(), &fields);
  std::set<int> numbers;
  for (const auto* field : fields) numbers.insert(field->number());
  return numbers;
}

}  // namespace

TEST_CASE("each feature sets wandb's flag for it, and only that", "[telemetry]") {
  CHECK(FlagNumbers(TelemetryFor(Feature::kFinish)) == std::set<int>{2});
  CHECK(FlagNumbers(TelemetryFor(Feature::kSave)) == std::set<int>{3});
  CHECK(FlagNumbers(TelemetryFor(Feature::kResumed)) == std::set<int>{5});
  CHECK(FlagNumbers(TelemetryFor(Feature::kSetConfigItem)) == std::set<int>{19});
  CHECK(FlagNumbers(TelemetryFor(Feature::kSetStepLog)) == std::set<int>{61});
  CHECK(FlagNumbers(TelemetryFor(Feature::kSetSummary)) == std::set<int>{62});
}

TEST_CASE("a feature is reported the first time it is used only", "[telemetry]") {
  FeatureUsage usage;
  CHECK(usage.NoteFirst(Feature::kSave));
  CHECK_FALSE(usage.NoteFirst(Feature::kSave));
  CHECK(usage.NoteFirst(Feature::kFinish));
  CHECK_FALSE(usage.NoteFirst(Feature::kFinish));
}

TEST_CASE("init's telemetry names what init() was given", "[telemetry]") {
  ResolvedSettings bare;
  // lib_cpp 57 and service 23 always; an id that was generated is not one given.
  CHECK(FlagNumbers(InitTelemetry(bare)) == std::set<int>{23, 57});
  CHECK(InitTelemetry(bare).cli_version().rfind("wandb-cpp ", 0) == 0);

  ResolvedSettings given;
  given.name = "n";
  given.id_given = true;
  given.tags = {"t"};
  given.config = {{"lr", 0.1}};
  given.mode = Mode::kOffline;
  CHECK(FlagNumbers(InitTelemetry(given)) == std::set<int>{4, 13, 14, 15, 16, 23, 57});
}

}  // namespace wandb::internal
