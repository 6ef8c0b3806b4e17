find_package(OpenSSL REQUIRED COMPONENTS Crypto)
target_sources(tessera_engine PRIVATE
  src/pipeline/generation_parameters.cpp
  src/pipeline/stable_diffusion_pipeline.cpp
  src/pipeline/unet_graph.cpp
  src/pipeline/image_generator.cpp
  src/pipeline/generation_queue.cpp
  src/pipeline/latent_precompute.cpp
)
target_link_libraries(tessera_engine PRIVATE OpenSSL::Crypto)
