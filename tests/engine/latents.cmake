# `tessera latents` (engine/src/pipeline/latent_precompute.cpp) on the golden tiny SD2 model:
# values against the encoders, kill -9 + rerun and two ranks give the bytes of one run, training
# reads the shards. Runs the CLI as a process; tens of seconds.
tessera_add_test(tst_latents SOURCES tst_latents.cpp LABELS unit TORCH TIMEOUT 600)
add_dependencies(tst_latents tessera)
