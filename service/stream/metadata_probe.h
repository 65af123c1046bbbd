// What the daemon finds out about a run's program and machine when the run starts: git's
// remote and commit, files/wandb-metadata.json, and files/diff.patch for save_code. Probing
// takes time (git runs as a subprocess, `git diff` may take seconds, NVML loads), so it runs
// on a thread of its own and hands what it found to the writer, which only writes: the run's
// first rows reach the log without waiting for it.
#ifndef WANDB_SERVICE_STREAM_METADATA_PROBE_H_
#define WANDB_SERVICE_STREAM_METADATA_PROBE_H_

#include <string>
#include <thread>

#include "service/stream/writer.h"
#include "wandb/records.pb.h"
#include "wandb/service.pb.h"

namespace wandb::service {

class MetadataProbe {
 public:
  struct Options {
    records::RunRecord run;  // as the log opens it
    ProcessInfo process;
    std::string root_dir;      // the directory that holds wandb/
    bool save_code = false;    // also files/diff.patch
    bool disable_git = false;  // probe no git facts at all
  };

  // Starts probing at once; what it finds goes to `writer`, which must outlive it.
  MetadataProbe(Options options, Writer* writer);
  ~MetadataProbe();  // Wait()

  // Returns once everything found is in the writer's queue: the run's finish waits for it,
  // so the files come before the exit record.
  void Wait();

 private:
  void Probe();

  Options options_;
  Writer* writer_;
  std::thread thread_;
};

}  // namespace wandb::service

#endif  // WANDB_SERVICE_STREAM_METADATA_PROBE_H_
