#include "client/src/outbox_queue.h"

#include <cstring>
#include <utility>

#include "common/ipc/record_batch_codec.h"

namespace wandb::internal {
namespace {

// Entry kinds, and the fields of a log() call's header.
constexpr char kLogCallEntry = 'L';
constexpr char kRecordEntry = 'R';
constexpr char kSummaryEntry = 'S';
constexpr char kHasStep = 1;
constexpr char kFlush = 2;
constexpr char kHasMedia = 4;

// Plain values in native byte order: writer and reader are the same process.
template <typename T>
void Put(T value, std::string* out) {
  out->append(reinterpret_cast<const char*>(&value), sizeof(T));
}

template <typename T>
T Take(absl::string_view* in) {
  T value;
  std::memcpy(&value, in->data(), sizeof(T));
  in->remove_prefix(sizeof(T));
  return value;
}

void PutString(const std::string& s, std::string* out) {
  Put(static_cast<uint32_t>(s.size()), out);
  out->append(s);
}

std::string TakeString(absl::string_view* in) {
  auto size = Take<uint32_t>(in);
  std::string s(in->substr(0, size));
  in->remove_prefix(size);
  return s;
}

void PutMap(const Value::Map& map, std::string* out, MediaRefs* media);

// Recursion: as deep as the value, which validation bounds (kMaxDepth).
void PutValue(const Value& value, std::string* out, MediaRefs* media) {
  out->push_back(static_cast<char>(value.type()));
  switch (value.type()) {
    case Value::Type::kNull:
      break;
    case Value::Type::kBool:
      out->push_back(value.as_bool() ? 1 : 0);
      break;
    case Value::Type::kInt:
      Put(value.as_int(), out);
      break;
    case Value::Type::kDouble:
      Put(value.as_double(), out);
      break;
    case Value::Type::kString:
      PutString(value.as_string(), out);
      break;
    case Value::Type::kList:
      Put(static_cast<uint32_t>(value.as_list().size()), out);
      for (const Value& item : value.as_list()) PutValue(item, out, media);
      break;
    case Value::Type::kMap:
      PutMap(value.as_map(), out, media);
      break;
    case Value::Type::kMedia:
      media->push_back(value.as_media());
      break;
  }
}

void PutMap(const Value::Map& map, std::string* out, MediaRefs* media) {
  Put(static_cast<uint32_t>(map.size()), out);
  for (const auto& [key, value] : map) {
    PutString(key, out);
    PutValue(value, out, media);
  }
}

// The media values a reader hands out, in order.
struct MediaSource {
  const MediaRefs* refs;
  size_t* next;
};

Value::Map TakeMap(absl::string_view* in, MediaSource media);

Value TakeValue(absl::string_view* in, MediaSource media) {
  auto type = static_cast<Value::Type>(Take<char>(in));
  switch (type) {
    case Value::Type::kNull:
      return Value();
    case Value::Type::kBool:
      return Value(Take<char>(in) != 0);
    case Value::Type::kInt:
      return Value(Take<int64_t>(in));
    case Value::Type::kDouble:
      return Value(Take<double>(in));
    case Value::Type::kString:
      return Value(TakeString(in));
    case Value::Type::kList: {
      Value::List list(Take<uint32_t>(in));
      for (Value& item : list) item = TakeValue(in, media);
      return Value(std::move(list));
    }
    case Value::Type::kMap:
      return Value(TakeMap(in, media));
    case Value::Type::kMedia:
      return Value((*media.refs)[(*media.next)++]);
  }
  return Value();
}

// Into `map`, whose capacity is kept: a row of scalars with short keys allocates nothing.
void TakeMapInto(absl::string_view* in, Value::Map* map, MediaSource media) {
  map->clear();
  auto size = Take<uint32_t>(in);
  for (uint32_t i = 0; i < size; ++i) {
    std::string key = TakeString(in);
    map->emplace_back(std::move(key), TakeValue(in, media));
  }
}

Value::Map TakeMap(absl::string_view* in, MediaSource media) {
  Value::Map map;
  TakeMapInto(in, &map, media);
  return map;
}

}  // namespace

void AppendLogCall(const LogCall& call, std::string* out, MediaRefs* media) {
  out->push_back(kLogCallEntry);
  out->push_back(static_cast<char>((call.step.has_value() ? kHasStep : 0) |
                                   (call.flush ? kFlush : 0) | (call.has_media ? kHasMedia : 0)));
  Put(call.step.value_or(0), out);
  Put(call.timestamp, out);
  if (call.has_media) {
    Put(call.media_step, out);
    Put(static_cast<uint64_t>(call.media_bytes), out);
  }
  PutMap(call.data, out, media);
}

void AppendSummaryCall(const SummaryCall& call, std::string* out, MediaRefs* media) {
  out->push_back(kSummaryEntry);
  Put(static_cast<uint32_t>(call.path.size()), out);
  for (const std::string& key : call.path) PutString(key, out);
  Put(static_cast<uint64_t>(call.media_bytes), out);
  PutValue(call.value, out, media);
}

void AppendRecordEntry(const records::Record& record, std::string* out) {
  out->push_back(kRecordEntry);
  size_t size_at = out->size();
  Put(uint32_t{0}, out);
  AppendRecord(record, out);
  auto size = static_cast<uint32_t>(out->size() - size_at - sizeof(uint32_t));
  std::memcpy(out->data() + size_at, &size, sizeof(size));
}

bool OutboxQueueReader::Next(Kind* kind, LogCall* call, absl::string_view* record,
                             SummaryCall* summary) {
  if (rest_.empty()) return false;
  MediaSource media{media_, &next_media_};
  char entry = Take<char>(&rest_);
  if (entry == kSummaryEntry) {
    *kind = Kind::kSummaryCall;
    summary->path.resize(Take<uint32_t>(&rest_));
    for (std::string& key : summary->path) key = TakeString(&rest_);
    summary->media_bytes = static_cast<size_t>(Take<uint64_t>(&rest_));
    summary->value = TakeValue(&rest_, media);
    return true;
  }
  if (entry == kRecordEntry) {
    auto size = Take<uint32_t>(&rest_);
    *kind = Kind::kRecord;
    *record = rest_.substr(0, size);
    rest_.remove_prefix(size);
    return true;
  }
  *kind = Kind::kLogCall;
  char flags = Take<char>(&rest_);
  auto step = Take<int64_t>(&rest_);
  call->step = (flags & kHasStep) != 0 ? std::optional<int64_t>(step) : std::nullopt;
  call->flush = (flags & kFlush) != 0;
  call->timestamp = Take<double>(&rest_);
  call->has_media = (flags & kHasMedia) != 0;
  call->media_step = call->has_media ? Take<int64_t>(&rest_) : 0;
  call->media_bytes = call->has_media ? static_cast<size_t>(Take<uint64_t>(&rest_)) : 0;
  TakeMapInto(&rest_, &call->data, media);
  return true;
}

}  // namespace wandb::internal
