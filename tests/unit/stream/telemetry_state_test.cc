#include "service/stream/telemetry_state.h"

#include <catch2/catch.hpp>

namespace wandb::service {
namespace {

records::TelemetryRecord Features(std::initializer_list<void (records::Feature::*)(bool)> set) {
  records::TelemetryRecord record;
  for (auto setter : set) (record.mutable_feature()->*setter)(true);
  return record;
}

}  // namespace

TEST_CASE("telemetry keeps the union of what each record names", "[telemetry]") {
  TelemetryState state;
  CHECK(state.Merge(Features({&records::Feature::set_lib_cpp, &records::Feature::set_service})));
  CHECK(state.Merge(Features({&records::Feature::set_save})));
  // A flag already set, or a record that names nothing, changes nothing.
  CHECK_FALSE(state.Merge(Features({&records::Feature::set_save})));
  CHECK_FALSE(state.Merge(records::TelemetryRecord()));
  CHECK(state.record().feature().lib_cpp());
  CHECK(state.record().feature().service());
  CHECK(state.record().feature().save());
  CHECK_FALSE(state.record().feature().finish());
}

TEST_CASE("telemetry encodes by field number, as config.yaml's _wandb.t", "[telemetry]") {
  TelemetryState state;
  records::TelemetryRecord record = Features(
      {&records::Feature::set_lib_cpp, &records::Feature::set_save, &records::Feature::set_finish});
  record.set_cli_version("wandb-cpp 0.1.0");
  record.mutable_label()->set_code_string("trainer");
  state.Merge(record);

  Value t = state.Encoded();
  REQUIRE(t.is_map());
  // Flags: the numbers of those set, ascending (finish=2, save=3, lib_cpp=57).
  REQUIRE(t.find("3") != nullptr);
  CHECK(*t.find("3") == Value::list({2, 3, 57}));
  CHECK(*t.find("5") == Value("wandb-cpp 0.1.0"));
  REQUIRE(t.find("9") != nullptr);
  CHECK(*t.find("9")->find("1") == Value("trainer"));
  CHECK(t.find("4") == nullptr);  // unset strings are absent
}

TEST_CASE("telemetry of nothing encodes as an empty map", "[telemetry]") {
  CHECK(TelemetryState().Encoded() == Value(Value::Map()));
}

}  // namespace wandb::service
