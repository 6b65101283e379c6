// EXPECT: 6:29: parameter 'out' of kernel function 'k' needs an attribute
// EXPECT: 6:35: unknown attribute [[bufer]]
#include <metal_stdlib>
using namespace metal;

kernel void k(device float *out [[bufer(0)]], uint gid [[thread_position_in_grid]]) {
    out[gid] = 1.0;
}
