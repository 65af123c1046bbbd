// WANDB_INTERNAL_COMPILER: the compiler of the code that includes this file, for a run's
// metadata. wandb.h undefines it again after use, so it never reaches the user's code; libwandb
// includes this file itself for its own compiler. No include guard on purpose.
#ifndef WANDB_INTERNAL_COMPILER
#if defined(__clang__)
#define WANDB_INTERNAL_COMPILER "clang " __clang_version__
#elif defined(__GNUC__)
#define WANDB_INTERNAL_COMPILER "GCC " __VERSION__
#else
#define WANDB_INTERNAL_COMPILER "unknown"
#endif
#endif
