# engine/src/shards: MDS shard sets (mosaicml-streaming's format) and the streaming reader that
# feeds training. Torch-free, so it is a library of its own (no torch headers, no precompiled
# header) that the engine links, and that torch-free tests and the fuzzer can use directly.
find_package(PkgConfig REQUIRED)
find_package(OpenSSL REQUIRED COMPONENTS Crypto)
pkg_check_modules(TESSERA_ZSTD REQUIRED IMPORTED_TARGET GLOBAL libzstd)
pkg_check_modules(TESSERA_XXHASH REQUIRED IMPORTED_TARGET GLOBAL libxxhash)

add_library(tessera_shards STATIC
  ${CMAKE_CURRENT_LIST_DIR}/python_json.cpp
  ${CMAKE_CURRENT_LIST_DIR}/mds_hash.cpp
  ${CMAKE_CURRENT_LIST_DIR}/half_convert.cpp
  ${CMAKE_CURRENT_LIST_DIR}/mds_encoding.cpp
  ${CMAKE_CURRENT_LIST_DIR}/mds_format.cpp
  ${CMAKE_CURRENT_LIST_DIR}/mds_writer.cpp
  ${CMAKE_CURRENT_LIST_DIR}/mds_reader.cpp
  ${CMAKE_CURRENT_LIST_DIR}/mds_inspect.cpp
  ${CMAKE_CURRENT_LIST_DIR}/streaming_order.cpp
  ${CMAKE_CURRENT_LIST_DIR}/streaming_reader.cpp
  ${CMAKE_CURRENT_LIST_DIR}/latent_shard_info.cpp
)
target_include_directories(tessera_shards
  PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/include ${CMAKE_CURRENT_SOURCE_DIR}/src)
target_link_libraries(tessera_shards
  PUBLIC nlohmann_json::nlohmann_json Threads::Threads
  PRIVATE OpenSSL::Crypto PkgConfig::TESSERA_ZSTD PkgConfig::TESSERA_XXHASH tessera_warnings)
set_target_properties(tessera_shards PROPERTIES POSITION_INDEPENDENT_CODE ON)
# libxxhash built with its x86 dispatcher (Debian's is) picks AVX2/AVX-512 XXH3 at run time: 4x
# the baseline SSE2 code here (69 vs 16 GB/s), which is what a first pass over latent shards
# spends hashing them.
include(CheckLibraryExists)
check_library_exists(xxhash XXH3_64bits_update_dispatch "${TESSERA_XXHASH_LIBRARY_DIRS}" TESSERA_XXHASH_HAS_DISPATCH)
if(TESSERA_XXHASH_HAS_DISPATCH)
  set_property(SOURCE ${CMAKE_CURRENT_LIST_DIR}/mds_hash.cpp APPEND PROPERTY COMPILE_DEFINITIONS TESSERA_XXHASH_DISPATCH)
endif()
target_link_libraries(tessera_engine PRIVATE tessera_shards)
