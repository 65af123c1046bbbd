# wandb_hide_symbols(<target>): compiles the target with hidden symbols, so that the shared
# library made of it exports only what the public headers mark WANDB_API. Every library
# linked into libwandb uses it: the generated protobuf code above all must stay private, or it
# would clash with another copy of protobuf in the same process (libtorch's, TensorFlow's).
function(wandb_hide_symbols target)
  set_target_properties(${target} PROPERTIES
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
endfunction()
