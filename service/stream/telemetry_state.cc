#include "service/stream/telemetry_state.h"

#include <string>
#include <vector>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/reflection.h>

namespace wandb::service {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

// A sub-message: the numbers of its set flags when it holds flags, else number -> value of
// its set strings.
Value EncodeMessage(const Message& message) {
  const google::protobuf::Reflection* reflection = message.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection->ListFields(message, &fields);  // set fields only, in field-number order
  Value::List flags;
  Value strings = Value(Value::Map());
  for (const FieldDescriptor* field : fields) {
    if (field->type() == FieldDescriptor::TYPE_BOOL) {
      if (reflection->GetBool(message, field)) flags.emplace_back(int64_t{field->number()});
    } else if (field->type() == FieldDescriptor::TYPE_STRING) {
      strings.set(std::to_string(field->number()), reflection->GetString(message, field));
    }
  }
  if (!flags.empty()) return Value(std::move(flags));
  return strings;
}

}  // namespace

bool TelemetryState::Merge(const records::TelemetryRecord& record) {
  records::TelemetryRecord merged = record_;
  merged.MergeFrom(record);  // proto3: flags only turn on, strings only change when given
  if (merged.SerializeAsString() == record_.SerializeAsString()) return false;
  record_ = std::move(merged);
  return true;
}

Value TelemetryState::Encoded() const {
  const google::protobuf::Reflection* reflection = record_.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection->ListFields(record_, &fields);
  Value out = Value(Value::Map());
  for (const FieldDescriptor* field : fields) {
    std::string key = std::to_string(field->number());
    if (field->type() == FieldDescriptor::TYPE_MESSAGE) {
      out.set(key, EncodeMessage(reflection->GetMessage(record_, field)));
    } else if (field->type() == FieldDescriptor::TYPE_STRING) {
      out.set(key, reflection->GetString(record_, field));
    }
  }
  return out;
}

}  // namespace wandb::service
