#include "cli/dump_command.h"

#include <google/protobuf/util/json_util.h>

#include "common/txlog/log_reader.h"
#include "wandb/records.pb.h"

namespace wandb::cli {

void AddDumpCommand(CLI::App& app, DumpOptions* options) {
  CLI::App* dump = app.add_subcommand("dump", "print a transaction log's records as JSON lines");
  dump->add_option("file", options->path, "a run-<id>.wandb file")
      ->required()
      ->check(CLI::ExistingFile);
}

namespace {

// Says on stderr, where it happens, what the reader skipped.
class ErrReporter final : public txlog::LogReader::Reporter {
 public:
  explicit ErrReporter(std::ostream& err) : err_(err) {}
  void Corruption(uint64_t bytes, const absl::Status& reason) override {
    err_ << "wandb-cpp dump: " << reason.message() << "\n";
    bytes_ += bytes;
  }
  uint64_t bytes() const { return bytes_; }

 private:
  std::ostream& err_;
  uint64_t bytes_ = 0;
};

}  // namespace

int RunDump(const DumpOptions& options, std::ostream& out, std::ostream& err) {
  ErrReporter reporter(err);
  auto reader = txlog::LogReader::Open(options.path, &reporter);
  if (!reader.ok()) {
    err << "wandb-cpp dump: " << reader.status().message() << "\n";
    return 1;
  }
  google::protobuf::util::JsonPrintOptions json;
  json.preserve_proto_field_names = true;
  std::string payload;
  std::string line;
  int64_t count = 0;
  while ((*reader)->Next(&payload)) {
    records::Record record;
    if (!record.ParseFromString(payload)) {
      err << "wandb-cpp dump: record " << count << " is not a Record\n";
      return 1;
    }
    line.clear();
    if (auto status = google::protobuf::util::MessageToJsonString(record, &line, json);
        !status.ok()) {
      err << "wandb-cpp dump: record " << count << ": " << status.message() << "\n";
      return 1;
    }
    out << line << "\n";
    ++count;
  }
  if (reporter.bytes() > 0) {
    err << "wandb-cpp dump: " << reporter.bytes() << " corrupt bytes skipped; printed the " << count
        << " intact records\n";
  }
  if (!(*reader)->status().ok()) {
    err << "wandb-cpp dump: stopped after " << count
        << " records: " << (*reader)->status().message() << "\n";
    // A truncated tail is what a live or killed run looks like; only a failed read fails.
    if (!(*reader)->truncated()) return 1;
  }
  return reporter.bytes() > 0 ? 1 : 0;
}

}  // namespace wandb::cli
