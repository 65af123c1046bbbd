#include "common/ipc/record_batch_codec.h"

#include "absl/strings/str_cat.h"

namespace wandb {

void AppendRecord(const records::Record& record, std::string* out) {
  // Written straight into the string: a StringOutputStream per record would first grow the
  // string to its whole capacity, which makes a batch quadratic in its size.
  size_t size = record.ByteSizeLong();
  uint8_t prefix[5];
  uint8_t* prefix_end = google::protobuf::io::CodedOutputStream::WriteVarint32ToArray(
      static_cast<uint32_t>(size), prefix);
  out->append(reinterpret_cast<const char*>(prefix), prefix_end - prefix);
  size_t at = out->size();
  out->resize(at + size);
  record.SerializeWithCachedSizesToArray(reinterpret_cast<uint8_t*>(out->data() + at));
}

RecordBatchReader::RecordBatchReader(absl::string_view bytes)
    : input_(reinterpret_cast<const uint8_t*>(bytes.data()), static_cast<int>(bytes.size())) {}

records::Record* RecordBatchReader::Next(google::protobuf::Arena* arena) {
  if (!status_.ok() || input_.ExpectAtEnd()) return nullptr;
  uint32_t size = 0;
  if (!input_.ReadVarint32(&size)) {
    status_ = absl::DataLossError(absl::StrCat("record ", index_, ": bad length prefix"));
    return nullptr;
  }
  auto limit = input_.PushLimit(static_cast<int>(size));
  auto* record = google::protobuf::Arena::CreateMessage<records::Record>(arena);
  // Parsing checks the UTF-8 of every string field, as proto3 requires.
  bool parsed = record->ParseFromCodedStream(&input_) && input_.ConsumedEntireMessage();
  input_.PopLimit(limit);
  if (!parsed) {
    status_ = absl::DataLossError(absl::StrCat("record ", index_, " does not parse"));
    return nullptr;
  }
  ++index_;
  return record;
}

}  // namespace wandb
