// wandb::Table: its shape rules, and the file and JSON wandb 0.12.21 writes for it in a run
// (Table.bind_to_run's {"columns", "data"} file, Table.to_json's "table-file" JSON).
#include "wandb/table.h"

#include <catch2/catch.hpp>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "client/src/media/media_resolver.h"
#include "client/src/media/sha256.h"
#include "common/value/json.h"
#include "tests/support/media_reports.h"
#include "tests/support/temp_dir.h"
#include "wandb/histogram.h"
#include "wandb/image.h"
#include "wandb/plot.h"

namespace wandb::internal {
namespace {

using testing::ReadBytes;
using testing::TempDir;
using Reports = testing::MediaReports;

std::string Message(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "(no exception)";
}

}  // namespace

TEST_CASE("a 2x3 table is written as wandb's table file with table-file JSON in the row") {
  TempDir dir;
  Reports reports;
  MediaResolver resolver(dir.path(), &reports.reporter);
  Table table({"a", "b", "c"});
  table.add_data(1, 2.5, "x");                      // cell by cell
  table.add_data(Value::List{nullptr, true, "y"});  // a whole row
  Value::Map row{{"t", table}};
  std::vector<std::string> written = resolver.ResolveRow(row, 3);

  // By hand, and as Python's json.dumps writes {"columns": [...], "data": [...]}: 72 bytes.
  const std::string expected =
      R"({"columns": ["a", "b", "c"], "data": [[1, 2.5, "x"], [null, true, "y"]]})";
  const std::string sha = "a7330da2b41cdf7d71025ec9e400f32e667c588c24775f13608823ab70c4aad8";
  const std::string path = "media/table/t_3_a7330da2b41cdf7d7102.table.json";
  REQUIRE(written == std::vector<std::string>{path});
  CHECK(ReadBytes(dir.File(path)) == expected);
  CHECK(Sha256Hex(expected) == sha);
  CHECK(row[0].second.to_json() == R"({"_type": "table-file", "sha256": ")" + sha +
                                       R"(", "size": 72, "path": ")" + path +
                                       R"(", "ncols": 3, "nrows": 2})");
  CHECK(reports.errors.empty());
  CHECK(reports.warnings.empty());
}

TEST_CASE("a table's columns: add_column, get_column") {
  Table table;
  table.add_column("step", {0, 1, 2});  // the first column makes the rows
  table.add_column("loss", {0.9, 0.5, 0.25});
  CHECK(table.columns() == std::vector<std::string>{"step", "loss"});
  CHECK(table.num_rows() == 3);
  CHECK(table.get_column("loss") == Value::List{0.9, 0.5, 0.25});
  table.add_data(3, 0.125);
  CHECK(table.get_column("step") == Value::List{0, 1, 2, 3});
  CHECK(table.data()[3] == Value::List{3, 0.125});
}

TEST_CASE("a table refuses rows and columns of the wrong shape, naming them") {
  Table table({"a", "b"});
  CHECK(Message([&] { table.add_data(1, 2, 3); }) ==
        "wandb::Table::add_data: the row has 3 values; the table has 2 columns [a, b]");
  CHECK(Message([&] { table.add_data(Value::List{1}); }) ==
        "wandb::Table::add_data: the row has 1 values; the table has 2 columns [a, b]");
  CHECK(Message([&] { table.get_column("z"); }) == "wandb::Table: no column 'z' in [a, b]");
  CHECK(Message([&] { table.add_column("a", {}); }) ==
        "wandb::Table::add_column: column 'a' exists already");
  CHECK(Message([&] { table.add_column("c", {1}); }) ==
        "wandb::Table::add_column: column 'c' has 1 values; the table has 0 rows");
  CHECK(Message([&] { Table({"a", "a"}); }) == "wandb::Table: column 'a' is named twice in [a, a]");
  CHECK(table.num_rows() == 0);  // nothing refused was kept
  CHECK(table.columns().size() == 2);
}

TEST_CASE("an image in a table cell is a media file, with wandb's table-cell JSON") {
  TempDir dir;
  Reports reports;
  MediaResolver resolver(dir.path(), &reports.reporter);
  const std::vector<uint8_t> rgb{255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30};
  Table table({"id", "image", "hist"});
  table.add_data(7, Image(rgb, {2, 2, 3}, {.caption = "c"}),
                 Histogram::from_counts(std::vector<int64_t>{1}, {0, 1}));
  Value::Map row{{"preds", table}};
  std::vector<std::string> written = resolver.ResolveRow(row, 0);

  REQUIRE(written.size() == 2);
  std::string png = ReadBytes(dir.File(written[0]));
  std::string png_sha = Sha256Hex(png);
  std::string png_path = "media/images/preds_0_" + png_sha.substr(0, 20) + ".png";
  CHECK(written[0] == png_path);
  // wandb's cell form (Image.to_json for the table's artifact): path, sha256, _type, then the
  // image's fields; no size.
  std::string expected = R"({"columns": ["id", "image", "hist"], "data": [[7, {"path": ")" +
                         png_path + R"(", "sha256": ")" + png_sha +
                         R"(", "_type": "image-file", "format": "png", "width": 2, "height": 2, )"
                         R"("caption": "c"}, {"_type": "histogram", "values": [1], "bins": [0.0, )"
                         R"(1.0]}]]})";
  CHECK(ReadBytes(dir.File(written[1])) == expected);
  CHECK(written[1].rfind("media/table/preds_0_", 0) == 0);
  CHECK(reports.errors.empty());
}

TEST_CASE("the run's table file keeps wandb's first 10,000 rows, with a warning") {
  TempDir dir;
  Reports reports;
  MediaResolver resolver(dir.path(), &reports.reporter);
  Table table({"i"});
  for (int i = 0; i <= 10000; ++i) table.add_data(Value::List{i});
  Value::Map row{{"big", table}};
  std::vector<std::string> written = resolver.ResolveRow(row, 1);
  REQUIRE(written.size() == 1);
  absl::StatusOr<Value> file = json::Parse(ReadBytes(dir.File(written[0])));
  REQUIRE(file.ok());
  CHECK(file->find("data")->as_list().size() == 10000);
  CHECK(file->find("data")->as_list().back() == Value::List{9999});
  CHECK(row[0].second.find("nrows")->as_int() == 10001);  // wandb counts them all
  CHECK(reports.warnings ==
        std::vector<std::string>{
            "big: the table has 10001 rows; the run's file keeps the first 10000 (wandb's "
            "Table.MAX_ROWS)"});
}

TEST_CASE("a table notes a bad cell, and refuses tables and charts in cells") {
  Table table({"image"});
  table.add_data(Value::List{Image(std::vector<uint8_t>(5), {2, 2, 3})});
  CHECK(table.problem().rfind("table row 0, column 'image': ", 0) == 0);

  Table outer({"inner"});
  outer.add_data(Value::List{Table({"x"})});
  CHECK(outer.problem() == "table row 0, column 'inner': a table cell cannot hold a table");

  Table data({"x", "y"});
  Table holder({"c"});
  holder.add_data(Value::List{plot::scatter(data, "x", "y")});
  CHECK(holder.problem() == "table row 0, column 'c': a table cell cannot hold a chart");
}

}  // namespace wandb::internal
