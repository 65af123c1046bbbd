// files/wandb-metadata.json: what wandb's metadata holds (os, host, program, args, git, CPU,
// memory, GPUs...), filled in for a C++ program: its executable and working directory, how
// libwandb and the program were built, and the Slurm job it runs in.
#ifndef WANDB_SERVICE_STREAM_RUN_METADATA_H_
#define WANDB_SERVICE_STREAM_RUN_METADATA_H_

#include <map>
#include <string>

#include "service/system/host_facts.h"
#include "service/system/nvml.h"
#include "wandb/records.pb.h"
#include "wandb/service.pb.h"

namespace wandb::service {

// What the daemon probes about the machine and the training process.
struct MetadataFacts {
  HostFacts host;
  GpuInventory gpus;                         // none without NVML
  std::map<std::string, std::string> slurm;  // SLURM_* of the training process, see host_facts
};

// Probes the machine and the process `pid` (its environment, for Slurm).
MetadataFacts ProbeMetadataFacts(int64_t pid);

// The file's text: JSON indented by 4, as wandb writes it.
std::string RenderMetadata(const records::RunRecord& run, const ProcessInfo& process,
                           const std::string& root_dir, const MetadataFacts& facts);

}  // namespace wandb::service

#endif  // WANDB_SERVICE_STREAM_RUN_METADATA_H_
