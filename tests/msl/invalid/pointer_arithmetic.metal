// EXPECT: 6:27: pointer arithmetic and comparison are not supported
#include <metal_stdlib>
using namespace metal;

kernel void k(device float *out [[buffer(0)]], uint gid [[thread_position_in_grid]]) {
    device float *p = out + gid;
    *p = 1.0;
}
