# engine/src/training/distributed: rank/world from the environment and real multi-process Gloo.
tessera_add_test(tst_distributed SOURCES tst_distributed.cpp LABELS unit TORCH TIMEOUT 300)
# `tessera train` as 1 rank and as 2 Gloo ranks: same weights.
tessera_add_test(tst_train_ranks SOURCES tst_train_ranks.cpp LABELS unit TORCH TIMEOUT 600)
add_dependencies(tst_train_ranks tessera)
