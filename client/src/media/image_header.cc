#include "client/src/media/image_header.h"

#include <cstdint>
#include <cstdlib>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace wandb::internal {
namespace {

uint32_t Big(absl::string_view s, size_t at, int bytes) {
  uint32_t v = 0;
  for (int i = 0; i < bytes; ++i) v = (v << 8) | static_cast<unsigned char>(s[at + i]);
  return v;
}

uint32_t Little(absl::string_view s, size_t at, int bytes) {
  uint32_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(s[at + i]);
  return v;
}

absl::Status NotA(absl::string_view format) {
  return absl::InvalidArgumentError(absl::StrCat("not a ", format, " file (bad header)"));
}

absl::StatusOr<ImageSize> Png(absl::string_view s) {
  // Signature, then the IHDR chunk: length, type, width, height (big-endian).
  if (s.size() < 24 || !absl::StartsWith(s, "\x89PNG\r\n\x1a\n") || s.substr(12, 4) != "IHDR") {
    return NotA("PNG");
  }
  return ImageSize{Big(s, 16, 4), Big(s, 20, 4)};
}

absl::StatusOr<ImageSize> Gif(absl::string_view s) {
  // The logical screen's size, as PIL reports a GIF's.
  if (s.size() < 10 || !(absl::StartsWith(s, "GIF87a") || absl::StartsWith(s, "GIF89a"))) {
    return NotA("GIF");
  }
  return ImageSize{Little(s, 6, 2), Little(s, 8, 2)};
}

absl::StatusOr<ImageSize> Bmp(absl::string_view s) {
  // BITMAPINFOHEADER (or later): signed 32-bit width and height; a negative height is a
  // top-down bitmap.
  if (s.size() < 26 || !absl::StartsWith(s, "BM")) return NotA("BMP");
  auto width = static_cast<int32_t>(Little(s, 18, 4));
  auto height = static_cast<int32_t>(Little(s, 22, 4));
  return ImageSize{static_cast<size_t>(std::abs(width)), static_cast<size_t>(std::abs(height))};
}

absl::StatusOr<ImageSize> Jpeg(absl::string_view s) {
  if (s.size() < 4 || Big(s, 0, 2) != 0xFFD8) return NotA("JPEG");
  size_t at = 2;
  // Walk the segments to the first start-of-frame marker (C0-CF but C4, C8, CC), whose body
  // holds precision, height, width.
  while (at + 4 <= s.size()) {
    if (static_cast<unsigned char>(s[at]) != 0xFF) return NotA("JPEG");
    unsigned char marker = static_cast<unsigned char>(s[at + 1]);
    if (marker == 0xFF) {  // fill byte
      ++at;
      continue;
    }
    uint32_t length = Big(s, at + 2, 2);
    bool frame =
        marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    if (frame) {
      if (at + 9 > s.size()) break;
      return ImageSize{Big(s, at + 7, 2), Big(s, at + 5, 2)};
    }
    if (length < 2) return NotA("JPEG");
    at += 2 + length;
  }
  return absl::InvalidArgumentError("JPEG file without a frame header");
}

}  // namespace

std::string ImageFormatForExtension(absl::string_view extension) {
  std::string ext = absl::AsciiStrToLower(extension);
  if (ext == "jpg" || ext == "jpeg") return "jpeg";
  if (ext == "png" || ext == "gif" || ext == "bmp") return ext;
  return "";
}

absl::StatusOr<ImageSize> ReadImageSize(absl::string_view format, absl::string_view head) {
  absl::StatusOr<ImageSize> size = absl::InvalidArgumentError("unknown image format");
  if (format == "png") size = Png(head);
  if (format == "gif") size = Gif(head);
  if (format == "bmp") size = Bmp(head);
  if (format == "jpeg") size = Jpeg(head);
  if (size.ok() && (size->width == 0 || size->height == 0)) {
    return absl::InvalidArgumentError("the file's header gives a zero width or height");
  }
  return size;
}

}  // namespace wandb::internal
