// EXPECT: 5:35: buffer index 31 is out of range (0..30)
#include <metal_stdlib>
using namespace metal;

kernel void k(device float *out [[buffer(31)]], uint gid [[thread_position_in_grid]]) {
    out[gid] = 1.0;
}
