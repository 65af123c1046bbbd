#include "service/stream/handler.h"

#include <charconv>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "common/artifact/artifact_record.h"
#include "common/ipc/history_wire.h"
#include "common/ipc/record_batch_codec.h"
#include "common/value/json.h"
#include "common/value/validation.h"
#include "service/stream/record_checks.h"

namespace wandb::service {
namespace {

// The number in `json` when it is a plain number (what _runtime needs of _timestamp).
std::optional<double> AsNumber(absl::string_view json) {
  double d = 0;
  auto [end, ec] = std::from_chars(json.data(), json.data() + json.size(), d);
  if (ec != std::errc() || end != json.data() + json.size()) return std::nullopt;
  return d;
}

// A log() call sent as a message rather than in the plain wire form, as views into it.
void ViewOf(const records::PartialHistoryRequest& request, history_wire::PartialHistoryView* view) {
  view->Clear();
  for (const records::HistoryItem& item : request.item()) {
    view->items.push_back({item.key(), item.value_json()});
  }
  if (request.has_step()) view->step = request.step().num();
  view->flush = request.action().flush();
}

// save() globs: relative to files/, never climbing out of it.
absl::Status CheckFiles(const records::FilesRecord& files) {
  for (const records::FilesItem& item : files.files()) {
    const std::string& path = item.path();
    if (path.empty() || path[0] == '/' || !validation::IsValidUtf8(path)) {
      return absl::InvalidArgumentError(absl::StrCat("bad file glob '", path, "'"));
    }
    for (absl::string_view part : absl::StrSplit(path, '/')) {
      if (part == "..") {
        return absl::InvalidArgumentError(absl::StrCat("file glob '", path, "' climbs out"));
      }
    }
    if (!records::FilesItem::PolicyType_IsValid(item.policy())) {
      return absl::InvalidArgumentError(absl::StrCat("file glob '", path, "': bad policy"));
    }
  }
  return absl::OkStatus();
}

// A console line as the log keeps it: at most kMaxOutputLineBytes, cut at a code point, and
// valid UTF-8 (protobuf's parser already refuses a string that is not; checked again because
// the log must never hold one).
absl::Status CleanOutput(records::OutputRecord* output) {
  if (!records::OutputRecord::OutputType_IsValid(output->output_type())) {
    return absl::InvalidArgumentError(
        absl::StrCat("console line of unknown stream ", output->output_type()));
  }
  std::string* line = output->mutable_line();
  if (!validation::IsValidUtf8(*line)) *line = validation::ReplaceInvalidUtf8(*line);
  if (line->size() > validation::kMaxOutputLineBytes) {
    bool ended = line->back() == '\n';
    line->resize(validation::Utf8CutPoint(*line, validation::kMaxOutputLineBytes - 1));
    if (ended) line->push_back('\n');
  }
  return absl::OkStatus();
}

// The reason finish reports for the first refused record, at most.
constexpr size_t kMaxRefusalBytes = 512;

}  // namespace

Handler::Handler(Options options)
    : start_seconds_(static_cast<double>(options.run.start_time().seconds()) +
                     options.run.start_time().nanos() / 1e9),
      writer_(options.writer),
      debug_log_(options.debug_log),
      history_(options.run.starting_step()) {
  const records::RunRecord& run = options.run;
  if (options.resumed.has_value()) {
    rows_.store(options.resumed->rows);
    sampled_ = std::move(options.resumed->sampled);
    skip_seq_ = options.resumed->seq;
    skip_entries_ = options.resumed->skip;
  }
  if (absl::Status s = config_.Apply(run.config()); !s.ok()) {
    debug_log_->Warning("handler: initial config: %s", s.ToString());
  }
  // A resumed run's summary goes on from the stored one.
  if (absl::Status s = summary_.Apply(run.summary()); !s.ok()) {
    debug_log_->Warning("handler: resumed summary: %s", s.ToString());
  }
  wandb_meta_ = Value::Map{{"cli_version", std::string(WANDB_CPP_VERSION)},
                           {"start_time", run.start_time().seconds()}};
  records::TelemetryRecord daemon;
  daemon.set_cli_version(absl::StrCat("wandb-cpp ", WANDB_CPP_VERSION));
  daemon.mutable_feature()->set_service(true);
  telemetry_.Merge(daemon);
  telemetry_.Merge(run.telemetry());
  wandb_meta_.set("t", telemetry_.Encoded());
  config_dirty_ = true;
}

Handler::~Handler() {
  queue_.Close();
  if (thread_.joinable()) thread_.join();
}

void Handler::Start() {
  thread_ = std::thread([this] { Loop(); });
}

void Handler::Loop() {
  std::vector<HandlerItem> items;
  while (queue_.PopAllFor(&items, kFileRefreshInterval)) {
    for (HandlerItem& item : items) Handle(item);
    RefreshFiles(/*force=*/false);
    if (!out_.empty()) writer_->Submit(&out_);
    // The next pass allocates on a new arena; this one goes when its records are written.
    arena_.reset();
  }
}

void Handler::Handle(HandlerItem& item) {
  if (auto* incoming = std::get_if<IncomingBatch>(&item)) {
    if (finished_) {
      // Taken from the queue together with the finish: the log is closed.
      debug_log_->Warning("handler: batch %d arrived after finish; dropped",
                          incoming->batch->seq());
      return;
    }
    HandleBatch(*incoming->batch);
  } else if (auto* q = std::get_if<SummaryQuery>(&item)) {
    GetSummaryResponse response;
    summary_.ToItems(response.mutable_item());
    q->reply->set_value(std::move(response));
  } else if (auto* q = std::get_if<SampledHistoryQuery>(&item)) {
    SampledHistoryResponse response;
    sampled_.ToItems(response.mutable_item());
    q->reply->set_value(std::move(response));
  } else if (auto* system = std::get_if<SystemStats>(&item)) {
    if (finished_) return;  // the log is closed
    records::Record* record = NewRecord();
    *record->mutable_stats() = std::move(system->stats);
    Persist(record);
  } else {
    HandleFinish(std::get<FinishRequest>(item));
  }
}

void Handler::HandleBatch(const DecodedBatch& batch) {
  const auto& entries = batch.entries();
  // The log of a re-attached run holds the first entries of the batch it was cut in.
  size_t first = 0;
  if (batch.seq() == skip_seq_) {
    first = static_cast<size_t>(std::min<uint64_t>(skip_entries_, entries.size()));
    skip_seq_ = 0;
  }
  bool cut_marked = false;
  for (size_t i = first; i < entries.size(); ++i) {
    const DecodedBatch::Entry& entry = entries[i];
    if (entry.is_call && !entry.status.ok()) {
      Refuse(absl::StrCat("batch ", batch.seq(), ": dropped a log() call"), entry.status);
      continue;
    }
    records::Record* record = nullptr;
    if (!entry.is_call && entry.status.ok()) record = ParseRecord(entry.record, PassArena());
    if (!entry.is_call && record == nullptr) {
      Refuse(absl::StrCat("batch ", batch.seq(), ": the rest of the batch is dropped"),
             entry.status.ok() ? absl::DataLossError("a record does not parse") : entry.status);
      break;
    }
    bool had_pending = history_.has_pending();
    int64_t step = history_.step();
    if (entry.is_call) {
      HandleHistory(entry.call);
    } else {
      HandleRecord(*record);
    }
    // A row begun by this entry: everything before the entry is in the log, the row it may
    // have completed included, so a re-attach may cut the log here and take the entry again.
    // One such point per batch is enough (the client keeps the whole batch either way).
    if (!cut_marked && history_.has_pending() && (!had_pending || history_.step() != step)) {
      out_.push_back(CleanPoint{batch.seq(), i});
      cut_marked = true;
    }
  }
  if (!history_.has_pending()) out_.push_back(CleanPoint{batch.seq() + 1, 0});
  out_.push_back(BatchHandled{batch.seq()});
}

// `record` is on the pass's arena, so it can be persisted as it is.
void Handler::HandleRecord(records::Record& record) {
  switch (record.record_type_case()) {
    case records::Record::kRequest:
      if (record.request().has_partial_history()) {
        ViewOf(record.request().partial_history(), &call_);
        if (absl::Status s = CheckCall(call_); !s.ok()) {
          Refuse("dropped a log() call", s);
          return;
        }
        HandleHistory(call_);
        return;
      }
      break;
    case records::Record::kConfig:
      if (absl::Status s = CheckConfigRecord(record.config()); !s.ok()) {
        Refuse("refused a config update", s);
        return;
      }
      if (absl::Status s = config_.Apply(record.config()); !s.ok()) {
        debug_log_->Warning("handler: config: %s", s.ToString());
      }
      config_dirty_ = true;
      Persist(&record);
      return;
    case records::Record::kFiles:
      if (absl::Status s = CheckFiles(record.files()); !s.ok()) {
        Refuse("refused a save()", s);
        return;
      }
      Persist(&record);  // the sender's file saver acts on it once it is in the log
      return;
    case records::Record::kArtifact:
      // The store commits it once it is in the log (the sender's replay).
      if (absl::StatusOr<artifact::Manifest> m = artifact::CheckArtifactRecord(record.artifact());
          !m.ok()) {
        Refuse("refused an artifact", m.status());
        return;
      }
      Persist(&record);
      return;
    case records::Record::kTelemetry:
      HandleTelemetry(record.telemetry());
      Persist(&record);
      return;
    case records::Record::kOutput:
      if (absl::Status s = CleanOutput(record.mutable_output()); !s.ok()) {
        Refuse("refused a console line", s);
        return;
      }
      Persist(&record);
      return;
    case records::Record::kSummary:
      if (absl::Status s = CheckSummaryRecord(record.summary()); !s.ok()) {
        Refuse("refused a summary update", s);
        return;
      }
      if (absl::Status s = summary_.Apply(record.summary()); !s.ok()) {
        debug_log_->Warning("handler: summary: %s", s.ToString());
      }
      summary_dirty_ = true;
      Persist(&record);
      return;
    default:
      break;
  }
  // Runs, exits, history and the like are the daemon's to write, never a client's.
  Refuse("refused a client record",
         absl::PermissionDeniedError(absl::StrCat("records of type ",
                                                  static_cast<int>(record.record_type_case()),
                                                  " are the daemon's to write")));
}

void Handler::Refuse(absl::string_view what, const absl::Status& why) {
  ++rejected_;
  debug_log_->Warning("handler: %s: %s", what, why.ToString());
  if (first_refusal_.empty()) {
    // It goes to the client in a proto3 string: valid UTF-8, and short (a message may quote
    // what was refused).
    first_refusal_ = validation::ReplaceInvalidUtf8(absl::StrCat(what, ": ", why.message()));
    first_refusal_.resize(validation::Utf8CutPoint(first_refusal_, kMaxRefusalBytes));
  }
}

void Handler::HandleTelemetry(const records::TelemetryRecord& telemetry) {
  if (!telemetry_.Merge(telemetry)) return;
  wandb_meta_.set("t", telemetry_.Encoded());
  config_dirty_ = true;
}

// `call` has passed CheckCall().
void Handler::HandleHistory(const history_wire::PartialHistoryView& call) {
  std::optional<std::string> warning =
      history_.Add(call, [this](int64_t step, const auto& items) { EmitRow(step, items); });
  if (warning) debug_log_->Warning("handler: %s", *warning);
}

void Handler::EmitRow(int64_t step, const std::vector<history_wire::ItemView>& items) {
  std::optional<double> timestamp;
  absl::string_view timestamp_json;
  bool has_runtime = false;
  row_.clear();
  for (const history_wire::ItemView& item : items) {
    if (item.key == "_timestamp") {
      // Kept as the client wrote it, and added below, so that _step, _runtime and
      // _timestamp always come last.
      timestamp = AsNumber(item.value_json);
      if (timestamp) timestamp_json = item.value_json;
      continue;
    }
    has_runtime |= item.key == "_runtime";
    row_.push_back(item);
  }
  char* step_end = std::to_chars(step_json_, step_json_ + sizeof(step_json_), step).ptr;
  row_.push_back({"_step", absl::string_view(step_json_, step_end - step_json_)});
  if (!timestamp) timestamp = absl::ToDoubleSeconds(absl::Now() - absl::UnixEpoch());
  if (!has_runtime) {
    runtime_json_.clear();
    json::AppendDouble(std::max(0.0, *timestamp - start_seconds_), &runtime_json_);
    row_.push_back({"_runtime", runtime_json_});
  }
  if (timestamp_json.empty()) {
    timestamp_json_.clear();
    json::AppendDouble(*timestamp, &timestamp_json_);
    timestamp_json = timestamp_json_;
  }
  row_.push_back({"_timestamp", timestamp_json});

  row_bytes_.clear();
  for (const history_wire::ItemView& item : row_) {
    history_wire::AppendItem(item.key, item.value_json, &row_bytes_);
  }
  history_wire::AppendHistoryRecord(row_bytes_, step, EncodedOut());
  summary_.SetRow(row_);
  sampled_.AddRow(row_);
  summary_dirty_ = true;
  // Only this thread writes it: a plain store, not a locked increment, on the hot path.
  rows_.store(rows_.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
}

void Handler::HandleFinish(FinishRequest& finish) {
  if (finished_) {
    finish.reply->set_value(absl::FailedPreconditionError("the run has finished already"));
    return;
  }
  history_.Flush([this](int64_t step, const auto& items) { EmitRow(step, items); });

  double now = absl::ToDoubleSeconds(absl::Now() - absl::UnixEpoch());
  int runtime = static_cast<int>(std::max(0.0, now - start_seconds_));
  records::Record* exit = NewRecord();
  exit->mutable_exit()->set_exit_code(finish.end.exit_code);
  exit->mutable_exit()->set_runtime(runtime);
  Persist(exit);
  if (finish.final_stats) {
    records::Record* stats = NewRecord();
    *stats->mutable_stats() = std::move(*finish.final_stats);
    Persist(stats);
  }

  summary_.Set("_wandb", absl::StrCat("{\"runtime\": ", runtime, "}"));
  records::Record* summary = NewRecord();
  summary_.ToItems(summary->mutable_summary()->mutable_update());
  Persist(summary);
  records::Record* final_record = NewRecord();
  final_record->mutable_final();
  Persist(final_record);
  records::Record* footer = NewRecord();
  footer->mutable_footer();
  Persist(footer);
  RefreshFiles(/*force=*/true);

  CloseLog close{finish.end, {}, finish.reply, finish.deadline};
  close.response.set_history_rows(rows_.load(std::memory_order_relaxed));
  summary_.ToItems(close.response.mutable_summary());
  sampled_.ToItems(close.response.mutable_sampled_history());
  if (rejected_ > 0) {
    debug_log_->Warning("handler: %d client records were refused in this run", rejected_);
    close.response.set_records_refused(rejected_);
    close.response.set_first_refusal(first_refusal_);
  }
  out_.push_back(std::move(close));
  finished_ = true;
  queue_.Close();
}

google::protobuf::Arena* Handler::PassArena() {
  if (arena_ == nullptr) {
    google::protobuf::ArenaOptions options;
    options.start_block_size = 64 << 10;
    options.max_block_size = 1 << 20;
    arena_ = std::make_shared<google::protobuf::Arena>(options);
  }
  return arena_.get();
}

records::Record* Handler::NewRecord() {
  return google::protobuf::Arena::CreateMessage<records::Record>(PassArena());
}

std::string* Handler::EncodedOut() {
  if (out_.empty() || !std::holds_alternative<EncodedRecords>(out_.back())) {
    out_.push_back(EncodedRecords{});
  }
  return &std::get<EncodedRecords>(out_.back()).bytes;
}

void Handler::Persist(records::Record* record) {
  // The record lives on arena_; sharing the arena keeps it alive until the writer and the
  // sender are done with every record of this pass.
  out_.push_back(PersistRecord{SharedRecord(arena_, record)});
}

void Handler::RefreshFiles(bool force) {
  if (finished_ && !force) return;
  absl::Time now = absl::Now();
  if (!force && now - last_refresh_ < kFileRefreshInterval) return;
  if (summary_dirty_ || force) {
    out_.push_back(WriteRunFile{"wandb-summary.json", summary_.ToJson()});
    summary_dirty_ = false;
  }
  if (config_dirty_ || force) {
    out_.push_back(WriteRunFile{"config.yaml", config_.ToYaml(wandb_meta_)});
    config_dirty_ = false;
  }
  last_refresh_ = now;
}

}  // namespace wandb::service
