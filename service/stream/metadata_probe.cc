#include "service/stream/metadata_probe.h"

#include <memory>
#include <vector>

#include "service/stream/run_metadata.h"
#include "service/system/host_facts.h"

namespace wandb::service {
namespace {

// The FilesRecord that names `name` (under files/) for upload now, as wandb does.
PersistRecord SaveNow(const std::string& name) {
  auto record = std::make_shared<records::Record>();
  records::FilesItem* item = record->mutable_files()->add_files();
  item->set_path(name);
  item->set_policy(records::FilesItem::NOW);
  return PersistRecord{std::move(record)};
}

}  // namespace

MetadataProbe::MetadataProbe(Options options, Writer* writer)
    : options_(std::move(options)), writer_(writer), thread_([this] { Probe(); }) {}

MetadataProbe::~MetadataProbe() { Wait(); }

void MetadataProbe::Wait() {
  if (thread_.joinable()) thread_.join();
}

void MetadataProbe::Probe() {
  std::vector<WriterItem> items;
  records::RunRecord& run = options_.run;
  GitInfo git = options_.disable_git ? GitInfo{} : ProbeGit(options_.process.cwd());
  if (!git.commit.empty()) {
    run.mutable_git()->set_remote_url(git.remote);
    run.mutable_git()->set_last_commit(git.commit);
    // The run again, now with git's facts: an update, as wandb writes one when a run changes.
    // Config and summary stay as the first RunRecord gave them.
    auto update = std::make_shared<records::Record>();
    *update->mutable_run() = run;
    update->mutable_run()->clear_config();
    update->mutable_run()->clear_summary();
    items.push_back(PersistRecord{std::move(update)});
  }
  items.push_back(WriteRunFile{"wandb-metadata.json",
                               RenderMetadata(run, options_.process, options_.root_dir,
                                              ProbeMetadataFacts(options_.process.pid()))});
  items.push_back(SaveNow("wandb-metadata.json"));
  writer_->Submit(&items);
  if (!options_.save_code || git.commit.empty()) return;
  // `git diff HEAD` may take seconds in a big repository: the metadata goes first.
  std::string diff = GitDiffHead(options_.process.cwd());
  if (diff.empty()) return;  // nothing uncommitted
  items.push_back(WriteRunFile{"diff.patch", std::move(diff)});
  items.push_back(SaveNow("diff.patch"));
  writer_->Submit(&items);
}

}  // namespace wandb::service
