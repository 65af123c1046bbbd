#include "client/src/media/media_resolver.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client/src/media/wav_codec.h"
#include "wandb/audio.h"
#include "wandb/html.h"
#include "wandb/image.h"
#include "wandb/media.h"
#include "wandb/object3d.h"
#include "wandb/video.h"

namespace wandb::internal {
namespace {

// Whether `items` is a non-empty list of T alone: wandb writes such a list as one batch.
template <typename T>
bool AllOf(const Value::List& items) {
  return !items.empty() && std::all_of(items.begin(), items.end(), [](const Value& v) {
    return v.is_media() && dynamic_cast<const T*>(v.as_media().get()) != nullptr;
  });
}

}  // namespace

std::string EscapeGlob(absl::string_view path) {
  std::string out;
  out.reserve(path.size());
  for (char c : path) {
    if (c == '*' || c == '?' || c == '[') {
      out.push_back('[');
      out.push_back(c);
      out.push_back(']');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

namespace {

// Each file once, in the order first written: a list that holds the same image twice names
// one file.
void AddWritten(const std::vector<std::string>& files, std::vector<std::string>* written) {
  for (const std::string& file : files) {
    if (std::find(written->begin(), written->end(), file) == written->end()) {
      written->push_back(file);
    }
  }
}

}  // namespace

MediaResolver::MediaResolver(std::string files_dir, MediaContext::Reporter* reporter,
                             std::optional<RunIdentity> run)
    : files_dir_(std::move(files_dir)), reporter_(reporter), run_(std::move(run)) {}

std::vector<std::string> MediaResolver::ResolveRow(Value::Map& row, int64_t step) {
  std::vector<std::string> written;
  std::string step_text = absl::StrCat(step);
  for (auto& [key, value] : row) {
    if (value.holds_media()) Resolve(key, step_text, false, value, &written);
  }
  return written;
}

std::vector<std::string> MediaResolver::ResolveSummary(const std::vector<std::string>& path,
                                                       Value& value) {
  std::vector<std::string> written;
  if (value.holds_media()) Resolve(absl::StrJoin(path, "."), "summary", true, value, &written);
  return written;
}

void MediaResolver::Resolve(const std::string& name, const std::string& step, bool summary,
                            Value& value, std::vector<std::string>* written) {
  if (value.is_media()) {
    value = ResolveOne(name, step, *value.as_media(), written);
  } else if (value.is_map()) {
    for (auto& [key, item] : value.as_map()) {
      if (!item.holds_media()) continue;
      Resolve(summary ? absl::StrCat(name, ".", key) : key, step, summary, item, written);
    }
  } else if (value.is_list() && AllOf<Image>(value.as_list())) {
    value = ResolveImageList(name, step, value.as_list(), written);
  } else if (value.is_list() && AllOf<Html>(value.as_list())) {
    value = ResolveHtmlList(name, step, value.as_list(), written);
  } else if (value.is_list() && AllOf<Audio>(value.as_list())) {
    value = ResolveAudioList(name, step, value.as_list(), written);
  } else if (value.is_list() && AllOf<Video>(value.as_list())) {
    value = ResolveVideoList(name, step, value.as_list(), written);
  } else if (value.is_list() && AllOf<Object3D>(value.as_list())) {
    value = ResolveObject3DList(name, step, value.as_list(), written);
  } else if (value.is_list()) {
    for (Value& item : value.as_list()) {
      if (item.holds_media()) Resolve(name, step, summary, item, written);
    }
  }
}

Value MediaResolver::ResolveOne(const std::string& name, const std::string& step,
                                const Media& media, std::vector<std::string>* written) {
  MediaContext context(files_dir_, name, step, reporter_, run_.has_value() ? &*run_ : nullptr);
  Value json = media.Resolve(context);
  AddWritten(context.written(), written);
  for (MediaContext::ConfigEntry& entry : context.config()) config_.push_back(std::move(entry));
  for (records::Record& record : context.records()) records_.push_back(std::move(record));
  return json;
}

std::vector<records::Record> MediaResolver::TakeRecords() { return std::exchange(records_, {}); }

std::vector<MediaContext::ConfigEntry> MediaResolver::TakeConfig() {
  std::vector<MediaContext::ConfigEntry> changed;
  for (MediaContext::ConfigEntry& entry : config_) {
    std::string encoded = entry.value.to_json();
    std::string& sent = config_sent_[absl::StrJoin(entry.nested_key, std::string(1, '\0'))];
    if (sent == encoded) continue;
    sent = std::move(encoded);
    changed.push_back(std::move(entry));
  }
  config_.clear();
  return changed;
}

// wandb's Html.seq_to_json: each page's own JSON, in a batch.
Value MediaResolver::ResolveHtmlList(const std::string& name, const std::string& step,
                                     const Value::List& pages, std::vector<std::string>* written) {
  Value::List each;
  each.reserve(pages.size());
  for (const Value& page : pages) each.push_back(ResolveOne(name, step, *page.as_media(), written));
  return Value::map({{"_type", "html"},
                     {"count", static_cast<int64_t>(pages.size())},
                     {"html", Value(std::move(each))}});
}

namespace {

// An audio's rate and length for wandb's list form: the samples', or what its file says of
// itself (null when libsndfile does not read the file's format).
std::pair<Value, Value> RateAndDuration(const Audio& audio) {
  if (audio.sample_rate().has_value())
    return {Value(*audio.sample_rate()), Value(*audio.duration())};
  absl::StatusOr<SoundInfo> info = ReadSoundInfo(audio.file());
  if (!info.ok() || info->sample_rate <= 0) return {Value(), Value()};
  return {Value(info->sample_rate),
          Value(static_cast<double>(info->frames) / static_cast<double>(info->sample_rate))};
}

}  // namespace

// wandb's Audio.seq_to_json: each clip's JSON with the rates, lengths and (when any clip
// has one) captions beside them.
Value MediaResolver::ResolveAudioList(const std::string& name, const std::string& step,
                                      const Value::List& clips, std::vector<std::string>* written) {
  Value::List each, rates, durations, captions;
  bool any_caption = false;
  for (const Value& item : clips) {
    const auto& audio = static_cast<const Audio&>(*item.as_media());
    each.push_back(ResolveOne(name, step, audio, written));
    auto [rate, duration] = RateAndDuration(audio);
    rates.push_back(std::move(rate));
    durations.push_back(std::move(duration));
    any_caption = any_caption || audio.caption().has_value();
    captions.push_back(audio.caption().value_or(""));
  }
  Value meta = Value::map({{"_type", "audio"},
                           {"count", static_cast<int64_t>(clips.size())},
                           {"audio", Value(std::move(each))},
                           {"sampleRates", Value(std::move(rates))},
                           {"durations", Value(std::move(durations))}});
  if (any_caption) meta.set("captions", Value(std::move(captions)));
  return meta;
}

// wandb's Video.seq_to_json: each video's JSON, and the captions when the first has one
// (false otherwise, as wandb writes it).
Value MediaResolver::ResolveVideoList(const std::string& name, const std::string& step,
                                      const Value::List& videos,
                                      std::vector<std::string>* written) {
  Value::List each, captions;
  for (const Value& item : videos) {
    const auto& video = static_cast<const Video&>(*item.as_media());
    each.push_back(ResolveOne(name, step, video, written));
    captions.push_back(video.caption().has_value() ? Value(*video.caption()) : Value());
  }
  bool first_has_caption = static_cast<const Video&>(*videos[0].as_media()).caption().has_value();
  return Value::map({{"_type", "videos"},
                     {"count", static_cast<int64_t>(videos.size())},
                     {"videos", Value(std::move(each))},
                     {"captions", first_has_caption ? Value(std::move(captions)) : Value(false)}});
}

// wandb's Object3D.seq_to_json: each object's JSON, and their files' names within
// media/object3D/.
Value MediaResolver::ResolveObject3DList(const std::string& name, const std::string& step,
                                         const Value::List& objects,
                                         std::vector<std::string>* written) {
  constexpr absl::string_view kFolder = "media/object3D/";
  Value::List each, filenames;
  for (const Value& item : objects) {
    Value json = ResolveOne(name, step, *item.as_media(), written);
    const Value* path = json.find("path");
    filenames.push_back(path != nullptr && path->is_string()
                            ? Value(path->as_string().substr(kFolder.size()))
                            : Value());
    each.push_back(std::move(json));
  }
  return Value::map({{"_type", "object3D"},
                     {"filenames", Value(std::move(filenames))},
                     {"count", static_cast<int64_t>(objects.size())},
                     {"objects", Value(std::move(each))}});
}

// wandb's Image.seq_to_json, as it writes it for a server that takes file names.
Value MediaResolver::ResolveImageList(const std::string& name, const std::string& step,
                                      const Value::List& images,
                                      std::vector<std::string>* written) {
  size_t count = std::min(images.size(), Image::kMaxListItems);
  MediaContext context(files_dir_, name, step, reporter_);
  if (count < images.size()) {
    context.WarnOnce("image-list-cut", absl::StrCat("only the first ", Image::kMaxListItems, " of ",
                                                    images.size(), " images are logged"));
  }
  const auto& first = static_cast<const Image&>(*images[0].as_media());
  Value::List filenames;
  Value::List captions;
  Value::List all_boxes;
  Value::List all_masks;
  bool any_boxes = false, any_masks = false;
  for (size_t i = 0; i < count; ++i) {
    const auto& image = static_cast<const Image&>(*images[i].as_media());
    if (image.width() != first.width() || image.height() != first.height()) {
      context.WarnOnce("image-list-sizes",
                       "the images' sizes differ; wandb shows such a list incorrectly");
    }
    Value json = ResolveOne(name, step, image, written);
    const Value* path = json.find("path");
    filenames.push_back(path != nullptr ? *path : Value());
    captions.push_back(image.caption().has_value() ? Value(*image.caption()) : Value());
    const Value* boxes = json.find("boxes");
    const Value* masks = json.find("masks");
    any_boxes = any_boxes || boxes != nullptr;
    any_masks = any_masks || masks != nullptr;
    all_boxes.push_back(boxes != nullptr ? *boxes : Value());
    all_masks.push_back(masks != nullptr ? *masks : Value());
  }
  Value meta = Value::map({{"_type", "images/separated"},
                           {"width", static_cast<int64_t>(first.width())},
                           {"height", static_cast<int64_t>(first.height())},
                           {"format", first.format()},
                           {"count", static_cast<int64_t>(count)},
                           {"filenames", std::move(filenames)}});
  // wandb lists captions when the first image has one.
  if (first.caption().has_value()) meta.set("captions", std::move(captions));
  // wandb's all_masks and all_boxes: each image's groups (null for one without), when any has.
  if (any_masks) meta.set("all_masks", std::move(all_masks));
  if (any_boxes) meta.set("all_boxes", std::move(all_boxes));
  return meta;
}

}  // namespace wandb::internal
