// The stream's writer against a log file that fails as a full disk or a failing device does:
// nothing is lost, nothing counts as durable before it is written, and the log goes on when
// the file takes writes again.
#include "service/stream/writer.h"

#include <catch2/catch.hpp>
#include <cerrno>
#include <chrono>
#include <thread>

#include "common/txlog/log_reader.h"
#include "service/backend/backend.h"
#include "tests/support/faulty_file.h"
#include "tests/support/temp_dir.h"

namespace wandb::service {
namespace {

using ::wandb::testing::FaultyFile;
using ::wandb::testing::FileFaults;

bool Eventually(const std::function<bool()>& condition) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return condition();
}

SharedRecord Row(int i) {
  auto record = std::make_shared<records::Record>();
  records::HistoryItem* item = record->mutable_history()->add_item();
  item->set_key("i");
  item->set_value_json(std::to_string(i));
  return record;
}

// The history rows' "i" values a log holds, and whether it reads to a clean end.
struct LogRows {
  std::vector<int> rows;
  bool clean = false;
};
LogRows ReadRows(const std::string& path) {
  LogRows out;
  auto reader = txlog::LogReader::Open(path);
  REQUIRE(reader.ok());
  std::string payload;
  while ((*reader)->Next(&payload)) {
    records::Record record;
    REQUIRE(record.ParseFromString(payload));
    if (record.has_history()) out.rows.push_back(std::stoi(record.history().item(0).value_json()));
  }
  out.clean = (*reader)->status().ok() && (*reader)->dropped_bytes() == 0;
  return out;
}

// A writer over a FaultyFile, with an offline sender behind it.
class FaultyWriter {
 public:
  explicit FaultyWriter(const std::string& root)
      : dir_(RunDirectory::At(root, "faulty1")),
        faults_(std::make_shared<FileFaults>()),
        sender_(std::make_shared<OfflineBackend>(), dir_.log_path, dir_.run_dir, dir_.files_dir,
                &log_) {
    auto log = txlog::LogWriter::Create(FaultyFile::Create(dir_.log_path, faults_), dir_.log_path);
    REQUIRE(log.ok());
    writer_ = std::make_unique<Writer>(Writer::Options{.dir = dir_,
                                                       .log = *std::move(log),
                                                       .sender = &sender_,
                                                       .debug_log = &log_,
                                                       .fsync_batches = false,
                                                       .cut_file = nullptr,
                                                       .resumed = std::nullopt});
    sender_.Start();
    writer_->Start();
  }

  // Batch `seq` of `rows` rows, numbered from `first`.
  void Batch(uint64_t seq, int first, int rows) {
    std::vector<WriterItem> items;
    for (int i = first; i < first + rows; ++i) items.emplace_back(PersistRecord{Row(i)});
    items.emplace_back(BatchHandled{seq});
    writer_->Submit(&items);
  }

  absl::StatusOr<FinishRunResponse> Close(absl::Duration wait) {
    auto reply = std::make_shared<FinishPromise>();
    auto answer = reply->get_future();
    std::vector<WriterItem> items;
    items.emplace_back(CloseLog{RunEnd{}, {}, reply, absl::Now() + wait});
    writer_->Submit(&items);
    return answer.get();
  }

  FileFaults& faults() { return *faults_; }
  Writer& writer() { return *writer_; }
  const std::string& log_path() const { return dir_.log_path; }

 private:
  RunDirectory dir_;
  Logger log_;
  std::shared_ptr<FileFaults> faults_;
  Sender sender_;
  std::unique_ptr<Writer> writer_;
};

std::vector<int> Range(int n) {
  std::vector<int> v(n);
  for (int i = 0; i < n; ++i) v[i] = i;
  return v;
}

TEST_CASE("Writer: after ENOSPC or EIO it holds the rows and resumes when the file takes them") {
  const int error = GENERATE(ENOSPC, EIO);
  const size_t partial = GENERATE(size_t{0}, size_t{13});
  INFO("errno " << error << ", short write of " << partial);
  wandb::testing::TempDir dir("writer_test");
  FaultyWriter w(dir.path());
  w.Batch(1, 0, 100);
  REQUIRE(w.writer().WaitDurable(1, absl::Seconds(20)));

  w.faults().error = error;
  w.faults().partial = partial;
  for (uint64_t seq = 2; seq <= 20; ++seq) w.Batch(seq, 100 * (seq - 1), 100);
  REQUIRE(Eventually([&] { return w.faults().failed_appends >= 2; }));  // retried
  CHECK_THAT(w.writer().problem(), Catch::Contains(std::strerror(error)));
  CHECK_THAT(w.writer().problem(), Catch::Contains("retrying"));
  CHECK(w.writer().durable_seq() == 1);  // nothing after the failure counts as written
  CHECK(ReadRows(w.log_path()).rows == Range(100));

  w.faults().error = 0;
  CHECK(w.writer().WaitDurable(20, absl::Seconds(20)));
  CHECK(w.writer().problem().empty());
  absl::StatusOr<FinishRunResponse> finished = w.Close(absl::Seconds(20));
  CHECK(finished.ok());
  const LogRows log = ReadRows(w.log_path());
  CHECK(log.rows == Range(2000));  // every row once, in order
  CHECK(log.clean);                // no torn record anywhere
}

TEST_CASE("Writer: a finish while the disk stays full reports the loss, and the log ends whole") {
  wandb::testing::TempDir dir("writer_test");
  FaultyWriter w(dir.path());
  w.Batch(1, 0, 10);
  REQUIRE(w.writer().WaitDurable(1, absl::Seconds(20)));
  w.faults().error = ENOSPC;
  w.faults().partial = 20;
  w.Batch(2, 10, 10);
  absl::StatusOr<FinishRunResponse> finished = w.Close(absl::Milliseconds(600));
  REQUIRE_FALSE(finished.ok());
  CHECK_THAT(std::string(finished.status().message()), Catch::Contains("could not be written"));
  CHECK(w.writer().durable_seq() == 1);
  const LogRows log = ReadRows(w.log_path());
  CHECK(log.rows == Range(10));
  CHECK(log.clean);  // cut back to its last whole write
}

}  // namespace
}  // namespace wandb::service
