# engine/src/bench suites: the inference fast paths the benchmark relies on (same numbers as the
# plain paths), the compiled-in configurations, and `tessera bench` run as a process (tiny model).
tessera_add_test(tst_bench SOURCES tst_bench.cpp LABELS unit TORCH)
tessera_add_test(tst_cli_bench SOURCES ${PROJECT_SOURCE_DIR}/tests/cli/tst_cli_bench.cpp LABELS unit TIMEOUT 600)
add_dependencies(tst_cli_bench tessera)
