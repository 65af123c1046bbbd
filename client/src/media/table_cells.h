// What a table's cells become in its file: plain values as they are, media values written as
// the run's media files, with the JSON wandb 0.12.21 writes for a media value inside a table.
//
// wandb 0.12.21 serializes a table's cells through the table's run_table artifact: a media
// cell is {"path", "sha256", "_type", <the type's own fields>} (no "size"; the path is
// relative to the artifact's root, media/images/...). Here the files are the run's own
// (files/media/<kind>/), and their paths are relative to files/, the same media/... layout.
#ifndef WANDB_CLIENT_SRC_MEDIA_TABLE_CELLS_H_
#define WANDB_CLIENT_SRC_MEDIA_TABLE_CELLS_H_

#include "client/src/media/media_context.h"
#include "wandb/value.h"

namespace wandb::internal {

// The cell's JSON, writing its media through `context` (a media value that could not be
// written becomes null, reported by the context).
Value TableCellJson(const Value& cell, MediaContext& context);

// A media value's row JSON ({"_type", "sha256", "size", "path", ...}) in its table-cell form;
// JSON without a file ("histogram") is returned as it is.
Value CellForm(Value row_json);

}  // namespace wandb::internal

#endif  // WANDB_CLIENT_SRC_MEDIA_TABLE_CELLS_H_
