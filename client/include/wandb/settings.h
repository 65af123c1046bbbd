#ifndef WANDB_SETTINGS_H_
#define WANDB_SETTINGS_H_

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "wandb/value.h"

namespace wandb {

// How far the daemon goes to make logged data survive a crash of the machine.
enum class Durability {
  kOs,     // hand each batch to the OS (as wandb does): survives any process crash
  kFsync,  // fsync the transaction log at every batch boundary: survives a power cut too
};

enum class Mode {
  kLocal,     // the default: the run directory, and the run tracked in the local store
  kOffline,   // only the run directory and transaction log, for a later `wandb sync`
  kDisabled,  // a run whose every call does nothing
  kOnline,    // as kLocal, and the run sent to the W&B server at base_url
};

// Whether init() continues a run that exists already (wandb's resume). Unset: a new run.
enum class Resume {
  kAllow,  // continue run `id` if it is stored, else start it
  kMust,   // continue run `id`; init() fails (ErrorCode::kNotFound) when it is not stored
  kNever,  // start run `id`; init() fails (ErrorCode::kAlreadyExists) when it is stored
  kAuto,   // continue this directory's last unfinished run (wandb/wandb-resume.json), if any
};

// What the run records of the program's stdout and stderr (wandb's console setting). Every
// value but kOff records both, the program's own writes and its children's, in
// files/output.log and the run's log, while they still reach the terminal.
enum class Console {
  kAuto,  // the default
  kOn,
  kWrap,
  kRedirect,
  kOff,  // record nothing
};

// What wandb::init() takes. Every field is optional: an unset field falls back to its
// WANDB_* environment variable, then to the default. Init arguments win over the
// environment, as in wandb.
//
//   auto run = wandb::init({.project = "mnist", .config = {{"lr", 1e-3}}});
struct Settings {
  std::optional<std::string> project{};            // WANDB_PROJECT; default "uncategorized"
  std::optional<std::string> entity{};             // WANDB_ENTITY
  std::optional<std::string> name{};               // WANDB_NAME: the display name
  std::optional<std::string> notes{};              // WANDB_NOTES
  std::optional<std::vector<std::string>> tags{};  // WANDB_TAGS, comma-separated
  std::optional<std::string> group{};              // WANDB_RUN_GROUP
  std::optional<std::string> job_type{};           // WANDB_JOB_TYPE
  Value::Map config{};                             // the run's initial config
  // When non-empty, only these keys of `config` are kept; then those in exclude are dropped.
  std::vector<std::string> config_include_keys{};
  std::vector<std::string> config_exclude_keys{};
  std::optional<std::string> dir{};  // WANDB_DIR: where wandb/ is made; default the cwd
  std::optional<std::string> id{};   // WANDB_RUN_ID; default 8 random [0-9a-z]
  // Resume::kAllow, kMust, kNever or kAuto (see Resume). A resumed run goes on from its last
  // step + 1 with its config, summary and runtime. WANDB_RESUME takes wandb's strings: allow,
  // must, never, auto (or true), or a run id, which means kAllow of that run.
  std::optional<Resume> resume{};
  std::optional<Mode> mode{};  // WANDB_MODE (local, offline, dryrun, disabled, online, run)
  // Online mode: the W&B server (WANDB_BASE_URL, else base_url in wandb's settings file;
  // default https://api.wandb.ai) and the API key (WANDB_API_KEY, else the ~/.netrc entry
  // `wandb-cpp login` writes for that host, else api_key in wandb's settings file).
  std::optional<std::string> base_url{};
  std::optional<std::string> api_key{};
  // Online mode: a PEM file of the CA certificates that HTTPS to the server (and to the
  // storage it hands out) is verified against instead of the system's, for a server whose
  // certificate a private CA signed. Default: REQUESTS_CA_BUNDLE, else CURL_CA_BUNDLE, else
  // SSL_CERT_FILE, else the system's. Verification is never turned off.
  std::optional<std::string> ca_file{};
  // Online mode without an API key anywhere: true keeps the run offline (its run directory,
  // for `wandb-cpp sync` once logged in) with a warning, where init() would throw.
  // Default: WANDB_CPP_OFFLINE_WITHOUT_KEY, else false.
  std::optional<bool> offline_without_key{};
  // Online mode: false sends the run to W&B and keeps its run directory, but leaves it out of
  // the local store (so `wandb-cpp runs`, the local UI and local restore() do not see it).
  // Default: WANDB_CPP_KEEP_IN_STORE, else true.
  std::optional<bool> keep_in_store{};
  // The local store's directory (WANDB_CPP_STORE_DIR); default
  // $XDG_DATA_HOME/wandb-cpp/store, else ~/.local/share/wandb-cpp/store.
  std::optional<std::string> store_dir{};
  // A second init() in the same process finishes the first run when true; when false it
  // returns the run already in progress.
  bool reinit = false;
  std::optional<bool> silent{};  // WANDB_SILENT: no "wandb:" lines on stderr
  // How long init() waits for the daemon to start the run (WANDB_INIT_TIMEOUT, seconds).
  std::optional<std::chrono::milliseconds> init_timeout{};
  // How long finish() waits for the daemon to write everything (WANDB_FINISH_TIMEOUT, s).
  std::optional<std::chrono::milliseconds> finish_timeout{};
  // How often the run asks the daemon whether someone requested a stop (`wandb-cpp stop`);
  // WANDB_CPP_STOP_POLL_INTERVAL in seconds; default 0.25 s (the daemon answers from memory).
  std::optional<std::chrono::milliseconds> stop_poll_interval{};
  // Called once, on a background thread, when a stop is requested. Keep it short: set a flag
  // the training loop reads, for instance.
  std::function<void()> on_stop{};
  // With no on_stop, a stop request ends the program as Ctrl-C would. A program with a SIGINT
  // handler of its own gets SIGINT and stops as on Ctrl-C. Any other (SIGINT at its default,
  // or ignored as under nohup) first has its run finished, every row delivered and the run
  // recorded as stopped, and then ends of SIGINT. False leaves it to the program to poll
  // Run::stop_requested().
  bool interrupt_on_stop = true;
  // WANDB_CPP_DURABILITY (os, fsync); default os.
  std::optional<Durability> durability{};
  // If the daemon dies mid-run (killed, crashed), the run goes on with a new one: the client
  // keeps what it sent until the daemon has it in its log, up to this many bytes
  // (WANDB_CPP_RESEND_BUFFER; default 64 MiB), and sends it again. Beyond it, what is lost
  // is counted: a warning at finish() and the summary key _undelivered_records.
  std::optional<size_t> resend_buffer{};
  // log() copies each row into a queue that a background thread drains; the queue holds at
  // most this many bytes (WANDB_CPP_QUEUE_LIMIT; default 4 MiB, about 20,000 rows of 10
  // numbers). A burst that fills it makes log() wait until the thread has sent some on,
  // instead of growing the process's memory; finish() reports how often that happened. At a
  // training loop's pace (10,000 rows/s) the queue stays nearly empty and log() never waits.
  std::optional<size_t> queue_limit{};
  // Media (images, histograms, ...) are encoded and written on the run's background thread.
  // While the media logged and not yet written hold more than this many bytes
  // (WANDB_CPP_MEDIA_QUEUE; default 256 MiB), log() with more media waits for room: memory
  // stays bounded and nothing is dropped. A single row larger than it is let in alone.
  std::optional<size_t> media_queue{};
  // System metrics, as wandb's: the daemon samples the machine's CPU, memory, disk and
  // network, this process's memory, threads and CPU, and each NVIDIA GPU every
  // stats_sample_interval (WANDB__STATS_SAMPLE_RATE_SECONDS; default 2 s, at least 0.5 s),
  // and records the mean of every stats_samples_to_average samples
  // (WANDB__STATS_SAMPLES_TO_AVERAGE; default 15, 2 to 30). false (or
  // WANDB__DISABLE_STATS=true) samples nothing.
  std::optional<bool> system_metrics{};
  std::optional<std::chrono::milliseconds> stats_sample_interval{};
  std::optional<int> stats_samples_to_average{};
  // Console capture (see Console); default kAuto. WANDB_CONSOLE takes wandb's strings: auto,
  // on, wrap, redirect or off.
  std::optional<Console> console{};
  // WANDB_SAVE_CODE: also save the uncommitted changes of the git repository the program runs
  // in, as files/diff.patch (`git diff HEAD`), as wandb's save_code does. Default false.
  std::optional<bool> save_code{};
  // WANDB_DISABLE_GIT: record nothing of git (no remote and commit in the metadata, no
  // diff.patch), as wandb's disable_git. Default false.
  std::optional<bool> disable_git{};
};

}  // namespace wandb

#endif  // WANDB_SETTINGS_H_
