#include "common/util/netrc.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/util/read_file.h"

namespace wandb::netrc {
namespace {

std::vector<absl::string_view> Tokens(absl::string_view text) {
  return absl::StrSplit(text, absl::ByAnyChar(" \t\r\n"), absl::SkipEmpty());
}

// One `machine` entry's tokens span [begin, end) in the token list.
struct Span {
  size_t begin = 0;
  size_t end = 0;
};

// Where `machine host` starts and ends among the tokens; nullopt when absent.
std::optional<Span> FindMachine(const std::vector<absl::string_view>& tokens,
                                absl::string_view host) {
  for (size_t i = 0; i + 1 < tokens.size(); ++i) {
    if (tokens[i] != "machine" || tokens[i + 1] != host) continue;
    size_t end = i + 2;
    while (end < tokens.size() && tokens[end] != "machine" && tokens[end] != "default" &&
           tokens[end] != "macdef") {
      end += 2;  // keyword and its value
    }
    return Span{i, std::min(end, tokens.size())};
  }
  return std::nullopt;
}

}  // namespace

std::string DefaultPath(const char* netrc_env, const char* home_env) {
  if (netrc_env != nullptr && *netrc_env != '\0') return netrc_env;
  if (home_env != nullptr && *home_env != '\0') return absl::StrCat(home_env, "/.netrc");
  return "";
}

std::string HostOf(absl::string_view url) {
  if (size_t scheme = url.find("://"); scheme != absl::string_view::npos) {
    url.remove_prefix(scheme + 3);
  }
  url = url.substr(0, url.find_first_of("/?#"));
  if (size_t at = url.rfind('@'); at != absl::string_view::npos) url.remove_prefix(at + 1);
  if (!url.empty() && url.front() == '[') {  // [::1]:8080
    return std::string(url.substr(0, url.find(']') + 1));
  }
  return absl::AsciiStrToLower(url.substr(0, url.find(':')));
}

std::optional<std::string> FindPassword(absl::string_view text, absl::string_view host) {
  std::vector<absl::string_view> tokens = Tokens(text);
  std::optional<Span> span = FindMachine(tokens, host);
  if (!span.has_value()) return std::nullopt;
  for (size_t i = span->begin + 2; i + 1 < span->end; i += 2) {
    if (tokens[i] == "password") return std::string(tokens[i + 1]);
  }
  return std::nullopt;
}

absl::StatusOr<std::optional<std::string>> ReadPassword(const std::string& path,
                                                        absl::string_view host) {
  if (path.empty()) return std::optional<std::string>();
  absl::StatusOr<std::string> text = ReadFileToString(path);
  if (absl::IsNotFound(text.status())) return std::optional<std::string>();
  if (!text.ok()) return text.status();
  return FindPassword(*text, host);
}

absl::StatusOr<std::optional<std::string>> FindApiKey(
    absl::string_view base_url, const char* api_key_env, const char* netrc_env,
    const char* home_env, const std::optional<std::string>& settings_file_key) {
  if (api_key_env != nullptr && *api_key_env != '\0') return std::string(api_key_env);
  const std::string path = DefaultPath(netrc_env, home_env);
  absl::StatusOr<std::optional<std::string>> found = ReadPassword(path, HostOf(base_url));
  if (!found.ok()) {
    return absl::Status(found.status().code(),
                        absl::StrCat("cannot read ", path, ": ", found.status().message()));
  }
  if (!found->has_value() && settings_file_key.has_value() && !settings_file_key->empty()) {
    return settings_file_key;
  }
  return found;
}

absl::Status WriteEntry(const std::string& path, absl::string_view host, absl::string_view login,
                        absl::string_view password) {
  if (path.empty()) return absl::FailedPreconditionError("no netrc path (HOME is not set)");
  std::string old;
  if (absl::StatusOr<std::string> text = ReadFileToString(path); text.ok()) {
    old = *std::move(text);
  } else if (!absl::IsNotFound(text.status())) {
    return text.status();
  }
  // Every other entry is kept as written; this host's entry is replaced by one at the end.
  std::vector<absl::string_view> tokens = Tokens(old);
  std::string out;
  std::optional<Span> span = FindMachine(tokens, host);
  if (!span.has_value()) {
    out = old;
    if (!out.empty() && out.back() != '\n') out.push_back('\n');
  } else {
    for (size_t i = 0; i < tokens.size(); ++i) {
      if (i >= span->begin && i < span->end) continue;
      absl::StrAppend(&out,
                      (tokens[i] == "machine" || tokens[i] == "default") && !out.empty()
                          ? "\n"
                          : (out.empty() ? "" : " "),
                      tokens[i]);
    }
    if (!out.empty()) out.push_back('\n');
  }
  absl::StrAppend(&out, "machine ", host, "\n  login ", login, "\n  password ", password, "\n");

  std::string tmp = absl::StrCat(path, ".tmp");
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return absl::InternalError(absl::StrCat("cannot write ", tmp, ": ", strerror(errno)));
  // A file left by someone else with wider permissions is narrowed before the key goes in.
  bool ok = ::fchmod(fd, 0600) == 0 &&
            ::write(fd, out.data(), out.size()) == static_cast<ssize_t>(out.size()) &&
            ::fsync(fd) == 0;
  int saved = errno;
  ::close(fd);
  if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
    if (ok) saved = errno;
    ::unlink(tmp.c_str());
    return absl::InternalError(absl::StrCat("cannot write ", path, ": ", strerror(saved)));
  }
  return absl::OkStatus();
}

}  // namespace wandb::netrc
