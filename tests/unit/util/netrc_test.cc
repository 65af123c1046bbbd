#include "common/util/netrc.h"

#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <fstream>

#include "common/util/read_file.h"
#include "tests/support/temp_dir.h"

namespace wandb::netrc {

TEST_CASE("HostOf: the netrc machine of a URL, without scheme, port or path", "[netrc]") {
  CHECK(HostOf("https://api.wandb.ai") == "api.wandb.ai");
  CHECK(HostOf("http://127.0.0.1:8080/prefix") == "127.0.0.1");
  CHECK(HostOf("https://user@Example.COM:443") == "example.com");
  CHECK(HostOf("localhost:8080") == "localhost");
}

TEST_CASE("FindPassword: the entry of that machine only, laid out any way", "[netrc]") {
  std::string text =
      "machine other.host login a password other-key\n"
      "machine api.wandb.ai\n  login user\n  password the-key\n"
      "default login anonymous password none\n";
  CHECK(FindPassword(text, "api.wandb.ai") == "the-key");
  CHECK(FindPassword(text, "other.host") == "other-key");
  CHECK_FALSE(FindPassword(text, "missing.host").has_value());
  CHECK_FALSE(FindPassword("", "api.wandb.ai").has_value());
  CHECK_FALSE(FindPassword("machine api.wandb.ai login user", "api.wandb.ai").has_value());
}

TEST_CASE("WriteEntry: adds or replaces one machine, keeps the others, mode 0600", "[netrc]") {
  testing::TempDir dir;
  std::string path = dir.path() + "/netrc";
  std::ofstream(path) << "machine other.host login a password other-key\n";
  chmod(path.c_str(), 0644);

  REQUIRE(WriteEntry(path, "api.wandb.ai", "user", "first-key").ok());
  REQUIRE(WriteEntry(path, "api.wandb.ai", "user", "second-key").ok());
  absl::StatusOr<std::string> text = ReadFileToString(path);
  REQUIRE(text.ok());
  CHECK(FindPassword(*text, "api.wandb.ai") == "second-key");
  CHECK(FindPassword(*text, "other.host") == "other-key");
  CHECK(text->find("first-key") == std::string::npos);
  struct stat st {};
  REQUIRE(stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);

  absl::StatusOr<std::optional<std::string>> read = ReadPassword(path, "api.wandb.ai");
  REQUIRE(read.ok());
  CHECK(*read == "second-key");
  absl::StatusOr<std::optional<std::string>> none = ReadPassword(dir.path() + "/absent", "x");
  REQUIRE(none.ok());
  CHECK_FALSE(none->has_value());
}

TEST_CASE("DefaultPath: $NETRC, else $HOME/.netrc", "[netrc]") {
  CHECK(DefaultPath("/etc/my-netrc", "/home/u") == "/etc/my-netrc");
  CHECK(DefaultPath(nullptr, "/home/u") == "/home/u/.netrc");
  CHECK(DefaultPath("", nullptr).empty());
}

TEST_CASE(
    "FindApiKey: WANDB_API_KEY first then the netrc entry of the URL's host then the settings file",
    "[netrc]") {
  testing::TempDir home;
  const std::string netrc = home.path() + "/.netrc";
  REQUIRE(WriteEntry(netrc, "127.0.0.1", "user", "from-netrc").ok());
  auto key = [](absl::StatusOr<std::optional<std::string>> found) {
    REQUIRE(found.ok());
    return found->value_or("(none)");
  };
  CHECK(key(FindApiKey("http://127.0.0.1:8080", "from-env", nullptr, home.path().c_str())) ==
        "from-env");
  CHECK(key(FindApiKey("http://127.0.0.1:8080", "", nullptr, home.path().c_str())) == "from-netrc");
  CHECK(key(FindApiKey("https://api.wandb.ai", nullptr, netrc.c_str(), nullptr)) == "(none)");
  // The settings file's key comes last: after the environment's and the netrc entry.
  const std::optional<std::string> settings_key = "from-settings";
  CHECK(key(FindApiKey("https://api.wandb.ai", nullptr, netrc.c_str(), nullptr, settings_key)) ==
        "from-settings");
  CHECK(key(FindApiKey("http://127.0.0.1:8080", nullptr, netrc.c_str(), nullptr, settings_key)) ==
        "from-netrc");
  CHECK(key(FindApiKey("http://127.0.0.1:8080", "from-env", netrc.c_str(), nullptr,
                       settings_key)) == "from-env");
  // A netrc that cannot be read is an error naming it, not "no key".
  absl::StatusOr<std::optional<std::string>> unreadable =
      FindApiKey("http://127.0.0.1", nullptr, home.path().c_str(), nullptr);  // a directory
  REQUIRE_FALSE(unreadable.ok());
  CHECK_THAT(std::string(unreadable.status().message()), Catch::Contains(home.path()));
}

}  // namespace wandb::netrc
