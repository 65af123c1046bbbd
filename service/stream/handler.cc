#include "service/stream/handler.h"

#include <charconv>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/ipc/record_batch_codec.h"
#include "common/value/json.h"
#include "common/value/validation.h"

namespace wandb::service {
namespace {

// The number in `json` when it is a plain number (what sampled history and _runtime need).
std::optional<double> AsNumber(absl::string_view json) {
  double d = 0;
  auto [end, ec] = std::from_chars(json.data(), json.data() + json.size(), d);
  if (ec != std::errc() || end != json.data() + json.size()) return std::nullopt;
  return d;
}

std::string DoubleJson(double d) {
  std::string s;
  json::AppendDouble(d, &s);
  return s;
}

// A history item from a client is only trusted after the same checks the client makes.
absl::Status CheckItem(const records::HistoryItem& item) {
  if (absl::Status s = validation::ValidateKey(item.key()); !s.ok()) return s;
  if (AsNumber(item.value_json())) return absl::OkStatus();  // the common case, cheaply
  absl::StatusOr<Value> v = json::Parse(item.value_json());
  if (!v.ok()) return v.status();
  return validation::ValidateValue(item.key(), *v);
}

}  // namespace

Handler::Handler(const records::RunRecord& run, Writer* writer, Logger* debug_log)
    : start_seconds_(static_cast<double>(run.start_time().seconds()) +
                     run.start_time().nanos() / 1e9),
      writer_(writer),
      debug_log_(debug_log),
      history_(run.starting_step()) {
  if (absl::Status s = config_.Apply(run.config()); !s.ok()) {
    debug_log_->Warning("handler: initial config: %s", s.ToString());
  }
  wandb_meta_ = Value::Map{{"cli_version", std::string(WANDB_CPP_VERSION)},
                           {"start_time", run.start_time().seconds()}};
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
  if (auto* batch = std::get_if<IncomingBatch>(&item)) {
    if (finished_) {
      // Taken from the queue together with the finish: the log is closed.
      debug_log_->Warning("handler: batch %d arrived after finish; dropped", batch->batch.seq());
      return;
    }
    HandleBatch(*batch);
  } else if (auto* q = std::get_if<SummaryQuery>(&item)) {
    GetSummaryResponse response;
    summary_.ToItems(response.mutable_item());
    q->reply->set_value(std::move(response));
  } else if (auto* q = std::get_if<SampledHistoryQuery>(&item)) {
    SampledHistoryResponse response;
    sampled_.ToItems(response.mutable_item());
    q->reply->set_value(std::move(response));
  } else {
    HandleFinish(std::get<FinishRequest>(item));
  }
}

void Handler::HandleBatch(IncomingBatch& incoming) {
  RecordBatchReader reader(incoming.batch.records());
  while (records::Record* record = reader.Next(PassArena())) HandleRecord(*record);
  if (!reader.status().ok()) {
    ++rejected_;
    debug_log_->Warning("handler: batch %d: %s; the rest of the batch is dropped",
                        incoming.batch.seq(), reader.status().ToString());
  }
  out_.push_back(BatchHandled{incoming.batch.seq()});
}

// `record` is on the pass's arena, so it can be persisted as it is.
void Handler::HandleRecord(records::Record& record) {
  switch (record.record_type_case()) {
    case records::Record::kRequest:
      if (record.request().has_partial_history()) {
        HandleHistory(record.mutable_request()->mutable_partial_history());
        return;
      }
      break;
    case records::Record::kConfig:
      if (absl::Status s = config_.Apply(record.config()); !s.ok()) {
        debug_log_->Warning("handler: config: %s", s.ToString());
      }
      config_dirty_ = true;
      Persist(&record);
      return;
    case records::Record::kSummary:
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
  ++rejected_;
  debug_log_->Warning("handler: refused a client record of type %d",
                      static_cast<int>(record.record_type_case()));
}

void Handler::HandleHistory(records::PartialHistoryRequest* request) {
  if (request->has_step()) {
    if (absl::Status s = validation::ValidateStep(request->step().num()); !s.ok()) {
      ++rejected_;
      debug_log_->Warning("handler: dropped a log() call: %s", s.ToString());
      return;
    }
  }
  for (const records::HistoryItem& item : request->item()) {
    if (absl::Status s = CheckItem(item); !s.ok()) {
      ++rejected_;
      debug_log_->Warning("handler: dropped a log() call: %s", s.ToString());
      return;
    }
  }
  if (std::optional<std::string> warning = history_.Add(request, &rows_out_)) {
    debug_log_->Warning("handler: %s", *warning);
  }
  for (HistoryRow& row : rows_out_) EmitRow(row);
  rows_out_.clear();
}

void Handler::EmitRow(HistoryRow& row) {
  records::Record* record = NewRecord();
  records::HistoryRecord* history = record->mutable_history();
  history->mutable_step()->set_num(row.step);
  double timestamp = absl::ToDoubleSeconds(absl::Now() - absl::UnixEpoch());
  bool has_runtime = false;
  for (auto& [key, value] : row.items) {
    if (key == "_timestamp") {
      if (std::optional<double> t = AsNumber(value)) timestamp = *t;
      continue;  // re-added below, so _step/_runtime/_timestamp always come last
    }
    has_runtime |= key == "_runtime";
    if (key[0] != '_') {
      if (std::optional<double> v = AsNumber(value)) sampled_.Add(key, *v);
    }
    summary_.Set(key, value);
    records::HistoryItem* item = history->add_item();
    item->set_key(std::move(key));
    item->set_value_json(std::move(value));
  }
  auto add = [&](const char* key, std::string value) {
    summary_.Set(key, value);
    records::HistoryItem* item = history->add_item();
    item->set_key(key);
    item->set_value_json(std::move(value));
  };
  add("_step", absl::StrCat(row.step));
  if (!has_runtime) add("_runtime", DoubleJson(std::max(0.0, timestamp - start_seconds_)));
  add("_timestamp", DoubleJson(timestamp));
  summary_dirty_ = true;
  ++rows_;
  Persist(record);
}

void Handler::HandleFinish(FinishRequest& finish) {
  if (finished_) {
    finish.reply->set_value(absl::FailedPreconditionError("the run has finished already"));
    return;
  }
  history_.Flush(&rows_out_);
  for (HistoryRow& row : rows_out_) EmitRow(row);
  rows_out_.clear();

  double now = absl::ToDoubleSeconds(absl::Now() - absl::UnixEpoch());
  int runtime = static_cast<int>(std::max(0.0, now - start_seconds_));
  records::Record* exit = NewRecord();
  exit->mutable_exit()->set_exit_code(finish.exit_code);
  exit->mutable_exit()->set_runtime(runtime);
  Persist(exit);

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

  CloseLog close{finish.exit_code, {}, finish.reply};
  close.response.set_history_rows(rows_);
  summary_.ToItems(close.response.mutable_summary());
  sampled_.ToItems(close.response.mutable_sampled_history());
  if (rejected_ > 0) {
    debug_log_->Warning("handler: %d client records were refused in this run", rejected_);
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
