#include "models/cost_estimate.h"

#include <algorithm>
#include <cmath>

CostEstimate estimateCost(const CostInput& in) {
  CostEstimate e;
  if (in.steps <= 0 || in.globalBatch <= 0 || in.gpus <= 0 || in.imagesPerSecondPerGpu <= 0 || in.pricePerGpuHour < 0 ||
      in.overheadPercent < 0 || in.extraGpuHours < 0)
    return e;
  e.images = double(in.steps) * double(in.globalBatch);
  const double seconds = e.images / (double(in.gpus) * in.imagesPerSecondPerGpu) * (1.0 + in.overheadPercent / 100.0);
  e.hours = seconds / 3600.0;
  e.gpuHours = e.hours * in.gpus + in.extraGpuHours;
  e.cost = e.gpuHours * in.pricePerGpuHour;
  e.valid = true;
  return e;
}

double referenceImagesPerSecondPerGpu(int imageSize, int gpus) {
  if (imageSize < 8 || gpus < 1) return 0;
  // Anchors: {8 GPUs, 128 GPUs} per GPU at 256 and 512 px.
  const auto at = [gpus](double eight, double many) {
    const double t = std::clamp((std::log2(double(gpus)) - 3.0) / 4.0, 0.0, 1.0);
    return eight + (many - eight) * t;
  };
  const double r256 = at(137.5, 11600.0 / 128.0);
  const double r512 = at(36.25, 4590.0 / 128.0);
  if (imageSize == 256) return r256;
  if (imageSize == 512) return r512;
  // Between the anchors: geometric interpolation in pixels; outside: the nearest anchor scaled
  // by the pixel ratio (attention makes large sizes worse than that, so it is optimistic there).
  const double pixels = double(imageSize) * imageSize;
  if (imageSize < 256) return r256 * (256.0 * 256.0) / pixels;
  if (imageSize > 512) return r512 * (512.0 * 512.0) / pixels;
  const double t = std::log(pixels / (256.0 * 256.0)) / std::log(4.0);
  return std::exp(std::log(r256) + (std::log(r512) - std::log(r256)) * t);
}
