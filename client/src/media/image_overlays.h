// An Image's boxes and masks as wandb 0.12.21 writes them: each box group as a
// media/metadata/boxes2D/<key>_<step>_<id>.boxes2D.json file holding its "box_data" (and its
// "class_labels" when given), each mask as an 8-bit grey media/images/mask/...mask.png; the
// image's JSON names them under "boxes" and "masks"; and the class labels of each group go
// into the config under _wandb."bounding_box/class_labels" or _wandb."mask/class_labels",
// keyed "<key>_wandb_delimeter_<group>" (wandb's spelling), where W&B's panels read them.
#ifndef WANDB_CLIENT_SRC_MEDIA_IMAGE_OVERLAYS_H_
#define WANDB_CLIENT_SRC_MEDIA_IMAGE_OVERLAYS_H_

#include <cstddef>
#include <string>

#include "client/src/media/media_context.h"
#include "wandb/image.h"
#include "wandb/value.h"

namespace wandb::internal {

// What is wrong with a group of boxes over an image of `width` x `height`, or "": a box
// that is not finite, has its min past its max, or (coordinates as fractions) lies outside
// 0..1.
std::string CheckBoxGroup(const std::string& name, const BoxGroup& group, size_t width,
                          size_t height);
// What is wrong with a mask for that image, or "": not one class id per pixel.
std::string CheckMask(const std::string& name, const ImageMask& mask, size_t width, size_t height);

// The file and config entry of a group of boxes; its JSON for the image's "boxes", or null
// after the context reported an error.
Value WriteBoxGroup(MediaContext& context, const std::string& name, const BoxGroup& group);
// The same for a mask, for the image's "masks".
Value WriteMask(MediaContext& context, const std::string& name, const ImageMask& mask, size_t width,
                size_t height);

}  // namespace wandb::internal

#endif  // WANDB_CLIENT_SRC_MEDIA_IMAGE_OVERLAYS_H_
