// Carrier of the precompiled <torch/torch.h> that engine targets reuse (see engine/CMakeLists.txt).
