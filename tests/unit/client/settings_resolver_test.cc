#include "client/src/settings_resolver.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "tests/support/temp_dir.h"

namespace wandb::internal {
namespace {

// A fake environment: only the variables in the map are set.
class FakeEnv {
 public:
  FakeEnv() = default;
  explicit FakeEnv(std::initializer_list<std::pair<const std::string, std::string>> vars)
      : vars_(vars) {}
  explicit FakeEnv(std::map<std::string, std::string> vars) : vars_(std::move(vars)) {}
  EnvLookup Lookup() const {
    return [this](const char* name) -> const char* {
      auto it = vars_.find(name);
      return it == vars_.end() ? nullptr : it->second.c_str();
    };
  }

 private:
  std::map<std::string, std::string> vars_;
};

ResolvedSettings MustResolve(Settings settings, const FakeEnv& env = FakeEnv()) {
  absl::StatusOr<ResolvedSettings> r = ResolveSettings(std::move(settings), env.Lookup());
  INFO("status: " << r.status().ToString());
  REQUIRE(r.ok());
  return *std::move(r);
}

std::string ResolveError(Settings settings, const FakeEnv& env = FakeEnv()) {
  absl::StatusOr<ResolvedSettings> r = ResolveSettings(std::move(settings), env.Lookup());
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == absl::StatusCode::kInvalidArgument);
  return std::string(r.status().message());
}

bool IsGeneratedId(const std::string& id) {
  if (id.size() != 8) return false;
  for (char c : id) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z'))) return false;
  }
  return true;
}

std::string Cwd() { return std::filesystem::current_path().string(); }

TEST_CASE("ResolveSettings: defaults with an empty environment", "[settings]") {
  ResolvedSettings r = MustResolve({});
  CHECK(r.project == "uncategorized");
  CHECK(r.entity.empty());
  CHECK(r.name.empty());
  CHECK(r.notes.empty());
  CHECK(r.tags.empty());
  CHECK(r.group.empty());
  CHECK(r.job_type.empty());
  CHECK(r.config.empty());
  CHECK(r.root_dir == Cwd());
  CHECK(IsGeneratedId(r.run_id));
  CHECK(r.mode == Mode::kLocal);
  CHECK_FALSE(r.silent);
  CHECK_FALSE(r.reinit);
  CHECK(r.finish_timeout.count() == 60000);
  CHECK(r.warnings.empty());
}

TEST_CASE("ResolveSettings: generated ids are fresh each time", "[settings]") {
  std::set<std::string> ids;
  for (int i = 0; i < 50; ++i) {
    std::string id = MustResolve({}).run_id;
    CHECK(IsGeneratedId(id));
    ids.insert(id);
  }
  CHECK(ids.size() == 50);
}

TEST_CASE("ResolveSettings: the environment fills unset arguments", "[settings]") {
  FakeEnv env({{"WANDB_PROJECT", "proj"},
               {"WANDB_ENTITY", "team"},
               {"WANDB_NAME", "display"},
               {"WANDB_NOTES", "some notes"},
               {"WANDB_TAGS", "a,b"},
               {"WANDB_RUN_GROUP", "grp"},
               {"WANDB_JOB_TYPE", "train"},
               {"WANDB_RUN_ID", "envid"},
               {"WANDB_DIR", "/tmp/wandb-env-dir"},
               {"WANDB_MODE", "disabled"},
               {"WANDB_SILENT", "true"},
               {"WANDB_FINISH_TIMEOUT", "2.5"}});
  ResolvedSettings r = MustResolve({}, env);
  CHECK(r.project == "proj");
  CHECK(r.entity == "team");
  CHECK(r.name == "display");
  CHECK(r.notes == "some notes");
  CHECK(r.tags == std::vector<std::string>{"a", "b"});
  CHECK(r.group == "grp");
  CHECK(r.job_type == "train");
  CHECK(r.run_id == "envid");
  CHECK(r.root_dir == "/tmp/wandb-env-dir");
  CHECK(r.mode == Mode::kDisabled);
  CHECK(r.silent);
  CHECK(r.finish_timeout.count() == 2500);
  CHECK(r.warnings.empty());
}

TEST_CASE("ResolveSettings: init arguments win over the environment", "[settings]") {
  FakeEnv env({{"WANDB_PROJECT", "envproj"},
               {"WANDB_ENTITY", "envteam"},
               {"WANDB_NAME", "envname"},
               {"WANDB_NOTES", "envnotes"},
               {"WANDB_TAGS", "x,y"},
               {"WANDB_RUN_GROUP", "envgrp"},
               {"WANDB_JOB_TYPE", "envjob"},
               {"WANDB_RUN_ID", "envid"},
               {"WANDB_DIR", "/tmp/envdir"},
               {"WANDB_MODE", "not-a-mode"},
               {"WANDB_SILENT", "true"},
               {"WANDB_FINISH_TIMEOUT", "garbage"}});
  Settings s;
  s.project = "argproj";
  s.entity = "argteam";
  s.name = "argname";
  s.notes = "argnotes";
  s.tags = std::vector<std::string>{"t1"};
  s.group = "arggrp";
  s.job_type = "argjob";
  s.id = "argid";
  s.dir = "/tmp/argdir";
  s.mode = Mode::kDisabled;
  s.silent = false;
  s.reinit = true;
  s.finish_timeout = std::chrono::milliseconds(1234);
  ResolvedSettings r = MustResolve(s, env);
  CHECK(r.project == "argproj");
  CHECK(r.entity == "argteam");
  CHECK(r.name == "argname");
  CHECK(r.notes == "argnotes");
  CHECK(r.tags == std::vector<std::string>{"t1"});
  CHECK(r.group == "arggrp");
  CHECK(r.job_type == "argjob");
  CHECK(r.run_id == "argid");
  CHECK(r.root_dir == "/tmp/argdir");
  CHECK(r.mode == Mode::kDisabled);  // the bad WANDB_MODE is never looked at
  CHECK_FALSE(r.silent);
  CHECK(r.reinit);
  CHECK(r.finish_timeout.count() == 1234);
  CHECK(r.warnings.empty());

  SECTION("an explicitly empty tag list still wins") {
    Settings t;
    t.tags = std::vector<std::string>{};
    CHECK(MustResolve(t, FakeEnv({{"WANDB_TAGS", "x,y"}})).tags.empty());
  }
}

TEST_CASE("ResolveSettings: empty environment variables count as unset", "[settings]") {
  FakeEnv env({{"WANDB_PROJECT", ""},
               {"WANDB_RUN_ID", ""},
               {"WANDB_TAGS", ""},
               {"WANDB_MODE", ""},
               {"WANDB_DIR", ""},
               {"WANDB_FINISH_TIMEOUT", ""}});
  ResolvedSettings r = MustResolve({}, env);
  CHECK(r.project == "uncategorized");
  CHECK(IsGeneratedId(r.run_id));
  CHECK(r.tags.empty());
  CHECK(r.mode == Mode::kLocal);
  CHECK(r.root_dir == Cwd());
  CHECK(r.finish_timeout.count() == 60000);
}

TEST_CASE("ResolveSettings: WANDB_TAGS is split on commas, whitespace trimmed", "[settings]") {
  auto tags = [](const std::string& value) {
    return MustResolve({}, FakeEnv({{"WANDB_TAGS", value}})).tags;
  };
  CHECK(tags("one") == std::vector<std::string>{"one"});
  CHECK(tags("a, b ,c") == std::vector<std::string>{"a", "b", "c"});
  CHECK(tags(" lead,trail ,\tboth\t") == std::vector<std::string>{"lead", "trail", "both"});
  CHECK(tags("a,,b, ,") == std::vector<std::string>{"a", "b"});
  CHECK(tags("two words, x") == std::vector<std::string>{"two words", "x"});
  CHECK(tags(" , ").empty());
}

TEST_CASE("ResolveSettings: tags must be 1 to 64 bytes of UTF-8", "[settings]") {
  Settings s;
  s.tags = std::vector<std::string>{std::string(64, 't')};
  CHECK(MustResolve(s).tags.size() == 1);
  s.tags = std::vector<std::string>{std::string(65, 't')};
  CHECK(ResolveError(s) ==
        "tag '" + std::string(65, 't') + "' must be 1 to 64 bytes of valid UTF-8");
  s.tags = std::vector<std::string>{"ok", ""};
  CHECK(ResolveError(s) == "tag '' must be 1 to 64 bytes of valid UTF-8");
  s.tags = std::vector<std::string>{"bad\xff"};
  CHECK_THAT(ResolveError(s), Catch::EndsWith("must be 1 to 64 bytes of valid UTF-8"));
  CHECK_FALSE(
      ResolveSettings({}, FakeEnv({{"WANDB_TAGS", "ok," + std::string(65, 'x')}}).Lookup()).ok());
}

TEST_CASE("ResolveSettings: WANDB_MODE", "[settings]") {
  auto resolve = [](const std::string& mode) {
    return ResolveSettings({}, FakeEnv({{"WANDB_MODE", mode}}).Lookup());
  };
  SECTION("offline, dryrun and disabled, in any case") {
    for (const char* m : {"offline", "dryrun", "OFFLINE", "DryRun"}) {
      INFO(m);
      auto r = resolve(m);
      REQUIRE(r.ok());
      CHECK(r->mode == Mode::kOffline);
      CHECK(r->warnings.empty());
    }
    for (const char* m : {"disabled", "Disabled"}) {
      auto r = resolve(m);
      REQUIRE(r.ok());
      CHECK(r->mode == Mode::kDisabled);
    }
  }
  SECTION("local, in any case") {
    for (const char* m : {"local", "LOCAL"}) {
      auto r = resolve(m);
      REQUIRE(r.ok());
      CHECK(r->mode == Mode::kLocal);
    }
  }
  SECTION("online and run need a key; with one they are online") {
    for (const char* m : {"online", "run"}) {
      INFO(m);
      auto r = ResolveSettings(
          {},
          FakeEnv({{"WANDB_MODE", m}, {"WANDB_API_KEY", "k"}, {"HOME", "/nonexistent"}}).Lookup());
      REQUIRE(r.ok());
      CHECK(r->mode == Mode::kOnline);
      CHECK(r->api_key == "k");
      CHECK(r->base_url == "https://api.wandb.ai");
      CHECK(r->warnings.empty());
    }
  }
  SECTION("anything else is an error naming the value") {
    auto r = resolve("garbage");
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == absl::StatusCode::kInvalidArgument);
    CHECK(std::string(r.status().message()) ==
          "WANDB_MODE='garbage' is not a mode; use local, online, offline, dryrun or disabled");
    CHECK_FALSE(resolve("offline ").ok());
  }
}

TEST_CASE("ResolveSettings: WANDB_SILENT", "[settings]") {
  auto silent = [](const std::string& value) {
    return MustResolve({}, FakeEnv({{"WANDB_SILENT", value}})).silent;
  };
  CHECK(silent("true"));
  CHECK(silent("True"));
  CHECK(silent("TRUE"));
  CHECK(silent("1"));
  CHECK(silent("yes"));
  CHECK_FALSE(silent("false"));
  CHECK_FALSE(silent("0"));
  CHECK_FALSE(silent("no"));
  CHECK_FALSE(silent(""));
  CHECK_FALSE(silent("2"));
  Settings s;
  s.silent = true;
  CHECK(MustResolve(s, FakeEnv({{"WANDB_SILENT", "false"}})).silent);
}

TEST_CASE("ResolveSettings: WANDB_FINISH_TIMEOUT", "[settings]") {
  auto timeout_ms = [](const std::string& value) {
    return MustResolve({}, FakeEnv({{"WANDB_FINISH_TIMEOUT", value}})).finish_timeout.count();
  };
  CHECK(timeout_ms("30") == 30000);
  CHECK(timeout_ms("2.5") == 2500);
  CHECK(timeout_ms("0.001") == 1);
  CHECK(timeout_ms("600") == 600000);
  auto error = [](const std::string& value) {
    return ResolveError({}, FakeEnv({{"WANDB_FINISH_TIMEOUT", value}}));
  };
  CHECK(error("abc") == "WANDB_FINISH_TIMEOUT='abc' is not a positive number of seconds");
  CHECK(error("0") == "WANDB_FINISH_TIMEOUT='0' is not a positive number of seconds");
  CHECK(error("-5") == "WANDB_FINISH_TIMEOUT='-5' is not a positive number of seconds");
  CHECK(error("10s") == "WANDB_FINISH_TIMEOUT='10s' is not a positive number of seconds");
}

// absl::SimpleAtod accepts "nan", "inf" and huge exponents. "nan" passed a `seconds <= 0`
// test, and the conversion to int64 milliseconds of nan, inf or 1e300 is undefined behaviour
// (on x86-64 it yields INT64_MIN: a negative timeout).
TEST_CASE("ResolveSettings: WANDB_FINISH_TIMEOUT refuses nan, inf and overflowing values",
          "[settings]") {
  for (const char* value : {"nan", "inf", "infinity", "1e300"}) {
    INFO("WANDB_FINISH_TIMEOUT=" << value);
    absl::StatusOr<ResolvedSettings> r =
        ResolveSettings({}, FakeEnv({{"WANDB_FINISH_TIMEOUT", value}}).Lookup());
    if (r.ok()) {
      INFO("accepted as " << r->finish_timeout.count() << " ms");
      CHECK_FALSE(r.ok());
    } else {
      CHECK_THAT(std::string(r.status().message()), Catch::Contains("WANDB_FINISH_TIMEOUT"));
    }
  }
  auto error = [](const std::string& value) {
    return ResolveError({}, FakeEnv({{"WANDB_FINISH_TIMEOUT", value}}));
  };
  CHECK(error("nan") == "WANDB_FINISH_TIMEOUT='nan' is not a positive number of seconds");
  CHECK(error("inf") == "WANDB_FINISH_TIMEOUT='inf' is more than 86400 seconds (one day)");
  CHECK(error("86400.5") == "WANDB_FINISH_TIMEOUT='86400.5' is more than 86400 seconds (one day)");
  absl::StatusOr<ResolvedSettings> day =
      ResolveSettings({}, FakeEnv({{"WANDB_FINISH_TIMEOUT", "86400"}}).Lookup());
  REQUIRE(day.ok());
  CHECK(day->finish_timeout.count() == 86400000);
}

TEST_CASE("ResolveSettings: dir is made absolute and normalised", "[settings]") {
  auto dir = [](const std::string& value) {
    Settings s;
    s.dir = value;
    return MustResolve(s).root_dir;
  };
  CHECK(dir("/tmp/a/../b/") == "/tmp/b");
  CHECK(dir("/tmp/x/./y") == "/tmp/x/y");
  CHECK(dir("/") == "/");
  CHECK(dir("sub/dir/") == Cwd() + "/sub/dir");
  CHECK(dir(".") == Cwd());
  CHECK(dir("") == Cwd());
  CHECK(MustResolve({}, FakeEnv({{"WANDB_DIR", "rel"}})).root_dir == Cwd() + "/rel");
}

TEST_CASE("ResolveSettings: run ids must be safe path components", "[settings]") {
  auto with_id = [](const std::string& id) {
    Settings s;
    s.id = id;
    return s;
  };
  CHECK(MustResolve(with_id("my-run_1.v2")).run_id == "my-run_1.v2");
  CHECK(MustResolve(with_id(std::string(64, 'a'))).run_id == std::string(64, 'a'));
  CHECK(ResolveError(with_id("../x")) ==
        "run id '../x' may only contain letters, digits, '_', '-' and '.'");
  CHECK(ResolveError(with_id("a/b")) ==
        "run id 'a/b' may only contain letters, digits, '_', '-' and '.'");
  CHECK(ResolveError(with_id("..")) == "run id '..' is not allowed");
  CHECK(ResolveError(with_id(".")) == "run id '.' is not allowed");
  CHECK(ResolveError(with_id(std::string(65, 'a'))) ==
        "run id '" + std::string(65, 'a') + "' must have 1 to 64 characters");
  CHECK_FALSE(ResolveSettings(with_id("sp ace"), FakeEnv().Lookup()).ok());
  // An explicitly empty id means "generate one", like an unset one.
  CHECK(IsGeneratedId(MustResolve(with_id("")).run_id));
  // The environment's id is checked too.
  CHECK(ResolveError({}, FakeEnv({{"WANDB_RUN_ID", "a/b"}})) ==
        "run id 'a/b' may only contain letters, digits, '_', '-' and '.'");
}

TEST_CASE("ResolveSettings: project and entity must be path-safe names", "[settings]") {
  Settings s;
  s.project = "a/b";
  CHECK(ResolveError(s) == "project 'a/b' must be valid UTF-8, at most 128 bytes, without '/'");
  s.project = std::string(128, 'p');
  CHECK(MustResolve(s).project.size() == 128);
  s.project = std::string(129, 'p');
  CHECK_THAT(ResolveError(s), Catch::StartsWith("project 'ppp"));
  Settings e;
  e.entity = "bad\xff";
  CHECK_THAT(ResolveError(e), Catch::StartsWith("entity '"));
  CHECK(ResolveError({}, FakeEnv({{"WANDB_ENTITY", "x/y"}})) ==
        "entity 'x/y' must be valid UTF-8, at most 128 bytes, without '/'");
}

TEST_CASE("ResolveSettings: names and free text are valid UTF-8, bounded, never echoed whole",
          "[settings]") {
  Settings s;
  s.name = "run \xff";
  CHECK(ResolveError(s) == "name 'run \xEF\xBF\xBD' must be valid UTF-8 of at most 1024 bytes");
  Settings big;
  big.project = std::string(1 << 20, 'p');
  std::string error = ResolveError(big);
  CHECK(error.size() < 200);
  CHECK_THAT(error, Catch::StartsWith("project 'pppp") && Catch::Contains("(1048576 bytes)"));
  Settings group;
  group.group = std::string(129, 'g');
  CHECK_THAT(ResolveError(group), Catch::Contains("at most 128 bytes"));
  Settings notes;
  notes.notes = "\xc3";
  CHECK_THAT(ResolveError(notes), Catch::StartsWith("notes '"));
}

TEST_CASE("ResolveSettings: config include and exclude keys", "[settings]") {
  auto keys = [](const Value::Map& m) {
    std::vector<std::string> out;
    for (const auto& [k, v] : m) out.push_back(k);
    return out;
  };
  Settings s;
  s.config = Value::Map{{"c", Value(1)}, {"a", Value(2)}, {"b", Value(3)}};
  CHECK(keys(MustResolve(s).config) == std::vector<std::string>{"c", "a", "b"});

  SECTION("include keeps only the listed keys, in config order") {
    s.config_include_keys = {"b", "c", "not-there"};
    ResolvedSettings r = MustResolve(s);
    CHECK(keys(r.config) == std::vector<std::string>{"c", "b"});
    CHECK(r.config[0].second == Value(1));
  }
  SECTION("exclude drops the listed keys") {
    s.config_exclude_keys = {"a"};
    CHECK(keys(MustResolve(s).config) == std::vector<std::string>{"c", "b"});
  }
  SECTION("exclude applies after include") {
    s.config_include_keys = {"a", "b"};
    s.config_exclude_keys = {"b"};
    CHECK(keys(MustResolve(s).config) == std::vector<std::string>{"a"});
  }
}

}  // namespace
}  // namespace wandb::internal

namespace wandb::internal {

TEST_CASE("ResolveSettings: WANDB_INIT_TIMEOUT, its default and the init argument", "[settings]") {
  CHECK(MustResolve({}, FakeEnv({})).init_timeout.count() == 30000);
  CHECK(MustResolve({}, FakeEnv({{"WANDB_INIT_TIMEOUT", "1.5"}})).init_timeout.count() == 1500);
  Settings s;
  s.init_timeout = std::chrono::milliseconds(250);
  CHECK(MustResolve(s, FakeEnv({{"WANDB_INIT_TIMEOUT", "9"}})).init_timeout.count() == 250);
  for (const char* bad : {"0", "-1", "nan", "inf", "soon"}) {
    CHECK_THAT(ResolveError({}, FakeEnv({{"WANDB_INIT_TIMEOUT", bad}})),
               Catch::Contains("WANDB_INIT_TIMEOUT"));
  }
  Settings negative;
  negative.init_timeout = std::chrono::milliseconds(-5);
  CHECK(ResolveError(negative) == "init_timeout must be positive, not -5 ms");
  Settings zero;
  zero.finish_timeout = std::chrono::milliseconds(0);
  CHECK(ResolveError(zero) == "finish_timeout must be positive, not 0 ms");
}

}  // namespace wandb::internal

namespace wandb::internal {

TEST_CASE("ResolveSettings: store_dir, WANDB_CPP_STORE_DIR, then XDG_DATA_HOME and HOME",
          "[settings]") {
  CHECK(MustResolve({}, FakeEnv({{"WANDB_CPP_STORE_DIR", "/s/one"}})).store_dir == "/s/one");
  Settings s;
  s.store_dir = "/s/arg";
  CHECK(MustResolve(s, FakeEnv({{"WANDB_CPP_STORE_DIR", "/s/one"}})).store_dir == "/s/arg");
  CHECK(MustResolve({}, FakeEnv({{"XDG_DATA_HOME", "/xdg"}})).store_dir == "/xdg/wandb-cpp/store");
  CHECK(MustResolve({}, FakeEnv({{"HOME", "/home/u"}})).store_dir ==
        "/home/u/.local/share/wandb-cpp/store");
  s.store_dir = "rel/store";
  CHECK(MustResolve(s).store_dir == Cwd() + "/rel/store");
}

}  // namespace wandb::internal

namespace wandb::internal {

TEST_CASE("ResolveSettings: resume values, as wandb reads them", "[settings]") {
  // From init: the enum.
  auto resolve = [](Resume resume) {
    Settings s;
    s.id = "given1";
    s.resume = resume;
    return MustResolve(s);
  };
  CHECK(resolve(Resume::kAllow).resume == ResumeMode::kAllow);
  CHECK(resolve(Resume::kMust).resume == ResumeMode::kMust);
  CHECK(resolve(Resume::kNever).resume == ResumeMode::kNever);
  CHECK(MustResolve({}).resume == ResumeMode::kNone);
  // auto keeps the run in wandb/wandb-resume.json under the run root.
  ResolvedSettings automatic = resolve(Resume::kAuto);
  CHECK(automatic.resume == ResumeMode::kAllow);
  CHECK(automatic.resume_file == automatic.root_dir + "/wandb/wandb-resume.json");
  // init wins over the environment.
  Settings must;
  must.resume = Resume::kMust;
  CHECK(MustResolve(must, FakeEnv({{"WANDB_RESUME", "never"}})).resume == ResumeMode::kMust);

  // From WANDB_RESUME: wandb's strings.
  auto from_env = [](const std::string& resume) {
    Settings s;
    s.id = "given1";
    return MustResolve(s, FakeEnv({{"WANDB_RESUME", resume}}));
  };
  CHECK(from_env("allow").resume == ResumeMode::kAllow);
  CHECK(from_env("MUST").resume == ResumeMode::kMust);
  CHECK(from_env("never").resume == ResumeMode::kNever);
  CHECK(from_env("false").resume == ResumeMode::kNone);
  CHECK(from_env("true").resume_file == from_env("auto").resume_file);
  // Any other value is the id of the run to continue if it exists.
  ResolvedSettings by_id = from_env("other-run");
  CHECK(by_id.resume == ResumeMode::kAllow);
  CHECK(by_id.run_id == "other-run");
  // A run id taken from WANDB_RESUME is checked like any other.
  CHECK_THAT(ResolveError({}, FakeEnv({{"WANDB_RESUME", "not/an id"}})),
             Catch::Contains("not/an id"));
}

TEST_CASE("ResolveSettings: stop_poll_interval and durability", "[settings]") {
  ResolvedSettings defaults = MustResolve({});
  CHECK(defaults.stop_poll_interval == std::chrono::milliseconds(250));
  CHECK(defaults.durability == Durability::kOs);
  CHECK(defaults.interrupt_on_stop);
  CHECK(MustResolve({}, FakeEnv({{"WANDB_CPP_STOP_POLL_INTERVAL", "1.5"}})).stop_poll_interval ==
        std::chrono::milliseconds(1500));
  CHECK(MustResolve({}, FakeEnv({{"WANDB_CPP_DURABILITY", "FSYNC"}})).durability ==
        Durability::kFsync);
  Settings zero;
  zero.stop_poll_interval = std::chrono::milliseconds(0);
  CHECK(ResolveError(zero) == "stop_poll_interval must be positive, not 0 ms");
  CHECK(ResolveError({}, FakeEnv({{"WANDB_CPP_STOP_POLL_INTERVAL", "soon"}})) ==
        "WANDB_CPP_STOP_POLL_INTERVAL='soon' is not a positive number of seconds");
  CHECK(ResolveError({}, FakeEnv({{"WANDB_CPP_DURABILITY", "maybe"}})) ==
        "WANDB_CPP_DURABILITY='maybe' is not a durability; use os or fsync");
}

TEST_CASE("ResolveSettings: resend_buffer", "[settings]") {
  CHECK(MustResolve({}).resend_buffer == size_t{64} << 20);
  CHECK(MustResolve({}, FakeEnv({{"WANDB_CPP_RESEND_BUFFER", "1048576"}})).resend_buffer ==
        size_t{1} << 20);
  Settings given;
  given.resend_buffer = 0;  // keep nothing: a daemon crash loses what it had not written
  CHECK(MustResolve(given, FakeEnv({{"WANDB_CPP_RESEND_BUFFER", "1048576"}})).resend_buffer == 0);
  CHECK(ResolveError({}, FakeEnv({{"WANDB_CPP_RESEND_BUFFER", "64MB"}})) ==
        "WANDB_CPP_RESEND_BUFFER='64MB' is not a number of bytes (e.g. 67108864)");
  CHECK_FALSE(ResolveError({}, FakeEnv({{"WANDB_CPP_RESEND_BUFFER", "-5"}})).empty());
}

TEST_CASE("ResolveSettings: queue_limit", "[settings]") {
  CHECK(MustResolve({}).queue_limit == size_t{4} << 20);
  CHECK(MustResolve({}, FakeEnv({{"WANDB_CPP_QUEUE_LIMIT", "65536"}})).queue_limit == 65536);
  Settings given;
  given.queue_limit = 4096;
  CHECK(MustResolve(given, FakeEnv({{"WANDB_CPP_QUEUE_LIMIT", "65536"}})).queue_limit == 4096);
  CHECK(ResolveError({}, FakeEnv({{"WANDB_CPP_QUEUE_LIMIT", "1 GB"}})) ==
        "WANDB_CPP_QUEUE_LIMIT='1 GB' is not a number of bytes (e.g. 4194304)");
}

TEST_CASE("ResolveSettings: media_queue", "[settings]") {
  CHECK(MustResolve({}).media_queue == size_t{256} << 20);
  CHECK(MustResolve({}, FakeEnv({{"WANDB_CPP_MEDIA_QUEUE", "1048576"}})).media_queue == size_t{1}
                                                                                            << 20);
  Settings given;
  given.media_queue = 5;
  CHECK(MustResolve(given, FakeEnv({{"WANDB_CPP_MEDIA_QUEUE", "1048576"}})).media_queue == 5);
  CHECK(ResolveError({}, FakeEnv({{"WANDB_CPP_MEDIA_QUEUE", "1G"}})) ==
        "WANDB_CPP_MEDIA_QUEUE='1G' is not a number of bytes (e.g. 268435456)");
}

TEST_CASE("ResolveSettings: save_code, disable_git and whether the id was given", "[settings]") {
  ResolvedSettings defaults = MustResolve({});
  CHECK_FALSE(defaults.save_code);
  CHECK_FALSE(defaults.disable_git);
  CHECK_FALSE(defaults.id_given);  // generated
  ResolvedSettings from_env = MustResolve(
      {},
      FakeEnv({{"WANDB_SAVE_CODE", "true"}, {"WANDB_DISABLE_GIT", "1"}, {"WANDB_RUN_ID", "x1"}}));
  CHECK(from_env.save_code);
  CHECK(from_env.disable_git);
  CHECK(from_env.id_given);
  Settings given;
  given.save_code = false;
  given.disable_git = false;
  ResolvedSettings args =
      MustResolve(given, FakeEnv({{"WANDB_SAVE_CODE", "true"}, {"WANDB_DISABLE_GIT", "true"}}));
  CHECK_FALSE(args.save_code);
  CHECK_FALSE(args.disable_git);
}

TEST_CASE("ResolveSettings: console capture is on unless console is off", "[settings]") {
  CHECK(MustResolve({}).console);
  for (const char* on : {"auto", "on", "wrap", "redirect", "REDIRECT"}) {
    CHECK(MustResolve({}, FakeEnv({{"WANDB_CONSOLE", on}})).console);
  }
  CHECK_FALSE(MustResolve({}, FakeEnv({{"WANDB_CONSOLE", "off"}})).console);
  Settings off;
  off.console = wandb::Console::kOff;
  CHECK_FALSE(MustResolve(off, FakeEnv({{"WANDB_CONSOLE", "auto"}})).console);  // init wins
  for (wandb::Console value : {wandb::Console::kAuto, wandb::Console::kOn, wandb::Console::kWrap,
                               wandb::Console::kRedirect}) {
    Settings on;
    on.console = value;
    CHECK(MustResolve(on, FakeEnv({{"WANDB_CONSOLE", "off"}})).console);
  }
  CHECK(ResolveError({}, FakeEnv({{"WANDB_CONSOLE", "quiet"}})) ==
        "WANDB_CONSOLE='quiet' is not a console setting; use auto, on, wrap, redirect or off");
}

TEST_CASE("ResolveSettings: system metrics, wandb's stats settings and their bounds",
          "[settings][system]") {
  ResolvedSettings defaults = MustResolve({});
  CHECK(defaults.system_metrics);
  CHECK(defaults.stats_sample_interval == std::chrono::seconds(2));
  CHECK(defaults.stats_samples_to_average == 15);
  CHECK_FALSE(MustResolve({}, FakeEnv({{"WANDB__DISABLE_STATS", "true"}})).system_metrics);
  Settings on;
  on.system_metrics = true;  // init wins over the environment
  CHECK(MustResolve(on, FakeEnv({{"WANDB__DISABLE_STATS", "true"}})).system_metrics);
  ResolvedSettings env = MustResolve({}, FakeEnv({{"WANDB__STATS_SAMPLE_RATE_SECONDS", "0.75"},
                                                  {"WANDB__STATS_SAMPLES_TO_AVERAGE", "4"}}));
  CHECK(env.stats_sample_interval == std::chrono::milliseconds(750));
  CHECK(env.stats_samples_to_average == 4);
  // Out of wandb's bounds: brought into them, with a warning.
  Settings fast;
  fast.stats_sample_interval = std::chrono::milliseconds(100);
  fast.stats_samples_to_average = 100;
  ResolvedSettings clamped = MustResolve(fast);
  CHECK(clamped.stats_sample_interval == std::chrono::milliseconds(500));
  CHECK(clamped.stats_samples_to_average == 30);
  CHECK(clamped.warnings.size() == 2);
  CHECK(MustResolve({}, FakeEnv({{"WANDB__STATS_SAMPLES_TO_AVERAGE", "1"}}))
            .stats_samples_to_average == 2);
  // Not numbers at all: errors that name the variable.
  CHECK(ResolveError({}, FakeEnv({{"WANDB__STATS_SAMPLE_RATE_SECONDS", "often"}})) ==
        "WANDB__STATS_SAMPLE_RATE_SECONDS='often' is not a positive number of seconds");
  CHECK(ResolveError({}, FakeEnv({{"WANDB__STATS_SAMPLES_TO_AVERAGE", "1.5"}})) ==
        "WANDB__STATS_SAMPLES_TO_AVERAGE='1.5' is not a whole number of samples");
  Settings zero;
  zero.stats_sample_interval = std::chrono::milliseconds(0);
  CHECK(ResolveError(zero) == "stats_sample_interval must be positive, not 0 ms");
}

TEST_CASE("ResolveSettings: online mode's server and key", "[settings]") {
  testing::TempDir home;
  std::ofstream(home.path() + "/.netrc") << "machine example.com login user password netrc-key\n";
  auto resolve = [&](Settings s, std::map<std::string, std::string> env) {
    env.emplace("HOME", home.path());
    s.mode = Mode::kOnline;
    return ResolveSettings(std::move(s), FakeEnv(std::move(env)).Lookup());
  };
  SECTION("the key: the setting, then WANDB_API_KEY, then the netrc entry of the host") {
    auto from_setting = resolve({.base_url = "https://example.com/", .api_key = "arg-key"},
                                {{"WANDB_API_KEY", "env-key"}});
    REQUIRE(from_setting.ok());
    CHECK(from_setting->api_key == "arg-key");
    CHECK(from_setting->base_url == "https://example.com");
    auto from_env =
        resolve({}, {{"WANDB_API_KEY", "env-key"}, {"WANDB_BASE_URL", "https://example.com"}});
    REQUIRE(from_env.ok());
    CHECK(from_env->api_key == "env-key");
    auto from_netrc = resolve({}, {{"WANDB_BASE_URL", "https://example.com:8443"}});
    REQUIRE(from_netrc.ok());
    CHECK(from_netrc->api_key == "netrc-key");
  }
  SECTION("no key is an error that says how to log in, and never a key") {
    auto r = resolve({.base_url = "https://other.example"}, {});
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == absl::StatusCode::kFailedPrecondition);
    CHECK_THAT(std::string(r.status().message()), Catch::Contains("other.example") &&
                                                      Catch::Contains("wandb-cpp login") &&
                                                      Catch::Contains("WANDB_API_KEY"));
  }
  SECTION("a plain-http server other than this machine gets a warning") {
    auto remote = resolve({.base_url = "http://example.com", .api_key = "k"}, {});
    REQUIRE(remote.ok());
    REQUIRE(remote->warnings.size() == 1);
    CHECK_THAT(remote->warnings[0], Catch::Contains("not https"));
    auto loopback = resolve({.base_url = "http://127.0.0.1:8080", .api_key = "k"}, {});
    REQUIRE(loopback.ok());
    CHECK(loopback->warnings.empty());
    CHECK_FALSE(resolve({.base_url = "ftp://example.com", .api_key = "k"}, {}).ok());
  }
}

TEST_CASE("ResolveSettings: wandb's settings files come under init() and the environment",
          "[settings]") {
  testing::TempDir config;
  testing::TempDir root;
  std::filesystem::create_directories(root.path() + "/wandb");
  testing::WriteBytes(config.path() + "/settings",
                      "[default]\n"
                      "base_url = https://global.example\n"
                      "entity = global-team\n"
                      "project = global-proj\n"
                      "mode = offline\n"
                      "api_key = settings-key\n");
  std::map<std::string, std::string> vars{{"WANDB_CONFIG_DIR", config.path()},
                                          {"WANDB_DIR", root.path()}};
  SECTION("the global file: $WANDB_CONFIG_DIR/settings, else ~/.config/wandb/settings") {
    ResolvedSettings r = MustResolve({}, FakeEnv(vars));
    CHECK(r.project == "global-proj");
    CHECK(r.entity == "global-team");
    CHECK(r.mode == Mode::kOffline);
    CHECK(r.base_url == "https://global.example");
    testing::TempDir home;
    std::filesystem::create_directories(home.path() + "/.config/wandb");
    testing::WriteBytes(home.path() + "/.config/wandb/settings", "[default]\nproject = home\n");
    CHECK(MustResolve({}, FakeEnv({{"HOME", home.path()}})).project == "home");
  }
  SECTION("the workspace's file (<dir>/wandb/settings) wins over the global one") {
    testing::WriteBytes(root.path() + "/wandb/settings", "[default]\nproject = ws-proj\n");
    ResolvedSettings r = MustResolve({}, FakeEnv(vars));
    CHECK(r.project == "ws-proj");
    CHECK(r.entity == "global-team");
  }
  SECTION("the environment and init() win over the files") {
    std::map<std::string, std::string> env = vars;
    env["WANDB_PROJECT"] = "env-proj";
    env["WANDB_MODE"] = "local";
    env["WANDB_BASE_URL"] = "https://env.example";
    ResolvedSettings r = MustResolve({.entity = "arg-team"}, FakeEnv(env));
    CHECK(r.project == "env-proj");
    CHECK(r.entity == "arg-team");
    CHECK(r.mode == Mode::kLocal);
    CHECK(r.base_url == "https://env.example");
  }
  SECTION("the key: WANDB_API_KEY, then ~/.netrc, then the settings file") {
    testing::TempDir home;
    std::map<std::string, std::string> env = vars;
    env["HOME"] = home.path();
    env["WANDB_MODE"] = "online";
    CHECK(MustResolve({}, FakeEnv(env)).api_key == "settings-key");
    testing::WriteBytes(home.path() + "/.netrc",
                        "machine global.example login user password netrc-key\n");
    CHECK(MustResolve({}, FakeEnv(env)).api_key == "netrc-key");
    env["WANDB_API_KEY"] = "env-key";
    CHECK(MustResolve({}, FakeEnv(env)).api_key == "env-key");
  }
  SECTION("a malformed file or a bad mode is an error naming the file") {
    testing::WriteBytes(root.path() + "/wandb/settings", "[default]\nbroken line\n");
    absl::StatusOr<ResolvedSettings> r = ResolveSettings({}, FakeEnv(vars).Lookup());
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(std::string(r.status().message()),
               Catch::Contains(root.path() + "/wandb/settings") && Catch::Contains("line 2"));
    testing::WriteBytes(root.path() + "/wandb/settings", "[default]\nmode = sideways\n");
    CHECK_THAT(ResolveError({}, FakeEnv(vars)),
               Catch::Contains("settings file") && Catch::Contains("sideways"));
  }
}

TEST_CASE("ResolveSettings: ca_file then REQUESTS_CA_BUNDLE then CURL_CA_BUNDLE then SSL_CERT_FILE",
          "[settings]") {
  testing::TempDir dir;
  const std::string pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
  for (const char* name : {"a.pem", "b.pem", "c.pem", "d.pem"}) {
    testing::WriteBytes(dir.File(name), pem);
  }
  auto resolve = [&](Settings s, std::map<std::string, std::string> env) {
    if (!s.mode.has_value()) s.mode = Mode::kOnline;
    s.base_url = "https://example.com";
    s.api_key = "k";
    return ResolveSettings(std::move(s), FakeEnv(std::move(env)).Lookup());
  };
  auto ca = [&](Settings s, std::map<std::string, std::string> env) {
    auto r = resolve(std::move(s), std::move(env));
    INFO(r.status().ToString());
    REQUIRE(r.ok());
    return r->ca_file;
  };
  std::map<std::string, std::string> all{{"REQUESTS_CA_BUNDLE", dir.File("b.pem")},
                                         {"CURL_CA_BUNDLE", dir.File("c.pem")},
                                         {"SSL_CERT_FILE", dir.File("d.pem")}};
  CHECK(ca({}, {}).empty());  // the system's
  CHECK(ca({.ca_file = dir.File("a.pem")}, all) == dir.File("a.pem"));
  CHECK(ca({}, all) == dir.File("b.pem"));
  all.erase("REQUESTS_CA_BUNDLE");
  CHECK(ca({}, all) == dir.File("c.pem"));
  all.erase("CURL_CA_BUNDLE");
  CHECK(ca({}, all) == dir.File("d.pem"));
  // Made absolute: the daemon does not share the program's working directory.
  std::string relative = std::filesystem::relative(dir.File("a.pem")).string();
  REQUIRE(std::filesystem::path(relative).is_relative());
  std::string absolute = ca({.ca_file = relative}, {});
  CHECK(std::filesystem::path(absolute).is_absolute());
  CHECK(std::filesystem::equivalent(absolute, dir.File("a.pem")));

  // A file that cannot serve is an init error naming it and where it came from.
  auto error = [&](Settings s, std::map<std::string, std::string> env) {
    auto r = resolve(std::move(s), std::move(env));
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == absl::StatusCode::kFailedPrecondition);
    return std::string(r.status().message());
  };
  CHECK_THAT(error({}, {{"REQUESTS_CA_BUNDLE", dir.File("missing.pem")}}),
             Catch::Contains("REQUESTS_CA_BUNDLE") && Catch::Contains("missing.pem") &&
                 Catch::Contains("No such file"));
  testing::WriteBytes(dir.File("not.pem"), "hello\n");
  CHECK_THAT(error({.ca_file = dir.File("not.pem")}, {}),
             Catch::Contains("ca_file") && Catch::Contains("no PEM certificate"));
  CHECK_THAT(error({}, {{"SSL_CERT_FILE", dir.path()}}),
             Catch::Contains("SSL_CERT_FILE") && Catch::Contains("a directory"));
  // Only online runs make HTTPS requests: other modes do not look at it.
  CHECK(resolve({.mode = Mode::kLocal}, {{"REQUESTS_CA_BUNDLE", dir.File("missing.pem")}}).ok());
}

}  // namespace wandb::internal
