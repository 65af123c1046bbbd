// The front end, bundled at build time (ui/web/build.mjs) and compiled into the binary, so
// `wandb-cpp ui` needs no file beside it and fetches nothing at run time.
#ifndef WANDB_UI_SERVER_EMBEDDED_ASSETS_H_
#define WANDB_UI_SERVER_EMBEDDED_ASSETS_H_

#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace wandb::ui {

struct EmbeddedAsset {
  absl::string_view path;  // "/index.html", "/assets/app.js", ...
  absl::string_view content_type;
  absl::string_view bytes;
};

// Defined in the generated embedded_assets.cc.
absl::Span<const EmbeddedAsset> EmbeddedAssets();

// The asset served at `path`, or null.
const EmbeddedAsset* FindAsset(absl::string_view path);

}  // namespace wandb::ui

#endif  // WANDB_UI_SERVER_EMBEDDED_ASSETS_H_
