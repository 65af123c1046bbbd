// Opens a public header's declarations: WANDB_API marks what libwandb exports (everything
// else in it is hidden). internal/api_end.h undefines it again, so the macro never reaches
// the code that includes a wandb header.
//
// No include guard on purpose: each public header includes this pair around its own
// declarations, after its own #includes.
#ifndef WANDB_API
#if defined(__GNUC__) || defined(__clang__)
#define WANDB_API __attribute__((visibility("default")))
#else
#define WANDB_API
#endif
#endif
