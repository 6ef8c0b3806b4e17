# engine/src/training: the training loop, its config, checkpoints, and data-parallel processes.
target_sources(tessera_engine PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/distributed.cpp
)
