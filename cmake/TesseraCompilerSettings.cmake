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
# without it. Loading the 570 MB header is itself ~8 s of compiler time, while a source that
# never reaches a LibTorch header compiles in ~1 s without it; so the sources (and AUTOMOC's
# mocs_compilation.cpp) whose includes, followed transitively, never reach torch/ATen/c10 are
# compiled without it. A wrong guess costs only time: a source that needs torch but includes it
# through nothing of its own fails to compile, which is a missing include to add.
function(tessera_apply_torch_pch target)
  if(NOT TESSERA_USE_PCH)
    return()
  endif()
  if(TARGET tessera_torch_pch)
    target_precompile_headers(${target} REUSE_FROM tessera_torch_pch)
    get_target_property(_sources ${target} SOURCES)
    get_target_property(_source_dir ${target} SOURCE_DIR)
    foreach(_source IN LISTS _sources)
      if(NOT _source MATCHES "\\.(cpp|cc|cxx)$")
        continue()
      endif()
      get_filename_component(_path "${_source}" ABSOLUTE BASE_DIR "${_source_dir}")
      _tessera_reaches_torch("${_path}" _uses_torch)
      if(NOT _uses_torch)
        set_source_files_properties("${_source}" PROPERTIES SKIP_PRECOMPILE_HEADERS ON)
      endif()
    endforeach()
    get_target_property(_automoc ${target} AUTOMOC)
    if(_automoc)
      get_target_property(_binary_dir ${target} BINARY_DIR)
      set_source_files_properties("${_binary_dir}/${target}_autogen/mocs_compilation.cpp"
                                  PROPERTIES SKIP_PRECOMPILE_HEADERS ON)
    endif()
  endif()
endfunction()

# _tessera_reaches_torch(<file> <out-var>): TRUE when <file> includes a LibTorch header
# (<torch/...>, <ATen/...>, <c10/...>, <caffe2/...>) directly or through the project's own
# headers ("..." includes found beside the file, in engine/src, engine/include or tests/support,
# and <tessera/...>). Results are remembered for the whole configure run.
function(_tessera_reaches_torch file out)
  string(MD5 _hash "${file}")
  set(_key "TESSERA_TORCH_SCAN_${_hash}")
  get_property(_known GLOBAL PROPERTY ${_key} SET)
  if(_known)
    get_property(_result GLOBAL PROPERTY ${_key})
    set(${out} ${_result} PARENT_SCOPE)
    return()
  endif()
  # Assumed false while this file is being scanned, so an include cycle ends.
  set_property(GLOBAL PROPERTY ${_key} FALSE)
  set(_result FALSE)
  if(EXISTS "${file}")
    file(STRINGS "${file}" _includes REGEX "^[ \t]*#[ \t]*include[ \t]*[<\"]")
    get_filename_component(_dir "${file}" DIRECTORY)
    foreach(_line IN LISTS _includes)
      if(_line MATCHES "<(torch|ATen|c10|caffe2)/")
        set(_result TRUE)
        break()
      endif()
      set(_name "")
      if(_line MATCHES "\"([^\"]+)\"")
        set(_name "${CMAKE_MATCH_1}")
      elseif(_line MATCHES "<(tessera/[^>]+)>")
        set(_name "${CMAKE_MATCH_1}")
      endif()
      if(_name STREQUAL "")
        continue()
      endif()
      foreach(_base "${_dir}" "${PROJECT_SOURCE_DIR}/engine/src" "${PROJECT_SOURCE_DIR}/engine/include"
                    "${PROJECT_SOURCE_DIR}/tests/support")
        if(EXISTS "${_base}/${_name}")
          get_filename_component(_header "${_base}/${_name}" ABSOLUTE)
          _tessera_reaches_torch("${_header}" _header_torch)
          if(_header_torch)
            set(_result TRUE)
          endif()
          break()
        endif()
      endforeach()
      if(_result)
        break()
      endif()
    endforeach()
  endif()
  set_property(GLOBAL PROPERTY ${_key} ${_result})
  set(${out} ${_result} PARENT_SCOPE)
endfunction()
