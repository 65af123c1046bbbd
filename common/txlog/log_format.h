// The on-disk format of a wandb transaction log (`run-<id>.wandb`).
//
// The format is LevelDB's log format with two changes made by wandb: a 7-byte file header, and
// chunk checksums that are plain zlib CRC-32 (not LevelDB's masked CRC-32C). Files written here
// must be byte-identical to those written by wandb's Python writer
// (wandb/sdk/internal/datastore.py) so that `wandb sync`, the Go core and other tools read them,
// and vice versa.
//
//   file   := header block*
//   header := ":W&B" (4 bytes)  magic uint16 LE = 0xBEE1  version uint8 = 0
//
// The file is cut into kBlockSize-byte blocks at absolute file offsets 0, kBlockSize, ...; the
// header sits at the start of block 0, so block 0 has kBlockSize - kFileHeaderSize bytes of room.
// Only the last block may be short. A block holds chunks:
//
//   chunk  := checksum uint32 LE   length uint16 LE   type uint8   payload (length bytes)
//
// where checksum = crc32(type byte + payload). A chunk never crosses a block boundary: when fewer
// than kChunkHeaderSize bytes are left in a block they are zero padding, and the next chunk starts
// in the next block. A record is one kFullType chunk, or a kFirstType chunk, any number of
// kMiddleType chunks and a kLastType chunk. The writer splits a record only at block boundaries,
// so a kFirstType chunk may carry zero bytes (when exactly kChunkHeaderSize bytes remain).

#ifndef WANDB_COMMON_TXLOG_LOG_FORMAT_H_
#define WANDB_COMMON_TXLOG_LOG_FORMAT_H_

#include <cstddef>
#include <cstdint>

namespace wandb::txlog {

inline constexpr char kHeaderIdent[4] = {':', 'W', '&', 'B'};
inline constexpr uint16_t kHeaderMagic = 0xBEE1;
inline constexpr uint8_t kHeaderVersion = 0;
inline constexpr size_t kFileHeaderSize = 7;  // ident + magic + version

inline constexpr size_t kBlockSize = 32768;
inline constexpr size_t kChunkHeaderSize = 7;  // checksum + length + type
inline constexpr size_t kMaxChunkPayload = kBlockSize - kChunkHeaderSize;

enum ChunkType : uint8_t {
  // Never written; a chunk header of all zeros marks a preallocated (zeroed) tail.
  kZeroType = 0,
  kFullType = 1,
  kFirstType = 2,
  kMiddleType = 3,
  kLastType = 4,
};
inline constexpr uint8_t kMaxChunkType = kLastType;

}  // namespace wandb::txlog

#endif  // WANDB_COMMON_TXLOG_LOG_FORMAT_H_
