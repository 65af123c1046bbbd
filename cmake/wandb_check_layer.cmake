# The build enforces the layers of docs/design.md ("Layers"): each folder's library links
# only the libraries below it, and may use nothing else.
#
# wandb_check_layer(<static library>) checks two things:
# - at build time, the library links everything it uses: it is linked alone into a shared
#   object with --no-undefined, so every symbol it uses must come from the libraries it names.
#   (A static library never checks this itself, and an executable that links every layer
#   would hide a missing dependency.) Sanitizer runtimes leave their own symbols undefined in
#   shared objects, so sanitizer builds skip this part.
# - at configure time, no layer reaches itself through the libraries it links: CMake accepts
#   cycles among static libraries, the layers must not have one.

function(wandb_check_layer target)
  set_property(GLOBAL APPEND PROPERTY WANDB_LAYERS ${target})
  if(WANDB_SANITIZE)
    return()
  endif()
  set(source ${CMAKE_BINARY_DIR}/layer_check.cc)
  if(NOT EXISTS ${source})
    file(WRITE ${source} "// Empty: the layer's own objects are what is linked.\n")
  endif()
  add_library(${target}_layer_check SHARED ${source})
  target_link_libraries(${target}_layer_check PRIVATE "$<LINK_LIBRARY:WHOLE_ARCHIVE,${target}>")
  target_link_options(${target}_layer_check PRIVATE -Wl,--no-undefined)
  set_target_properties(${target}_layer_check PROPERTIES
    LIBRARY_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/layer_check)
endfunction()

function(_wandb_check_layer_cycles)
  get_property(layers GLOBAL PROPERTY WANDB_LAYERS)
  foreach(layer ${layers})
    get_target_property(queue ${layer} LINK_LIBRARIES)
    set(seen)
    while(queue)
      list(POP_FRONT queue next)
      if(next STREQUAL layer)
        message(FATAL_ERROR "${layer} reaches itself through ${seen}: the layers form a cycle")
      endif()
      if(NOT next IN_LIST layers OR next IN_LIST seen)
        continue()
      endif()
      list(APPEND seen ${next})
      get_target_property(deps ${next} LINK_LIBRARIES)
      if(deps)
        list(APPEND queue ${deps})
      endif()
    endwhile()
  endforeach()
endfunction()

# After every folder has declared its library.
cmake_language(DEFER DIRECTORY ${PROJECT_SOURCE_DIR} CALL _wandb_check_layer_cycles)
