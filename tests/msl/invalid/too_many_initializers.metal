// EXPECT: 6:35: too many initializers for 'float[3]'
#include <metal_stdlib>
using namespace metal;

kernel void k(device float *out [[buffer(0)]], uint gid [[thread_position_in_grid]]) {
    float w[3] = { 1.0, 2.0, 3.0, 4.0 };
    out[gid] = w[0];
}
