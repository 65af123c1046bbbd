// A history row being built from several log() calls: its top-level items (key and JSON text), keys
// in the order they were first logged.
//
// The text of every item lives back to back in one buffer that the row keeps from one use to
// the next, so building a row allocates nothing once the buffer has grown: this is the hot
// path of every log() call.
#ifndef WANDB_SERVICE_STREAM_HISTORY_ROW_H_
#define WANDB_SERVICE_STREAM_HISTORY_ROW_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "common/ipc/history_wire.h"

namespace wandb::service {

class HistoryRow {
 public:
  size_t size() const { return refs_.size(); }
  bool empty() const { return refs_.empty(); }
  absl::string_view key(size_t i) const { return View(refs_[i].key_at, refs_[i].key_size); }
  absl::string_view value(size_t i) const { return View(refs_[i].value_at, refs_[i].value_size); }

  // Adds the items of one log() call; a key the row has already takes the new value.
  void Merge(const std::vector<history_wire::ItemView>& items);
  // Forgets the items, keeping the buffers' capacity.
  void Clear();

 private:
  struct Ref {
    uint32_t key_at, key_size, value_at, value_size;
  };
  absl::string_view View(uint32_t at, uint32_t size) const { return {text_.data() + at, size}; }
  uint32_t AppendText(absl::string_view s);
  // The index of `key` among the items, or -1.
  int Find(absl::string_view key) const;

  std::string text_;
  std::vector<Ref> refs_;
};

}  // namespace wandb::service

#endif  // WANDB_SERVICE_STREAM_HISTORY_ROW_H_
