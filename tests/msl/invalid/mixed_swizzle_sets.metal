// EXPECT: 7:18: invalid swizzle 'xgba'
#include <metal_stdlib>
using namespace metal;

kernel void k(device float4 *out [[buffer(0)]], uint gid [[thread_position_in_grid]]) {
    float4 v = out[gid];
    out[gid] = v.xgba;
}
