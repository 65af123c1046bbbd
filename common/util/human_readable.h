// Counts and sizes in the words a person reads once, for what the client and the command line
// print: "1 history row", "1,200 rows", "512 B", "24.1 KiB".
#ifndef WANDB_COMMON_UTIL_HUMAN_READABLE_H_
#define WANDB_COMMON_UTIL_HUMAN_READABLE_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace wandb {

// The count with thousands separators, then the noun, in the plural unless the count is one
// (`plural` defaults to `singular` + "s").
std::string CountOf(int64_t count, absl::string_view singular, absl::string_view plural = {});

// Bytes below 1 KiB as "N B", above in binary units with one decimal ("2.0 KiB", "3.4 MiB"),
// never "1024.0 KiB".
std::string ByteSize(int64_t bytes);

}  // namespace wandb

#endif  // WANDB_COMMON_UTIL_HUMAN_READABLE_H_
