#include "wandb/html.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "client/src/media/media_context.h"
#include "common/util/read_file.h"

namespace wandb {
namespace {

// What wandb 0.12's Html.inject_head puts at the top of the page's <head>.
constexpr char kInjected[] =
    "<base target=\"_blank\"><link rel=\"stylesheet\" type=\"text/css\" "
    "href=\"https://app.wandb.ai/normalize.css\" />";

// wandb's rule: after the first "<head>"; else a head made after the first "<html>"; else at
// the very start. The result is stripped of surrounding whitespace, as wandb's.
std::string InjectHead(const std::string& html) {
  std::string out;
  if (size_t head = html.find("<head>"); head != std::string::npos) {
    size_t at = head + 6;
    out = absl::StrCat(html.substr(0, at), kInjected, html.substr(at));
  } else if (size_t tag = html.find("<html>"); tag != std::string::npos) {
    size_t at = tag + 6;
    out = absl::StrCat(html.substr(0, at), "<head>", kInjected, "</head>", html.substr(at));
  } else {
    out = absl::StrCat(kInjected, html);
  }
  const char* kSpace = " \t\n\v\f\r";
  size_t first = out.find_first_not_of(kSpace);
  if (first == std::string::npos) return "";
  return out.substr(first, out.find_last_not_of(kSpace) - first + 1);
}

}  // namespace

Html::Html(std::string html, bool inject) { Init(std::move(html), inject); }

Html Html::from_file(const std::string& path, bool inject) {
  Html value;
  absl::StatusOr<std::string> text = ReadFileToString(path);
  if (!text.ok()) {
    value.Fail(absl::StrCat("html file ", path, ": ", text.status().message()));
    return value;
  }
  value.Init(*std::move(text), inject);
  return value;
}

void Html::Init(std::string html, bool inject) {
  html_ = inject ? InjectHead(html) : std::move(html);
  set_payload_bytes(html_.size());
}

Value Html::Resolve(internal::MediaContext& context) const {
  std::optional<internal::MediaFile> file = context.Write("html", ".html", html_);
  if (!file.has_value()) return Value();
  return Value::map({{"_type", "html-file"},
                     {"sha256", file->sha256},
                     {"size", file->size},
                     {"path", file->path}});
}

}  // namespace wandb
