// Pixels as the user gave them, to the 8-bit height x width x channels that PNG takes:
// wandb's Image.to_uint8 scaling, and channel-first (C x H x W) input reordered.
#ifndef WANDB_CLIENT_SRC_MEDIA_PIXEL_CONVERT_H_
#define WANDB_CLIENT_SRC_MEDIA_PIXEL_CONVERT_H_

#include <cstddef>
#include <cstdint>
#include <vector>

namespace wandb::internal {

// wandb's to_uint8: when the smallest value is negative, (v - min) / (max - min); then, when
// the largest is at most 1, v * 255 truncated toward zero; then clipped to 0..255. NaN
// becomes 0. The same rule holds for 8-bit input (an all-0/1 mask becomes 0/255).
std::vector<uint8_t> ToUint8(const uint8_t* values, size_t count);
std::vector<uint8_t> ToUint8(const float* values, size_t count);
std::vector<uint8_t> ToUint8(const double* values, size_t count);

// C x H x W to H x W x C.
std::vector<uint8_t> ChannelsLast(const std::vector<uint8_t>& chw, size_t channels, size_t height,
                                  size_t width);

}  // namespace wandb::internal

#endif  // WANDB_CLIENT_SRC_MEDIA_PIXEL_CONVERT_H_
