// The row every benchmark logs: 10 scalar metrics of a training step, 9 doubles and an int,
// with values that change every step (so the JSON encoder sees realistic numbers).
#ifndef WANDB_BENCH_ROWS_H_
#define WANDB_BENCH_ROWS_H_

#include <cstdint>

#include <wandb/wandb.h>

namespace bench {

inline wandb::Value::Map Row(int64_t step) {
  double x = static_cast<double>(step) * 1e-3;
  return {{"loss", 2.3 / (1.0 + x)},
          {"acc", 1.0 - 0.9 / (1.0 + x)},
          {"lr", 1e-3 / (1.0 + 0.01 * x)},
          {"grad_norm", 0.5 + 0.25 / (1.0 + x)},
          {"epoch", step / 1000},
          {"val_loss", 2.4 / (1.0 + x)},
          {"val_acc", 0.98 - 0.9 / (1.0 + x)},
          {"samples_per_s", 12000.0 + static_cast<double>(step % 97)},
          {"gpu_mem_gb", 10.5 + static_cast<double>(step % 13) * 0.01},
          {"step_time_ms", 35.0 + static_cast<double>(step % 7) * 0.125}};
}

}  // namespace bench

#endif  // WANDB_BENCH_ROWS_H_
