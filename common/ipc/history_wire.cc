#include "common/ipc/history_wire.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/wire_format_lite.h>

#include <algorithm>

namespace wandb::history_wire {
namespace {

using google::protobuf::internal::WireFormatLite;
using google::protobuf::io::CodedInputStream;
using google::protobuf::io::CodedOutputStream;

// Field numbers, from records.proto (which has wandb's).
constexpr int kRecordHistory = 2;
constexpr int kRecordRequest = 100;
constexpr int kRequestPartialHistory = 10;
constexpr int kItems = 1;  // HistoryRecord.item and PartialHistoryRequest.item
constexpr int kStep = 2;   // HistoryRecord.step and PartialHistoryRequest.step
constexpr int kAction = 3;
constexpr int kItemKey = 1;
constexpr int kItemValueJson = 16;
constexpr int kStepNum = 1;
constexpr int kActionFlush = 1;

uint32_t LengthTag(int field) {
  return WireFormatLite::MakeTag(field, WireFormatLite::WIRETYPE_LENGTH_DELIMITED);
}
uint32_t VarintTag(int field) {
  return WireFormatLite::MakeTag(field, WireFormatLite::WIRETYPE_VARINT);
}

void AppendVarint(uint64_t value, std::string* out) {
  uint8_t buf[10];
  uint8_t* end = CodedOutputStream::WriteVarint64ToArray(value, buf);
  out->append(reinterpret_cast<const char*>(buf), end - buf);
}

// The size of a length-delimited field whose body is `size` bytes.
size_t LengthFieldSize(int field, size_t size) {
  return CodedOutputStream::VarintSize32(LengthTag(field)) + CodedOutputStream::VarintSize64(size) +
         size;
}

uint8_t* WriteLengthHeader(int field, size_t size, uint8_t* p) {
  p = CodedOutputStream::WriteVarint32ToArray(LengthTag(field), p);
  return CodedOutputStream::WriteVarint64ToArray(size, p);
}

void AppendLengthHeader(int field, size_t size, std::string* out) {
  AppendVarint(LengthTag(field), out);
  AppendVarint(size, out);
}

// A HistoryStep{num}: proto3 leaves a zero num out, so step 0 is an empty message.
size_t StepBodySize(int64_t step) {
  if (step == 0) return 0;
  return CodedOutputStream::VarintSize32(VarintTag(kStepNum)) +
         CodedOutputStream::VarintSize64(static_cast<uint64_t>(step));
}

void AppendStepField(int64_t step, std::string* out) {
  AppendLengthHeader(kStep, StepBodySize(step), out);
  if (step != 0) {
    AppendVarint(VarintTag(kStepNum), out);
    AppendVarint(static_cast<uint64_t>(step), out);
  }
}

// Reads a length-delimited body as a view into `bytes`, which `in` reads.
bool ReadView(absl::string_view bytes, CodedInputStream* in, absl::string_view* out) {
  uint32_t size = 0;
  if (!in->ReadVarint32(&size)) return false;
  int at = in->CurrentPosition();
  if (!in->Skip(static_cast<int>(size))) return false;
  *out = bytes.substr(static_cast<size_t>(at), size);
  return true;
}

CodedInputStream Reader(absl::string_view bytes) {
  return CodedInputStream(reinterpret_cast<const uint8_t*>(bytes.data()),
                          static_cast<int>(bytes.size()));
}

// Reads the body of one length-delimited field `field`, when the message holds that field
// alone: the plain form of Record{request} and Request{partial_history}. Other fields mean
// the message is not one the fast path reads (false, not an error).
absl::StatusOr<bool> ReadOnlyField(absl::string_view message, int field, absl::string_view* body) {
  CodedInputStream in = Reader(message);
  bool found = false;
  while (uint32_t tag = in.ReadTag()) {
    if (tag != LengthTag(field)) return false;
    if (!ReadView(message, &in, body)) return absl::DataLossError("a truncated field");
    found = true;
  }
  if (!in.ConsumedEntireMessage()) return absl::DataLossError("a malformed tag");
  return found;
}

absl::Status ReadItem(absl::string_view bytes, ItemView* item) {
  CodedInputStream in = Reader(bytes);
  while (uint32_t tag = in.ReadTag()) {
    bool ok;
    if (tag == LengthTag(kItemKey)) {
      ok = ReadView(bytes, &in, &item->key);
    } else if (tag == LengthTag(kItemValueJson)) {
      ok = ReadView(bytes, &in, &item->value_json);
    } else {
      ok = WireFormatLite::SkipField(&in, tag);  // e.g. nested_key, which clients leave out
    }
    if (!ok) return absl::DataLossError("a malformed history item");
  }
  if (!in.ConsumedEntireMessage()) return absl::DataLossError("a malformed history item");
  return absl::OkStatus();
}

// Reads the single varint field `field` of a small message (HistoryStep, HistoryAction).
absl::Status ReadVarintField(absl::string_view bytes, int field, uint64_t* value) {
  CodedInputStream in = Reader(bytes);
  while (uint32_t tag = in.ReadTag()) {
    bool ok =
        tag == VarintTag(field) ? in.ReadVarint64(value) : WireFormatLite::SkipField(&in, tag);
    if (!ok) return absl::DataLossError("a malformed step or action");
  }
  if (!in.ConsumedEntireMessage()) return absl::DataLossError("a malformed step or action");
  return absl::OkStatus();
}

absl::Status ReadPartialHistoryBody(absl::string_view bytes, PartialHistoryView* view) {
  CodedInputStream in = Reader(bytes);
  while (uint32_t tag = in.ReadTag()) {
    absl::string_view body;
    if (tag == LengthTag(kItems) || tag == LengthTag(kStep) || tag == LengthTag(kAction)) {
      if (!ReadView(bytes, &in, &body)) return absl::DataLossError("a truncated field");
    } else if (!WireFormatLite::SkipField(&in, tag)) {
      return absl::DataLossError("a malformed field");
    }
    uint64_t number = 0;
    if (tag == LengthTag(kItems)) {
      if (absl::Status s = ReadItem(body, &view->items.emplace_back()); !s.ok()) return s;
    } else if (tag == LengthTag(kStep)) {
      if (absl::Status s = ReadVarintField(body, kStepNum, &number); !s.ok()) return s;
      view->step = static_cast<int64_t>(number);
    } else if (tag == LengthTag(kAction)) {
      if (absl::Status s = ReadVarintField(body, kActionFlush, &number); !s.ok()) return s;
      view->flush = number != 0;
    }
  }
  if (!in.ConsumedEntireMessage()) return absl::DataLossError("a malformed tag");
  return absl::OkStatus();
}

}  // namespace

void AppendItem(absl::string_view key, absl::string_view value_json, std::string* out) {
  // The hot path of both processes: one resize, then plain stores, rather than six appends.
  size_t body =
      LengthFieldSize(kItemKey, key.size()) + LengthFieldSize(kItemValueJson, value_json.size());
  size_t at = out->size();
  out->resize(at + LengthFieldSize(kItems, body));
  auto* p = reinterpret_cast<uint8_t*>(out->data() + at);
  p = WriteLengthHeader(kItems, body, p);
  p = WriteLengthHeader(kItemKey, key.size(), p);
  p = std::copy(key.begin(), key.end(), p);
  p = WriteLengthHeader(kItemValueJson, value_json.size(), p);
  std::copy(value_json.begin(), value_json.end(), p);
}

void AppendPartialHistoryRecord(absl::string_view items, std::optional<int64_t> step, bool flush,
                                std::string* out) {
  size_t action_body = flush ? 2 : 0;  // tag and a one-byte varint
  size_t history = items.size() + LengthFieldSize(kAction, action_body);
  if (step.has_value()) history += LengthFieldSize(kStep, StepBodySize(*step));
  size_t request = LengthFieldSize(kRequestPartialHistory, history);
  size_t record = LengthFieldSize(kRecordRequest, request);
  AppendVarint(record, out);
  AppendLengthHeader(kRecordRequest, request, out);
  AppendLengthHeader(kRequestPartialHistory, history, out);
  out->append(items.data(), items.size());
  if (step.has_value()) AppendStepField(*step, out);
  AppendLengthHeader(kAction, action_body, out);
  if (flush) {
    AppendVarint(VarintTag(kActionFlush), out);
    AppendVarint(1, out);
  }
}

void AppendHistoryRecord(absl::string_view items, int64_t step, std::string* out) {
  size_t history = items.size() + LengthFieldSize(kStep, StepBodySize(step));
  size_t record = LengthFieldSize(kRecordHistory, history);
  AppendVarint(record, out);
  AppendLengthHeader(kRecordHistory, history, out);
  out->append(items.data(), items.size());
  AppendStepField(step, out);
}

absl::StatusOr<bool> ReadPartialHistory(absl::string_view record, PartialHistoryView* view) {
  view->Clear();
  absl::string_view request;
  absl::StatusOr<bool> found = ReadOnlyField(record, kRecordRequest, &request);
  if (!found.ok() || !*found) return found;
  absl::string_view history;
  found = ReadOnlyField(request, kRequestPartialHistory, &history);
  if (!found.ok() || !*found) return found;
  if (absl::Status s = ReadPartialHistoryBody(history, view); !s.ok()) return s;
  return true;
}

absl::StatusOr<bool> ReadHistory(absl::string_view record, PartialHistoryView* view) {
  view->Clear();
  absl::string_view history;
  absl::StatusOr<bool> found = ReadOnlyField(record, kRecordHistory, &history);
  if (!found.ok() || !*found) return found;
  // HistoryRecord's item and step have PartialHistoryRequest's field numbers.
  if (absl::Status s = ReadPartialHistoryBody(history, view); !s.ok()) return s;
  return true;
}

}  // namespace wandb::history_wire
