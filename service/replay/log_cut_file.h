// The run's last safe cut point of its transaction log, kept beside it in logs/log-cut: where
// a daemon that re-attaches the run after its predecessor died cuts the log back to, and from
// which batch the client sends again. A cut point is a place where the handler held no
// pending row (every log() call before it is whole in the log, none after it is), so that
// replaying the log up to it rebuilds exactly the handler's state there.
//
// The file holds two fixed-size slots written alternately with pwrite(2), each with its own
// checksum: a torn write (a power cut mid-write) spoils at most the slot being written, and
// the other one still holds the previous cut. See docs/formats.md.
#ifndef WANDB_SERVICE_REPLAY_LOG_CUT_FILE_H_
#define WANDB_SERVICE_REPLAY_LOG_CUT_FILE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"

namespace wandb::service {

struct LogCut {
  // The first batch that is not wholly in the log; batches before it are.
  uint64_t next_seq = 1;
  // How many entries (records and log() calls) of batch next_seq are in the log already.
  uint64_t skip = 0;
  // The log's size at the cut: a record boundary.
  uint64_t offset = 0;

  // The last batch the client may forget.
  uint64_t whole_seq() const { return next_seq - 1; }
  bool operator==(const LogCut&) const = default;
};

class LogCutFile {
 public:
  // Opens (creating it if need be) the file at `path` for writing cuts.
  static absl::StatusOr<std::unique_ptr<LogCutFile>> Open(const std::string& path);
  // The latest cut the file holds; nullopt when it holds none.
  static absl::StatusOr<std::optional<LogCut>> Read(const std::string& path);

  LogCutFile(const LogCutFile&) = delete;
  LogCutFile& operator=(const LogCutFile&) = delete;
  ~LogCutFile();

  // Records `cut`, replacing the older of the two slots; `sync` makes it durable (fdatasync)
  // before returning.
  absl::Status Write(const LogCut& cut, bool sync);

 private:
  LogCutFile(std::string path, int fd, int next_slot)
      : path_(std::move(path)), fd_(fd), next_slot_(next_slot) {}

  const std::string path_;
  const int fd_;
  int next_slot_;
};

}  // namespace wandb::service

#endif  // WANDB_SERVICE_REPLAY_LOG_CUT_FILE_H_
