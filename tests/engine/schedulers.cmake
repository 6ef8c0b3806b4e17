# engine/src/schedulers suites: configs (data-driven errors) and golden trajectories vs diffusers.
tessera_add_test(tst_schedulers SOURCES tst_schedulers.cpp LABELS unit TORCH)
tessera_add_test(tst_scheduler_config SOURCES tst_scheduler_config.cpp LABELS unit TORCH)
