// Turns the media values of a row or a summary value into wandb's JSON, writing their files
// under the run's files/media/ (one per run, on the run's background thread).
//
// Names follow wandb's history_dict_to_json and summary encoding: a row's value is named by
// its own key (the innermost one when nested in maps) and the step; a summary value by its
// dotted path and "summary". A list whose items are all Images becomes wandb's
// "images/separated" object (at most Image::kMaxListItems of them), a list of Audio, Video,
// Object3D or Html wandb's "audio", "videos", "object3D" or "html" batch; any other list has its
// items resolved one by one.
#ifndef WANDB_CLIENT_SRC_MEDIA_MEDIA_RESOLVER_H_
#define WANDB_CLIENT_SRC_MEDIA_MEDIA_RESOLVER_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "client/src/media/media_context.h"
#include "wandb/value.h"

namespace wandb::internal {

class MediaResolver {
 public:
  // `files_dir`: the run's files/ directory. `reporter` outlives the resolver. With `run`,
  // each table is also logged as its run_table artifact (run_table_artifact.h), as wandb does.
  MediaResolver(std::string files_dir, MediaContext::Reporter* reporter,
                std::optional<RunIdentity> run = std::nullopt);

  // Every media value in `row` replaced by its JSON; returns the files written (relative to
  // files/). A value whose file could not be written becomes null, reported.
  std::vector<std::string> ResolveRow(Value::Map& row, int64_t step);
  // The same for a summary value set at `path`.
  std::vector<std::string> ResolveSummary(const std::vector<std::string>& path, Value& value);

  // The config entries the values resolved since the last call need and the run has not had
  // yet (each entry again only when its value changed, as wandb's _add_singleton).
  std::vector<MediaContext::ConfigEntry> TakeConfig();
  // The records the values resolved since the last call need sent before their row.
  std::vector<records::Record> TakeRecords();

 private:
  // `name` is the key the files are named by; `summary` makes nested maps extend it.
  void Resolve(const std::string& name, const std::string& step, bool summary, Value& value,
               std::vector<std::string>* written);
  Value ResolveOne(const std::string& name, const std::string& step, const Media& media,
                   std::vector<std::string>* written);
  Value ResolveHtmlList(const std::string& name, const std::string& step, const Value::List& pages,
                        std::vector<std::string>* written);
  Value ResolveAudioList(const std::string& name, const std::string& step, const Value::List& clips,
                         std::vector<std::string>* written);
  Value ResolveVideoList(const std::string& name, const std::string& step,
                         const Value::List& videos, std::vector<std::string>* written);
  Value ResolveObject3DList(const std::string& name, const std::string& step,
                            const Value::List& objects, std::vector<std::string>* written);
  Value ResolveImageList(const std::string& name, const std::string& step,
                         const Value::List& images, std::vector<std::string>* written);

  const std::string files_dir_;
  MediaContext::Reporter* reporter_;
  const std::optional<RunIdentity> run_;
  std::vector<MediaContext::ConfigEntry> config_;  // to be taken
  std::vector<records::Record> records_;           // to be taken
  // Each config entry as last taken, by its nested key joined with '\0'.
  std::map<std::string, std::string> config_sent_;
};

// `path` as a save() glob that matches only itself: '*', '?' and '[' in a key become
// "[*]", "[?]" and "[[]".
std::string EscapeGlob(absl::string_view path);

}  // namespace wandb::internal

#endif  // WANDB_CLIENT_SRC_MEDIA_MEDIA_RESOLVER_H_
