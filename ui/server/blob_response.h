// Sends a stored file (an open blob) as an HTTP answer: the one way the UI serves what a run or
// an artifact stored, so that run files and artifact files get the same headers. Whatever the
// file holds is sent under `Content-Security-Policy: sandbox allow-scripts`, so even an HTML
// file opened directly runs in an origin of its own and can neither script the app nor use
// its session.
#ifndef WANDB_UI_SERVER_BLOB_RESPONSE_H_
#define WANDB_UI_SERVER_BLOB_RESPONSE_H_

#include <string>

#include "absl/strings/string_view.h"
#include "ui/server/blob_reader.h"

namespace httplib {
struct Response;
}  // namespace httplib

namespace wandb::ui {

// The Content-Type a file is shown with inline, by its extension in any case (a copied media
// file keeps its own: "clip.MP4"); anything unknown is plain bytes.
std::string InlineContentType(absl::string_view path);

// RFC 5987 filename*: the base name of `path`, percent-encoded.
std::string AttachmentName(absl::string_view path);

// Streams `blob`, named by `path`: with its own type and `Content-Disposition: inline` when
// `show_inline` (for viewing in the page), else as an attachment of plain bytes.
void SendBlob(httplib::Response& response, OpenBlob blob, absl::string_view path, bool show_inline);

}  // namespace wandb::ui

#endif  // WANDB_UI_SERVER_BLOB_RESPONSE_H_
