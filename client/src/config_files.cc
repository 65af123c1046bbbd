#include "client/src/config_files.h"

#include <filesystem>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "yaml-cpp/yaml.h"

namespace wandb::internal {
namespace {

Value FromScalar(const YAML::Node& node) {
  // Quoted scalars carry the "!" tag: they are strings whatever they look like.
  if (node.Tag() == "!") return Value(node.Scalar());
  int64_t i;
  if (YAML::convert<int64_t>::decode(node, i)) return Value(i);
  double d;
  if (YAML::convert<double>::decode(node, d)) return Value(d);
  bool b;
  if (YAML::convert<bool>::decode(node, b)) return Value(b);
  return Value(node.Scalar());
}

Value FromYaml(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Scalar:
      return FromScalar(node);
    case YAML::NodeType::Sequence: {
      Value::List list;
      for (const YAML::Node& item : node) list.push_back(FromYaml(item));
      return Value(std::move(list));
    }
    case YAML::NodeType::Map: {
      Value map = Value(Value::Map());
      for (const auto& entry : node) map.set(entry.first.Scalar(), FromYaml(entry.second));
      return map;
    }
    default:
      return Value();
  }
}

}  // namespace

absl::StatusOr<Value::Map> LoadConfigFile(const std::string& path) {
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::Exception& e) {
    return absl::InvalidArgumentError(absl::StrCat("config file ", path, ": ", e.what()));
  }
  if (root.IsNull()) return Value::Map();
  if (!root.IsMap()) {
    return absl::InvalidArgumentError(absl::StrCat("config file ", path, " is not a YAML map"));
  }
  Value config = Value(Value::Map());
  for (const auto& entry : root) {
    std::string key = entry.first.Scalar();
    if (key == "wandb_version" || key == "_wandb") continue;
    const YAML::Node& value = entry.second;
    // config.yaml's own format wraps each value as {desc: ..., value: ...}.
    bool wrapped = value.IsMap() && value["value"] && value.size() <= 2;
    config.set(key, FromYaml(wrapped ? value["value"] : value));
  }
  return config.as_map();
}

absl::StatusOr<Value::Map> LoadConfigDefaults(const std::string& cwd,
                                              const std::string& config_paths) {
  std::vector<std::string> files;
  std::error_code ec;
  std::string defaults = cwd + "/config-defaults.yaml";
  if (std::filesystem::exists(defaults, ec)) files.push_back(defaults);
  for (absl::string_view p : absl::StrSplit(config_paths, ',', absl::SkipWhitespace())) {
    files.emplace_back(absl::StripAsciiWhitespace(p));
  }
  Value merged = Value(Value::Map());
  for (const std::string& file : files) {
    absl::StatusOr<Value::Map> config = LoadConfigFile(file);
    if (!config.ok()) return config.status();
    for (auto& [key, value] : *config) merged.set(key, std::move(value));
  }
  return merged.as_map();
}

}  // namespace wandb::internal
