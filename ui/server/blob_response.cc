#include "ui/server/blob_response.h"

#include <httplib.h>

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace wandb::ui {

std::string InlineContentType(absl::string_view path) {
  static const std::pair<absl::string_view, absl::string_view> kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".htm", "text/html; charset=utf-8"},
      {".txt", "text/plain; charset=utf-8"},
      {".log", "text/plain; charset=utf-8"},
      {".json", "application/json"},
      {".yaml", "text/plain; charset=utf-8"},
      {".yml", "text/plain; charset=utf-8"},
      {".csv", "text/plain; charset=utf-8"},
      {".md", "text/plain; charset=utf-8"},
      // Text an artifact often holds, shown as text (XML too: not rendered as a document).
      {".jsonl", "text/plain; charset=utf-8"},
      {".tsv", "text/plain; charset=utf-8"},
      {".py", "text/plain; charset=utf-8"},
      {".cfg", "text/plain; charset=utf-8"},
      {".ini", "text/plain; charset=utf-8"},
      {".toml", "text/plain; charset=utf-8"},
      {".xml", "text/plain; charset=utf-8"},
      {".webp", "image/webp"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},
      {".svg", "image/svg+xml"},
      // What wandb::Audio and wandb::Video write or copy, for the media tab's players (an
      // <audio> plays an .ogg or .webm sent as video/ too).
      {".wav", "audio/wav"},
      {".mp3", "audio/mpeg"},
      {".flac", "audio/flac"},
      {".oga", "audio/ogg"},
      {".opus", "audio/ogg"},
      {".m4a", "audio/mp4"},
      {".aac", "audio/aac"},
      {".mp4", "video/mp4"},
      {".webm", "video/webm"},
      {".ogg", "video/ogg"},
  };
  for (const auto& [suffix, type] : kTypes) {
    if (absl::EndsWithIgnoreCase(path, suffix)) return std::string(type);
  }
  return "application/octet-stream";
}

std::string AttachmentName(absl::string_view path) {
  absl::string_view base = path.substr(path.rfind('/') + 1);
  std::string encoded;
  for (unsigned char c : base) {
    if (absl::ascii_isalnum(c) || c == '.' || c == '-' || c == '_') {
      encoded.push_back(static_cast<char>(c));
    } else {
      absl::StrAppend(&encoded, "%", absl::Hex(c, absl::kZeroPad2));
    }
  }
  return encoded;
}

void SendBlob(httplib::Response& response, OpenBlob blob, absl::string_view path,
              bool show_inline) {
  response.set_header("Content-Security-Policy",
                      "sandbox allow-scripts; default-src 'self' 'unsafe-inline' data: blob:; "
                      "frame-ancestors 'self'");
  response.set_header("Content-Disposition",
                      absl::StrCat(show_inline ? "inline" : "attachment", "; filename*=UTF-8''",
                                   AttachmentName(path)));
  const std::string type =
      show_inline ? InlineContentType(path) : std::string("application/octet-stream");
  // Read as the client takes it, 64 KiB at a time; a read error or a blob cut short aborts.
  auto provide = [blob](size_t offset, size_t length, httplib::DataSink& sink) {
    char buffer[64 * 1024];
    absl::StatusOr<size_t> n =
        blob.ReadAt(static_cast<int64_t>(offset), buffer, std::min(length, sizeof buffer));
    if (!n.ok() || *n == 0) return false;
    return sink.write(buffer, *n);
  };
  response.set_content_provider(static_cast<size_t>(blob.size()), type, std::move(provide));
}

}  // namespace wandb::ui
