#pragma once
// The generation the golden pipeline references (../shared/golden/reference/pipeline*.safetensors)
// were made with: diffusers' StableDiffusionPipeline on the tiny models with these settings.

#include "pipeline/stable_diffusion_pipeline.h"

inline tessera::pipeline::GenerationSettings golden_generation_settings() {
  tessera::pipeline::GenerationSettings s;
  s.prompt = "a red cube on a table";
  s.negative_prompt = "blurry";
  s.guidance_scale = 7.5;
  s.steps = 10;
  s.width = 32;
  s.height = 32;
  s.seed = 1234;
  return s;
}
