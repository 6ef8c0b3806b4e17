# engine/src/kernels: the engine's own GPU kernels, as source text. NVRTC compiles them on the GPU
# node when first used (core/runtime_kernels.h); the engine also compiles them as C++, for the CPU
# emulation that tests them (kernels/cpu_emulation.h). Here each kernel file, after the shared
# prelude, is embedded as one string; a change to a .cuh file re-runs CMake.
set(_tessera_kernel_prelude ${CMAKE_CURRENT_LIST_DIR}/kernel_prelude.cuh)
file(READ ${_tessera_kernel_prelude} _tessera_prelude_text)
foreach(_kernel group_norm_nhwc geglu)
  file(READ ${CMAKE_CURRENT_LIST_DIR}/${_kernel}.cuh _text)
  string(TOUPPER ${_kernel} _upper)
  set(TESSERA_${_upper}_SOURCE "${_tessera_prelude_text}${_text}")
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/${_kernel}.cuh)
endforeach()
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${_tessera_kernel_prelude})
configure_file(${CMAKE_CURRENT_LIST_DIR}/kernel_sources.cpp.in
               ${CMAKE_CURRENT_BINARY_DIR}/generated/kernel_sources.cpp @ONLY)
target_sources(tessera_engine PRIVATE ${CMAKE_CURRENT_BINARY_DIR}/generated/kernel_sources.cpp)
