// `wandb-cpp ui`'s JSON API over real HTTP: a real `wandb-cpp ui` process over a store that
// the real daemon made from real training processes (ui_client, programs/).
#include <fcntl.h>
#include <httplib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "nlohmann/json.hpp"
#include "tests/support/cli_runner.h"
#include "tests/support/test_env.h"
#include "tests/support/ui_process.h"

namespace wandb::testing {
namespace {

using nlohmann::json;

// Runs a ui_client to its end; REQUIREs a clean exit.
void RunClient(const TestEnv& env, const std::vector<std::string>& args) {
  pid_t pid = env.Spawn("ui_client", args);
  int status = WaitExit(pid);
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) == 0);
}

// Runs one stage of lineage_client (programs/) to its end; REQUIREs a clean exit.
void RunStage(const TestEnv& env, const std::vector<std::string>& args) {
  pid_t pid = env.Spawn("lineage_client", args);
  int status = WaitExit(pid);
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) == 0);
}

// The names of `versions` (a JSON list), as "name:vN".
std::vector<std::string> Names(const json& versions) {
  std::vector<std::string> names;
  for (const json& v : versions) {
    names.push_back(v["name"].get<std::string>() + ":" + v["version"].get<std::string>());
  }
  return names;
}

json GetJson(httplib::Client& http, const std::string& path, int expected_status = 200) {
  httplib::Result result = http.Get(path.c_str());
  REQUIRE(result);
  INFO(path << " -> " << result->status << " " << result->body);
  REQUIRE(result->status == expected_status);
  return json::parse(result->body);
}

std::string EntityOf(httplib::Client& http, const std::string& project) {
  json projects = GetJson(http, "/api/projects");
  for (const json& p : projects["projects"]) {
    if (p["name"] == project) return p["entity"];
  }
  FAIL("no project " << project << " in " << projects.dump());
  return "";
}

// The file that the value of `key` at `step` names, fetched as a panel shows it: its
// Content-Type must be `type` and its bytes begin with `magic`. Returns the value.
json CheckMediaFile(httplib::Client& http, const std::string& run, const std::string& key, int step,
                    const std::string& type, const std::string& magic) {
  json value = GetJson(http, run + "/media?key=" + key + "&step=" + std::to_string(step))["value"];
  const std::string path = value["path"];
  INFO(key << " at step " << step << ": " << path);
  httplib::Result file = http.Get((run + "/file?inline=1&path=" + path).c_str());
  REQUIRE(file);
  REQUIRE(file->status == 200);
  CHECK(file->get_header_value("Content-Type") == type);
  CHECK(file->body.rfind(magic, 0) == 0);
  return value;
}

// The JSON file at `path` (a media value's), which must begin with `prefix`.
json CheckJsonFile(httplib::Client& http, const std::string& run, const std::string& path,
                   const std::string& prefix) {
  INFO(path);
  CHECK(path.rfind(prefix, 0) == 0);
  httplib::Result file = http.Get((run + "/file?inline=1&path=" + path).c_str());
  REQUIRE(file);
  REQUIRE(file->status == 200);
  CHECK(file->get_header_value("Content-Type") == "application/json");
  return json::parse(file->body);
}

double MaxOf(const json& values) {
  double max = -1e300;
  for (const json& v : values) max = std::max(max, v.get<double>());
  return max;
}

}  // namespace

TEST_CASE("ui api: projects, the runs table (filter, sort, columns) and a run's overview") {
  TestEnv env;
  for (int seed = 0; seed < 3; ++seed) {
    RunClient(env, {"--mode", "demo", "--id", "demo-" + std::to_string(seed), "--seed",
                    std::to_string(seed), "--steps", "50"});
  }
  UiProcess ui(env.store_dir());
  httplib::Client http("127.0.0.1", ui.port());
  const std::string entity = EntityOf(http, "demo");
  const std::string runs = "/api/projects/" + entity + "/demo/runs";

  json all = GetJson(http, runs + "?columns=config.lr,summary.best_val_acc&sort=-config.lr");
  REQUIRE(all["total"] == 3);
  CHECK(all["runs"][0]["id"] == "demo-2");  // lr 0.003
  CHECK(all["runs"][2]["id"] == "demo-0");  // lr 0.001
  CHECK(all["runs"][0]["values"]["config.lr"].get<double>() == Approx(0.003));
  CHECK(all["runs"][0]["values"]["summary.best_val_acc"].is_number());
  CHECK(all["runs"][0]["state"] == "finished");
  CHECK(all["runs"][0]["group"] == "sweep-a");
  const json& columns = all["columns"];
  CHECK(std::find(columns.begin(), columns.end(), "config.model.layers") != columns.end());
  CHECK(std::find(columns.begin(), columns.end(), "summary.train/loss") != columns.end());

  CHECK(GetJson(http, runs + "?range=config.lr:0.0015:")["total"] == 2);
  CHECK(GetJson(http, runs + "?range=config.lr::0.0015")["total"] == 1);
  CHECK(GetJson(http, runs + "?tag=odd")["runs"][0]["id"] == "demo-1");
  CHECK(GetJson(http, runs + "?q=DEMO-2")["total"] == 1);
  CHECK(GetJson(http, runs + "?state=running")["total"] == 0);
  CHECK(GetJson(http, runs + "?state=finished,crashed&limit=2&offset=2")["runs"].size() == 1);
  CHECK(GetJson(http, runs + "?range=oops", 400).contains("error"));
  CHECK(GetJson(http, "/api/projects/" + entity + "/nope/runs", 404).contains("error"));

  json run = GetJson(http, "/api/runs/" + entity + "/demo/demo-1");
  CHECK(run["name"] == "demo-1");
  CHECK(run["config"]["optimizer"] == "adam");
  CHECK(run["config"]["model"]["dropout"].get<double>() == Approx(0.1));
  CHECK_FALSE(run["config"].contains("_wandb"));
  CHECK(run["summary"]["best_val_acc"].is_number());
  CHECK(run["exit_code"] == 0);
  CHECK(run["tags"] == json({"demo", "odd"}));
  CHECK(run["metadata"].contains("host"));
  CHECK(GetJson(http, "/api/runs/" + entity + "/demo/nope", 404)["error"].get<std::string>().find(
            "no run") != std::string::npos);

  // Runs without artifacts: nothing to list, no error.
  CHECK(GetJson(http, "/api/artifacts")["collections"].empty());
  json artifacts = GetJson(http, "/api/runs/" + entity + "/demo/demo-1/artifacts");
  CHECK(artifacts["used"].empty());
  CHECK(artifacts["logged"].empty());

  json keys = GetJson(http, "/api/runs/" + entity + "/demo/demo-1/keys");
  CHECK(keys["rows"] == 50);
  CHECK(keys["keys"]["train/loss"] == 50);
  CHECK(keys["keys"]["val/acc"] == 5);
}

TEST_CASE("ui api: a series is every point when it fits, and a spike survives the reduction") {
  TestEnv env;
  RunClient(env,
            {"--mode", "spike", "--id", "spiky", "--steps", "100000", "--spike-step", "61733"});
  UiProcess ui(env.store_dir());
  httplib::Client http("127.0.0.1", ui.port());
  const std::string series = "/api/runs/" + EntityOf(http, "fidelity") + "/fidelity/spiky/series";

  json reduced = GetJson(http, series + "?key=loss&buckets=500");
  CHECK(reduced["exact"] == false);
  CHECK(reduced["points_in_range"] == 100000);
  CHECK(reduced["total_points"] == 100000);
  CHECK(reduced["buckets"]["x"].size() == 500);
  CHECK(reduced["line"]["x"].size() <= 1500);
  CHECK(MaxOf(reduced["line"]["y"]) == 1000);  // the one spike among 100,000 steps
  CHECK(MaxOf(reduced["buckets"]["max"]) == 1000);

  // Zoomed in, the buckets hold fewer points than pixels: the points themselves come back,
  // with one more on each side so the line reaches the edges.
  json zoomed = GetJson(http, series + "?key=loss&buckets=500&min=61700&max=61800");
  CHECK(zoomed["exact"] == true);
  CHECK(zoomed["points_in_range"] == 101);
  CHECK(zoomed["line"]["x"].size() == 103);
  CHECK(zoomed["line"]["x"][0] == 61699);
  CHECK(MaxOf(zoomed["line"]["y"]) == 1000);

  json smoothed = GetJson(http, series + "?key=loss&buckets=500&smoothing=0.9");
  CHECK(smoothed["smoothed"]["y"].size() > 0);
  CHECK(MaxOf(smoothed["smoothed"]["y"]) < 1000);  // the average damps the spike

  CHECK(GetJson(http, series + "?key=loss&x=_runtime&buckets=100")["total_points"] == 100000);
  CHECK(GetJson(http, series + "?key=nope", 404).contains("error"));
  CHECK(GetJson(http, series + "?key=loss&x=nope", 404).contains("error"));
  CHECK(GetJson(http, series + "?key=loss&buckets=0", 400).contains("error"));
  CHECK(GetJson(http, series + "?key=loss&smoothing=1", 400).contains("error"));
}

TEST_CASE("ui api: history as CSV and JSON, the console, files and their downloads") {
  TestEnv env;
  RunClient(env, {"--mode", "demo", "--id", "files-run", "--steps", "30"});
  UiProcess ui(env.store_dir());
  httplib::Client http("127.0.0.1", ui.port());
  const std::string run = "/api/runs/" + EntityOf(http, "demo") + "/demo/files-run";

  httplib::Result csv = http.Get((run + "/history.csv?keys=train/loss,val/acc").c_str());
  REQUIRE(csv);
  REQUIRE(csv->status == 200);
  CHECK(csv->get_header_value("Content-Type").find("text/csv") == 0);
  CHECK(csv->body.rfind("_step,train/loss,val/acc\n0,", 0) == 0);
  CHECK(std::count(csv->body.begin(), csv->body.end(), '\n') == 31);
  CHECK(csv->body.find("\n9,") != std::string::npos);

  json history = GetJson(http, run + "/history?from_step=10&limit=5");
  REQUIRE(history["rows"].size() == 5);
  CHECK(history["rows"][0]["_step"] == 10);
  CHECK(history["next_from_step"] == 15);

  json console = GetJson(http, run + "/console");
  REQUIRE(console["lines"].size() >= 4);
  CHECK(console["lines"][0]["text"] == "\x1b[1;32mstarting\x1b[0m training with lr=0.001");
  json warning = GetJson(http, run + "/console?q=TEST%20RUN");
  REQUIRE(warning["lines"].size() == 1);
  CHECK(warning["lines"][0]["stream"] == "stderr");
  const int64_t first_id = console["lines"][0]["id"];
  CHECK(GetJson(http, run + "/console?after=" + std::to_string(first_id))["lines"].size() ==
        console["lines"].size() - 1);

  json files = GetJson(http, run + "/files");
  std::map<std::string, json> by_path;
  for (const json& f : files["files"]) by_path[f["path"]] = f;
  REQUIRE(by_path.count("notes-files-run.txt") == 1);
  REQUIRE(by_path.count("report-files-run.html") == 1);
  CHECK(by_path.count("wandb-metadata.json") == 1);

  httplib::Result notes = http.Get((run + "/file?path=notes-files-run.txt").c_str());
  REQUIRE(notes);
  REQUIRE(notes->status == 200);
  CHECK(notes->body == "notes of run files-run\n");
  CHECK(notes->get_header_value("Content-Disposition").find("attachment") == 0);
  CHECK(notes->get_header_value("Content-Type") == "application/octet-stream");
  CHECK(notes->get_header_value("Content-Security-Policy").find("sandbox") == 0);
  httplib::Result html = http.Get((run + "/file?path=report-files-run.html&inline=1").c_str());
  REQUIRE(html);
  CHECK(html->get_header_value("Content-Type").find("text/html") == 0);
  CHECK(html->get_header_value("Content-Security-Policy").find("sandbox allow-scripts;") == 0);

  // A path only names a row of the store: nothing outside it can be reached.
  for (const char* bad : {"../../store.db", "/etc/passwd", "..%2F..%2Fstore.db", "notes.txt%00"}) {
    INFO(bad);
    CHECK(GetJson(http, run + "/file?path=" + bad, 404).contains("error"));
  }
  CHECK(GetJson(http, run + "/file?path=notes-files-run.txt&version=7", 404).contains("error"));
  CHECK(GetJson(http, run + "/file", 400).contains("error"));
}

TEST_CASE(
    "ui api: media keys with their steps and values and files and the classes of image "
    "overlays and custom charts") {
  TestEnv env;
  RunClient(env, {"--mode", "media", "--id", "media-run", "--steps", "20"});
  UiProcess ui(env.store_dir());
  httplib::Client http("127.0.0.1", ui.port());
  const std::string run = "/api/runs/" + EntityOf(http, "media") + "/media/media-run";

  json keys = GetJson(http, run + "/keys");
  CHECK(keys["media"]["samples"] == "image-file");
  CHECK(keys["media"]["weights"] == "histogram");
  CHECK(keys["media"]["predictions"] == "table-file");
  CHECK(keys["media"]["wave_table"] == "table-file");
  CHECK(keys["media"]["examples"] == "images/separated");
  CHECK(keys["media"]["report"] == "html-file");
  json examples = GetJson(http, run + "/media?key=examples&step=3");
  CHECK(examples["value"]["count"] == 3);
  CHECK(examples["value"]["filenames"].size() == 3);

  json samples = GetJson(http, run + "/media?key=samples");
  CHECK(samples["type"] == "image-file");
  CHECK(samples["steps"] == json({0, 1, 2, 3, 4}));
  CHECK_FALSE(samples.contains("values"));
  // The value at one step, and the image file it names, from the store.
  json at3 = GetJson(http, run + "/media?key=samples&step=3");
  CHECK(at3["step"] == 3);
  CHECK(at3["value"]["width"] == 20);
  CHECK(at3["value"]["caption"] == "step 3");
  const std::string image_path = at3["value"]["path"];
  CHECK(image_path.rfind("media/images/samples_3_", 0) == 0);
  httplib::Result png = http.Get((run + "/file?inline=1&path=" + image_path).c_str());
  REQUIRE(png);
  REQUIRE(png->status == 200);
  CHECK(png->get_header_value("Content-Type") == "image/png");
  CHECK(png->body.rfind("\x89PNG", 0) == 0);
  CHECK(GetJson(http, run + "/media?key=samples&step=7", 404)["error"].get<std::string>().find(
            "step 7") != std::string::npos);

  // Sounds and videos: their types, steps, and files served as their players need them.
  CHECK(keys["media"]["sound"] == "audio-file");
  CHECK(keys["media"]["sounds"] == "audio");
  CHECK(keys["media"]["rollout"] == "video-file");
  CHECK(keys["media"]["replays"] == "videos");
  CHECK(GetJson(http, run + "/media?key=sound")["steps"] == json({1, 3, 5}));
  json sound = CheckMediaFile(http, run, "sound", 5, "audio/wav", "RIFF");
  CHECK(sound["path"].get<std::string>().rfind("media/audio/sound_5_", 0) == 0);
  CHECK(sound["caption"] == "step 5");
  json rollout = CheckMediaFile(http, run, "rollout", 5, "image/gif", "GIF89a");
  CHECK(rollout["path"].get<std::string>().rfind("media/videos/rollout_5_", 0) == 0);
  CHECK(rollout["width"] == 112);
  json sounds = GetJson(http, run + "/media?key=sounds&step=3")["value"];
  CHECK(sounds["count"] == 2);
  CHECK(sounds["captions"] == json({"low", "high"}));
  json replays = GetJson(http, run + "/media?key=replays&step=3")["value"];
  CHECK(replays["videos"].size() == 2);
  CHECK(replays["captions"] == json({"first", "second"}));

  // An image's boxes and mask: their files, and their classes' names in the run's JSON.
  CHECK(keys["media"]["detections"] == "image-file");
  CHECK(GetJson(http, run + "/media?key=detections")["steps"] == json({0, 2, 4}));
  json detection = GetJson(http, run + "/media?key=detections&step=4")["value"];
  const json& predictions_file = detection["boxes"]["predictions"];
  CHECK(predictions_file["_type"] == "boxes2D");
  json boxes = CheckJsonFile(http, run, predictions_file["path"], "media/metadata/boxes2D/");
  REQUIRE(boxes["box_data"].size() == 2);
  CHECK(boxes["box_data"][0]["position"]["minX"].get<double>() == Approx(0.18));
  CHECK(boxes["box_data"][0]["box_caption"] == "cat 0.93");
  CHECK(boxes["box_data"][1]["class_id"] == 2);
  CHECK(boxes["class_labels"] == json({{"1", "cat"}, {"2", "dog"}}));
  const json& truth = detection["masks"]["truth"];
  CHECK(truth["_type"] == "mask");
  CHECK(truth["path"].get<std::string>().rfind("media/images/mask/detections_4_", 0) == 0);
  httplib::Result mask =
      http.Get((run + "/file?inline=1&path=" + truth["path"].get<std::string>()).c_str());
  REQUIRE(mask);
  CHECK(mask->get_header_value("Content-Type") == "image/png");
  CHECK(mask->body.rfind("\x89PNG", 0) == 0);
  json labels = GetJson(http, run)["class_labels"];
  CHECK(labels["boxes"]["detections_wandb_delimeter_predictions"]["value"] ==
        json({{"1", "cat"}, {"2", "dog"}}));
  CHECK(labels["masks"]["detections_wandb_delimeter_truth"]["value"] ==
        json({{"0", "background"}, {"1", "cat"}, {"2", "dog"}}));
  // A list's boxes and masks: each image's, null for the one without.
  json list = GetJson(http, run + "/media?key=detection_list&step=3")["value"];
  REQUIRE(list["all_boxes"].size() == 2);
  CHECK(list["all_boxes"][0]["predictions"]["_type"] == "boxes2D");
  CHECK(list["all_boxes"][1].is_null());
  CHECK(list["all_masks"][1].is_null());

  // 3-D objects: a point cloud's .pts.json, a list of them, a scene and a model file.
  CHECK(keys["media"]["cloud"] == "object3D-file");
  CHECK(keys["media"]["clouds"] == "object3D");
  CHECK(keys["media"]["scene"] == "object3D-file");
  CHECK(keys["media"]["mesh"] == "object3D-file");
  json cloud = GetJson(http, run + "/media?key=cloud&step=2")["value"];
  json points = CheckJsonFile(http, run, cloud["path"], "media/object3D/cloud_2_");
  REQUIRE(points.size() == 600 + 21 * 21);
  // The helix's first point: x is the step's radius, as a float; then its colour, red.
  CHECK(points[0][0].get<double>() == Approx(1.2));
  CHECK(json(points[0].begin() + 3, points[0].end()) == json({255, 60, 0}));
  CHECK(GetJson(http, run + "/media?key=clouds&step=3")["value"]["objects"].size() == 2);
  json scene = GetJson(http, run + "/media?key=scene&step=4")["value"];
  json contents_3d = CheckJsonFile(http, run, scene["path"], "media/object3D/scene_4_");
  CHECK(contents_3d["type"] == "lidar/beta");
  CHECK(contents_3d["boxes"][0]["label"] == "car");
  CHECK(contents_3d["vectors"].size() == 1);
  json mesh = GetJson(http, run + "/media?key=mesh&step=2")["value"];
  CHECK(mesh["path"].get<std::string>().find(".obj") != std::string::npos);
  CHECK(http.Get((run + "/file?path=" + mesh["path"].get<std::string>()).c_str())
            ->body.rfind("v 0 0 0", 0) == 0);

  // A histogram over steps: every step, or a sample spread over them with the values.
  CHECK(GetJson(http, run + "/media?key=weights")["steps"].size() == 20);
  json sampled = GetJson(http, run + "/media?key=weights&sample=5");
  CHECK(sampled["steps"] == json({0, 5, 10, 14, 19}));
  REQUIRE(sampled["values"].size() == 5);
  CHECK(sampled["values"][0]["_type"] == "histogram");
  CHECK(sampled["values"][0]["values"].size() == 16);
  CHECK(sampled["values"][0]["bins"].size() == 17);
  CHECK(sampled["values"][4]["bins"][0].get<double>() > sampled["values"][0]["bins"][0]);

  // A table's file holds its columns and rows, image cells naming their own files.
  json predictions = GetJson(http, run + "/media?key=predictions&step=5")["value"];
  CHECK(predictions["nrows"] == 12);
  httplib::Result table =
      http.Get((run + "/file?inline=1&path=" + predictions["path"].get<std::string>()).c_str());
  REQUIRE(table);
  REQUIRE(table->status == 200);
  json contents = json::parse(table->body);
  CHECK(contents["columns"] == json({"id", "label", "score", "image"}));
  REQUIRE(contents["data"].size() == 12);
  const std::string cell_path = contents["data"][1][3]["path"];
  CHECK(http.Get((run + "/file?path=" + cell_path).c_str())->status == 200);

  // The line chart: its panel from the config, its table in the summary.
  json overview = GetJson(http, run);
  const json& wave = overview["charts"]["wave"];
  CHECK(wave["panel_config"]["panelDefId"] == "wandb/line/v0");
  CHECK(wave["panel_config"]["fieldSettings"]["x"] == "step");
  CHECK(wave["panel_config"]["fieldSettings"]["y"] == "height");
  CHECK(wave["panel_config"]["stringSettings"]["title"] == "A wave");
  CHECK(overview["summary"]["wave_table"]["_type"] == "table-file");
  CHECK_FALSE(overview["config"].contains("_wandb"));

  CHECK(GetJson(http, run + "/media?key=loss", 404).contains("error"));
  CHECK(GetJson(http, run + "/media", 400).contains("error"));
  CHECK(GetJson(http, run + "/media?key=weights&sample=0", 400).contains("error"));
  CHECK(GetJson(http, run + "/media?key=weights&step=-1", 400).contains("error"));
}

TEST_CASE("ui api: the store is opened read-only, and no store is made where there is none") {
  TestEnv env;
  RunClient(env, {"--mode", "demo", "--id", "ro", "--steps", "5"});
  {
    UiProcess ui(env.store_dir());
    httplib::Client http("127.0.0.1", ui.port());
    GetJson(http, "/api/runs/" + EntityOf(http, "demo") + "/demo/ro");
    // Every descriptor the server holds on store.db was opened read-only.
    int store_fds = 0;
    for (const auto& fd :
         std::filesystem::directory_iterator("/proc/" + std::to_string(ui.pid()) + "/fd")) {
      std::error_code ec;
      std::filesystem::path target = std::filesystem::read_symlink(fd.path(), ec);
      if (ec || target.filename() != "store.db") continue;
      ++store_fds;
      std::string info = ReadFile("/proc/" + std::to_string(ui.pid()) + "/fdinfo/" +
                                  fd.path().filename().string());
      unsigned flags = std::stoul(info.substr(info.find("flags:") + 6), nullptr, 8);
      CHECK((flags & O_ACCMODE) == O_RDONLY);
    }
    CHECK(store_fds > 0);
  }
  const std::string nowhere = env.root_dir() + "/no-store-here";
  CommandResult result = RunCli({"ui", "--store", nowhere, "--port", "0"});
  CHECK(result.exit_code == 1);
  CHECK(result.err.find("there is no local store in " + nowhere) != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(nowhere));
}

TEST_CASE("ui api: a token, when asked for, is checked on every request") {
  TestEnv env;
  RunClient(env, {"--mode", "demo", "--id", "tok", "--steps", "5"});
  UiProcess ui(env.store_dir(), {"--token", "sesame"});
  CHECK(ui.url().find("?token=sesame") != std::string::npos);
  httplib::Client http("127.0.0.1", ui.port());
  for (const char* path : {"/", "/api/projects", "/assets/app.js", "/api/projects?token=wrong"}) {
    INFO(path);
    httplib::Result r = http.Get(path);
    REQUIRE(r);
    CHECK(r->status == 401);
  }
  httplib::Result page = http.Get("/?token=sesame");
  REQUIRE(page);
  CHECK(page->status == 200);
  CHECK(page->get_header_value("Set-Cookie").find("wandb_cpp_ui_token=sesame;") == 0);
  CHECK(page->get_header_value("Set-Cookie").find("HttpOnly") != std::string::npos);
  httplib::Result by_header = http.Get("/api/projects", {{"Authorization", "token sesame"}});
  REQUIRE(by_header);
  CHECK(by_header->status == 200);
  httplib::Result by_cookie = http.Get("/api/projects", {{"Cookie", "wandb_cpp_ui_token=sesame"}});
  REQUIRE(by_cookie);
  CHECK(by_cookie->status == 200);
  httplib::Result wrong_cookie = http.Get("/api/projects", {{"Cookie", "wandb_cpp_ui_token=x"}});
  REQUIRE(wrong_cookie);
  CHECK(wrong_cookie->status == 401);
}

TEST_CASE("ui api: a foreign Host is refused, and a POST needs the CSRF secret and our Origin") {
  TestEnv env;
  RunClient(env, {"--mode", "demo", "--id", "done", "--steps", "5"});
  UiProcess ui(env.store_dir());
  httplib::Client http("127.0.0.1", ui.port());
  const std::string port = std::to_string(ui.port());

  // DNS rebinding: a page of evil.example whose name now points at 127.0.0.1.
  httplib::Result rebound = http.Get("/api/projects", {{"Host", "evil.example:" + port}});
  REQUIRE(rebound);
  CHECK(rebound->status == 403);
  httplib::Result local = http.Get("/api/projects", {{"Host", "localhost:" + port}});
  REQUIRE(local);
  CHECK(local->status == 200);

  const std::string stop = "/api/runs/" + EntityOf(http, "demo") + "/demo/done/stop";
  const std::string csrf = GetJson(http, "/api/session")["csrf"];
  CHECK(csrf.size() == 64);
  httplib::Result no_csrf = http.Post(stop.c_str());
  REQUIRE(no_csrf);
  CHECK(no_csrf->status == 403);
  httplib::Result foreign = http.Post(
      stop.c_str(), {{"X-CSRF-Token", csrf}, {"Origin", "http://evil.example"}}, "", "text/plain");
  REQUIRE(foreign);
  CHECK(foreign->status == 403);
  httplib::Result finished =
      http.Post(stop.c_str(), {{"X-CSRF-Token", csrf}, {"Origin", "http://127.0.0.1:" + port}}, "",
                "text/plain");
  REQUIRE(finished);
  CHECK(finished->status == 409);  // a finished run cannot be stopped
}

TEST_CASE("ui api: live updates stream while a run logs, and Stop ends it as stopped") {
  TestEnv env;
  const std::string ready = env.root_dir() + "/ready";
  pid_t client = env.Spawn("ui_client", {"--mode", "live", "--id", "alive", "--ready-file", ready});
  struct stat st;
  REQUIRE(Eventually([&] { return stat(ready.c_str(), &st) == 0; }));
  UiProcess ui(env.store_dir());
  httplib::Client http("127.0.0.1", ui.port());
  const std::string run = "/api/runs/" + EntityOf(http, "live") + "/live/alive";
  REQUIRE(Eventually([&] { return GetJson(http, run)["last_step"].is_number(); }));

  // Two pulses with rising steps arrive on the event stream without asking again.
  std::string events;
  std::vector<int64_t> steps;
  httplib::Client stream("127.0.0.1", ui.port());
  stream.Get((run + "/events").c_str(), [&](const char* data, size_t length) {
    events.append(data, length);
    size_t at;
    while ((at = events.find("\n\n")) != std::string::npos) {
      std::string event = events.substr(0, at);
      events.erase(0, at + 2);
      if (event.rfind("event: pulse\ndata: ", 0) != 0) continue;
      json pulse = json::parse(event.substr(event.find("data: ") + 6));
      if (pulse["last_step"].is_number()) steps.push_back(pulse["last_step"]);
    }
    return steps.size() < 2;  // then stop reading
  });
  REQUIRE(steps.size() == 2);
  CHECK(steps[1] > steps[0]);

  const std::string csrf = GetJson(http, "/api/session")["csrf"];
  httplib::Result stopped =
      http.Post((run + "/stop").c_str(), {{"X-CSRF-Token", csrf}}, "", "text/plain");
  REQUIRE(stopped);
  INFO(stopped->body);
  REQUIRE(stopped->status == 200);
  CHECK(json::parse(stopped->body)["already_requested"] == false);
  int status = WaitExit(client, std::chrono::seconds(30));
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  REQUIRE(Eventually([&] { return GetJson(http, run)["state"] == "stopped"; }));
}

TEST_CASE("ui api: artifacts by project and a version's files and lineage two runs deep") {
  TestEnv env;
  RunStage(env, {"--stage", "dataset", "--id", "data-1", "--rows", "40"});
  RunStage(env, {"--stage", "dataset", "--id", "data-2", "--rows", "100"});
  RunStage(env, {"--stage", "train", "--id", "train-1"});
  RunStage(env, {"--stage", "evaluate", "--id", "eval-1"});
  UiProcess ui(env.store_dir());
  httplib::Client http("127.0.0.1", ui.port());
  const std::string entity = EntityOf(http, "pipeline");
  const std::string digits = "/api/artifacts/" + entity + "/pipeline/digits";

  json all = GetJson(http, "/api/artifacts?project=pipeline")["collections"];
  REQUIRE(all.size() == 3);
  CHECK(all[0]["name"] == "cnn");
  CHECK(all[0]["type"] == "model");
  CHECK(all[1]["name"] == "digits");
  CHECK(all[1]["versions"] == 2);
  CHECK(all[1]["latest"] == "v1");
  CHECK(all[1]["size"] == 100 * 7 + 25 * 7 + 63);  // train.csv, test.csv, classes.json
  CHECK(all[2]["name"] == "predictions");
  CHECK(GetJson(http, "/api/artifacts")["collections"].size() == 3);
  CHECK(GetJson(http, "/api/artifacts?project=nope")["collections"].empty());

  json collection = GetJson(http, digits);
  REQUIRE(collection["versions"].size() == 2);
  const json& older = collection["versions"][0];
  CHECK(older["version"] == "v0");
  CHECK(older["aliases"].empty());
  CHECK(older["created_by"] == "data-1");
  CHECK(older["metadata"]["rows"] == 40);
  CHECK(collection["versions"][1]["aliases"] == json({"latest"}));
  CHECK(GetJson(http, "/api/artifacts/" + entity + "/pipeline/nope", 404).contains("error"));

  // By alias, as by vN: the files (a reference without a size), metadata and lineage.
  json latest = GetJson(http, digits + "/latest");
  CHECK(latest["version"] == "v1");
  CHECK(latest["description"] == "Handwritten digits: 100 training rows");
  CHECK(latest["metadata"]["source"] == "synthetic");
  CHECK(latest["file_count"] == 4);
  const json& files = latest["files"];
  REQUIRE(files.size() == 4);
  CHECK(files[0]["path"] == "labels/classes.json");
  CHECK(files[0]["size"] == 63);
  CHECK(files[1]["path"] == "raw.tar");
  CHECK(files[1]["ref"] == "s3://example-bucket/digits/raw.tar");
  CHECK(files[3]["path"] == "train.csv");
  CHECK(files[3]["size"] == 700);
  CHECK(files[3]["ref"].is_null());
  const json& lineage = latest["lineage"];
  REQUIRE(lineage["logged_by"].size() == 1);
  CHECK(lineage["logged_by"][0]["id"] == "data-2");
  CHECK(lineage["logged_by"][0]["state"] == "finished");
  REQUIRE(lineage["used_by"].size() == 1);
  CHECK(lineage["used_by"][0]["id"] == "train-1");
  CHECK(lineage["used_by"][0]["used"].is_number());
  CHECK(Names(lineage["used_by"][0]["logged"]) == std::vector<std::string>{"cnn:v0"});
  CHECK(GetJson(http, digits + "/v0")["lineage"]["used_by"].empty());
  CHECK(GetJson(http, digits + "/v7", 404)["error"].get<std::string>().find("v7") !=
        std::string::npos);

  json model = GetJson(http, "/api/artifacts/" + entity + "/pipeline/cnn/best");
  CHECK(model["aliases"] == json({"best", "latest"}));
  CHECK(model["metadata"]["accuracy"].get<double>() == Approx(0.93));
  CHECK(Names(model["lineage"]["logged_by"][0]["used"]) == std::vector<std::string>{"digits:v1"});
  CHECK(Names(model["lineage"]["used_by"][0]["logged"]) ==
        std::vector<std::string>{"predictions:v0"});

  const std::string runs = "/api/runs/" + entity + "/pipeline/";
  json trained = GetJson(http, runs + "train-1/artifacts");
  CHECK(Names(trained["used"]) == std::vector<std::string>{"digits:v1"});
  CHECK(Names(trained["logged"]) == std::vector<std::string>{"cnn:v0"});
  CHECK(trained["logged"][0]["file_count"] == 2);
  json first = GetJson(http, runs + "data-1/artifacts");
  CHECK(first["used"].empty());
  CHECK(Names(first["logged"]) == std::vector<std::string>{"digits:v0"});
  CHECK(GetJson(http, runs + "nope/artifacts", 404).contains("error"));
}

TEST_CASE("ui api: an artifact version's files download from the store and nothing else does") {
  TestEnv env;
  RunStage(env, {"--stage", "dataset", "--id", "data-1", "--rows", "40"});
  RunStage(env, {"--stage", "dataset", "--id", "data-2", "--rows", "100"});
  UiProcess ui(env.store_dir());
  httplib::Client http("127.0.0.1", ui.port());
  const std::string digits = "/api/artifacts/" + EntityOf(http, "pipeline") + "/pipeline/digits";
  auto get = [&](const std::string& path) {
    httplib::Result r = http.Get(path.c_str());
    REQUIRE(r);
    return *r;
  };

  // A download: the bytes of that version's file, as an attachment in the sandbox.
  httplib::Response train = get(digits + "/latest/file?path=train.csv");
  REQUIRE(train.status == 200);
  CHECK(train.body.size() == 700);
  CHECK(train.body.rfind("x0,0,y\nx1,7,y\n", 0) == 0);
  CHECK(train.get_header_value("Content-Type") == "application/octet-stream");
  CHECK(train.get_header_value("Content-Disposition") == "attachment; filename*=UTF-8''train.csv");
  CHECK(train.get_header_value("Content-Security-Policy").find("sandbox allow-scripts;") == 0);
  // Another version by vN, and a file in a folder shown inline with its type.
  CHECK(get(digits + "/v0/file?path=train.csv").body.size() == 280);
  httplib::Response classes = get(digits + "/v1/file?path=labels%2Fclasses.json&inline=1");
  REQUIRE(classes.status == 200);
  CHECK(classes.get_header_value("Content-Type") == "application/json");
  CHECK(classes.get_header_value("Content-Disposition").find("inline") == 0);
  CHECK(json::parse(classes.body)["classes"].size() == 10);

  // A reference's bytes are elsewhere; a path names only an entry of the manifest.
  CHECK(GetJson(http, digits + "/v1/file?path=raw.tar", 404)["error"].get<std::string>().find(
            "s3://example-bucket/digits/raw.tar") != std::string::npos);
  for (const char* bad : {"nope.csv", "../../store.db", "/etc/passwd", "..%2F..%2Fstore.db",
                          "train.csv%00", "labels/../train.csv"}) {
    INFO(bad);
    CHECK(GetJson(http, digits + "/v1/file?path=" + bad, 404).contains("error"));
  }
  CHECK(GetJson(http, digits + "/v1/file", 400).contains("error"));
  CHECK(GetJson(http, digits + "/v9/file?path=train.csv", 404).contains("error"));

  // A symlink planted in the store in place of a blob is refused, not followed.
  const std::string secret = env.root_dir() + "/secret.txt";
  std::ofstream(secret) << "not the store's";
  int replaced = 0;
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator(env.store_dir() + "/blobs/md5")) {
    if (!entry.is_regular_file() || entry.file_size() != train.body.size()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    if (std::string(std::istreambuf_iterator<char>(in), {}) != train.body) continue;
    std::filesystem::remove(entry.path());
    std::filesystem::create_symlink(secret, entry.path());
    ++replaced;
  }
  REQUIRE(replaced == 1);
  httplib::Response refused = get(digits + "/v1/file?path=train.csv");
  CHECK(refused.status == 403);
  CHECK(refused.body.find("not the store's") == std::string::npos);
}

}  // namespace wandb::testing
