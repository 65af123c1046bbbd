// wandb.plot's charts of a table the caller made: line, scatter, bar, histogram. Each names
// columns of the table; wandb passes them on unchecked, here a missing one is refused.
#include <stdexcept>

#include "absl/strings/str_cat.h"
#include "wandb/plot.h"

namespace wandb::plot {
namespace {

// The column name as a field setting, after checking that the table has it.
Value Column(const char* chart, const Table& table, const std::string& name) {
  try {
    table.column_index(name);
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(absl::StrCat("wandb::plot::", chart, ": ", e.what()));
  }
  return Value(name);
}

// An optional argument as wandb passes it: the string, or None (null).
Value Optional(const std::optional<std::string>& value) {
  return value.has_value() ? Value(*value) : Value();
}

}  // namespace

CustomChart line(const Table& table, const std::string& x, const std::string& y,
                 const std::optional<std::string>& stroke,
                 const std::optional<std::string>& title) {
  Value stroke_field = stroke.has_value() ? Column("line", table, *stroke) : Value();
  return plot_table(
      "wandb/line/v0", table,
      {{"x", Column("line", table, x)}, {"y", Column("line", table, y)}, {"stroke", stroke_field}},
      {{"title", Optional(title)}});
}

CustomChart scatter(const Table& table, const std::string& x, const std::string& y,
                    const std::optional<std::string>& title) {
  return plot_table("wandb/scatter/v0", table,
                    {{"x", Column("scatter", table, x)}, {"y", Column("scatter", table, y)}},
                    {{"title", Optional(title)}});
}

CustomChart bar(const Table& table, const std::string& label, const std::string& value,
                const std::optional<std::string>& title) {
  return plot_table(
      "wandb/bar/v0", table,
      {{"label", Column("bar", table, label)}, {"value", Column("bar", table, value)}},
      {{"title", Optional(title)}});
}

CustomChart histogram(const Table& table, const std::string& value,
                      const std::optional<std::string>& title) {
  return plot_table("wandb/histogram/v0", table, {{"value", Column("histogram", table, value)}},
                    {{"title", Optional(title)}});
}

}  // namespace wandb::plot
