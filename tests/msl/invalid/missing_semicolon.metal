// EXPECT: 6:18: expected ';'
#include <metal_stdlib>
using namespace metal;

kernel void k(device float *out [[buffer(0)]], uint gid [[thread_position_in_grid]]) {
    float x = 1.0
    out[gid] = x;
}
