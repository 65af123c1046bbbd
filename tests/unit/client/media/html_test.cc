// wandb::Html: the page as wandb 0.12.21's Html writes it (inject_head), and its JSON.
#include "wandb/html.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "client/src/media/media_resolver.h"
#include "client/src/media/sha256.h"
#include "tests/support/media_reports.h"
#include "tests/support/temp_dir.h"

namespace wandb::internal {
namespace {

using testing::ReadBytes;
using testing::TempDir;
using testing::WriteBytes;
using Reports = testing::MediaReports;

const std::string kInjected =
    "<base target=\"_blank\"><link rel=\"stylesheet\" type=\"text/css\" "
    "href=\"https://app.wandb.ai/normalize.css\" />";

}  // namespace

TEST_CASE("Html injects W&B's stylesheet where wandb does, or keeps the page as it is") {
  CHECK(Html("<html><head><title>t</title></head><body>x</body></html>").html() ==
        "<html><head>" + kInjected + "<title>t</title></head><body>x</body></html>");
  CHECK(Html("<html><body>x</body></html>").html() ==
        "<html><head>" + kInjected + "</head><body>x</body></html>");
  CHECK(Html("  <p>x</p>\n").html() == kInjected + "  <p>x</p>");  // stripped, as wandb's
  CHECK(Html("  <p>x</p>\n", /*inject=*/false).html() == "  <p>x</p>\n");
  CHECK(Html("<p>x</p>").problem().empty());
}

TEST_CASE("Html from a file reads it now, and a missing file is its problem") {
  TempDir dir;
  WriteBytes(dir.File("page.html"), "<h1>report</h1>");
  CHECK(Html::from_file(dir.File("page.html"), false).html() == "<h1>report</h1>");
  Html missing = Html::from_file(dir.File("none.html"));
  CHECK_THAT(missing.problem(), Catch::Contains("html file") && Catch::Contains("none.html"));
}

TEST_CASE("an Html becomes an html-file JSON and a file under media/html, a list an html batch") {
  TempDir dir;
  Reports reports;
  MediaResolver resolver(dir.path(), &reports.reporter);
  Value::Map row{{"page", Html("<p>one</p>", false)},
                 {"pages", Value::List{Html("<p>a</p>", false), Html("<p>b</p>", false)}}};
  std::vector<std::string> written = resolver.ResolveRow(row, 4);

  REQUIRE(written.size() == 3);
  const std::string sha = Sha256Hex("<p>one</p>");
  const std::string path = "media/html/page_4_" + sha.substr(0, 20) + ".html";
  CHECK(written[0] == path);
  CHECK(ReadBytes(dir.File(path)) == "<p>one</p>");
  CHECK(row[0].second.to_json() == "{\"_type\": \"html-file\", \"sha256\": \"" + sha +
                                       "\", \"size\": 10, \"path\": \"" + path + "\"}");
  const Value& batch = row[1].second;
  REQUIRE(batch.is_map());
  CHECK(*batch.find("_type") == Value("html"));
  CHECK(*batch.find("count") == Value(2));
  const Value* pages = batch.find("html");
  REQUIRE((pages != nullptr && pages->is_list() && pages->as_list().size() == 2));
  CHECK(*pages->as_list()[1].find("path") ==
        Value("media/html/pages_4_" + Sha256Hex("<p>b</p>").substr(0, 20) + ".html"));
  CHECK(reports.errors.empty());
}

}  // namespace wandb::internal
