// `wandb-cpp artifact` as the real binary against a store the real daemon filled: list,
// versions, ls, get and lineage, as tables and as JSON lines, and their errors; the artifact
// cache's cleanup; and put, which logs through a run of its own.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/cli_runner.h"
#include "tests/support/test_env.h"
#include "wandb/wandb.h"

namespace wandb::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

void WriteFile(const std::string& path, const std::string& contents) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream(path, std::ios::binary | std::ios::trunc) << contents;
}

std::vector<json> JsonLines(const CommandResult& result) {
  INFO(result.out << result.err);
  REQUIRE(result.exit_code == 0);
  std::vector<json> lines;
  std::istringstream in(result.out);
  for (std::string line; std::getline(in, line);) {
    json parsed = json::parse(line, nullptr, /*allow_exceptions=*/false);
    REQUIRE_FALSE(parsed.is_discarded());
    lines.push_back(parsed);
  }
  return lines;
}

// Run "maker" logs data v0 (alias best) and v1; run "user" uses data:v0.
void MakeArtifacts(const TestEnv& env) {
  Run maker = init({.project = "cliart", .entity = "team", .id = "maker"});
  for (const char* content : {"first", "second!"}) {
    WriteFile(env.root_dir() + "/d/a.txt", content);
    WriteFile(env.root_dir() + "/d/sub/b.txt", "b");
    Artifact data("data", "dataset");
    data.add_dir(env.root_dir() + "/d");
    data.add_reference("s3://bucket/raw.tar");
    maker.log_artifact(data, std::string(content) == "first" ? std::vector<std::string>{"best"}
                                                             : std::vector<std::string>{});
    data.wait();
  }
  maker.finish();
  Run user = init({.project = "cliart", .entity = "team", .id = "user"});
  user.use_artifact("data:best");
  user.finish();
}

}  // namespace

TEST_CASE("artifact list and versions and ls show the store's artifacts") {
  TestEnv env;
  MakeArtifacts(env);

  CommandResult table = RunCli({"artifact", "list"});
  INFO(table.err);
  CHECK(table.exit_code == 0);
  CHECK_THAT(table.out, Catch::StartsWith("NAME  TYPE     VERSIONS  LATEST"));
  CHECK_THAT(table.out, Catch::Contains("data  dataset         2  v1"));
  CHECK_THAT(table.out, Catch::Contains("team/cliart"));
  std::vector<json> listed = JsonLines(RunCli({"artifact", "list", "--json"}));
  REQUIRE(listed.size() == 1);
  CHECK(listed[0]["name"] == "data");
  CHECK(listed[0]["versions"] == 2);
  CHECK(listed[0]["latest"] == "v1");
  CHECK(listed[0]["size"] == 8);  // "second!" and "b"
  CHECK(JsonLines(RunCli({"artifact", "list", "--project", "other", "--json"})).empty());

  std::vector<json> versions = JsonLines(RunCli({"artifact", "versions", "data", "--json"}));
  REQUIRE(versions.size() == 2);
  CHECK(versions[0]["version"] == "v0");
  CHECK(versions[0]["aliases"] == json::array({"best"}));
  CHECK(versions[0]["size"] == 6);
  CHECK(versions[0]["created_by"] == "maker");
  CHECK(versions[1]["version"] == "v1");
  CHECK(versions[1]["aliases"] == json::array({"latest"}));
  CHECK(versions[1]["digest"].get<std::string>().size() == 32);
  CommandResult versions_table = RunCli({"artifact", "versions", "data"});
  CHECK_THAT(versions_table.out, Catch::StartsWith("VERSION  ALIASES"));

  std::vector<json> files = JsonLines(RunCli({"artifact", "ls", "team/cliart/data:v1", "--json"}));
  REQUIRE(files.size() == 3);
  CHECK(files[0]["path"] == "a.txt");
  CHECK(files[0]["size"] == 7);
  // python3 -c 'import hashlib,base64; print(base64.b64encode(hashlib.md5(b"second!").digest()))'
  CHECK(files[0]["digest"] == "Jt55PQhO/dHEE0ZSxUlK8Q==");
  CHECK(files[1]["ref"] == "s3://bucket/raw.tar");
  CHECK(files[2]["path"] == "sub/b.txt");
}

TEST_CASE("artifact get copies a version out and lineage shows who made and used it") {
  TestEnv env;
  MakeArtifacts(env);
  const std::string root = env.root_dir() + "/got";
  CommandResult got = RunCli({"artifact", "get", "data:best", "--root", root});
  INFO(got.err);
  CHECK(got.exit_code == 0);
  CHECK_THAT(got.out,
             Catch::Contains("data:v0: 2 files") && Catch::Contains("1 reference(s) not fetched"));
  CHECK(ReadFile(root + "/a.txt") == "first");
  CHECK(ReadFile(root + "/sub/b.txt") == "b");

  std::vector<json> lineage = JsonLines(RunCli({"artifact", "lineage", "data:v0", "--json"}));
  REQUIRE(lineage.size() == 1);
  CHECK(lineage[0]["logged_by"] == json::array({"team/cliart/maker"}));
  REQUIRE(lineage[0]["used_by"].size() == 1);
  CHECK(lineage[0]["used_by"][0]["run"] == "team/cliart/user");
  CommandResult text = RunCli({"artifact", "lineage", "data:latest"});
  CHECK(text.exit_code == 0);
  CHECK_THAT(text.out, Catch::Contains("logged by:\n  team/cliart/maker") &&
                           Catch::Contains("used by:\n  - (no run yet)"));
}

TEST_CASE("artifact cache cleanup shrinks the cache and a later get copies from the store again") {
  TestEnv env;
  MakeArtifacts(env);
  const std::string objects = env.cache_dir() + "/artifacts/obj/md5";
  auto cached_files = [&] {
    size_t n = 0;
    for (auto it = fs::recursive_directory_iterator(objects);
         it != fs::recursive_directory_iterator(); ++it) {
      n += it->is_regular_file();
    }
    return n;
  };
  REQUIRE(cached_files() == 3);  // "first", "second!", "b"

  std::vector<json> done =
      JsonLines(RunCli({"artifact", "cache", "cleanup", "--size", "0B", "--json"}));
  REQUIRE(done.size() == 1);
  CHECK(done[0]["files_removed"] == 3);
  CHECK(done[0]["reclaimed_bytes"] == 5 + 7 + 1);
  CHECK(done[0]["bytes_after"] == 0);
  CHECK(cached_files() == 0);
  CommandResult again = RunCli({"artifact", "cache", "cleanup", "1GB"});
  CHECK(again.exit_code == 0);
  CHECK_THAT(again.out, Catch::StartsWith("Reclaimed 0 B of space (0 files)"));

  const std::string root = env.root_dir() + "/got";
  CommandResult got = RunCli({"artifact", "get", "data:v1", "--root", root});
  INFO(got.err);
  CHECK(got.exit_code == 0);
  CHECK(ReadFile(root + "/a.txt") == "second!");
  CHECK(cached_files() == 2);  // taken from the store into the cache again

  CommandResult bad = RunCli({"artifact", "cache", "cleanup", "lots"});
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.err, Catch::Contains("'lots' is not a size"));
  CHECK(RunCli({"artifact", "cache", "cleanup"}).exit_code == 2);
}

TEST_CASE("artifact commands name what is missing and refuse malformed names") {
  TestEnv env;
  MakeArtifacts(env);
  CommandResult missing = RunCli({"artifact", "get", "data:v7"});
  CHECK(missing.exit_code == 1);
  CHECK_THAT(missing.err, Catch::Contains("no version v7") && Catch::Contains("v0..v1"));
  CommandResult no_alias = RunCli({"artifact", "ls", "data"});
  CHECK(no_alias.exit_code == 2);
  CHECK_THAT(no_alias.err, Catch::Contains("names no version or alias"));
  CommandResult unknown = RunCli({"artifact", "versions", "nothing"});
  CHECK(unknown.exit_code == 1);
  CHECK_THAT(unknown.err, Catch::Contains("there is no artifact nothing"));
  CHECK(RunCli({"artifact", "list", "--project", "a/b/c"}).exit_code == 2);
  CHECK(RunCli({"artifact"}).exit_code == 2);
  CommandResult help = RunCli({"artifact", "--help"});
  CHECK(help.exit_code == 0);
  CHECK_THAT(help.out, Catch::Contains("lineage"));
}

TEST_CASE("artifact put logs a directory or a file as a version through a run of its own") {
  TestEnv env;
  const std::string dir = env.root_dir() + "/put";
  WriteFile(dir + "/a.txt", "alpha");
  WriteFile(dir + "/sub/b.txt", "beta");
  std::vector<json> first =
      JsonLines(RunCli({"artifact", "put", dir, "--name", "team/cliput/corpus", "--json"}));
  REQUIRE(first.size() == 1);
  CHECK(first[0]["version"] == "v0");
  CHECK(first[0]["type"] == "dataset");
  CHECK(first[0]["aliases"] == json::array({"latest"}));
  CHECK(first[0]["size"] == 9);  // "alpha" and "beta"
  // The same bytes again are the same version, as log_artifact dedupes them.
  CommandResult again = RunCli({"artifact", "put", dir, "--name", "team/cliput/corpus"});
  INFO(again.err);
  CHECK(again.exit_code == 0);
  CHECK_THAT(again.out, Catch::Contains("Uploading directory " + dir +
                                        " to: \"team/cliput/corpus:latest\" (dataset)") &&
                            Catch::Contains("run.use_artifact(\"team/cliput/corpus:v0\");"));
  std::vector<json> second =
      JsonLines(RunCli({"artifact", "put", dir + "/a.txt", "--name", "team/cliput/corpus", "-t",
                        "dataset", "-a", "best", "-a", "small", "--json"}));
  REQUIRE(second.size() == 1);
  CHECK(second[0]["version"] == "v1");

  std::vector<json> versions =
      JsonLines(RunCli({"artifact", "versions", "corpus", "--project", "team/cliput", "--json"}));
  REQUIRE(versions.size() == 2);
  CHECK(versions[0]["file_count"] == 2);
  CHECK(versions[1]["file_count"] == 1);
  CHECK_THAT(
      versions[1]["aliases"].get<std::vector<std::string>>(),
      Catch::VectorContains(std::string("best")) && Catch::VectorContains(std::string("small")));
  std::vector<json> lineage = JsonLines(RunCli({"artifact", "lineage", "corpus:v1", "--json"}));
  REQUIRE(lineage.size() == 1);
  CHECK(lineage[0]["logged_by"] ==
        json::array({"team/cliput/" + second[0]["run"].get<std::string>()}));
}

TEST_CASE("artifact put refuses a missing path and a bad alias before making a run") {
  TestEnv env;
  CommandResult missing = RunCli({"artifact", "put", env.root_dir() + "/none"});
  CHECK(missing.exit_code == 2);
  CHECK_THAT(missing.err, Catch::Contains("is not a file, a directory or a reference URI"));
  WriteFile(env.root_dir() + "/x.txt", "x");
  CommandResult alias = RunCli({"artifact", "put", env.root_dir() + "/x.txt", "-a", "a:b"});
  CHECK(alias.exit_code == 2);
  CHECK_THAT(alias.err, Catch::Contains("may not contain '/' or ':'"));
  CommandResult name = RunCli({"artifact", "put", env.root_dir() + "/x.txt", "--name", "a/b/c/d"});
  CHECK(name.exit_code == 2);
  CHECK(!fs::exists(env.store_dir()));  // no run was made
}

}  // namespace wandb::testing
