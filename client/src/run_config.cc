#include "client/src/run_config.h"

#include "absl/strings/str_cat.h"
#include "common/value/json.h"

namespace wandb::internal {

absl::StatusOr<records::ConfigRecord> RunConfig::Update(const Value::Map& values,
                                                        bool allow_val_change) {
  records::ConfigRecord record;
  absl::MutexLock lock(&mu_);
  for (const auto& [key, value] : values) {
    const Value* old = config_.find(key);
    if (old != nullptr && !(*old == value) && !allow_val_change) {
      return absl::FailedPreconditionError(
          absl::StrCat("config key '", key, "' already has the value ", old->to_json(),
                       "; pass allow_val_change=true to change it to ", value.to_json()));
    }
  }
  for (const auto& [key, value] : values) {
    config_.set(key, value);
    records::ConfigItem* item = record.add_update();
    item->set_key(key);
    item->set_value_json(json::Encode(value));
  }
  return record;
}

void RunConfig::Adopt(const records::ConfigRecord& stored) {
  absl::MutexLock lock(&mu_);
  for (const records::ConfigItem& item : stored.update()) {
    absl::StatusOr<Value> value = json::Parse(item.value_json());
    if (value.ok()) config_.set(item.key(), *std::move(value));
  }
}

std::optional<Value> RunConfig::Get(const std::string& key) const {
  absl::MutexLock lock(&mu_);
  const Value* v = config_.find(key);
  return v == nullptr ? std::nullopt : std::optional<Value>(*v);
}

Value::Map RunConfig::Snapshot() const {
  absl::MutexLock lock(&mu_);
  return config_.as_map();
}

}  // namespace wandb::internal
