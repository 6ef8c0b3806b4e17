# engine/src/training suites: the run config and presets, the parameter updates (AdamW, flat
# buffers, clipping, EMA), the diffusion objective, and the training loop on tiny models
# (checkpoints, exact resume, NaN policies, export). All unit: seconds each.
tessera_add_test(tst_run_config SOURCES tst_run_config.cpp LABELS unit TORCH)
tessera_add_test(tst_parameter_updates SOURCES tst_parameter_updates.cpp LABELS unit TORCH)
tessera_add_test(tst_training_objective SOURCES tst_training_objective.cpp LABELS unit TORCH)
tessera_add_test(tst_trainer SOURCES tst_trainer.cpp LABELS unit TORCH)
# The staged forward and backward passes of trainer.cuda_graph, op by op (the capture: tst_cuda).
tessera_add_test(tst_step_graph SOURCES tst_step_graph.cpp LABELS unit TORCH)
# Image shards in training, the VAE trained by the run trainer (model.trains: vae) and exported,
# frozen encoders in bf16.
tessera_add_test(tst_vae_training SOURCES tst_vae_training.cpp LABELS unit TORCH)
# `tessera train` as a process, killed with SIGKILL at random moments and resumed (lives with the
# CLI tests, registered here so that tests/cli/CMakeLists.txt stays untouched).
tessera_add_test(tst_cli_train SOURCES ${PROJECT_SOURCE_DIR}/tests/cli/tst_cli_train.cpp LABELS slow TIMEOUT 900)
add_dependencies(tst_cli_train tessera)
# The demo project's parts (BPE vocabulary, shapes and their judge, autoencoder training) and its
# stages end to end at toy sizes.
tessera_add_test(tst_demo SOURCES tst_demo.cpp LABELS unit TORCH)
# The demo project at full size (about a quarter of an hour on 2 cores): its model must follow
# held-out captions.
tessera_add_test(tst_demo_quality SOURCES ${PROJECT_SOURCE_DIR}/tests/cli/tst_demo_quality.cpp LABELS long TIMEOUT 3000)
add_dependencies(tst_demo_quality tessera)
