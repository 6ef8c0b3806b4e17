# engine/src/bench suites: the inference fast paths the benchmark relies on (same numbers as the
# plain paths), the compiled-in configurations, and `tessera bench` run as a process (tiny model).
tessera_add_test(tst_bench SOURCES tst_bench.cpp LABELS unit TORCH)
tessera_add_test(tst_cli_bench SOURCES ${PROJECT_SOURCE_DIR}/tests/cli/tst_cli_bench.cpp LABELS unit TIMEOUT 600)
add_dependencies(tst_cli_bench tessera)
# Preloaded into a benchmark child that then crashes as it exits (diedAfterItsResultIsStillReported).
add_library(tessera_exit_crash_preload MODULE ${PROJECT_SOURCE_DIR}/tests/cli/exit_crash_preload.cpp)
add_dependencies(tst_cli_bench tessera_exit_crash_preload)
target_compile_definitions(tst_cli_bench PRIVATE TESSERA_EXIT_CRASH_PRELOAD="$<TARGET_FILE:tessera_exit_crash_preload>")
# The profile summary of `tessera bench --profile`, on made-up host and device events.
tessera_add_test(tst_profile_summary SOURCES tst_profile_summary.cpp LABELS unit LIBS tessera_engine_internal)
