# engine/src/models suites: configs and layers (unit), golden UNet / VAE against diffusers
# (unit, seconds), and the full-size SD2-base architectures (slow: builds ~950M parameters).
tessera_add_test(tst_model_configs SOURCES tst_model_configs.cpp LABELS unit TORCH)
tessera_add_test(tst_unet SOURCES tst_unet.cpp LABELS unit TORCH)
tessera_add_test(tst_vae SOURCES tst_vae.cpp LABELS unit TORCH)
tessera_add_test(tst_sd2_architecture SOURCES tst_sd2_architecture.cpp LABELS unit slow TORCH TIMEOUT 900)
tessera_add_test(tst_group_norm_nhwc SOURCES tst_group_norm_nhwc.cpp LABELS unit TORCH)
tessera_add_test(tst_fused_geglu SOURCES tst_fused_geglu.cpp LABELS unit TORCH)
