// The bytes log() and Send() hand to the outbox thread: each log() call's row copied into a
// compact form, each record serialized, appended in order to one buffer that is reused
// from round to round.
//
// Why not hand over the caller's Value::Map: the map would then be freed on the outbox
// thread, away from the thread that allocated it. glibc takes its arena lock for every such
// free and for every allocation on the caller's side, and gives the memory back to the
// system between rounds, so the caller's next rows land on fresh pages: one log() call in
// ten paid a page fault or a lock hand-off (10-100 µs). Copied here, the map is freed where
// it was made (and its memory reused for the next row at once), and the buffer it is copied
// into has long been faulted in.
#ifndef WANDB_CLIENT_SRC_OUTBOX_QUEUE_H_
#define WANDB_CLIENT_SRC_OUTBOX_QUEUE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "wandb/records.pb.h"
#include "wandb/value.h"

namespace wandb::internal {

// One log() call, as the user gave it.
struct LogCall {
  Value::Map data;
  std::optional<int64_t> step;
  bool flush = true;
  double timestamp = 0;  // seconds since the epoch, taken in log()
  // Media values in `data`: written on the outbox thread before the row is encoded, their
  // files named by the step wandb's client would name them by (set by RecordOutbox::Log()).
  bool has_media = false;
  size_t media_bytes = 0;
  int64_t media_step = 0;
};

// A summary value that holds media: written like a row's, named by its path and "summary".
struct SummaryCall {
  std::vector<std::string> path;
  Value value;
  size_t media_bytes = 0;
};

// Media values cannot travel as bytes: the queue holds their place, and `media` the values,
// in the same order.
using MediaRefs = std::vector<std::shared_ptr<const Media>>;

// Appends a log() call to `out`. The row must have passed validation (its depth is bounded).
void AppendLogCall(const LogCall& call, std::string* out, MediaRefs* media);
void AppendSummaryCall(const SummaryCall& call, std::string* out, MediaRefs* media);
// Appends `record`, serialized and length-prefixed as a RecordBatch holds it, to `out`.
void AppendRecordEntry(const records::Record& record, std::string* out);

// Reads the entries of a buffer the functions above wrote, in order.
class OutboxQueueReader {
 public:
  // `media`: what the appends that wrote `bytes` put there.
  OutboxQueueReader(absl::string_view bytes, const MediaRefs* media)
      : rest_(bytes), media_(media) {}

  bool done() const { return rest_.empty(); }
  // Bytes read so far.
  size_t consumed(absl::string_view all) const { return all.size() - rest_.size(); }

  // The next entry: a log() call, read into `call` (its map's memory reused), or a record's
  // bytes as a RecordBatch holds them, in `record`. False at the end.
  // A summary call with media, in `summary`.
  enum class Kind { kLogCall, kRecord, kSummaryCall };
  bool Next(Kind* kind, LogCall* call, absl::string_view* record, SummaryCall* summary);

 private:
  absl::string_view rest_;
  const MediaRefs* media_;
  size_t next_media_ = 0;
};

}  // namespace wandb::internal

#endif  // WANDB_CLIENT_SRC_OUTBOX_QUEUE_H_
