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

int RunDump(const DumpOptions& options, std::ostream& out, std::ostream& err) {
  auto reader = txlog::LogReader::Open(options.path);
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
  if (!(*reader)->status().ok()) {
    err << "wandb-cpp dump: stopped after " << count
        << " records: " << (*reader)->status().message() << "\n";
    // A truncated tail is what a live or killed run looks like; only corruption fails.
    return (*reader)->truncated() ? 0 : 1;
  }
  return 0;
}

}  // namespace wandb::cli
