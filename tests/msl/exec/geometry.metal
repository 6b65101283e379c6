#include <metal_stdlib>
using namespace metal;

kernel void geometry(device const float3 *in [[buffer(0)]],
                     device float *out [[buffer(1)]],
                     uint tid [[thread_position_in_grid]])
{
    float3 a = in[tid * 2];
    float3 b = in[tid * 2 + 1];
    float3 c = cross(a, b);
    float3 n = normalize(a);
    float3 r = reflect(a, normalize(b));
    out[tid * 12 + 0] = dot(a, b);
    out[tid * 12 + 1] = length(a);
    out[tid * 12 + 2] = distance(a, b);
    out[tid * 12 + 3] = c.x; out[tid * 12 + 4] = c.y; out[tid * 12 + 5] = c.z;
    out[tid * 12 + 6] = n.x; out[tid * 12 + 7] = n.y; out[tid * 12 + 8] = n.z;
    out[tid * 12 + 9] = r.x; out[tid * 12 + 10] = r.y; out[tid * 12 + 11] = r.z;
}

kernel void relational(device const float4 *in [[buffer(0)]],
                       device uint *out [[buffer(1)]],
                       uint tid [[thread_position_in_grid]])
{
    float4 v = in[tid];
    bool4 nan4 = isnan(v);
    bool4 inf4 = isinf(v);
    float4 s = select(float4(1.0), float4(2.0), v > float4(0.0));
    out[tid * 5 + 0] = any(nan4) ? 1u : 0u;
    out[tid * 5 + 1] = all(v > float4(-1.0)) ? 1u : 0u;
    out[tid * 5 + 2] = (inf4.x ? 1u : 0u) | (inf4.y ? 2u : 0u) | (inf4.z ? 4u : 0u) | (inf4.w ? 8u : 0u);
    out[tid * 5 + 3] = uint(s.x + s.y * 2.0 + s.z * 4.0 + s.w * 8.0);
    out[tid * 5 + 4] = (nan4.x ? 1u : 0u) | (nan4.w ? 8u : 0u);
}
