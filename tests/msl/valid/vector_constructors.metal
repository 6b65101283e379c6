#include <metal_stdlib>
using namespace metal;

kernel void ctor_kernel(device float4 *out [[buffer(0)]],
                        device int4 *iout [[buffer(1)]],
                        uint gid [[thread_position_in_grid]]) {
    float s = float(gid);
    float2 v2a = float2(s);
    float2 v2b = float2(1.0, s);
    float3 v3a = float3(v2a, 1.0);
    float3 v3b = float3(0.5, v2b);
    float3 v3c = float3(s);
    float4 v4a = float4(v3a, 1.0);
    float4 v4b = float4(1.0, v3b);
    float4 v4c = float4(v2a, v2b);
    float4 v4d = float4(v2a, 0.0, 1.0);
    float4 v4e = float4(0.0, v2a, 1.0);
    float4 v4f = float4(0.0, 1.0, v2a);
    float4 v4g = float4(1.0, 2.0, 3.0, 4.0);
    float4 v4h = float4(int4(1, 2, 3, 4));
    int4 i4 = int4(v4g);
    uint2 u2 = uint2(3u, 4u);
    half3 h3 = half3(v3c);
    bool2 b2 = bool2(true, false);
    float4 zero4 = float4();
    float2x2 zm = float2x2();
    float4 br = { 1.0, 2.0, 3.0, 4.0 };
    out[gid] = zero4 + float4(zm[0], zm[1]) + v4a + v4b + v4c + v4d + v4e + v4f + v4h + br + float4(v3b, 0.0) + float4(float3(h3), float(u2.x));
    iout[gid] = i4 + int4(b2.x ? 1 : 0);
}
