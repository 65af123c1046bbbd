// Closes what internal/api_begin.h opened. No include guard on purpose.
#undef WANDB_API
