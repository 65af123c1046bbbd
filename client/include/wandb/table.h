// wandb::Table: rows of values under named columns, logged as wandb's table file
// (files/media/table/<key>_<step>_<hash>.table.json) with wandb's "table-file" JSON in the row.
//
//   wandb::Table table({"epoch", "loss", "sample"});
//   table.add_data(1, 0.52, wandb::Image(pixels, {h, w, 3}));   // cell by cell
//   table.add_data(wandb::Value::List{2, 0.31, nullptr});         // a whole row
//   table.add_column("lr", {1e-3, 5e-4});                         // a whole column
//   run.log({{"predictions", table}});
//
// Cells hold any value: numbers, strings, null, lists, maps and media (images, histograms).
// A cell's media are written as the run's media files (files/media/images/...) and the cell
// holds wandb's JSON for them as wandb writes it inside a table (docs/formats.md). The run's
// file keeps the first kMaxRows rows (wandb's Table.MAX_ROWS; a warning says when rows were
// left out); the row's "nrows" counts them all, as wandb's does.
//
// Shape errors throw std::invalid_argument at once, naming the column or the counts: a row
// whose length is not the number of columns, an unknown or repeated column, a column whose
// length is not the number of rows. A cell whose media value has a problem (wandb::Image
// with a bad shape) makes log() throw std::invalid_argument naming the key.
// Building a table copies its cells; writing it happens on the run's background thread.
#ifndef WANDB_TABLE_H_
#define WANDB_TABLE_H_

#include <cstddef>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "wandb/media.h"
#include "wandb/value.h"

#include "wandb/internal/api_begin.h"

namespace wandb {

class WANDB_API Table : public Media {
 public:
  static constexpr size_t kMaxRows = 10000;  // wandb's Table.MAX_ROWS, for the run's file

  // No columns: add them with add_column(). (wandb's Table() without columns has the legacy
  // columns Input, Output, Expected; pass them when they are meant.)
  Table() = default;
  explicit Table(std::vector<std::string> columns, const std::vector<Value::List>& data = {});

  // Adds a row; it must have one value per column.
  void add_data(Value::List row);
  // Adds a row given cell by cell: table.add_data(1, "cat", 0.9).
  template <typename... Cells,
            std::enable_if_t<(sizeof...(Cells) != 1 ||
                              (!std::is_same_v<std::decay_t<Cells>, Value::List> && ...)),
                             int> = 0>
  void add_data(Cells&&... cells) {
    add_data(Value::List{Value(std::forward<Cells>(cells))...});
  }
  // Adds a column with one value per row (any length when the table has no columns yet).
  void add_column(const std::string& name, Value::List values);
  // The values of a column, one per row.
  Value::List get_column(const std::string& name) const;

  const std::vector<std::string>& columns() const noexcept { return columns_; }
  const std::vector<Value::List>& data() const noexcept { return data_; }
  size_t num_rows() const noexcept { return data_.size(); }
  // The index of a column; throws std::invalid_argument naming it when there is none.
  size_t column_index(const std::string& name) const;

  Value Resolve(internal::MediaContext& context) const override;

 private:
  // Notes the problems of a new cell's media and the bytes they hold.
  void TakeCell(const Value& cell, size_t row, const std::string& column);

  std::vector<std::string> columns_;
  std::vector<Value::List> data_;
  size_t cell_bytes_ = 0;
};

}  // namespace wandb

#include "wandb/internal/api_end.h"

#endif  // WANDB_TABLE_H_
