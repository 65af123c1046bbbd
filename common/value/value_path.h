// Setting and removing a value at a nested path of maps, as wandb does for config and summary
// items with a nested_key: `{"a": {"b": 1}}` with path [a, c] and value 2 becomes
// `{"a": {"b": 1, "c": 2}}`.
#ifndef WANDB_COMMON_VALUE_VALUE_PATH_H_
#define WANDB_COMMON_VALUE_VALUE_PATH_H_

#include <iterator>
#include <utility>

#include "wandb/value.h"

namespace wandb {

// Sets the value at [first, last) below `root` (a non-empty path). Maps are made on the way,
// replacing anything that is not a map, as assigning into a Python dict would.
template <typename Iterator>
void SetAtPath(Value* root, Iterator first, Iterator last, Value leaf) {
  Value* node = root;
  for (Iterator key = first; std::next(key) != last; ++key) {
    Value* child = node->find(*key);
    if (child == nullptr || !child->is_map()) {
      node->set(*key, Value(Value::Map()));
      child = node->find(*key);
    }
    node = child;
  }
  node->set(*std::prev(last), std::move(leaf));
}

// Removes the value at [first, last) below `root` (a non-empty path); nothing when a map on the
// way is missing.
template <typename Iterator>
void EraseAtPath(Value* root, Iterator first, Iterator last) {
  Value* node = root;
  for (Iterator key = first; std::next(key) != last && node != nullptr; ++key) {
    node = node->find(*key);
  }
  if (node != nullptr) node->erase(*std::prev(last));
}

}  // namespace wandb

#endif  // WANDB_COMMON_VALUE_VALUE_PATH_H_
