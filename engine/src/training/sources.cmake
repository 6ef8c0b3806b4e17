# engine/src/training: the training loop, its config, checkpoints, and data-parallel processes.
find_package(yaml-cpp REQUIRED)
target_sources(tessera_engine PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/distributed.cpp
  ${CMAKE_CURRENT_LIST_DIR}/run_config.cpp
  ${CMAKE_CURRENT_LIST_DIR}/metrics_log.cpp
  ${CMAKE_CURRENT_LIST_DIR}/parameter_updates.cpp
  ${CMAKE_CURRENT_LIST_DIR}/adamw_kernel.cpp
  ${CMAKE_CURRENT_LIST_DIR}/loss_scaler.cpp
  ${CMAKE_CURRENT_LIST_DIR}/data_source.cpp
  ${CMAKE_CURRENT_LIST_DIR}/diffusion_objective.cpp
  ${CMAKE_CURRENT_LIST_DIR}/microbatch.cpp
  ${CMAKE_CURRENT_LIST_DIR}/host_to_device.cpp
  ${CMAKE_CURRENT_LIST_DIR}/checkpoint.cpp
  ${CMAKE_CURRENT_LIST_DIR}/trained_weights.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sample_images.cpp
  ${CMAKE_CURRENT_LIST_DIR}/step_graph.cpp
  ${CMAKE_CURRENT_LIST_DIR}/trainer.cpp
  ${CMAKE_CURRENT_LIST_DIR}/watchdog.cpp
  ${CMAKE_CURRENT_LIST_DIR}/train_facade.cpp
  ${CMAKE_CURRENT_LIST_DIR}/autoencoder_training.cpp
)
target_link_libraries(tessera_engine PRIVATE yaml-cpp)
# The fused AdamW loop vectorises only without errno semantics for sqrt; it includes no torch
# header, so it skips the precompiled one (whose flags would have to match).
set_source_files_properties(${CMAKE_CURRENT_LIST_DIR}/adamw_kernel.cpp PROPERTIES
  COMPILE_OPTIONS "-fno-math-errno;-O3"
  SKIP_PRECOMPILE_HEADERS ON)
# A CUDA LibTorch whose NCCL headers are missing (pip's torch without nvidia-nccl's include/):
# build the process groups without NCCL (CUDA ranks then use Gloo).
option(TESSERA_WITHOUT_NCCL "Do not use LibTorch's NCCL process group even where it has one" OFF)
if(TESSERA_WITHOUT_NCCL)
  set_property(SOURCE ${CMAKE_CURRENT_LIST_DIR}/distributed.cpp ${CMAKE_CURRENT_LIST_DIR}/../core/runtime.cpp
               APPEND PROPERTY COMPILE_DEFINITIONS TESSERA_WITHOUT_NCCL)
endif()
