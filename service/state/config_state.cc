#include "service/state/config_state.h"

#include <algorithm>
#include <cmath>
#include <regex>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/value/json.h"
#include "common/value/value_path.h"
#include "yaml-cpp/yaml.h"

namespace wandb::service {
namespace {

// Strings that PyYAML (YAML 1.1) would read back as something else must be quoted: its
// implicit resolvers, restated from the YAML 1.1 type definitions PyYAML implements. A string
// matching one of them comes back from yaml.safe_load as a bool, int, float, null or date, and
// "<<" or "=" make the whole file fail to load.
bool ResolvesAsNonString(const std::string& s) {
  static const std::regex kImplicit(
      // bool
      "yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF"
      // null
      "|~|null|Null|NULL"
      // int: binary, octal, decimal, hex, sexagesimal
      "|[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+"
      "|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+"
      // float: decimal, sexagesimal, infinities, NaN
      "|[-+]?(?:[0-9][0-9_]*)\\.[0-9_]*(?:[eE][-+][0-9]+)?|\\.[0-9_]+(?:[eE][-+][0-9]+)?"
      "|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\\.[0-9_]*|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN)"
      // timestamp: date, or date and time
      "|[0-9]{4}-[0-9]{2}-[0-9]{2}"
      "|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \\t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\\.[0-9]*)?"
      "(?:[ \\t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?"
      // merge, value
      "|<<|=",
      std::regex::optimize);
  // std::regex matches recursively, a level per character, so it only sees short strings. A
  // long one can still be a number (or a timestamp with a long fraction) if it is made of only
  // their characters; those are quoted unchecked, as quoting never changes what a string reads
  // back as.
  if (s.size() > 64) return s.find_first_not_of("0123456789abcdefABCDEFxtTZ_+-.: \t") == s.npos;
  return std::regex_match(s, kImplicit);
}

bool NeedsQuotes(const std::string& s) {
  if (s.empty()) return true;
  if (ResolvesAsNonString(s)) return true;
  if (json::Parse(s).ok()) return true;  // such as 1e5, a float to YAML 1.2 readers
  return s.front() == ' ' || s.back() == ' ';
}

void EmitDouble(double d, YAML::Emitter& out) {
  if (std::isnan(d)) {
    out << ".nan";
  } else if (std::isinf(d)) {
    out << (d > 0 ? ".inf" : "-.inf");
  } else {
    std::string text;
    json::AppendDouble(d, &text);
    // YAML 1.1 reads an exponent form as a float only with a '.', so PyYAML writes 1.0e-08.
    if (size_t e = text.find('e'); e != std::string::npos && text.find('.') == std::string::npos) {
      text.insert(e, ".0");
    }
    out << text;
  }
}

void Emit(const Value& v, YAML::Emitter& out) {
  switch (v.type()) {
    case Value::Type::kNull:
      out << YAML::Null;
      break;
    case Value::Type::kBool:
      out << v.as_bool();
      break;
    case Value::Type::kInt:
      out << v.as_int();
      break;
    case Value::Type::kDouble:
      EmitDouble(v.as_double(), out);
      break;
    case Value::Type::kString:
      if (NeedsQuotes(v.as_string())) out << YAML::SingleQuoted;
      out << v.as_string();
      break;
    case Value::Type::kList:
      out << YAML::BeginSeq;
      for (const Value& item : v.as_list()) Emit(item, out);
      out << YAML::EndSeq;
      break;
    case Value::Type::kMap: {
      std::vector<const std::pair<std::string, Value>*> sorted;
      for (const auto& entry : v.as_map()) sorted.push_back(&entry);
      std::sort(sorted.begin(), sorted.end(),
                [](const auto* a, const auto* b) { return a->first < b->first; });
      out << YAML::BeginMap;
      for (const auto* entry : sorted) {
        out << YAML::Key << entry->first << YAML::Value;
        Emit(entry->second, out);
      }
      out << YAML::EndMap;
      break;
    }
    case Value::Type::kMedia:  // never in the daemon: values arrive as JSON
      out << YAML::Null;
      break;
  }
}

}  // namespace

absl::Status ConfigState::Apply(const records::ConfigRecord& record) {
  absl::Status first_error;
  for (const records::ConfigItem& item : record.update()) {
    absl::StatusOr<Value> value = json::Parse(item.value_json());
    if (!value.ok()) {
      if (first_error.ok()) {
        // An item carries either a key or a nested path; name whichever it has.
        std::string key =
            item.nested_key_size() > 0 ? absl::StrJoin(item.nested_key(), ".") : item.key();
        first_error = absl::InvalidArgumentError(
            absl::StrCat("config key '", key, "': ", value.status().message()));
      }
      continue;
    }
    if (item.nested_key_size() > 0) {
      SetAtPath(&values_, item.nested_key().begin(), item.nested_key().end(), *std::move(value));
    } else {
      values_.set(item.key(), *std::move(value));
    }
  }
  for (const records::ConfigItem& item : record.remove()) {
    if (item.nested_key_size() == 0) {
      values_.erase(item.key());
      continue;
    }
    EraseAtPath(&values_, item.nested_key().begin(), item.nested_key().end());
  }
  return first_error;
}

std::string ConfigState::ToYaml(const Value& wandb_meta) const {
  Value document = Value(Value::Map());
  auto wrap = [](const Value& v) { return Value(Value::Map{{"desc", Value()}, {"value", v}}); };
  // The run's own _wandb entries (a chart's panel under _wandb.visualize) join the daemon's,
  // as they do in wandb's config.
  Value meta = wandb_meta;
  const Value* own = values_.find("_wandb");
  if (own != nullptr && own->is_map()) {
    for (const auto& [key, value] : own->as_map()) meta.set(key, value);
  }
  document.set("_wandb", wrap(meta));
  for (const auto& [key, value] : values_.as_map()) {
    if (key != "_wandb") document.set(key, wrap(value));
  }
  return absl::StrCat("wandb_version: 1\n\n", RenderYaml(document));
}

std::string RenderYaml(const Value& document) {
  YAML::Emitter out;
  out.SetNullFormat(YAML::LowerNull);
  Emit(document, out);
  return absl::StrCat(out.c_str(), "\n");
}

}  // namespace wandb::service
