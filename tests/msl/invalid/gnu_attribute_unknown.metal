// EXPECT: 5:23: __attribute__((vector_size)) is not supported
#include <metal_stdlib>
using namespace metal;

static __attribute__((vector_size(16))) float f(float x) { return x; }
kernel void k(device float *out [[buffer(0)]]) { out[0] = f(1.0); }
