# engine/src/kernels: the engine's own GPU kernels, as source text. NVRTC compiles them on the GPU
# node when first used (core/runtime_kernels.h); the engine also compiles them as C++, for the CPU
# emulation that tests them (models/group_norm_nhwc.cpp includes the .cuh files). Here they are
# embedded as one string; a change to a .cuh file re-runs CMake.
set(_tessera_kernel_files
  ${CMAKE_CURRENT_LIST_DIR}/kernel_prelude.cuh
  ${CMAKE_CURRENT_LIST_DIR}/group_norm_nhwc.cuh)
set(TESSERA_GROUP_NORM_NHWC_SOURCE "")
foreach(_file IN LISTS _tessera_kernel_files)
  file(READ ${_file} _text)
  string(APPEND TESSERA_GROUP_NORM_NHWC_SOURCE "${_text}")
endforeach()
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${_tessera_kernel_files})
configure_file(${CMAKE_CURRENT_LIST_DIR}/kernel_sources.cpp.in
               ${CMAKE_CURRENT_BINARY_DIR}/generated/kernel_sources.cpp @ONLY)
target_sources(tessera_engine PRIVATE ${CMAKE_CURRENT_BINARY_DIR}/generated/kernel_sources.cpp)
