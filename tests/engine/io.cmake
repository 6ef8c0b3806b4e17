# engine/src/io suites: safetensors reading/writing, state dicts, `tessera inspect`.
tessera_add_test(tst_safetensors SOURCES tst_safetensors.cpp LABELS unit TORCH)
tessera_add_test(tst_state_dict SOURCES tst_state_dict.cpp LABELS unit TORCH)
tessera_add_test(tst_diffusers_folder SOURCES tst_diffusers_folder.cpp LABELS unit TORCH)
# The `tessera inspect` command, run as a process (lives with the CLI tests, registered here so
# that tests/cli/CMakeLists.txt stays untouched).
tessera_add_test(tst_cli_inspect SOURCES ${PROJECT_SOURCE_DIR}/tests/cli/tst_cli_inspect.cpp LABELS unit)
add_dependencies(tst_cli_inspect tessera)
