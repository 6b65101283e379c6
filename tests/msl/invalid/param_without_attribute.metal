// EXPECT: 5:29: parameter 'out' of kernel function 'k' needs an attribute
#include <metal_stdlib>
using namespace metal;

kernel void k(device float *out, uint gid [[thread_position_in_grid]]) {
    out[gid] = 1.0;
}
