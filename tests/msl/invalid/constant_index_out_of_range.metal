// EXPECT: 7:18: index 4 is out of range for 'float[4]'
#include <metal_stdlib>
using namespace metal;

kernel void k(device float *out [[buffer(0)]], uint gid [[thread_position_in_grid]]) {
    float w[4] = { 1, 2, 3, 4 };
    out[gid] = w[4];
}
