// The public API's shape, as a user's compiler sees it.
#include <wandb/wandb.h>

#include <catch2/catch.hpp>
#include <memory>
#include <type_traits>

namespace wandb {

// Only wandb::init() makes runs: the handle's constructor from the library's state is private.
static_assert(!std::is_constructible_v<Run, std::shared_ptr<internal::ClientRun>>);
static_assert(std::is_default_constructible_v<Run>);

TEST_CASE("a default-constructed Run refers to no run", "[public_api]") {
  Run none;
  CHECK_THROWS_AS(none.log({{"x", 1}}), Error);
  CHECK_THROWS_AS(none.id(), Error);
}

}  // namespace wandb
