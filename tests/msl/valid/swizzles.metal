#include <metal_stdlib>
using namespace metal;

kernel void swizzle_kernel(device float4 *data [[buffer(0)]],
                           uint gid [[thread_position_in_grid]]) {
    float4 v = data[gid];
    float4 w = v.wzyx;
    float3 c = v.rgb;
    float2 a = v.xx;
    float4 b = v.xxyy + w.rrgg;
    v.xy = v.yx;
    v.rgb = c.bgr;
    v.w = a.y;
    v.zw *= 2.0;
    v.x += b.z;
    float s = v.g;
    data[gid] = float4(v.xyz, s);
    data[gid].yw = float2(1.0, 2.0);
}
