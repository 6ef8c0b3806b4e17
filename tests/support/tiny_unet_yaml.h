#pragma once
// The tiny UNet the training tests share (two levels of 32 and 64 channels, 2 and 4 heads,
// cross-attention width 32, linear projections), as the lines of a run config's `model.unet:`
// block, indented for their place under `model:`.

inline const char* tiny_unet_yaml() {
  return "    block_out_channels: [32, 64]\n"
         "    down_block_types: [CrossAttnDownBlock2D, DownBlock2D]\n"
         "    up_block_types: [UpBlock2D, CrossAttnUpBlock2D]\n"
         "    layers_per_block: 1\n"
         "    attention_head_dim: [2, 4]\n"
         "    cross_attention_dim: 32\n"
         "    norm_num_groups: 8\n"
         "    use_linear_projection: true\n";
}
