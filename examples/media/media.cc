// Logs media as a training loop would: a histogram of "weights" and a generated image each
// epoch, a list of sample images, and the best image in the summary; at the end a table of
// the epochs (with an image per row) and a line chart of the loss. Then look at
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
                                            wandb::Image(Picture(32, 32, -epoch), {32, 32, 3})}}});
    epochs_table.add_data(epoch, 1.0 / (epoch + 1),
                          wandb::Image(Picture(16, 16, epoch), {16, 16, 3}));
  }
  run.log({{"epochs", epochs_table},
           {"loss_chart", wandb::plot::line(epochs_table, "epoch", "loss", {}, "Loss")}});
  run.summary()["best_picture"] = wandb::Image(Picture(64, 96, 0), {64, 96, 3});
  run.finish();
  return 0;
}
