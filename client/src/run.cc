// The public API: thin wrappers that turn internal statuses into the exceptions of the
// API's contract (invalid data -> std::invalid_argument, misuse -> wandb::Error).
#include "wandb/run.h"

#include <filesystem>
#include <stdexcept>

#include "client/src/artifact/artifact_access.h"
#include "client/src/client_run.h"
#include "client/src/restore.h"
#include "client/src/run_registry.h"
#include "client/src/settings_resolver.h"
#include "client/src/status_error.h"
#include "common/protocol.h"
#include "common/value/validation.h"
#include "wandb/error.h"
#include "wandb/wandb.h"

namespace wandb {
namespace {

using internal::ThrowError;

// Calls with data: invalid data is std::invalid_argument, the rest a wandb::Error.
void ThrowIfError(const absl::Status& status) {
  if (status.ok()) return;
  if (absl::IsInvalidArgument(status)) throw std::invalid_argument(std::string(status.message()));
  ThrowError(status);
}

}  // namespace

Run internal::InitRun(Settings settings, CallerBuild caller) {
  for (const auto& [key, value] : settings.config) {
    ThrowIfError(validation::ValidateKey(key));
    ThrowIfError(validation::ValidateValue(key, value));
  }
  absl::StatusOr<internal::ResolvedSettings> resolved = internal::ResolveSettings(
      std::move(settings), [](const char* name) { return std::getenv(name); });
  if (!resolved.ok()) ThrowError(resolved.status());
  resolved->program_compiler = caller.compiler;
  resolved->program_cplusplus = caller.cplusplus;
  if (resolved->mode == Mode::kDisabled)
    return internal::RunAccess::Handle(internal::ClientRun::Disabled(*resolved));

  internal::RunRegistry& registry = internal::RunRegistry::Get();
  if (std::shared_ptr<internal::ClientRun> current = registry.Current()) {
    if (!resolved->reinit) {
      internal::Console(resolved->silent)
          .Warning("wandb::init() while run " + current->settings().run_id +
                   " is in progress returns that run; pass .reinit = true to start another");
      return internal::RunAccess::Handle(current);
    }
    registry.Remove(current.get());
    current->Finish(0);
  }
  absl::StatusOr<std::shared_ptr<internal::ClientRun>> run =
      internal::ClientRun::Start(*std::move(resolved));
  if (!run.ok()) ThrowError(run.status(), "wandb::init: cannot start the run: ");
  registry.Add(*run);
  return internal::RunAccess::Handle(*std::move(run));
}

std::string restore(const std::string& name, const RestoreOptions& options) {
  std::shared_ptr<internal::ClientRun> active = internal::RunRegistry::Get().Current();
  absl::StatusOr<std::string> path = internal::Restore(name, options, active.get());
  ThrowIfError(path.status());
  return *std::move(path);
}

const char* version() { return kVersion; }

internal::ClientRun& Run::state() const {
  if (state_ == nullptr) {
    throw Error("this wandb::Run was not made by wandb::init()", ErrorCode::kFailedPrecondition);
  }
  return *state_;
}

void Run::log(Value::Map data, const LogOptions& options) {
  ThrowIfError(state().Log(std::move(data), options));
}

CustomChart Run::plot_table(const std::string& vega_spec_name, const Table& table,
                            Value::Map fields, Value::Map string_fields) {
  return wandb::plot_table(vega_spec_name, table, std::move(fields), std::move(string_fields));
}

Config Run::config() const {
  state();  // throws for a Run that init() did not make
  return Config(state_);
}

Summary Run::summary() const {
  state();
  return Summary(state_);
}

void Run::finish(int exit_code) {
  internal::ClientRun& s = state();
  internal::RunRegistry::Get().Remove(&s);
  s.Finish(exit_code, /*called=*/true);
}

bool Run::flush() {
  absl::StatusOr<bool> flushed = state().Flush();
  ThrowIfError(flushed.status());
  return *flushed;
}

std::vector<std::string> Run::save(const std::string& glob, const SaveOptions& options) {
  absl::StatusOr<std::vector<std::string>> linked = state().Save(glob, options);
  ThrowIfError(linked.status());
  return *std::move(linked);
}

Artifact Run::log_artifact(const Artifact& artifact, const std::vector<std::string>& aliases) {
  internal::ClientRun& run = state();
  absl::Status status = run.LogArtifact(internal::ArtifactAccess::State(artifact), aliases, state_);
  // Every artifact error is wandb::Error, bad aliases included (the header says so).
  if (!status.ok()) ThrowError(status);
  return artifact;
}

Artifact Run::log_artifact(const std::string& path, const std::string& name,
                           const std::string& type, const std::vector<std::string>& aliases) {
  std::string base = path;
  while (base.size() > 1 && base.back() == '/') base.pop_back();
  base = std::filesystem::path(base).filename().string();
  Artifact artifact(name.empty() ? "run-" + id() + "-" + base : name, type);
  std::error_code ec;
  if (path.find("://") != std::string::npos) {
    artifact.add_reference(path);
  } else if (std::filesystem::is_regular_file(path, ec)) {
    artifact.add_file(path);
  } else if (std::filesystem::is_directory(path, ec)) {
    artifact.add_dir(path);
  } else {
    throw Error("log_artifact: '" + path +
                    "' is not a file, a directory or a reference URI (s3://bucket/path)",
                ErrorCode::kNotFound);
  }
  return log_artifact(artifact, aliases);
}

Artifact Run::use_artifact(const std::string& name, const std::string& type) {
  absl::StatusOr<std::shared_ptr<internal::ArtifactState>> used = state().UseArtifact(name, type);
  if (!used.ok()) ThrowError(used.status());
  return internal::ArtifactAccess::Handle(*std::move(used));
}

Artifact Run::use_artifact(const Artifact& artifact, const std::vector<std::string>& aliases) {
  const std::shared_ptr<internal::ArtifactState>& given = internal::ArtifactAccess::State(artifact);
  if (given->used()) return use_artifact(given->StoredRef(), given->type());
  Artifact logged = log_artifact(artifact, aliases);
  if (disabled() || state().settings().mode == Mode::kOffline) return logged;
  std::string version = logged.wait();
  return use_artifact(artifact.name() + ":" + version, artifact.type());
}

const std::string& Run::id() const { return state().settings().run_id; }
const std::string& Run::name() const { return state().settings().name; }
const std::string& Run::project() const { return state().settings().project; }
const std::string& Run::entity() const { return state().settings().entity; }
const std::string& Run::dir() const { return state().dir(); }
bool Run::disabled() const { return state().disabled(); }
bool Run::finished() const { return state().finished(); }
bool Run::stop_requested() const { return state().stop_requested(); }

void Config::update(const Value::Map& values, bool allow_val_change) {
  ThrowIfError(state_->UpdateConfig(values, allow_val_change));
}

void Config::set(const std::string& key, Value value, bool allow_val_change) {
  ThrowIfError(state_->UpdateConfig(Value::Map{{key, std::move(value)}}, allow_val_change));
}

std::optional<Value> Config::get(const std::string& key) const { return state_->GetConfig(key); }
Value::Map Config::as_map() const { return state_->ConfigSnapshot(); }

SummaryItem Summary::operator[](const std::string& key) const { return SummaryItem(state_, {key}); }

void Summary::update(const Value::Map& values) {
  for (const auto& [key, value] : values) ThrowIfError(state_->SetSummary({key}, value));
}

Value::Map Summary::get() const {
  absl::StatusOr<Value::Map> summary = state_->GetSummary();
  if (absl::IsFailedPrecondition(summary.status())) ThrowIfError(summary.status());
  // A daemon that does not answer must not throw into the training loop; GetSummary has
  // reported the failure.
  return summary.ok() ? *std::move(summary) : Value::Map();
}

SummaryItem SummaryItem::operator[](const std::string& key) const {
  std::vector<std::string> path = path_;
  path.push_back(key);
  return SummaryItem(state_, std::move(path));
}

SummaryItem& SummaryItem::operator=(Value value) {
  ThrowIfError(state_->SetSummary(path_, std::move(value)));
  return *this;
}

void SummaryItem::remove() { ThrowIfError(state_->RemoveSummary(path_)); }

}  // namespace wandb
