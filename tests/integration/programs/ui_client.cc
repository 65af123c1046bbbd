// Training processes for the UI's tests (API and browser), each run made by the real client
// and daemon.
//
//   ui_client --mode demo  --id ID [--project P] [--steps N] [--seed S]
//       a small training run: train/loss, train/acc, val/loss, val/acc and lr logged, a
//       config, tags and a group, console lines with ANSI colours, and two saved files (in
//       $WANDB_DIR): notes-ID.txt and report-ID.html, whose script tries to reach the page
//       that shows it and reports what it managed, for the sandbox test.
//   ui_client --mode spike --id ID --steps N --spike-step K
//       N steps of a smooth "loss" with one value of 1000 at step K, for full fidelity.
//   ui_client --mode live --id ID [--ready-file PATH]
//       logs "loss" every 20 ms, and an image "frame" every 25th step, until a stop request
//       reaches it, then finishes (stopped).
//   ui_client --mode many --id ID [--steps N] [--keys K] [--interval-ms M]
//       a live run for the live refresh's benchmark: N steps (default 100), one every M ms
//       (default 200), each "loss" and K images "img_00", "img_01", ... (default 50; 16 x 16).
//   ui_client --mode media --id ID [--steps N] [--image-steps K]
//       media for the media panels, over N steps (default 20, at least 8): an image
//       "samples" at steps 0..K-1 (default 5), (8 + 4 * step) pixels wide and 8 high,
//       captioned "step S"; a list of three images "examples" (those of steps 0, 1, 2) at
//       step 3; a histogram "weights" at every step whose values move up with the step; a table
//       "predictions" at step 5 (columns id, label, score, image: 12 rows, an image cell in
//       each); a line chart "wave" (wandb::plot::line over 30 points of step and height) at
//       step 6; one chart of each other built-in kind at step 7 ("scatter", "bar", "hist",
//       "series", "confusion", "pr", "roc", and "old_pr" by wandb::plots::precision_recall),
//       and "mine", a plot_table of a spec id that is not built in; an HTML page "report"
//       at steps 2 and 4 (its <h1> says "Report of step S"); a sound "sound" at steps 1, 3
//       and 5 (a second of a (220 * (step + 1)) Hz sine at 8 kHz, captioned "step S") and a
//       list of two, "sounds", at step 3 (captioned "low" and "high"); a video "rollout" at
//       steps 1, 3 and 5 (a GIF of 8 frames, (32 + 16 * step) pixels wide and 24 high,
//       captioned "step S") and a list of two, "replays", at step 3 (those of steps 0 and 1,
//       captioned "first" and "second"); an image "detections" at steps 0, 2 and 4 (240 x 180,
//       an orange cat and a blue dog, with boxes "predictions" around them, classes 1 cat and
//       2 dog, the cat's captioned "cat 0.93", and a mask "truth" of their pixels, 0
//       background, 1 cat, 2 dog) and a list of two, "detection_list", at step 3 (the first
//       with boxes and mask, the second without); a point cloud "cloud" at steps 0, 2 and 4 (a
//       helix coloured red to blue over a grey grid, x y z r g b) and a list of two, "clouds",
//       at step 3; a model file "mesh" (tetra-ID.obj in $WANDB_DIR) and a list "models" of the
//       same tetrahedron as an ASCII STL and an orange glTF (its buffer embedded) at step 2; a
//       lidar scene "scene" (points, a box "car", an arrow) at step 4; a table "detected" at
//       step 5 (columns id, image, score: the detection image of step 4 with its boxes and
//       mask, and step 2's without); "loss" at every step; and in the summary only, an image
//       "best" (step 2's), a table "final.table" and a histogram "final.weights" (10 bins from
//       0 to 10 holding 10, 30, ..., 190 values).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <thread>

#include <wandb/wandb.h>

namespace {

// The page the sandbox test shows in the files tab. Each attempt reports to the parent
// through postMessage (which a sandboxed frame may do) what happened.
constexpr char kReportHtml[] = R"(<!doctype html>
<html><body><h1>Report</h1><p id="out">running</p>
<script>
const result = {};
try { result.parentTitle = parent.document.title; parent.document.body.dataset.pwned = '1'; }
catch (e) { result.parent = 'blocked'; }
try { result.cookie = document.cookie; } catch (e) { result.cookie = 'blocked'; }
try { result.storage = localStorage.length; } catch (e) { result.storage = 'blocked'; }
fetch('/api/projects', { credentials: 'include' })
  .then((r) => r.text()).then((t) => { result.fetch = 'read ' + t.length; })
  .catch(() => { result.fetch = 'blocked'; })
  .finally(() => {
    document.getElementById('out').textContent = JSON.stringify(result);
    parent.postMessage({ sandboxProbe: result }, '*');
  });
</script></body></html>
)";

// A W x H RGB image whose colour says its step.
wandb::Image StepImage(long step) {
  const size_t width = 8 + 4 * static_cast<size_t>(step), height = 8;
  std::vector<uint8_t> rgb(width * height * 3);
  for (size_t i = 0; i < width * height; ++i) {
    rgb[i * 3] = static_cast<uint8_t>(40 * step);
    rgb[i * 3 + 1] = static_cast<uint8_t>(i % 256);
    rgb[i * 3 + 2] = 200;
  }
  return wandb::Image(rgb, {height, width, 3}, {.caption = "step " + std::to_string(step)});
}

// A second of a sine of `hertz` at 8 kHz, at half full scale.
wandb::Audio Tone(double hertz, const std::string& caption) {
  constexpr int64_t kRate = 8000;
  std::vector<float> samples(kRate);
  for (size_t i = 0; i < samples.size(); ++i) {
    samples[i] = 0.5F * static_cast<float>(std::sin(2 * M_PI * hertz * i / kRate));
  }
  return wandb::Audio(samples, kRate, {.caption = caption});
}

// A GIF of 8 frames, (32 + 16 * step) x 24, of a bright bar moving right over a colour that
// says the step; frames {time, channels, height, width}.
wandb::Video StepVideo(long step, const std::string& caption) {
  const size_t frames = 8, width = 32 + 16 * static_cast<size_t>(step), height = 24;
  std::vector<uint8_t> pixels(frames * 3 * height * width);
  for (size_t t = 0; t < frames; ++t) {
    for (size_t y = 0; y < height; ++y) {
      for (size_t x = 0; x < width; ++x) {
        const bool bar = x * frames / width == t;
        const uint8_t rgb[3] = {static_cast<uint8_t>(bar ? 255 : 40 * step),
                                static_cast<uint8_t>(bar ? 255 : 120), 200};
        for (size_t c = 0; c < 3; ++c) pixels[((t * 3 + c) * height + y) * width + x] = rgb[c];
      }
    }
  }
  return wandb::Video(pixels, {frames, 3, height, width}, {.caption = caption});
}

// Where an object of a detection picture lies: fractions of the picture's width and height.
struct Region {
  double min_x, min_y, max_x, max_y;
  bool Holds(size_t x, size_t y, size_t width, size_t height) const {
    const double fx = (x + 0.5) / width, fy = (y + 0.5) / height;
    return fx >= min_x && fx < max_x && fy >= min_y && fy < max_y;
  }
};

// The "cat" (left, moving right with the step) and the "dog" (right) of a detection picture.
Region CatAt(long step) { return {0.10 + 0.02 * step, 0.20, 0.45 + 0.02 * step, 0.85}; }
constexpr Region kDog = {0.60, 0.15, 0.90, 0.55};
constexpr size_t kDetectionWidth = 240, kDetectionHeight = 180;

// A 240 x 180 picture of an orange "cat" and a blue "dog" on a grey-green ground, captioned
// "step S"; with `overlays`, boxes "predictions" around them (classes 1 cat, 2 dog; the cat's
// captioned "cat 0.93" with a confidence score, the dog's named by its class) and a mask
// "truth" of their pixels (0 background, 1 cat, 2 dog).
wandb::Image DetectionImage(long step, bool overlays) {
  const Region cat = CatAt(step);
  std::vector<uint8_t> rgb(kDetectionWidth * kDetectionHeight * 3), mask(rgb.size() / 3);
  for (size_t y = 0; y < kDetectionHeight; ++y) {
    for (size_t x = 0; x < kDetectionWidth; ++x) {
      const size_t i = y * kDetectionWidth + x;
      const uint8_t ground = static_cast<uint8_t>(120 + y / 4);
      const bool in_cat = cat.Holds(x, y, kDetectionWidth, kDetectionHeight);
      const bool in_dog = kDog.Holds(x, y, kDetectionWidth, kDetectionHeight);
      mask[i] = in_cat ? 1 : in_dog ? 2 : 0;
      const uint8_t colour[3][3] = {
          {ground, static_cast<uint8_t>(ground + 20), ground}, {230, 140, 60}, {70, 110, 200}};
      for (size_t c = 0; c < 3; ++c) rgb[i * 3 + c] = colour[mask[i]][c];
    }
  }
  wandb::ImageOptions options{.caption = "step " + std::to_string(step)};
  if (overlays) {
    wandb::BoxGroup predictions{.boxes = {{.min_x = cat.min_x,
                                           .min_y = cat.min_y,
                                           .max_x = cat.max_x,
                                           .max_y = cat.max_y,
                                           .class_id = 1,
                                           .caption = "cat 0.93",
                                           .scores = {{"confidence", 0.93}}},
                                          {.min_x = kDog.min_x,
                                           .min_y = kDog.min_y,
                                           .max_x = kDog.max_x,
                                           .max_y = kDog.max_y,
                                           .class_id = 2}},
                                .class_labels = {{1, "cat"}, {2, "dog"}}};
    options.boxes = {{"predictions", predictions}};
    options.masks = {
        {"truth", wandb::ImageMask{.class_ids = mask,
                                   .class_labels = {{0, "background"}, {1, "cat"}, {2, "dog"}}}}};
  }
  return wandb::Image(rgb, {kDetectionHeight, kDetectionWidth, 3}, options);
}

// A coloured point cloud, n x 6 (x, y, z, r, g, b): a helix from red at the bottom to blue at
// the top, (1 + 0.1 * step) wide, over a grey ground grid.
wandb::Object3D StepCloud(long step) {
  std::vector<float> points;
  constexpr int kHelix = 600;
  for (int i = 0; i < kHelix; ++i) {
    const double t = 4 * M_PI * i / kHelix, up = static_cast<double>(i) / kHelix;
    const double radius = 1 + 0.1 * step;
    points.insert(points.end(),
                  {static_cast<float>(radius * std::cos(t)),
                   static_cast<float>(radius * std::sin(t)), static_cast<float>(2 * up),
                   static_cast<float>(255 * (1 - up)), 60, static_cast<float>(255 * up)});
  }
  for (int gx = -10; gx <= 10; ++gx) {
    for (int gy = -10; gy <= 10; ++gy) {
      points.insert(points.end(), {gx * 0.15F, gy * 0.15F, 0, 150, 150, 150});
    }
  }
  return wandb::Object3D(points, {points.size() / 6, 6});
}

// wandb's lidar/beta scene: a block of points with a green box "car" around it and an arrow
// along x.
wandb::Object3D Scene() {
  std::vector<double> points;
  for (int i = 0; i < 300; ++i) {
    points.insert(points.end(), {std::sin(i * 1.3), 0.5 * std::cos(i * 0.7), 0.4 * (i % 7) / 6.0});
  }
  wandb::Box3D car{.label = "car", .color = {0, 255, 0}};
  for (size_t c = 0; c < 8; ++c) {
    car.corners[c] = {c & 1 ? 1.0 : -1.0, c & 2 ? 0.5 : -0.5, c & 4 ? 0.4 : 0.0};
  }
  return wandb::Object3D::scene(
      points, {300, 3},
      {.boxes = {car}, .vectors = {{.start = {0, 0, 0.4}, .end = {1.5, 0, 0.4}}}});
}

// A tetrahedron as a Wavefront .obj, written beside the run (in $WANDB_DIR) and logged as a
// model file, which the panel offers to download.
wandb::Object3D Tetrahedron(const std::string& dir, const std::string& id) {
  const std::string path = dir + "/tetra-" + id + ".obj";
  std::ofstream(path) << "v 0 0 0\nv 1 0 0\nv 0 1 0\nv 0 0 1\n"
                         "f 1 3 2\nf 1 2 4\nf 1 4 3\nf 2 3 4\n";
  return wandb::Object3D::from_file(path);
}

// The same tetrahedron as an ASCII STL and as a glTF whose buffer is embedded (a data: URI of
// its 4 float positions and 12 uint16 indices), logged together as a list "models", each
// drawn by its three.js loader.
wandb::Value::List Models(const std::string& dir, const std::string& id) {
  const std::string stl = dir + "/tetra-" + id + ".stl";
  std::ofstream(stl)
      << "solid tetra\n"
         "facet normal 0 0 -1\nouter loop\nvertex 0 0 0\nvertex 0 1 0\nvertex 1 0 0\n"
         "endloop\nendfacet\n"
         "facet normal 0 -1 0\nouter loop\nvertex 0 0 0\nvertex 1 0 0\nvertex 0 0 1\n"
         "endloop\nendfacet\n"
         "facet normal -1 0 0\nouter loop\nvertex 0 0 0\nvertex 0 0 1\nvertex 0 1 0\n"
         "endloop\nendfacet\n"
         "facet normal 1 1 1\nouter loop\nvertex 1 0 0\nvertex 0 1 0\nvertex 0 0 1\n"
         "endloop\nendfacet\n"
         "endsolid tetra\n";
  const std::string gltf = dir + "/tetra-" + id + ".gltf";
  std::ofstream(gltf) << R"({"asset": {"version": "2.0"}, "scene": 0, "scenes": [{"nodes": [0]}],
"nodes": [{"mesh": 0}],
"meshes": [{"primitives": [{"attributes": {"POSITION": 0}, "indices": 1, "material": 0}]}],
"materials": [{"pbrMetallicRoughness": {"baseColorFactor": [0.9, 0.5, 0.1, 1], "metallicFactor": 0}, "doubleSided": true}],
"buffers": [{"byteLength": 72, "uri": "data:application/octet-stream;base64,AAAAAAAAAAAAAAAAAACAPwAAAAAAAAAAAAAAAAAAgD8AAAAAAAAAAAAAAAAAAIA/AAACAAEAAAABAAMAAAADAAIAAQACAAMA"}],
"bufferViews": [{"buffer": 0, "byteOffset": 0, "byteLength": 48, "target": 34962},
                {"buffer": 0, "byteOffset": 48, "byteLength": 24, "target": 34963}],
"accessors": [{"bufferView": 0, "componentType": 5126, "count": 4, "type": "VEC3",
               "min": [0, 0, 0], "max": [1, 1, 1]},
              {"bufferView": 1, "componentType": 5123, "count": 12, "type": "SCALAR"}]}
)";
  return {wandb::Object3D::from_file(stl), wandb::Object3D::from_file(gltf)};
}

// A table of detections: two pictures of the cat and the dog, the first with its boxes and
// mask, the second without, and a score each.
wandb::Table Detected() {
  wandb::Table table({"id", "image", "score"});
  table.add_data(0, DetectionImage(4, true), 0.9);
  table.add_data(1, DetectionImage(2, false), 0.4);
  return table;
}

int Demo(const std::string& id, const std::string& project, long steps, int seed) {
  const double lr = 0.001 * (1 + seed % 5);
  wandb::Run run = wandb::init({.project = project,
                                .name = "demo-" + std::to_string(seed),
                                .tags = std::vector<std::string>{"demo", seed % 2 ? "odd" : "even"},
                                .group = "sweep-a",
                                .job_type = "train",
                                .config = {{"lr", lr},
                                           {"batch_size", 32 << (seed % 3)},
                                           {"optimizer", seed % 2 ? "adam" : "sgd"},
                                           {"model", {{"layers", 4 + seed % 3}, {"dropout", 0.1}}}},
                                .id = id});
  // The files are written where the test put the run (WANDB_DIR), so tests running at once do
  // not share them.
  const char* env_dir = std::getenv("WANDB_DIR");
  const std::string dir = env_dir != nullptr ? env_dir : ".";
  std::ofstream(dir + "/notes-" + id + ".txt") << "notes of run " << id << "\n";
  std::ofstream(dir + "/report-" + id + ".html") << kReportHtml;
  run.save(dir + "/notes-" + id + ".txt", {.base_path = dir, .policy = wandb::Policy::kNow});
  run.save(dir + "/report-" + id + ".html", {.base_path = dir, .policy = wandb::Policy::kNow});
  std::cout << "\x1b[1;32mstarting\x1b[0m training with lr=" << lr << std::endl;
  double best = 0;
  for (long step = 0; step < steps; ++step) {
    const double t = static_cast<double>(step) / std::max<long>(1, steps);
    const double noise = 0.05 * std::sin(step * 1.7 + seed);
    const double loss = 2.0 * std::exp(-3 * t * (1 + 0.2 * seed)) + 0.1 + noise;
    const double acc = 1 - loss / 2.5;
    wandb::Value::Map row = {{"train/loss", loss}, {"train/acc", acc}, {"lr", lr * (1 - 0.5 * t)}};
    if (step % 10 == 9) {
      row.emplace_back("val/loss", loss * 1.1);
      row.emplace_back("val/acc", acc * 0.97);
      best = std::max(best, acc * 0.97);
      std::cout << "step " << step << ": \x1b[33mloss\x1b[0m " << loss << " \x1b[36macc\x1b[0m "
                << acc << std::endl;
    }
    run.log(std::move(row));
  }
  std::cerr << "\x1b[31mwarning:\x1b[0m this is a test run" << std::endl;
  run.summary()["best_val_acc"] = best;
  run.finish();
  return 0;
}

int Spike(const std::string& id, long steps, long spike_step) {
  wandb::Run run = wandb::init({.project = "fidelity", .id = id});
  for (long step = 0; step < steps; ++step) {
    const double loss = step == spike_step ? 1000.0 : 1.0 + 0.1 * std::sin(step * 0.001);
    run.log({{"loss", loss}});
  }
  run.finish();
  return 0;
}

int Live(const std::string& id, const std::string& ready_file) {
  std::atomic<bool> stop{false};
  wandb::Settings settings{.project = "live", .id = id};
  settings.stop_poll_interval = std::chrono::milliseconds(100);
  settings.on_stop = [&stop] { stop = true; };
  wandb::Run run = wandb::init(settings);
  long step = 0;
  while (!stop) {
    wandb::Value::Map row = {{"loss", 1.0 / (1 + step * 0.01)}};
    if (step % 25 == 0) row.emplace_back("frame", StepImage(step / 25 % 30));
    run.log(std::move(row));
    std::cout << "live step " << step << std::endl;
    if (++step == 5 && !ready_file.empty()) std::ofstream(ready_file) << "ready\n";
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  run.finish();
  return 0;
}

// A live run with many media keys, for the live refresh's benchmark: every `interval_ms`, a
// step of "loss" and `keys` images "img_00", "img_01", ... (16 x 16, their colour the step's).
int ManyMedia(const std::string& id, long steps, long keys, long interval_ms) {
  wandb::Run run = wandb::init({.project = "many", .id = id});
  for (long step = 0; step < steps; ++step) {
    wandb::Value::Map row = {{"loss", 1.0 / (1 + step)}};
    for (long k = 0; k < keys; ++k) {
      std::vector<uint8_t> rgb(16 * 16 * 3, static_cast<uint8_t>((step * 7 + k) % 256));
      char key[32];  // "img_" and any long
      std::snprintf(key, sizeof key, "img_%02ld", k);
      row.emplace_back(key, wandb::Image(rgb, std::vector<size_t>{16, 16, 3}));
    }
    run.log(std::move(row));
    std::this_thread::sleep_for(std::chrono::milliseconds(interval_ms));
  }
  run.finish();
  return 0;
}

wandb::Table Predictions() {
  wandb::Table table({"id", "label", "score", "image"});
  for (int i = 0; i < 12; ++i) {
    std::vector<uint8_t> grey(4 * 4, static_cast<uint8_t>(20 * i));
    table.add_data(i, i % 2 ? "cat" : "dog", (i * 7 % 12) / 12.0,
                   wandb::Image(grey, std::vector<size_t>{4, 4}));
  }
  return table;
}

// One chart of every other built-in spec, and one of a team's own, over small made-up data.
wandb::Value::Map OtherCharts() {
  wandb::Table points({"a", "b", "name"});
  for (int i = 0; i < 10; ++i)
    points.add_data(i * 0.1, std::cos(i * 0.5), "item " + std::to_string(i));
  const std::vector<int64_t> truth = {0, 1, 2, 0, 1, 2, 0, 1, 2, 1};
  const std::vector<int64_t> guess = {0, 1, 1, 0, 2, 2, 0, 1, 2, 0};
  std::vector<std::vector<double>> probas;
  for (size_t i = 0; i < truth.size(); ++i) {
    std::vector<double> p(3, 0.1);
    p[guess[i]] = 0.8;
    probas.push_back(p);
  }
  return {
      {"scatter", wandb::plot::scatter(points, "a", "b", "Scatter")},
      {"bar", wandb::plot::bar(points, "name", "b")},
      {"hist", wandb::plot::histogram(points, "b")},
      {"series",
       wandb::plot::line_series({0, 1, 2, 3}, {{1, 2, 3, 4}, {4, 3, 2, 1}}, {"up", "down"})},
      {"confusion", wandb::plot::confusion_matrix({.y_true = truth, .preds = guess})},
      {"pr", wandb::plot::pr_curve(truth, probas)},
      {"roc", wandb::plot::roc_curve(truth, probas)},
      {"old_pr", wandb::plots::precision_recall(truth, probas)},
      {"mine", wandb::plot_table("my-team/my-spec", points, {{"x", "a"}, {"y", "b"}})},
  };
}

int Media(const std::string& id, long steps, long image_steps) {
  wandb::Run run = wandb::init({.project = "media", .id = id});
  const char* env_dir = std::getenv("WANDB_DIR");
  const std::string dir = env_dir != nullptr ? env_dir : ".";
  for (long step = 0; step < std::max(8L, steps); ++step) {
    std::vector<double> weights;
    for (int i = 0; i < 200; ++i) weights.push_back(step + std::sin(i * 0.37) * 2);
    wandb::Value::Map row = {{"loss", 1.0 / (1 + step)},
                             {"weights", wandb::Histogram(weights, 16)}};
    if (step < image_steps) row.emplace_back("samples", StepImage(step));
    if (step == 3) {
      row.emplace_back("examples", wandb::Value::List{StepImage(0), StepImage(1), StepImage(2)});
    }
    if (step == 2 || step == 4) {
      row.emplace_back("report", wandb::Html("<html><body><h1>Report of step " +
                                             std::to_string(step) + "</h1></body></html>"));
    }
    if (step == 1 || step == 3 || step == 5) {
      const std::string caption = "step " + std::to_string(step);
      row.emplace_back("sound", Tone(220.0 * (step + 1), caption));
      row.emplace_back("rollout", StepVideo(step, caption));
    }
    if (step == 3) {
      row.emplace_back("sounds", wandb::Value::List{Tone(220, "low"), Tone(880, "high")});
      row.emplace_back("replays",
                       wandb::Value::List{StepVideo(0, "first"), StepVideo(1, "second")});
    }
    if (step == 5) {
      row.emplace_back("predictions", Predictions());
      row.emplace_back("detected", Detected());
    }
    if (step == 6) {
      wandb::Table wave({"step", "height"});
      for (int i = 0; i < 30; ++i) wave.add_data(i, std::sin(i * 0.3));
      row.emplace_back("wave", wandb::plot::line(wave, "step", "height", std::nullopt, "A wave"));
    }
    if (step == 7) {
      for (auto& [key, chart] : OtherCharts()) row.emplace_back(key, std::move(chart));
    }
    if (step == 0 || step == 2 || step == 4) {
      row.emplace_back("detections", DetectionImage(step, true));
      row.emplace_back("cloud", StepCloud(step));
    }
    if (step == 3) {
      row.emplace_back("detection_list",
                       wandb::Value::List{DetectionImage(3, true), DetectionImage(3, false)});
      row.emplace_back("clouds", wandb::Value::List{StepCloud(0), StepCloud(1)});
    }
    if (step == 2) {
      row.emplace_back("mesh", Tetrahedron(dir, id));
      row.emplace_back("models", Models(dir, id));
    }
    if (step == 4) row.emplace_back("scene", Scene());
    run.log(std::move(row));
  }
  run.summary()["best"] = StepImage(2);
  run.summary()["final"]["table"] = Predictions();
  // 10 bins from 0 to 10 holding 10, 30, ..., 190 values.
  std::vector<int64_t> counts;
  std::vector<double> edges = {0};
  for (int bin = 0; bin < 10; ++bin) {
    counts.push_back(10 + 20 * bin);
    edges.push_back(bin + 1);
  }
  run.summary()["final"]["weights"] = wandb::Histogram::from_counts(counts, edges);
  run.finish();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string mode, id, project = "demo", ready_file;
  long steps = -1, spike_step = 0, image_steps = 5;  // steps: the mode's default when not given
  long keys = 50, interval_ms = 200;
  int seed = 0;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string arg = argv[i];
    std::string value = argv[i + 1];
    if (arg == "--mode") mode = value;
    if (arg == "--id") id = value;
    if (arg == "--project") project = value;
    if (arg == "--steps") steps = std::atol(value.c_str());
    if (arg == "--spike-step") spike_step = std::atol(value.c_str());
    if (arg == "--seed") seed = std::atoi(value.c_str());
    if (arg == "--image-steps") image_steps = std::atol(value.c_str());
    if (arg == "--ready-file") ready_file = value;
    if (arg == "--keys") keys = std::atol(value.c_str());
    if (arg == "--interval-ms") interval_ms = std::atol(value.c_str());
  }
  if (mode == "demo") return Demo(id, project, steps < 0 ? 200 : steps, seed);
  if (mode == "spike") return Spike(id, steps < 0 ? 200 : steps, spike_step);
  if (mode == "live") return Live(id, ready_file);
  if (mode == "media") return Media(id, steps < 0 ? 20 : steps, image_steps);
  if (mode == "many") return ManyMedia(id, steps < 0 ? 100 : steps, keys, interval_ms);
  std::cerr << "ui_client: --mode demo|spike|live|media|many\n";
  return 2;
}
