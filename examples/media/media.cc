// Logs media as a training loop would: a histogram of "weights", a generated image, a short
// sound, a little animation and a point cloud each epoch, a list of sample images, and the best
// image in the summary; at the end a table of the epochs (with an image per row), a line chart
// of the loss, an image with a box and a mask, and an HTML report. Then look at
//   wandb/latest-run/files/media/   and   wandb-cpp dump wandb/latest-run/run-*.wandb
//
//   media [epochs]
#include <cmath>
#include <cstdlib>
#include <random>
#include <vector>

#include <wandb/wandb.h>

namespace {

// A height x width x 3 gradient whose colours turn with `phase`.
std::vector<uint8_t> Picture(size_t height, size_t width, double phase) {
  std::vector<uint8_t> rgb(height * width * 3);
  for (size_t y = 0; y < height; ++y) {
    for (size_t x = 0; x < width; ++x) {
      uint8_t* p = &rgb[(y * width + x) * 3];
      p[0] = static_cast<uint8_t>(255 * x / width);
      p[1] = static_cast<uint8_t>(255 * y / height);
      p[2] = static_cast<uint8_t>(127.5 * (1 + std::sin(phase + 0.1 * static_cast<double>(x))));
    }
  }
  return rgb;
}

// A quarter second at 16 kHz of a tone whose pitch rises with `epoch`.
std::vector<float> Tone(int epoch) {
  const double hz = 220.0 * (1 + epoch);
  std::vector<float> samples(4000);
  for (size_t i = 0; i < samples.size(); ++i) {
    samples[i] = static_cast<float>(0.3 * std::sin(2 * M_PI * hz * static_cast<double>(i) / 16000));
  }
  return samples;
}

// 8 frames (time x 3 x 32 x 32) of a bar that sweeps across, faster each epoch.
std::vector<uint8_t> Sweep(int epoch) {
  const size_t t = 8, side = 32;
  std::vector<uint8_t> frames(t * 3 * side * side, 0);
  for (size_t f = 0; f < t; ++f) {
    size_t column = (f * (epoch + 1) * 4) % side;
    for (size_t y = 0; y < side; ++y) {
      for (size_t c = 0; c < 3; ++c) frames[((f * 3 + c) * side + y) * side + column] = 255;
    }
  }
  return frames;
}

// A spiral of 500 points (x, y, z, r, g, b) that winds tighter with `epoch`.
std::vector<float> Spiral(int epoch) {
  std::vector<float> points;
  for (int i = 0; i < 500; ++i) {
    float t = 0.05f * static_cast<float>(i * (epoch + 1));
    float h = 0.01f * static_cast<float>(i);
    points.insert(points.end(), {std::cos(t), std::sin(t), h, 255.0f * h / 5.0f, 100.0f, 200.0f});
  }
  return points;
}

}  // namespace

int main(int argc, char** argv) {
  int epochs = argc > 1 ? std::atoi(argv[1]) : 5;
  wandb::Run run = wandb::init({.project = "media-example", .config = {{"epochs", epochs}}});
  std::mt19937 rng(1);
  std::vector<float> weights(10'000);
  wandb::Table epochs_table({"epoch", "loss", "picture"});
  for (int epoch = 0; epoch < epochs; ++epoch) {
    std::normal_distribution<float> normal(0.0f, 1.0f / static_cast<float>(epoch + 1));
    for (float& w : weights) w = normal(rng);
    // A grey 32 x 32 float image in -1..1: scaled to 0..255 as wandb does.
    std::vector<float> grey(32 * 32);
    for (size_t i = 0; i < grey.size(); ++i) grey[i] = std::sin(0.2 * i + epoch);
    run.log({{"loss", 1.0 / (epoch + 1)},
             {"weights", wandb::Histogram(weights)},
             {"picture", wandb::Image(Picture(64, 96, epoch), {64, 96, 3},
                                      {.caption = "epoch " + std::to_string(epoch)})},
             {"samples", wandb::Value::List{wandb::Image(grey, {32, 32}),
                                            wandb::Image(Picture(32, 32, -epoch), {32, 32, 3})}},
             {"tone", wandb::Audio(Tone(epoch), 16000)},
             {"sweep", wandb::Video(Sweep(epoch), {8, 3, 32, 32}, {.fps = 8})},
             {"spiral", wandb::Object3D(Spiral(epoch), {500, 6})}});
    epochs_table.add_data(epoch, 1.0 / (epoch + 1),
                          wandb::Image(Picture(16, 16, epoch), {16, 16, 3}));
  }
  // The last picture with a box around its bright corner and a mask of its left half.
  wandb::BoxGroup found{.boxes = {{.min_x = 0.6,
                                   .min_y = 0.6,
                                   .max_x = 1.0,
                                   .max_y = 1.0,
                                   .class_id = 1,
                                   .caption = "corner"}},
                        .class_labels = {{1, "corner"}}};
  wandb::ImageMask halves{.class_ids = std::vector<uint8_t>(64 * 96)};
  for (size_t i = 0; i < halves.class_ids.size(); ++i) halves.class_ids[i] = i % 96 < 48 ? 1 : 2;
  run.log(
      {{"epochs", epochs_table},
       {"loss_chart", wandb::plot::line(epochs_table, "epoch", "loss", {}, "Loss")},
       {"annotated", wandb::Image(Picture(64, 96, epochs), {64, 96, 3},
                                  {.boxes = {{"found", found}}, .masks = {{"halves", halves}}})},
       {"report", wandb::Html("<h2>Done</h2><p>" + std::to_string(epochs) + " epochs</p>")}});
  run.summary()["best_picture"] = wandb::Image(Picture(64, 96, 0), {64, 96, 3});
  run.finish();
  return 0;
}
