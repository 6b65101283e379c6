// Block-scope constexpr samplers: two different ones sampling the same
// texture, same-named ones in sibling blocks, and one inside a helper
// called from two places. Each must keep its own address mode.
#include <metal_stdlib>
using namespace metal;

struct VertexOut {
    float4 position [[position]];
    float2 uv;
    float4 color;
    uint layer [[flat]];
};

static float mirrored_x(texture2d<float> t, float2 uv)
{
    constexpr sampler m(address::mirrored_repeat);
    return t.sample(m, uv).x;
}

fragment float4 two_samplers(VertexOut in [[stage_in]], texture2d<float> tex [[texture(0)]])
{
    constexpr sampler clamped(address::clamp_to_edge, filter::nearest);
    constexpr sampler repeated(address::repeat, filter::nearest);
    float2 uv = in.uv * 4.0 - 0.75;
    float a = tex.sample(clamped, uv).x;
    float b = tex.sample(repeated, uv).x;
    float c;
    {
        constexpr sampler s(address::repeat);
        c = tex.sample(s, uv).y;
    }
    float d;
    {
        constexpr sampler s(address::clamp_to_zero);
        d = tex.sample(s, uv).y;
    }
    return float4(a, b, c * 10.0 + d, mirrored_x(tex, uv) + mirrored_x(tex, uv + 1.0) * 10.0);
}
