#include "service/stream/run_metadata.h"

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/util/read_file.h"
#include "nlohmann/json.hpp"

namespace wandb::service {
namespace {

std::string IsoUtc(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E6S", t, absl::UTCTimeZone());
}

std::string IsoUtc(const google::protobuf::Timestamp& ts) {
  return IsoUtc(absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos()));
}

nlohmann::ordered_json BuildJson(const BuildInfo& build) {
  nlohmann::ordered_json out;
  out["libwandb"] = build.libwandb_version();
  out["compiler"] = build.libwandb_compiler();
  out["cplusplus"] = build.libwandb_cplusplus();
  out["build_type"] = build.libwandb_build_type();
  if (!build.program_compiler().empty()) {
    out["program_compiler"] = build.program_compiler();
    out["program_cplusplus"] = build.program_cplusplus();
  }
  return out;
}

}  // namespace

MetadataFacts ProbeMetadataFacts(int64_t pid) {
  MetadataFacts facts;
  facts.host = ProbeHost();
  facts.gpus = ProbeGpus();
  // Same user as the daemon, so readable; gone (a process that already exited) means none.
  facts.slurm =
      SlurmVariables(ReadFileToString(absl::StrCat("/proc/", pid, "/environ")).value_or(""));
  return facts;
}

std::string RenderMetadata(const records::RunRecord& run, const ProcessInfo& process,
                           const std::string& root_dir, const MetadataFacts& facts) {
  const HostFacts& host = facts.host;
  nlohmann::ordered_json meta;
  meta["os"] = host.os;
  meta["startedAt"] = IsoUtc(run.start_time());
  meta["heartbeatAt"] = IsoUtc(run.start_time());
  if (process.started_at_unix_ms() > 0) {
    meta["processStartedAt"] = IsoUtc(absl::FromUnixMillis(process.started_at_unix_ms()));
  }
  meta["docker"] = nullptr;
  meta["cpu_count"] = host.cpu_count;
  meta["cpu_count_logical"] = host.cpu_count_logical;
  if (host.memory_total > 0) {
    meta["memory"] = {{"total", static_cast<double>(host.memory_total) / (1 << 30)}};
  }
  if (facts.gpus.count > 0) {
    // wandb's keys: the first GPU's name, the count and the CUDA version; all names too.
    meta["gpu"] = facts.gpus.names.empty() ? "" : facts.gpus.names[0];
    meta["gpu_count"] = facts.gpus.count;
    meta["gpu_devices"] = facts.gpus.names;
    meta["cuda"] = facts.gpus.cuda_version;
    meta["nvidia_driver"] = facts.gpus.driver_version;
  }
  meta["args"] = process.args();
  meta["state"] = "running";
  meta["program"] = process.program();
  meta["codePath"] = process.program();
  if (!run.git().last_commit().empty()) {
    meta["git"] = {{"remote", run.git().remote_url()}, {"commit", run.git().last_commit()}};
  }
  meta["email"] = nullptr;
  meta["root"] = root_dir;
  meta["host"] = run.host().empty() ? host.host : run.host();
  meta["username"] = process.username();
  meta["executable"] = process.executable();
  meta["cwd"] = process.cwd();
  meta["pid"] = process.pid();
  if (process.has_build()) meta["build"] = BuildJson(process.build());
  if (!facts.slurm.empty()) meta["slurm"] = facts.slurm;
  return meta.dump(4) + "\n";
}

}  // namespace wandb::service
