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

records::Record* ParseRecord(absl::string_view bytes, google::protobuf::Arena* arena) {
  auto* record = google::protobuf::Arena::CreateMessage<records::Record>(arena);
  if (!record->ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) return nullptr;
  return record;
}

RecordBatchReader::RecordBatchReader(absl::string_view bytes)
    : bytes_(bytes),
      input_(reinterpret_cast<const uint8_t*>(bytes.data()), static_cast<int>(bytes.size())) {}

bool RecordBatchReader::NextBytes(absl::string_view* record) {
  if (!status_.ok() || input_.ExpectAtEnd()) return false;
  uint32_t size = 0;
  int at = 0;
  if (input_.ReadVarint32(&size)) {
    at = input_.CurrentPosition();
    if (input_.Skip(static_cast<int>(size))) {
      *record = bytes_.substr(static_cast<size_t>(at), size);
      ++index_;
      return true;
    }
  }
  status_ = absl::DataLossError(absl::StrCat("record ", index_, ": bad length prefix"));
  return false;
}

records::Record* RecordBatchReader::Next(google::protobuf::Arena* arena) {
  absl::string_view bytes;
  if (!NextBytes(&bytes)) return nullptr;
  records::Record* record = ParseRecord(bytes, arena);
  if (record == nullptr) {
    status_ = absl::DataLossError(absl::StrCat("record ", index(), " does not parse"));
  }
  return record;
}

}  // namespace wandb
