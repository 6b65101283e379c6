#include <metal_stdlib>
using namespace metal;

struct VertexIn {
    float2 position [[attribute(0)]];
    float2 texCoord [[attribute(1)]];
    float4 color    [[attribute(2)]];
};

struct VertexOut {
    float4 position [[position]];
    float2 texCoord;
    float4 color;
};

vertex VertexOut vertex_main(VertexIn in [[stage_in]]) {
    VertexOut out;
    out.position = float4(in.position, 0.0, 1.0);
    out.texCoord = in.texCoord;
    out.color = in.color;
    return out;
}

constexpr sampler s_default;
constexpr sampler s_linear_repeat(address::repeat, filter::linear);
constexpr sampler s_mirror(coord::normalized, s_address::mirrored_repeat, t_address::clamp_to_zero,
                           mag_filter::linear, min_filter::nearest);
constexpr sampler s_pixel(coord::pixel, address::clamp_to_edge, filter::nearest);

fragment float4 sampler_fragment(VertexOut in [[stage_in]],
                                 texture2d<float> t [[texture(0)]]) {
    constexpr sampler local_s(filter::linear, address::clamp_to_zero);
    float4 a = t.sample(s_default, in.texCoord);
    float4 b = t.sample(s_linear_repeat, in.texCoord * 4.0);
    float4 c = t.sample(s_mirror, in.texCoord * 2.0 - 0.5);
    float4 d = t.sample(s_pixel, in.position.xy);
    float4 e = t.sample(local_s, in.texCoord);
    return (a + b + c + d + e) * 0.2;
}
