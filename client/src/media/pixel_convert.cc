#include "client/src/media/pixel_convert.h"

#include <algorithm>
#include <cmath>

namespace wandb::internal {
namespace {

template <typename T>
std::vector<uint8_t> Scale(const T* values, size_t count) {
  std::vector<uint8_t> out(count);
  if (count == 0) return out;
  double lo = values[0];
  double hi = values[0];
  for (size_t i = 1; i < count; ++i) {
    lo = std::min<double>(lo, values[i]);
    hi = std::max<double>(hi, values[i]);
  }
  bool shift = lo < 0;
  double range = hi - lo;
  // After the shift the values lie in 0..1, so the 255 scaling follows.
  bool to_255 = shift || hi <= 1.0;
  for (size_t i = 0; i < count; ++i) {
    double v = values[i];
    if (shift) v = range > 0 ? (v - lo) / range : 0;
    if (to_255) v = std::trunc(v * 255);
    if (std::isnan(v)) v = 0;
    out[i] = static_cast<uint8_t>(std::clamp(v, 0.0, 255.0));
  }
  return out;
}

}  // namespace

std::vector<uint8_t> ToUint8(const uint8_t* values, size_t count) {
  bool binary = std::all_of(values, values + count, [](uint8_t v) { return v <= 1; });
  std::vector<uint8_t> out(values, values + count);
  if (binary) {
    for (uint8_t& v : out) v = static_cast<uint8_t>(v * 255);
  }
  return out;
}

std::vector<uint8_t> ToUint8(const float* values, size_t count) { return Scale(values, count); }

std::vector<uint8_t> ToUint8(const double* values, size_t count) { return Scale(values, count); }

std::vector<uint8_t> ChannelsLast(const std::vector<uint8_t>& chw, size_t channels, size_t height,
                                  size_t width) {
  std::vector<uint8_t> hwc(chw.size());
  size_t plane = height * width;
  for (size_t c = 0; c < channels; ++c) {
    for (size_t p = 0; p < plane; ++p) hwc[p * channels + c] = chw[c * plane + p];
  }
  return hwc;
}

}  // namespace wandb::internal
