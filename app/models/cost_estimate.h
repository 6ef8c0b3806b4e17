#pragma once
// The cost and time of a training run: steps × global batch = images; images ÷ (GPUs × images/s
// per GPU) = hours, stretched by an overhead for what is not a training step (evaluation,
// checkpoints, restarts); GPU-hours × price = cost. Plain functions, so the Train page and the
// tests compute alike.

#include <QString>

struct CostInput {
  qint64 steps = 0;              // optimizer steps (max_duration)
  qint64 globalBatch = 0;        // images per step
  int gpus = 1;
  double imagesPerSecondPerGpu = 0;
  double pricePerGpuHour = 0;
  double overheadPercent = 0;    // added to the pure step time
  double extraGpuHours = 0;      // e.g. the latent precomputation, billed at the same price
};

struct CostEstimate {
  bool valid = false;            // false when an input is zero or negative
  double images = 0;
  double hours = 0;              // wall clock for the training itself
  double gpuHours = 0;           // including extraGpuHours
  double cost = 0;
};

CostEstimate estimateCost(const CostInput& input);

// Reference throughput (images/s per A100, UNet only, precomputed latents; mosaicml/diffusion's
// README): 137.5 at 256 px and 36 at 512 px on 8 GPUs, 90.6 and 35.9 per GPU on 128. Other GPU
// counts are interpolated in log2(GPUs) and held flat outside 8..128; other sizes scale with the
// number of latent pixels from the nearest anchor. 0 below 8 px.
double referenceImagesPerSecondPerGpu(int imageSize, int gpus);

// The reference run's overhead: 20,051 A100-hours spent on training against 16,937 at the
// 128-GPU throughput above (550k + 850k steps at batch 2048), i.e. about 18 %.
constexpr double kReferenceOverheadPercent = 18.0;
// Its latent precomputation, billed separately: 3,784 A100-hours.
constexpr double kReferenceLatentGpuHours = 3784.0;
