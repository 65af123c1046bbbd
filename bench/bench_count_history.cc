// Reads transaction logs back and counts their history records, to check that every row
// logged reached the disk. Links no libwandb: only the log reader and the record schema.
//
//   bench_count_history run-<id>.wandb...
// prints, per log: HISTORY <history records> RECORDS <all records> <path> [error]
#include <cstdio>
#include <string>

#include "common/txlog/log_reader.h"
#include "wandb/records.pb.h"

int main(int argc, char** argv) {
  int failures = 0;
  for (int i = 1; i < argc; ++i) {
    absl::StatusOr<std::unique_ptr<wandb::txlog::LogReader>> reader =
        wandb::txlog::LogReader::Open(argv[i]);
    if (!reader.ok()) {
      std::printf("HISTORY 0 RECORDS 0 %s %s\n", argv[i], reader.status().ToString().c_str());
      ++failures;
      continue;
    }
    long long history = 0;
    long long records = 0;
    bool parsed = true;
    std::string bytes;
    wandb::records::Record record;
    while ((*reader)->Next(&bytes)) {
      ++records;
      if (!record.ParseFromString(bytes)) parsed = false;
      if (record.has_history()) ++history;
    }
    std::string problem = !(*reader)->status().ok() ? (*reader)->status().ToString()
                          : !parsed                 ? std::string("a record did not parse")
                                                    : std::string();
    if (!problem.empty()) ++failures;
    std::printf("HISTORY %lld RECORDS %lld %s %s\n", history, records, argv[i], problem.c_str());
  }
  return failures == 0 ? 0 : 1;
}
