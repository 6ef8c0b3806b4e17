# engine/src/shards suites: MDS shard sets (torch-free; they link the shards library only).
tessera_add_test(tst_mds SOURCES tst_mds.cpp LABELS unit LIBS tessera_shards)
target_compile_definitions(tst_mds PRIVATE TESSERA_TEST_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
tessera_add_test(tst_streaming_reader SOURCES tst_streaming_reader.cpp LABELS unit LIBS tessera_shards)
target_compile_definitions(tst_streaming_reader PRIVATE TESSERA_TEST_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
# `tessera shards` run as a process (lives with the CLI tests, registered here so that
# tests/cli/CMakeLists.txt stays untouched).
tessera_add_test(tst_cli_shards SOURCES ${PROJECT_SOURCE_DIR}/tests/cli/tst_cli_shards.cpp LABELS unit)
target_compile_definitions(tst_cli_shards PRIVATE TESSERA_TEST_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
add_dependencies(tst_cli_shards tessera)
