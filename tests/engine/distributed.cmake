# engine/src/training/distributed: rank/world from the environment and real multi-process Gloo.
tessera_add_test(tst_distributed SOURCES tst_distributed.cpp LABELS unit TORCH TIMEOUT 300)
