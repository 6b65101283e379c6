// EXPECT: 7:11: cannot assign to 'limit': it is const
#include <metal_stdlib>
using namespace metal;

kernel void k(device float *out [[buffer(0)]], uint gid [[thread_position_in_grid]]) {
    const float limit = 2.0;
    limit = 3.0;
    out[gid] = limit;
}
