#include "ui/server/access_guard.h"

#include <httplib.h>

#include <catch2/catch.hpp>

namespace wandb::ui {
namespace {

httplib::Request RequestFor(const std::string& host) {
  httplib::Request request;
  request.method = "GET";
  request.headers.emplace("Host", host);
  return request;
}

}  // namespace

TEST_CASE("IsLoopbackHost") {
  for (const char* host : {"127.0.0.1", "127.1.2.3", "localhost", "::1"}) {
    INFO(host);
    CHECK(IsLoopbackHost(host));
  }
  for (const char* host : {"0.0.0.0", "10.0.0.1", "::", "example.com", "", "128.0.0.1"}) {
    INFO(host);
    CHECK_FALSE(IsLoopbackHost(host));
  }
}

TEST_CASE("AccessGuard: without a token, only requests for the loopback address pass") {
  AccessGuard guard("", /*loopback=*/true, 8080);
  bool from_query = false;
  for (const char* host : {"127.0.0.1:8080", "localhost:8080", "[::1]:8080", "LOCALHOST:8080"}) {
    INFO(host);
    CHECK(guard.CheckRequest(RequestFor(host), &from_query).ok());
  }
  for (const char* host :
       {"evil.example:8080", "127.0.0.1:9999", "127.0.0.1", "", "[::1", "127.0.0.1:80x"}) {
    INFO(host);
    CHECK(absl::IsPermissionDenied(guard.CheckRequest(RequestFor(host), &from_query)));
  }
}

TEST_CASE("AccessGuard: a token in the query, a header or the cookie") {
  AccessGuard guard("sesame", /*loopback=*/false, 8080);
  bool from_query = false;
  httplib::Request request = RequestFor("203.0.113.9:8080");
  CHECK(absl::IsUnauthenticated(guard.CheckRequest(request, &from_query)));

  request.params.emplace("token", "sesame");
  CHECK(guard.CheckRequest(request, &from_query).ok());
  CHECK(from_query);
  CHECK(guard.TokenCookie().find("wandb_cpp_ui_token=sesame; Path=/; HttpOnly; SameSite=Strict") ==
        0);

  httplib::Request wrong = RequestFor("h:8080");
  wrong.params.emplace("token", "sesamE");
  CHECK(absl::IsUnauthenticated(guard.CheckRequest(wrong, &from_query)));

  httplib::Request header = RequestFor("h:8080");
  header.headers.emplace("Authorization", "token sesame");
  CHECK(guard.CheckRequest(header, &from_query).ok());
  CHECK_FALSE(from_query);

  httplib::Request cookie = RequestFor("h:8080");
  cookie.headers.emplace("Cookie", "other=1; wandb_cpp_ui_token=sesame");
  CHECK(guard.CheckRequest(cookie, &from_query).ok());
  httplib::Request prefix = RequestFor("h:8080");
  prefix.headers.emplace("Cookie", "wandb_cpp_ui_token=sesame2");
  CHECK(absl::IsUnauthenticated(guard.CheckRequest(prefix, &from_query)));
}

TEST_CASE("AccessGuard: a write needs the CSRF secret, and an Origin, when sent, of this host") {
  AccessGuard guard("", true, 8080);
  CHECK(guard.csrf().size() == 64);
  CHECK(AccessGuard("", true, 8080).csrf() != guard.csrf());
  httplib::Request post = RequestFor("127.0.0.1:8080");
  post.method = "POST";
  CHECK(absl::IsPermissionDenied(guard.CheckWrite(post)));
  post.headers.emplace(std::string(kCsrfHeader), guard.csrf());
  CHECK(guard.CheckWrite(post).ok());
  post.headers.emplace("Origin", "http://127.0.0.1:8080");
  CHECK(guard.CheckWrite(post).ok());
  httplib::Request foreign = post;
  foreign.headers.erase("Origin");
  foreign.headers.emplace("Origin", "http://evil.example");
  CHECK(absl::IsPermissionDenied(guard.CheckWrite(foreign)));
  httplib::Request null_origin = post;
  null_origin.headers.erase("Origin");
  null_origin.headers.emplace("Origin", "null");  // a sandboxed frame
  CHECK(absl::IsPermissionDenied(guard.CheckWrite(null_origin)));
}

}  // namespace wandb::ui
