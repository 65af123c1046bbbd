#include "common/util/settings_file.h"

#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <fstream>

#include "common/util/read_file.h"
#include "tests/support/temp_dir.h"

namespace wandb::settings_file {
namespace {

Section MustParse(absl::string_view text, absl::string_view section = kDefaultSection) {
  absl::StatusOr<Section> parsed = Parse(text, section);
  INFO(parsed.status().ToString());
  REQUIRE(parsed.ok());
  return *parsed;
}

std::string ErrorOf(absl::string_view text) {
  absl::StatusOr<Section> parsed = Parse(text, kDefaultSection);
  REQUIRE_FALSE(parsed.ok());
  return std::string(parsed.status().message());
}

std::string MustSet(absl::string_view text, absl::string_view key, absl::string_view value) {
  absl::StatusOr<std::string> edited = SetInText(text, kDefaultSection, key, value);
  INFO(edited.status().ToString());
  REQUIRE(edited.ok());
  return *edited;
}

}  // namespace

TEST_CASE("settings file: the paths wandb reads", "[settings_file]") {
  CHECK(GlobalPath("/cfg", "/home/u") == "/cfg/settings");
  CHECK(GlobalPath("", "/home/u") == "/home/u/.config/wandb/settings");
  CHECK(GlobalPath(nullptr, nullptr).empty());
  CHECK(WorkspacePath("/work/proj") == "/work/proj/wandb/settings");
}

TEST_CASE("settings file: keys of [default] as configparser reads them", "[settings_file]") {
  Section s = MustParse(
      "# wandb's file\n"
      "; another comment\n"
      "[default]\n"
      "base_url = https://wandb.example.com\n"
      "  # an indented comment\n"
      "Entity:team   \n"
      "project  =  my proj  \n"
      "mode=\n"
      "note = a ; b # c\n"
      "\n"
      "[other]\n"
      "base_url = https://elsewhere\n");
  CHECK(s.size() == 5);
  CHECK(s["base_url"] == "https://wandb.example.com");
  CHECK(s["entity"] == "team");  // keys lowercased, ':' as well as '='
  CHECK(s["project"] == "my proj");
  CHECK(s["mode"].empty());
  CHECK(s["note"] == "a ; b # c");  // no inline comments
  // An indented line after a key continues its value, as configparser reads it.
  CHECK(MustParse("[default]\nentity = a\n\tproject = b\n")["entity"] == "a\nproject = b");
  CHECK(MustParse("[other]\nbase_url = x\n", "other")["base_url"] == "x");
  CHECK(MustParse("[Default]\nbase_url = x\n").empty());  // section names are case-sensitive
  CHECK(MustParse("").empty());
  CHECK(MustParse("[default]\r\nmode = offline\r\n")["mode"] == "offline");
}

TEST_CASE("settings file: continuation lines and [DEFAULT] and interpolation", "[settings_file]") {
  Section s = MustParse(
      "[DEFAULT]\n"
      "host = wandb.example.com\n"
      "entity = from-defaults\n"
      "[default]\n"
      "base_url = https://%(host)s\n"
      "entity = mine\n"
      "ignore_globs = *.tmp\n"
      "  *.bak\n"
      "\n"
      "  *.log\n"
      "\n"
      "percent = 100%%\n");
  CHECK(s["base_url"] == "https://wandb.example.com");
  CHECK(s["entity"] == "mine");
  CHECK(s["host"] == "wandb.example.com");
  CHECK(s["ignore_globs"] == "*.tmp\n*.bak\n\n*.log");
  CHECK(s["percent"] == "100%");
}

TEST_CASE("settings file: what configparser refuses is an error naming the line",
          "[settings_file]") {
  CHECK_THAT(ErrorOf("base_url = x\n"),
             Catch::Contains("line 1") && Catch::Contains("before any [section]"));
  CHECK_THAT(ErrorOf("[default]\nnot a setting\n"),
             Catch::Contains("line 2") && Catch::Contains("name = value"));
  CHECK_THAT(ErrorOf("[default]\n= x\n"), Catch::Contains("line 2"));
  CHECK_THAT(ErrorOf("[default]\nmode = a\nMODE = b\n"),
             Catch::Contains("line 3") && Catch::Contains("twice"));
  CHECK_THAT(ErrorOf("[default]\n[x]\n[default]\n"),
             Catch::Contains("line 3") && Catch::Contains("twice"));
  CHECK_THAT(ErrorOf("[default]\nbase_url = http://x/a%20b\n"), Catch::Contains("%%"));
  CHECK_THAT(ErrorOf("[default]\nbase_url = %(nope)s\n"), Catch::Contains("nope"));
  CHECK_THAT(ErrorOf("[default]\na = %(b)s\nb = %(a)s\n"), Catch::Contains("deeper"));
}

TEST_CASE("settings file: Set replaces or adds one key and keeps every other line",
          "[settings_file]") {
  // A new file: the section and the key.
  CHECK(MustSet("", "base_url", "https://a") == "[default]\nbase_url = https://a\n");
  // An existing key, with its continuation lines, replaced where it stands.
  std::string text =
      "# mine\n"
      "[default]\n"
      "entity = team ; kept\n"
      "base_url = https://old\n"
      "  more\n"
      "project = p\n"
      "\n"
      "[other]\n"
      "base_url = https://other\n";
  std::string edited = MustSet(text, "base_url", "https://new");
  CHECK(edited ==
        "# mine\n"
        "[default]\n"
        "entity = team ; kept\n"
        "base_url = https://new\n"
        "project = p\n"
        "\n"
        "[other]\n"
        "base_url = https://other\n");
  // A key the section lacks goes after its last line, before the blank line.
  CHECK(MustSet("[default]\nmode = offline\n\n[x]\na = 1\n", "base_url", "https://b") ==
        "[default]\nmode = offline\nbase_url = https://b\n\n[x]\na = 1\n");
  // A file without the section gets it at the end.
  CHECK(MustSet("[x]\na = 1", "base_url", "https://c") ==
        "[x]\na = 1\n\n[default]\nbase_url = https://c\n");
  // Written so that it reads back as given.
  std::string percent = MustSet("", "base_url", "http://h/a%20b");
  CHECK(MustParse(percent)["base_url"] == "http://h/a%20b");
  // A file configparser would refuse is not rewritten.
  CHECK_FALSE(SetInText("oops\n", kDefaultSection, "base_url", "x").ok());

  absl::StatusOr<std::string> removed = RemoveInText(text, kDefaultSection, "base_url");
  REQUIRE(removed.ok());
  CHECK(*removed ==
        "# mine\n"
        "[default]\n"
        "entity = team ; kept\n"
        "project = p\n"
        "\n"
        "[other]\n"
        "base_url = https://other\n");
}

TEST_CASE(
    "settings file: Read and Set on files (a missing file is empty and an unreadable one an error)",
    "[settings_file]") {
  testing::TempDir dir;
  const std::string path = dir.path() + "/config/wandb/settings";
  absl::StatusOr<Section> missing = Read(path, kDefaultSection);
  REQUIRE(missing.ok());
  CHECK(missing->empty());

  // Set makes the directory and a file of mode 0600.
  REQUIRE(Set(path, kDefaultSection, "base_url", "https://a").ok());
  struct stat st {};
  REQUIRE(stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  absl::StatusOr<Section> read = Read(path, kDefaultSection);
  REQUIRE(read.ok());
  CHECK((*read)["base_url"] == "https://a");

  // An existing file keeps its mode and its other lines.
  testing::WriteBytes(path, "[default]\n# note\nentity = e\n");
  chmod(path.c_str(), 0640);
  REQUIRE(Set(path, kDefaultSection, "base_url", "https://b").ok());
  REQUIRE(stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0640);
  CHECK(testing::ReadBytes(path) == "[default]\n# note\nentity = e\nbase_url = https://b\n");
  REQUIRE(Remove(path, kDefaultSection, "base_url").ok());
  CHECK(testing::ReadBytes(path) == "[default]\n# note\nentity = e\n");
  REQUIRE(Remove(dir.path() + "/absent", kDefaultSection, "base_url").ok());
  CHECK_FALSE(std::filesystem::exists(dir.path() + "/absent"));

  // The workspace's file wins over the global one.
  const std::string workspace = dir.path() + "/workspace";
  testing::WriteBytes(workspace, "[default]\nentity = w\nmode = offline\n");
  absl::StatusOr<Section> both = ReadDefaults(path, workspace);
  REQUIRE(both.ok());
  CHECK((*both)["entity"] == "w");
  CHECK((*both)["mode"] == "offline");

  // Malformed: an error naming the file and the line.
  testing::WriteBytes(workspace, "[default]\nbroken\n");
  absl::StatusOr<Section> bad = ReadDefaults(path, workspace);
  REQUIRE_FALSE(bad.ok());
  CHECK_THAT(std::string(bad.status().message()),
             Catch::Contains(workspace) && Catch::Contains("line 2"));

  // A directory where the file should be cannot be read, even by root.
  std::filesystem::create_directories(dir.path() + "/dir/settings");
  absl::StatusOr<Section> directory = Read(dir.path() + "/dir/settings", kDefaultSection);
  REQUIRE_FALSE(directory.ok());
  CHECK_THAT(std::string(directory.status().message()),
             Catch::Contains("cannot read " + dir.path() + "/dir/settings"));
  if (geteuid() != 0) {  // root reads any file
    chmod(path.c_str(), 0);
    absl::StatusOr<Section> unreadable = Read(path, kDefaultSection);
    REQUIRE_FALSE(unreadable.ok());
    CHECK_THAT(std::string(unreadable.status().message()),
               Catch::Contains(path) && Catch::Contains("Permission denied"));
  }
}

}  // namespace wandb::settings_file
