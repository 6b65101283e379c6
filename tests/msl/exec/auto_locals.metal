// `auto` locals as modern shader code writes them: the type comes from
// the initializer (vectors, matrices, struct members, integer loop counters).
#include <metal_stdlib>
using namespace metal;

struct Light { float3 direction; float intensity; };

kernel void auto_locals(device const float *in [[buffer(0)]],
                        constant Light &light [[buffer(1)]],
                        device float *out [[buffer(2)]],
                        uint tid [[thread_position_in_grid]])
{
    auto x = in[tid];                       // float
    const auto n = normalize(float3(x, 1.0, 0.0));
    auto d = dot(n, light.direction) * light.intensity;
    auto m = float2x2(float2(x, 0.0), float2(0.0, 2.0));
    auto v = m * float2(1.0, 1.0);
    auto sum = 0u;
    for (auto i = 0; i < 4; i++)
        sum += uint(i) * tid;
    auto half_x = half(x);
    out[tid * 5 + 0] = d;
    out[tid * 5 + 1] = v.x + v.y;
    out[tid * 5 + 2] = float(sum);
    out[tid * 5 + 3] = float(half_x * 2.0h);
    out[tid * 5 + 4] = x / 3;                // float / int: x stays float
}
