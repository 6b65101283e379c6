// EXPECT: 7:10: expression is not assignable
#include <metal_stdlib>
using namespace metal;

kernel void k(device float4 *out [[buffer(0)]], uint gid [[thread_position_in_grid]]) {
    float4 v = out[gid];
    v.xx = float2(1.0, 2.0);
    out[gid] = v;
}
