#pragma once
// Latent columns to float32: IEEE half (fp16) values converted exactly, float32 values copied,
// with a finiteness check in the same pass. Torch-free; the mds_latents training source and the
// latent-read benchmark fill their float batches with these. On x86-64 CPUs with F16C (every
// AVX2 CPU) the conversion uses the hardware instruction, 8 values at a time; elsewhere a scalar
// loop. Both give the same bits as any exact fp16 -> fp32 conversion (LibTorch's, numpy's).

#include <cstddef>
#include <cstdint>

namespace tessera::shards {

// Converts `count` little-endian fp16 values at `src` (any alignment) into `dst`. Returns false
// when any value is NaN or infinite (dst is filled either way).
bool half_to_float_finite(const uint8_t* src, size_t count, float* dst);

// Copies `count` little-endian float32 values at `src` (any alignment) into `dst`. Returns false
// when any value is NaN or infinite.
bool float_copy_finite(const uint8_t* src, size_t count, float* dst);

// Whether half_to_float_finite uses F16C on this CPU.
bool half_convert_uses_f16c();

// The portable scalar conversion alone (what CPUs without F16C run), for tests.
bool half_to_float_finite_scalar(const uint8_t* src, size_t count, float* dst);

}  // namespace tessera::shards
