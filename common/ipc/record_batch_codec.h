// The records of a RecordBatch travel as one `bytes` field: each record serialized and
// prefixed with its length as a varint (protobuf's delimited framing). gRPC then parses one
// string per batch, and the daemon parses the records onto its own arena, instead of gRPC
// allocating every string of every record on the heap.
#ifndef WANDB_COMMON_IPC_RECORD_BATCH_CODEC_H_
#define WANDB_COMMON_IPC_RECORD_BATCH_CODEC_H_

#include <google/protobuf/arena.h>
#include <google/protobuf/io/coded_stream.h>

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "wandb/records.pb.h"

namespace wandb {

// Appends `record`, length-prefixed, to `out`.
void AppendRecord(const records::Record& record, std::string* out);

// Parses one record's bytes onto `arena` (checking UTF-8, as proto3 requires); nullptr if
// they do not parse.
records::Record* ParseRecord(absl::string_view bytes, google::protobuf::Arena* arena);

// Reads the records of a batch's bytes, in order.
class RecordBatchReader {
 public:
  explicit RecordBatchReader(absl::string_view bytes);

  // The next record's serialized bytes, a view into the batch; false at the end or at a
  // malformed length prefix (then status() says so, and nothing after it is read).
  bool NextBytes(absl::string_view* record);
  // The next record, parsed onto `arena`; nullptr at the end or at a malformed record.
  records::Record* Next(google::protobuf::Arena* arena);
  const absl::Status& status() const { return status_; }
  // Index of the record last returned, for messages.
  int index() const { return index_ - 1; }

 private:
  absl::string_view bytes_;
  google::protobuf::io::CodedInputStream input_;
  int index_ = 0;
  absl::Status status_;
};

}  // namespace wandb

#endif  // WANDB_COMMON_IPC_RECORD_BATCH_CODEC_H_
