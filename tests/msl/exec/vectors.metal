#include <metal_stdlib>
using namespace metal;

kernel void swizzles(device float4 *out [[buffer(0)]], uint tid [[thread_position_in_grid]])
{
    float t = float(tid);
    float4 v = float4(t, t + 1.0, t + 2.0, t + 3.0);
    float4 w = v.wzyx;            // reversed
    v.xy = v.yx;                  // swap in place
    w.zw = float2(10.0, 20.0) * t;
    float3 c = float3(v.xy, 7.0);
    c.z += 1.0;
    float2 p = float2(1.0, 2.0);
    float4 q = float4(p, p.yx);
    out[tid * 4 + 0] = v;
    out[tid * 4 + 1] = w;
    out[tid * 4 + 2] = float4(c, dot(c, float3(1.0)));
    out[tid * 4 + 3] = q * float4(2.0) + v.rgba - w.bgra;
}

kernel void matrices(device float4 *out [[buffer(0)]], uint tid [[thread_position_in_grid]])
{
    float a = float(tid);
    float2x2 m = float2x2(float2(1.0, a), float2(2.0, 3.0));
    float2 v = m * float2(1.0, 2.0);
    float2 u = float2(1.0, 2.0) * m;
    float3x3 id = float3x3(1.0);
    float3 w = id * float3(a, 2.0 * a, 3.0);
    out[tid * 2 + 0] = float4(v, u);
    out[tid * 2 + 1] = float4(w, m[1][0]);
}
