#include "client/src/media/gif_codec.h"

#include <gif_lib.h>

#include <algorithm>
#include <cstring>
#include <memory>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"

namespace wandb::internal {
namespace {

constexpr int kPaletteSize = 256;

// One frame as palette indices and its palette.
struct IndexedFrame {
  std::vector<GifByteType> indices;
  std::vector<GifColorType> palette;
};

// Exact when the frame has at most 256 colours; nothing otherwise.
bool IndexExactly(const std::vector<uint8_t>& rgb, IndexedFrame* out) {
  absl::flat_hash_map<uint32_t, GifByteType> index_of;
  size_t pixels = rgb.size() / 3;
  out->indices.resize(pixels);
  for (size_t i = 0; i < pixels; ++i) {
    const uint8_t* p = &rgb[3 * i];
    uint32_t color = (uint32_t{p[0]} << 16) | (uint32_t{p[1]} << 8) | p[2];
    auto [it, added] = index_of.try_emplace(color, static_cast<GifByteType>(index_of.size()));
    if (added) {
      if (out->palette.size() == kPaletteSize) return false;
      out->palette.push_back(GifColorType{p[0], p[1], p[2]});
    }
    out->indices[i] = it->second;
  }
  return true;
}

// giflib's median cut, which works on 5 bits a channel and so gives a palette whose
// brightest entry is 248; stretched back to 0..255.
absl::Status IndexByMedianCut(const std::vector<uint8_t>& rgb, size_t width, size_t height,
                              IndexedFrame* out) {
  size_t pixels = width * height;
  std::vector<GifByteType> planes(3 * pixels);
  for (size_t i = 0; i < pixels; ++i) {
    for (size_t c = 0; c < 3; ++c) planes[c * pixels + i] = rgb[3 * i + c];
  }
  int size = kPaletteSize;
  out->palette.assign(kPaletteSize, GifColorType{0, 0, 0});
  out->indices.resize(pixels);
  if (GifQuantizeBuffer(static_cast<unsigned>(width), static_cast<unsigned>(height), &size,
                        &planes[0], &planes[pixels], &planes[2 * pixels], out->indices.data(),
                        out->palette.data()) != GIF_OK) {
    return absl::InternalError("GIF: the colours could not be reduced to a palette");
  }
  out->palette.resize(static_cast<size_t>(size));
  for (GifColorType& color : out->palette) {
    for (GifByteType* c : {&color.Red, &color.Green, &color.Blue}) {
      *c = static_cast<GifByteType>(std::min(255, (*c * 255 + 124) / 248));
    }
  }
  return absl::OkStatus();
}

struct ColorMapDeleter {
  void operator()(ColorMapObject* map) const { GifFreeMapObject(map); }
};

// A GIF palette holds a power of two entries.
std::unique_ptr<ColorMapObject, ColorMapDeleter> MakeColorMap(
    const std::vector<GifColorType>& palette) {
  int size = 2;
  while (size < static_cast<int>(palette.size())) size *= 2;
  std::vector<GifColorType> padded(static_cast<size_t>(size), GifColorType{0, 0, 0});
  std::copy(palette.begin(), palette.end(), padded.begin());
  return std::unique_ptr<ColorMapObject, ColorMapDeleter>(GifMakeMapObject(size, padded.data()));
}

int AppendOutput(GifFileType* gif, const GifByteType* bytes, int length) {
  static_cast<std::string*>(gif->UserData)
      ->append(reinterpret_cast<const char*>(bytes), static_cast<size_t>(length));
  return length;
}

std::string GifError(absl::string_view what, int code) {
  const char* text = GifErrorString(code);
  return absl::StrCat("GIF: ", what, ": ", text != nullptr ? text : "unknown error");
}

// Netscape's application extension with a loop count of 0: play forever.
bool PutLoopForever(GifFileType* gif) {
  static const GifByteType kNetscape[] = "NETSCAPE2.0";
  static const GifByteType kLoop[] = {1, 0, 0};
  return EGifPutExtensionLeader(gif, APPLICATION_EXT_FUNC_CODE) == GIF_OK &&
         EGifPutExtensionBlock(gif, 11, kNetscape) == GIF_OK &&
         EGifPutExtensionBlock(gif, 3, kLoop) == GIF_OK && EGifPutExtensionTrailer(gif) == GIF_OK;
}

absl::Status PutFrame(GifFileType* gif, const Animation& animation,
                      const std::vector<uint8_t>& rgb) {
  IndexedFrame frame;
  if (!IndexExactly(rgb, &frame)) {
    frame = IndexedFrame{};
    absl::Status reduced = IndexByMedianCut(rgb, animation.width, animation.height, &frame);
    if (!reduced.ok()) return reduced;
  }
  GraphicsControlBlock control{};
  control.DisposalMode = DISPOSE_DO_NOT;
  control.DelayTime = animation.delay_centiseconds;
  control.TransparentColor = NO_TRANSPARENT_COLOR;
  GifByteType extension[4];
  size_t length = EGifGCBToExtension(&control, extension);
  auto map = MakeColorMap(frame.palette);
  if (map == nullptr) return absl::ResourceExhaustedError("GIF: out of memory");
  int width = static_cast<int>(animation.width);
  if (EGifPutExtension(gif, GRAPHICS_EXT_FUNC_CODE, static_cast<int>(length), extension) !=
          GIF_OK ||
      EGifPutImageDesc(gif, 0, 0, width, static_cast<int>(animation.height), false, map.get()) !=
          GIF_OK) {
    return absl::InternalError(GifError("frame header", gif->Error));
  }
  for (size_t row = 0; row < animation.height; ++row) {
    if (EGifPutLine(gif, &frame.indices[row * animation.width], width) != GIF_OK) {
      return absl::InternalError(GifError("frame", gif->Error));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::string> EncodeGif(const Animation& animation) {
  size_t pixels = animation.width * animation.height;
  if (pixels == 0 || animation.width > 65535 || animation.height > 65535 ||
      animation.frames.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("GIF: ", animation.frames.size(), " frames of ",
                                                   animation.width, "x", animation.height));
  }
  std::string out;
  int error = 0;
  GifFileType* gif = EGifOpen(&out, AppendOutput, &error);
  if (gif == nullptr) return absl::InternalError(GifError("open", error));
  EGifSetGifVersion(gif, true);
  absl::Status status;
  if (EGifPutScreenDesc(gif, static_cast<int>(animation.width), static_cast<int>(animation.height),
                        8, 0, nullptr) != GIF_OK ||
      !PutLoopForever(gif)) {
    status = absl::InternalError(GifError("header", gif->Error));
  }
  for (size_t i = 0; status.ok() && i < animation.frames.size(); ++i) {
    if (animation.frames[i].size() != 3 * pixels) {
      status = absl::InvalidArgumentError(
          absl::StrCat("GIF: frame ", i, " has ", animation.frames[i].size(), " bytes"));
    } else {
      status = PutFrame(gif, animation, animation.frames[i]);
    }
  }
  if (EGifCloseFile(gif, &error) != GIF_OK && status.ok()) {
    status = absl::InternalError(GifError("close", error));
  }
  if (!status.ok()) return status;
  return out;
}

namespace {

struct MemoryInput {
  absl::string_view bytes;
  size_t position = 0;
};

int ReadInput(GifFileType* gif, GifByteType* out, int length) {
  auto* in = static_cast<MemoryInput*>(gif->UserData);
  size_t n = std::min(static_cast<size_t>(length), in->bytes.size() - in->position);
  std::memcpy(out, in->bytes.data() + in->position, n);
  in->position += n;
  return static_cast<int>(n);
}

}  // namespace

absl::StatusOr<Animation> DecodeGif(absl::string_view bytes) {
  MemoryInput input{bytes, 0};
  int error = 0;
  GifFileType* gif = DGifOpen(&input, ReadInput, &error);
  if (gif == nullptr) return absl::InvalidArgumentError(GifError("open", error));
  std::unique_ptr<GifFileType, void (*)(GifFileType*)> closer(gif, [](GifFileType* g) {
    int ignored = 0;
    DGifCloseFile(g, &ignored);
  });
  if (DGifSlurp(gif) != GIF_OK) return absl::InvalidArgumentError(GifError("read", gif->Error));
  Animation animation;
  animation.width = static_cast<size_t>(gif->SWidth);
  animation.height = static_cast<size_t>(gif->SHeight);
  for (int i = 0; i < gif->ImageCount; ++i) {
    const SavedImage& image = gif->SavedImages[i];
    const ColorMapObject* map =
        image.ImageDesc.ColorMap != nullptr ? image.ImageDesc.ColorMap : gif->SColorMap;
    if (map == nullptr || image.ImageDesc.Width != gif->SWidth ||
        image.ImageDesc.Height != gif->SHeight) {
      return absl::InvalidArgumentError("GIF: a frame without a palette or of another size");
    }
    std::vector<uint8_t> rgb;
    rgb.reserve(3 * animation.width * animation.height);
    for (size_t p = 0; p < animation.width * animation.height; ++p) {
      const GifColorType& c = map->Colors[image.RasterBits[p] % map->ColorCount];
      rgb.insert(rgb.end(), {c.Red, c.Green, c.Blue});
    }
    animation.frames.push_back(std::move(rgb));
    GraphicsControlBlock control{};
    if (i == 0 && DGifSavedExtensionToGCB(gif, 0, &control) == GIF_OK) {
      animation.delay_centiseconds = control.DelayTime;
    }
  }
  return animation;
}

}  // namespace wandb::internal
