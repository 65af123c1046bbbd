#include "ui/server/access_guard.h"

#include <arpa/inet.h>
#include <httplib.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <stdexcept>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace wandb::ui {
namespace {

// The value of cookie `name` in a Cookie header ("a=1; b=2"), or "".
std::string CookieValue(absl::string_view header, absl::string_view name) {
  for (absl::string_view part : absl::StrSplit(header, ';')) {
    part = absl::StripAsciiWhitespace(part);
    if (absl::ConsumePrefix(&part, name) && absl::ConsumePrefix(&part, "=")) {
      return std::string(part);
    }
  }
  return "";
}

}  // namespace

std::string RandomSecret() {
  unsigned char bytes[32];
  if (RAND_bytes(bytes, sizeof bytes) != 1) {
    // Without randomness there is no safe secret; the server must not start.
    throw std::runtime_error("no random bytes from the OS for the UI's secrets");
  }
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(bytes), sizeof bytes));
}

bool IsLoopbackHost(absl::string_view host) {
  if (host == "localhost") return true;
  in_addr v4;
  if (inet_pton(AF_INET, std::string(host).c_str(), &v4) == 1) {
    return (ntohl(v4.s_addr) >> 24) == 127;
  }
  in6_addr v6;
  if (inet_pton(AF_INET6, std::string(host).c_str(), &v6) == 1) {
    return IN6_IS_ADDR_LOOPBACK(&v6);
  }
  return false;
}

AccessGuard::AccessGuard(std::string token, bool loopback, int port)
    : token_(std::move(token)), csrf_(RandomSecret()), loopback_(loopback), port_(port) {}

bool AccessGuard::TokenMatches(absl::string_view candidate) const {
  return candidate.size() == token_.size() &&
         CRYPTO_memcmp(candidate.data(), token_.data(), token_.size()) == 0;
}

bool AccessGuard::HostAllowed(absl::string_view host_header) const {
  // "name:port", "[v6]:port", or a bare name (port 80).
  absl::string_view host = host_header;
  int port = 80;
  if (absl::StartsWith(host, "[")) {
    size_t close = host.find(']');
    if (close == absl::string_view::npos) return false;
    absl::string_view rest = host.substr(close + 1);
    host = host.substr(1, close - 1);
    if (absl::ConsumePrefix(&rest, ":") && !absl::SimpleAtoi(rest, &port)) return false;
  } else if (size_t colon = host.rfind(':'); colon != absl::string_view::npos) {
    if (!absl::SimpleAtoi(host.substr(colon + 1), &port)) return false;
    host = host.substr(0, colon);
  }
  return port == port_ && IsLoopbackHost(absl::AsciiStrToLower(host));
}

absl::Status AccessGuard::CheckRequest(const httplib::Request& request,
                                       bool* token_from_query) const {
  *token_from_query = false;
  if (loopback_ && token_.empty() && !HostAllowed(request.get_header_value("Host"))) {
    return absl::PermissionDeniedError(
        "this server answers only requests for its loopback address (Host header refused)");
  }
  if (token_.empty()) return absl::OkStatus();
  if (request.has_param("token") && TokenMatches(request.get_param_value("token"))) {
    *token_from_query = true;
    return absl::OkStatus();
  }
  absl::string_view authorization = request.get_header_value("Authorization");
  if (absl::ConsumePrefix(&authorization, "token ") && TokenMatches(authorization)) {
    return absl::OkStatus();
  }
  if (TokenMatches(CookieValue(request.get_header_value("Cookie"), kTokenCookie))) {
    return absl::OkStatus();
  }
  return absl::UnauthenticatedError(
      "a token is needed: open the URL `wandb-cpp ui` printed (it ends in ?token=...), or send "
      "'Authorization: token TOKEN'");
}

absl::Status AccessGuard::CheckWrite(const httplib::Request& request) const {
  const std::string csrf = request.get_header_value(std::string(kCsrfHeader));
  if (csrf.size() != csrf_.size() || CRYPTO_memcmp(csrf.data(), csrf_.data(), csrf_.size()) != 0) {
    return absl::PermissionDeniedError(absl::StrCat("a request that changes state needs the ",
                                                    kCsrfHeader, " header from GET /api/session"));
  }
  if (request.has_header("Origin")) {
    const std::string expected = absl::StrCat("http://", request.get_header_value("Host"));
    if (request.get_header_value("Origin") != expected) {
      return absl::PermissionDeniedError("the request's Origin is not this server");
    }
  }
  return absl::OkStatus();
}

std::string AccessGuard::TokenCookie() const {
  return absl::StrCat(kTokenCookie, "=", token_, "; Path=/; HttpOnly; SameSite=Strict");
}

}  // namespace wandb::ui
