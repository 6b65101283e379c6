// EXPECT: 7:18: invalid swizzle 'xz' on 'float2'
#include <metal_stdlib>
using namespace metal;

kernel void k(device float2 *out [[buffer(0)]], uint gid [[thread_position_in_grid]]) {
    float2 v = out[gid];
    out[gid] = v.xz;
}
