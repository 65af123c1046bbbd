// wandb::Html: a piece of HTML logged as a file under the run's files/media/html/, with
// wandb's "html-file" JSON in the row; W&B shows it in a panel of its own.
//
//   run.log({{"report", wandb::Html("<h1>Epoch 3</h1><p>accuracy 0.91</p>")}});
//   run.log({{"page", wandb::Html::from_file("confusion.html")}});
//   run.log({{"pages", wandb::Value::List{wandb::Html(a), wandb::Html(b)}}});
//
// With `inject` (the default, as wandb's), W&B's stylesheet and <base target="_blank"> go
// into the page's <head> (made when it has none), so that it looks like the rest of the page
// and its links open outside it; without, the HTML is kept byte for byte. Building one copies
// the text (or reads the file); hashing and writing happen on the run's background thread.
#ifndef WANDB_HTML_H_
#define WANDB_HTML_H_

#include <string>

#include "wandb/media.h"
#include "wandb/value.h"

#include "wandb/internal/api_begin.h"

namespace wandb {

class WANDB_API Html : public Media {
 public:
  explicit Html(std::string html, bool inject = true);
  // The HTML of the file at `path`, read now; a file that cannot be read is the value's
  // problem().
  static Html from_file(const std::string& path, bool inject = true);

  // The HTML as it will be written (with what `inject` added).
  const std::string& html() const noexcept { return html_; }

  Value Resolve(internal::MediaContext& context) const override;

 private:
  Html() = default;
  void Init(std::string html, bool inject);

  std::string html_;
};

}  // namespace wandb

#include "wandb/internal/api_end.h"

#endif  // WANDB_HTML_H_
