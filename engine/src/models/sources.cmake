# engine/src/models: diffusion model architectures (UNet, VAE) and their shared layers.
# (clip_text_model.* lives here too but is listed by ../text/sources.cmake.)
target_sources(tessera_engine PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/config_reader.cpp
  ${CMAKE_CURRENT_LIST_DIR}/resnet_block.cpp
  ${CMAKE_CURRENT_LIST_DIR}/attention.cpp
  ${CMAKE_CURRENT_LIST_DIR}/memory_format.cpp
  ${CMAKE_CURRENT_LIST_DIR}/transformer_2d.cpp
  ${CMAKE_CURRENT_LIST_DIR}/embeddings.cpp
  ${CMAKE_CURRENT_LIST_DIR}/resampling.cpp
  ${CMAKE_CURRENT_LIST_DIR}/gradient_checkpoint.cpp
  ${CMAKE_CURRENT_LIST_DIR}/low_precision_norm.cpp
  ${CMAKE_CURRENT_LIST_DIR}/group_norm_nhwc.cpp
  ${CMAKE_CURRENT_LIST_DIR}/fused_geglu.cpp
  ${CMAKE_CURRENT_LIST_DIR}/unet_2d_blocks.cpp
  ${CMAKE_CURRENT_LIST_DIR}/unet_2d_condition.cpp
  ${CMAKE_CURRENT_LIST_DIR}/vae_coder.cpp
  ${CMAKE_CURRENT_LIST_DIR}/autoencoder_kl.cpp
)
