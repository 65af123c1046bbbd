# `cmake --install build --prefix P` lays out:
#   P/include/wandb/...            the public headers (one include folder)
#   P/lib/libwandb.so[.0]          (and libwandb.a with WANDB_BUILD_STATIC)
#   P/lib/cmake/wandb/             the CMake package: find_package(wandb CONFIG) -> wandb::wandb
#   P/lib/pkgconfig/wandb.pc       pkg-config --cflags --libs wandb
#   P/bin/wandb-service, wandb-cpp the daemon (libwandb finds it in ../bin) and the CLI
#   P/share/doc/wandb-cpp/         README and docs/
include(CMakePackageConfigHelpers)

set(WANDB_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/wandb)
set_target_properties(wandb_headers PROPERTIES EXPORT_NAME headers)

set(library_targets wandb wandb_headers)
if(WANDB_BUILD_STATIC)
  list(APPEND library_targets wandb_static)
endif()
install(TARGETS ${library_targets} EXPORT wandbTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT library
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT library)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/client/include/wandb
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT library)
install(TARGETS wandb-service wandb-cpp RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/wandb-cpp)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/ DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/wandb-cpp)

install(EXPORT wandbTargets NAMESPACE wandb:: DESTINATION ${WANDB_CMAKE_DIR})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/wandbConfig.cmake.in
  ${PROJECT_BINARY_DIR}/wandbConfig.cmake INSTALL_DESTINATION ${WANDB_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/wandbConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/wandbConfig.cmake ${PROJECT_BINARY_DIR}/wandbConfigVersion.cmake
  DESTINATION ${WANDB_CMAKE_DIR})

# pkg-config: the prefix is found from the .pc file's own place, so the file is right
# wherever --prefix puts it. The static library's dependencies are private requirements
# (pkg-config --static), named only when it is built.
set(WANDB_PC_REQUIRES_PRIVATE "")
set(WANDB_PC_LIBS_PRIVATE "")
if(WANDB_BUILD_STATIC)
  set(WANDB_PC_REQUIRES_PRIVATE "Requires.private: grpc++ protobuf yaml-cpp libpng libgif sndfile libcrypto zlib absl_status absl_statusor absl_strings absl_str_format absl_synchronization absl_time absl_flat_hash_map absl_random_random")
  set(WANDB_PC_LIBS_PRIVATE "Libs.private: -lpthread -ldl")
endif()
file(RELATIVE_PATH WANDB_PC_TO_PREFIX
  /prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig /prefix)
configure_file(${PROJECT_SOURCE_DIR}/cmake/wandb.pc.in ${PROJECT_BINARY_DIR}/wandb.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/wandb.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
