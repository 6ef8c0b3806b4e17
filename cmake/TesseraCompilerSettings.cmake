# Compiler settings shared by every Tessera target.

if(TESSERA_USE_CCACHE)
  find_program(TESSERA_CCACHE ccache)
  if(TESSERA_CCACHE)
    set(CMAKE_CXX_COMPILER_LAUNCHER ${TESSERA_CCACHE})
    message(STATUS "ccache: ${TESSERA_CCACHE}")
  endif()
endif()

# Warnings for our own code. Third-party headers (LibTorch, Qt) are included as SYSTEM by
# their imported targets, so they do not drown ours.
add_library(tessera_warnings INTERFACE)
if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
  target_compile_options(tessera_warnings INTERFACE -Wall -Wextra -Wno-unused-parameter)
endif()

# tessera_apply_torch_pch(<target>): precompile <torch/torch.h> once for the engine and let
# every other torch-using target reuse it. A torch translation unit costs ~25 s on two cores
# without it.
function(tessera_apply_torch_pch target)
  if(NOT TESSERA_USE_PCH)
    return()
  endif()
  if(TARGET tessera_torch_pch)
    target_precompile_headers(${target} REUSE_FROM tessera_torch_pch)
  endif()
endfunction()
