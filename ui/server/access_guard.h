// Who may use the UI server, and how a state-changing request proves it came from our page.
//
// - Bound to a loopback address (the default), the server needs no token, but checks the
//   Host header names the loopback address: a web page elsewhere that points its own host
//   name at 127.0.0.1 (DNS rebinding) is refused.
// - Bound to any other address, every request needs the token, as Jupyter does: in the URL
//   printed at start (?token=..., which then sets an HttpOnly cookie so the page's own
//   requests carry it), in that cookie, or in an "Authorization: token ..." header (scripts).
// - A POST (the Stop button) must also carry the X-CSRF-Token header with the per-process
//   secret that only a page of our origin can read (GET /api/session), and an Origin header,
//   when the browser sends one, naming this server: a form or script on another site cannot
//   make one.
#ifndef WANDB_UI_SERVER_ACCESS_GUARD_H_
#define WANDB_UI_SERVER_ACCESS_GUARD_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace httplib {
struct Request;
}

namespace wandb::ui {

inline constexpr absl::string_view kTokenCookie = "wandb_cpp_ui_token";
inline constexpr absl::string_view kCsrfHeader = "X-CSRF-Token";

// 32 random bytes from the OS (OpenSSL's RAND_bytes), as 64 hex digits.
std::string RandomSecret();

// Whether `host` (an address or name from --host) is a loopback one.
bool IsLoopbackHost(absl::string_view host);

class AccessGuard {
 public:
  // `token` empty: no token is asked for (loopback binds only; UiServer refuses otherwise).
  // `port` is the bound port, for the Host check.
  AccessGuard(std::string token, bool loopback, int port);

  // Unauthenticated (a missing or wrong token) or PermissionDenied (a foreign Host), with a
  // message for the user; OK otherwise. `token_from_query` is set when the request carried a
  // good token in its URL (the caller then sets the cookie).
  absl::Status CheckRequest(const httplib::Request& request, bool* token_from_query) const;
  // For requests that change state: PermissionDenied unless the CSRF header and the Origin
  // are right.
  absl::Status CheckWrite(const httplib::Request& request) const;

  const std::string& token() const { return token_; }
  const std::string& csrf() const { return csrf_; }
  // The Set-Cookie value that stores the token in the browser.
  std::string TokenCookie() const;

 private:
  bool HostAllowed(absl::string_view host_header) const;
  bool TokenMatches(absl::string_view candidate) const;

  const std::string token_;
  const std::string csrf_;
  const bool loopback_;
  const int port_;
};

}  // namespace wandb::ui

#endif  // WANDB_UI_SERVER_ACCESS_GUARD_H_
