// The daemon's calls that read from W&B for a user in online mode: use_artifact() of an
// online run, wandb::Api().artifact() and wandb::restore() with mode online. What they fetch
// lands in the local store's blobs, so the client reads it as it reads anything stored.
//
// Each waits on the network in the gRPC thread that asked: the user's call waits for the
// answer anyway, and no run's data path (handler, writer, sender, upload lane) is involved.
#ifndef WANDB_SERVICE_SERVER_ONLINE_READS_H_
#define WANDB_SERVICE_SERVER_ONLINE_READS_H_

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "service/server/run_registry.h"
#include "service/store/local_store.h"
#include "wandb/service.pb.h"

namespace wandb::service {

// use_artifact() of an online run (run.wandb set): the version on W&B, its use recorded
// against the run there once the run is on the server (waited for until `deadline`; past it
// the use is reported unrecorded in usage_problem).
absl::Status UseArtifactOnWandb(const RunRegistry::LiveRunFacts& run, store::LocalStore& store,
                                const UseArtifactRequest& request, absl::Time deadline,
                                UseArtifactResponse* response);

// Api().artifact() with request.online() set: no run, no use recorded.
absl::Status FetchArtifactFromWandb(const FetchArtifactRequest& request, store::LocalStore& store,
                                    UseArtifactResponse* response);

// restore() with request.online() set.
absl::Status RestoreFromWandb(const RestoreFileRequest& request, store::LocalStore& store,
                              RestoreFileResponse* response);

}  // namespace wandb::service

#endif  // WANDB_SERVICE_SERVER_ONLINE_READS_H_
