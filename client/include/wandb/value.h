// wandb::Value: the JSON-like data a run logs (history rows, config, summary).
//
// The public API's value type is also the vocabulary both processes share: common/ and the
// daemon link the header-only target that holds the public headers (see docs/design.md).
// C++17: no concepts here; constructors are chosen with enable_if.
#ifndef WANDB_VALUE_H_
#define WANDB_VALUE_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>
#if __cplusplus >= 202002L
#include <span>
#endif

#include "wandb/internal/api_begin.h"

namespace wandb {

class Media;  // wandb/media.h: Histogram, Image, ...
class Value;

// How a type of the program's own becomes a wandb::Value: specialize this template with a
// static `convert`, and run.log(), config and summary take the type as they take a number:
//
//   template <>
//   struct wandb::ValueConverter<Tensor> {
//     static wandb::Value convert(const Tensor& t) {
//       return wandb::Value::list(t.data(), t.numel());   // or a map, a string, ...
//     }
//   };
//   run.log({{"weights", tensor}});
//
// The second parameter lets one specialization cover a family of types with enable_if.
template <typename T, typename Enable = void>
struct ValueConverter {};

namespace internal {
template <typename T, typename = void>
struct HasValueConverter : std::false_type {};
template <typename T>
struct HasValueConverter<
    T, std::void_t<decltype(ValueConverter<T>::convert(std::declval<const T&>()))>>
    : std::true_type {};
template <typename T>
constexpr bool kIsNumber =
    std::is_arithmetic_v<T> && !std::is_same_v<T, bool> && !std::is_same_v<T, char>;
}  // namespace internal

class WANDB_API Value {
 public:
  using List = std::vector<Value>;
  // Insertion-ordered, like a Python dict: rows and config keep the order the user wrote.
  using Map = std::vector<std::pair<std::string, Value>>;

  enum class Type { kNull, kBool, kInt, kDouble, kString, kList, kMap, kMedia };

  Value() noexcept = default;
  Value(std::nullptr_t) noexcept {}
  Value(bool b) noexcept : data_(b) {}
  template <typename T,
            std::enable_if_t<std::is_integral_v<T> && !std::is_same_v<T, bool>, int> = 0>
  Value(T v) noexcept {
    if constexpr (std::is_unsigned_v<T> && sizeof(T) >= sizeof(int64_t)) {
      // Beyond int64 a value can only be kept approximately, as Python's json would read it.
      if (v > static_cast<T>(INT64_MAX)) {
        data_ = static_cast<double>(v);
        return;
      }
    }
    data_ = static_cast<int64_t>(v);
  }
  template <typename T, std::enable_if_t<std::is_floating_point_v<T>, int> = 0>
  Value(T v) noexcept : data_(static_cast<double>(v)) {}
  Value(const char* s) : data_(std::string(s)) {}
  Value(std::string s) noexcept : data_(std::move(s)) {}
  Value(std::string_view s) : data_(std::string(s)) {}
  Value(List list) noexcept : data_(std::move(list)) {}
  Value(Map map) noexcept : data_(std::move(map)) {}
  // A media value (wandb::Histogram, wandb::Image, ...): moved into a shared, immutable
  // object, so copies of the Value (and of rows holding it) share its bytes. The run writes
  // its files and replaces it with wandb's JSON for it when it is logged.
  template <typename T, std::enable_if_t<std::is_base_of_v<Media, T>, int> = 0>
  Value(T media)
      : data_(std::shared_ptr<const Media>(std::make_shared<const T>(std::move(media)))) {}
  Value(std::shared_ptr<const Media> media) noexcept : data_(std::move(media)) {}

  // Brace initialisation: {{"lr", 1e-3}, {"layers", {64, 32}}} is a map, because every
  // element is a two-element list whose first element is a string; anything else is a list.
  // Use Value::list() when a list of [string, value] pairs is really meant.
  Value(std::initializer_list<Value> items);

  // Containers: a list of each element (std::vector<float>, std::vector<int>, std::array,
  // std::span in C++20), a map of std::map<std::string, T>.
  template <typename T>
  Value(const std::vector<T>& items) : data_(List(items.begin(), items.end())) {}
  template <typename T, std::size_t N>
  Value(const std::array<T, N>& items) : data_(List(items.begin(), items.end())) {}
#if __cplusplus >= 202002L
  template <typename T, std::size_t N>
  Value(std::span<T, N> items) : data_(List(items.begin(), items.end())) {}
#endif
  template <typename T>
  Value(const std::map<std::string, T>& items) : data_(Map(items.begin(), items.end())) {}
  // A type of the program's own, through its ValueConverter specialization.
  template <typename T, std::enable_if_t<internal::HasValueConverter<T>::value, int> = 0>
  Value(const T& v) : Value(ValueConverter<T>::convert(v)) {}

  static Value list(std::initializer_list<Value> items) { return Value(List(items)); }
  // `size` numbers from `data`: a tensor's or a buffer's contents, in C++17 too.
  template <typename T, std::enable_if_t<internal::kIsNumber<T>, int> = 0>
  static Value list(const T* data, std::size_t size) {
    return Value(List(data, data + size));
  }
  static Value map(Map items) { return Value(std::move(items)); }

  Type type() const noexcept { return static_cast<Type>(data_.index()); }
  bool is_null() const noexcept { return type() == Type::kNull; }
  bool is_bool() const noexcept { return type() == Type::kBool; }
  bool is_int() const noexcept { return type() == Type::kInt; }
  bool is_double() const noexcept { return type() == Type::kDouble; }
  bool is_number() const noexcept { return is_int() || is_double(); }
  bool is_string() const noexcept { return type() == Type::kString; }
  bool is_list() const noexcept { return type() == Type::kList; }
  bool is_map() const noexcept { return type() == Type::kMap; }
  bool is_media() const noexcept { return type() == Type::kMedia; }

  // Accessors throw std::bad_variant_access when the value holds another type.
  bool as_bool() const { return std::get<bool>(data_); }
  int64_t as_int() const { return std::get<int64_t>(data_); }
  double as_double() const;  // ints convert
  const std::string& as_string() const { return std::get<std::string>(data_); }
  const List& as_list() const { return std::get<List>(data_); }
  List& as_list() { return std::get<List>(data_); }
  const Map& as_map() const { return std::get<Map>(data_); }
  Map& as_map() { return std::get<Map>(data_); }
  const std::shared_ptr<const Media>& as_media() const {
    return std::get<std::shared_ptr<const Media>>(data_);
  }
  // True when this value or anything nested in it is a media value.
  bool holds_media() const;

  // Map lookup; nullptr when this is not a map or has no such key.
  const Value* find(std::string_view key) const;
  Value* find(std::string_view key);
  // Map insert-or-assign, keeping the position of an existing key. Turns null into a map.
  void set(std::string_view key, Value value);
  // Removes `key` from a map; false when it was not there.
  bool erase(std::string_view key);

  // Compact JSON in wandb's dialect (see common/value/json.h). A media value, whose JSON
  // exists only once a run has written its files, is written as null.
  std::string to_json() const;

  friend bool operator==(const Value& a, const Value& b);

 private:
  std::variant<std::nullptr_t, bool, int64_t, double, std::string, List, Map,
               std::shared_ptr<const Media>>
      data_;
};

// Declared again at namespace scope: a friend declaration cannot carry the export attribute.
WANDB_API bool operator==(const Value& a, const Value& b);

}  // namespace wandb

#include "wandb/internal/api_end.h"

#endif  // WANDB_VALUE_H_
