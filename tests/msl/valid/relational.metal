#include <metal_stdlib>
using namespace metal;

kernel void rel_kernel(device float4 *v [[buffer(0)]],
                       device uint *flags [[buffer(1)]],
                       uint gid [[thread_position_in_grid]]) {
    float4 x = v[gid];
    bool4 neg = x < float4(0.0);
    bool4 bad = isnan(x) | isinf(x);
    float4 fixed = select(x, float4(0.0), bad);
    float4 pos = select(fixed, -fixed, neg);
    uint f = 0u;
    if (any(neg)) f |= 1u;
    if (all(pos >= 0.0)) f |= 2u;
    if (isnan(x.x)) f |= 4u;
    float s = select(1.0, 2.0, x.y > 0.0);
    v[gid] = pos * s;
    flags[gid] = f;
}
