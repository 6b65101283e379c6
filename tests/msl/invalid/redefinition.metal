// EXPECT: 7:11: redefinition of 'x'
#include <metal_stdlib>
using namespace metal;

kernel void k(device float *out [[buffer(0)]], uint gid [[thread_position_in_grid]]) {
    float x = 1.0;
    float x = 2.0;
    out[gid] = x;
}
