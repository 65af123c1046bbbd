// What a call's std::invalid_argument says, for tests that check a public entry point's
// error text; a call that does not throw it gives a marker the test's CHECK then shows.
#pragma once

#include <functional>
#include <stdexcept>
#include <string>

namespace wandb::testing {

inline std::string InvalidArgumentMessage(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "<no std::invalid_argument>";
}

}  // namespace wandb::testing
