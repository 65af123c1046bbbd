// wandb::Media: the base of the values a run stores as files or as wandb's typed JSON
// (wandb::Histogram, wandb::Image, ...). A media value goes anywhere a wandb::Value goes in
// run.log() and in the summary, alone, in lists and nested in maps:
//
//   run.log({{"gradients", wandb::Histogram(grads)},
//            {"examples", wandb::Value::List{wandb::Image(a), wandb::Image(b)}}});
//
// Constructing one copies the caller's data and nothing more. The run's background thread
// encodes it (PNG, ...), hashes it and writes it under the run's files/media/, then puts
// wandb's JSON for it in the row (docs/formats.md).
#ifndef WANDB_MEDIA_H_
#define WANDB_MEDIA_H_

#include <cstddef>
#include <string>
#include <utility>

#include "wandb/value.h"

#include "wandb/internal/api_begin.h"

namespace wandb {

namespace internal {
class MediaContext;  // client/src/media/media_context.h
}  // namespace internal

class WANDB_API Media {
 public:
  virtual ~Media() = default;

  // What is wrong with this value, or "" when nothing is: a media value is checked when it
  // is built, and run.log() and the summary refuse one with a problem by throwing
  // std::invalid_argument naming its key and the problem.
  const std::string& problem() const noexcept { return problem_; }
  // The bytes it holds (pixels, samples): what it costs the run's queue until it is written.
  size_t payload_bytes() const noexcept { return payload_bytes_; }

  // The library's own: writes the value's files through `context` and returns wandb's JSON
  // for it (null when a file could not be written; the context reports why). Called on the
  // run's background thread, never on the thread that logged it.
  virtual Value Resolve(internal::MediaContext& context) const = 0;

 protected:
  Media() = default;
  Media(const Media&) = default;
  Media(Media&&) noexcept = default;
  Media& operator=(const Media&) = default;
  Media& operator=(Media&&) noexcept = default;

  // Records the first problem found while building the value.
  void Fail(std::string problem) {
    if (problem_.empty()) problem_ = std::move(problem);
  }
  void set_payload_bytes(size_t bytes) noexcept { payload_bytes_ = bytes; }

 private:
  std::string problem_;
  size_t payload_bytes_ = 0;
};

}  // namespace wandb

#include "wandb/internal/api_end.h"

#endif  // WANDB_MEDIA_H_
