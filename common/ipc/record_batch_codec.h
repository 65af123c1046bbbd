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

// Reads the records of a batch's bytes, in order.
class RecordBatchReader {
 public:
  explicit RecordBatchReader(absl::string_view bytes);

  // The next record, allocated on `arena`; nullptr at the end or at a malformed record (then
  // status() says which, and nothing after it is read).
  records::Record* Next(google::protobuf::Arena* arena);
  const absl::Status& status() const { return status_; }

 private:
  google::protobuf::io::CodedInputStream input_;
  int index_ = 0;
  absl::Status status_;
};

}  // namespace wandb

#endif  // WANDB_COMMON_IPC_RECORD_BATCH_CODEC_H_
