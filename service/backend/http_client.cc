#include "service/backend/http_client.h"

#include <curl/curl.h>

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <mutex>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace wandb::service {
namespace {

size_t AppendBody(char* data, size_t size, size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

size_t ReadHeader(char* data, size_t size, size_t count, void* out) {
  absl::string_view line(data, size * count);
  constexpr absl::string_view kName = "retry-after:";
  if (line.size() > kName.size() && absl::EqualsIgnoreCase(line.substr(0, kName.size()), kName)) {
    static_cast<HttpResponse*>(out)->retry_after = ParseRetryAfter(line.substr(kName.size()));
  }
  return size * count;
}

// Where a GET's body goes: the file while the answer is a success, else the response.
struct DownloadSink {
  CURL* curl;
  FILE* file;
  std::string* error_body;
};

size_t WriteDownload(char* data, size_t size, size_t count, void* out) {
  auto* sink = static_cast<DownloadSink*>(out);
  long status = 0;
  curl_easy_getinfo(sink->curl, CURLINFO_RESPONSE_CODE, &status);
  if (status / 100 != 2) {
    sink->error_body->append(data, size * count);
    return size * count;
  }
  // A short write makes libcurl fail the transfer (CURLE_WRITE_ERROR).
  return std::fwrite(data, size, count, sink->file) * size;
}

}  // namespace

std::optional<absl::Duration> ParseRetryAfter(absl::string_view value) {
  double seconds = 0;
  if (!absl::SimpleAtod(absl::StripAsciiWhitespace(value), &seconds) || seconds < 0) {
    return std::nullopt;
  }
  return absl::Seconds(seconds);
}

HttpClient::HttpClient(Options options) : options_(std::move(options)) {
  // Not thread-safe in older libcurls: once per process, before any handle.
  static std::once_flag global;
  std::call_once(global, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  curl_ = curl_easy_init();
}

HttpClient::~HttpClient() {
  if (curl_ != nullptr) curl_easy_cleanup(static_cast<CURL*>(curl_));
}

void HttpClient::Prepare(const std::string& url, HttpResponse* response, char* error) {
  CURL* curl = static_cast<CURL*>(curl_);
  curl_easy_reset(curl);  // keeps the connection cache
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);  // other threads: no SIGALRM for timeouts
  curl_easy_setopt(curl, CURLOPT_USERAGENT, options_.user_agent.c_str());
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(absl::ToInt64Milliseconds(options_.connect_timeout)));
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, AppendBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response->body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, ReadHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, response);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
  // libcurl's defaults, stated: nothing here or in the environment turns verification off.
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!options_.ca_file.empty()) {
    // Instead of the system's bundle, not beside it: no CA directory either.
    curl_easy_setopt(curl, CURLOPT_CAINFO, options_.ca_file.c_str());
    curl_easy_setopt(curl, CURLOPT_CAPATH, nullptr);
  }
}

absl::StatusOr<HttpResponse> HttpClient::Perform(const std::string& url, HttpResponse* response,
                                                 const char* error) {
  CURL* curl = static_cast<CURL*>(curl_);
  CURLcode code = curl_easy_perform(curl);
  if (code != CURLE_OK) {
    std::string reason =
        absl::StrCat(url, ": ", error[0] != '\0' ? error : curl_easy_strerror(code));
    if (code == CURLE_PEER_FAILED_VERIFICATION) {
      return absl::FailedPreconditionError(
          absl::StrCat(reason, " (the server's TLS certificate is not signed by a trusted CA",
                       options_.ca_file.empty() ? " of the system's bundle"
                                                : absl::StrCat(" of ", options_.ca_file),
                       ": for a private CA, give its PEM file as ca_file or REQUESTS_CA_BUNDLE)"));
    }
    if (code == CURLE_SSL_CACERT_BADFILE) {
      return absl::FailedPreconditionError(
          absl::StrCat(reason, " (the CA file ", options_.ca_file, " could not be used)"));
    }
    return absl::UnavailableError(reason);
  }
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response->status);
  return std::move(*response);
}

absl::StatusOr<HttpResponse> HttpClient::PostJson(const std::string& url, absl::string_view body) {
  CURL* curl = static_cast<CURL*>(curl_);
  if (curl == nullptr) return absl::InternalError("libcurl could not make a handle");
  HttpResponse response;
  char error[CURL_ERROR_SIZE] = {0};
  Prepare(url, &response, error);
  curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  Authenticate();
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS,
                   static_cast<long>(absl::ToInt64Milliseconds(options_.timeout)));
  absl::StatusOr<HttpResponse> result = Perform(url, &response, error);
  curl_slist_free_all(headers);
  return result;
}

absl::StatusOr<HttpResponse> HttpClient::PutFile(const std::string& url,
                                                 const std::vector<std::string>& headers,
                                                 const std::string& path) {
  CURL* curl = static_cast<CURL*>(curl_);
  if (curl == nullptr) return absl::InternalError("libcurl could not make a handle");
  std::unique_ptr<FILE, int (*)(FILE*)> file(std::fopen(path.c_str(), "rb"), &std::fclose);
  struct stat st;
  if (file == nullptr || fstat(fileno(file.get()), &st) != 0) {
    return absl::NotFoundError(absl::StrCat(path, ": ", std::strerror(errno)));
  }
  HttpResponse response;
  char error[CURL_ERROR_SIZE] = {0};
  Prepare(url, &response, error);
  curl_slist* list = nullptr;
  for (const std::string& header : headers) list = curl_slist_append(list, header.c_str());
  // Without this libcurl adds "Expect: 100-continue" to large PUTs, which some storage refuses.
  list = curl_slist_append(list, "Expect:");
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(curl, CURLOPT_READDATA, file.get());  // libcurl's default reader: fread
  curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(st.st_size));
  // A large file may take long: no limit on the whole, but a stalled transfer (under 1 byte/s
  // for the request timeout) is given up.
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME,
                   static_cast<long>(absl::ToInt64Seconds(options_.timeout)));
  absl::StatusOr<HttpResponse> result = Perform(url, &response, error);
  curl_slist_free_all(list);
  return result;
}

void HttpClient::Authenticate() {
  CURL* curl = static_cast<CURL*>(curl_);
  curl_easy_setopt(curl, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
  curl_easy_setopt(curl, CURLOPT_USERNAME, "api");
  curl_easy_setopt(curl, CURLOPT_PASSWORD, options_.api_key.c_str());
}

absl::StatusOr<HttpResponse> HttpClient::GetToFile(const std::string& url, const std::string& path,
                                                   bool with_credentials) {
  CURL* curl = static_cast<CURL*>(curl_);
  if (curl == nullptr) return absl::InternalError("libcurl could not make a handle");
  std::unique_ptr<FILE, int (*)(FILE*)> file(std::fopen(path.c_str(), "wb"), &std::fclose);
  if (file == nullptr) {
    return absl::FailedPreconditionError(absl::StrCat(path, ": ", std::strerror(errno)));
  }
  HttpResponse response;
  char error[CURL_ERROR_SIZE] = {0};
  Prepare(url, &response, error);
  DownloadSink sink{curl, file.get(), &response.body};
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, WriteDownload);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &sink);
  if (with_credentials) Authenticate();
  // As a PUT: no limit on a large file's whole transfer, but a stalled one is given up.
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME,
                   static_cast<long>(absl::ToInt64Seconds(options_.timeout)));
  absl::StatusOr<HttpResponse> result = Perform(url, &response, error);
  if (result.ok() && std::fflush(file.get()) != 0) {
    return absl::FailedPreconditionError(absl::StrCat(path, ": ", std::strerror(errno)));
  }
  return result;
}

absl::StatusOr<HttpResponse> HttpClient::Get(const std::string& url, bool with_credentials) {
  CURL* curl = static_cast<CURL*>(curl_);
  if (curl == nullptr) return absl::InternalError("libcurl could not make a handle");
  HttpResponse response;
  char error[CURL_ERROR_SIZE] = {0};
  Prepare(url, &response, error);
  if (with_credentials) Authenticate();
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS,
                   static_cast<long>(absl::ToInt64Milliseconds(options_.timeout)));
  return Perform(url, &response, error);
}

}  // namespace wandb::service
