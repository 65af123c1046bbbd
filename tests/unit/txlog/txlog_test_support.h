// What the transaction-log tests share. The format constants are restated here rather than
// taken from log_format.h, so that a wrong constant there fails the tests instead of silently
// agreeing with itself.
#ifndef WANDB_TESTS_UNIT_TXLOG_TXLOG_TEST_SUPPORT_H_
#define WANDB_TESTS_UNIT_TXLOG_TXLOG_TEST_SUPPORT_H_

#include <stdlib.h>

#include <catch2/catch.hpp>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "tests/support/temp_dir.h"

namespace wandb::txlog::testing {

constexpr size_t kBlock = 32768;
constexpr size_t kHeader = 7;
constexpr size_t kRoom = kBlock - kHeader;  // payload bytes in a chunk that fills a block
constexpr uint8_t kFull = 1, kFirst = 2, kMiddle = 3, kLast = 4;
inline const std::string kFileHeader("\x3a\x57\x26\x42\xe1\xbe\x00", 7);

using ::wandb::testing::ReadBytes;
using ::wandb::testing::TempDir;

}  // namespace wandb::txlog::testing

#endif  // WANDB_TESTS_UNIT_TXLOG_TXLOG_TEST_SUPPORT_H_
