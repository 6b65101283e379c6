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

struct Camera {
    float4x4 mvp;
    float3x3 normal_matrix;   // columns padded to 16 bytes in memory
    float2 offsets[3];
};

kernel void transforms(constant Camera &cam [[buffer(0)]],
                       device float4 *out [[buffer(1)]],
                       uint tid [[thread_position_in_grid]])
{
    float4 p = float4(float(tid), 1.0, 2.0, 1.0);
    float3 n = cam.normal_matrix * float3(0.0, 1.0, float(tid));
    float2 o = cam.offsets[tid % 3u];
    out[tid * 3 + 0] = cam.mvp * p;
    out[tid * 3 + 1] = float4(n, cam.normal_matrix[2][1]);
    out[tid * 3 + 2] = float4(o, cam.mvp[3].xy);
    out[tid * 3 + 2].zw += float2(1.0);
}
