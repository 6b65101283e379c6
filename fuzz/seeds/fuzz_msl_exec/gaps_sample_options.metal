// texture2d::sample() with lod options and texel offsets, texture2d<half>,
// and read/get_width/get_height with an explicit lod of 0.
#include <metal_stdlib>
using namespace metal;

struct VertexOut {
    float4 position [[position]];
    float2 uv;
    float4 color;
    uint layer [[flat]];
};

// min_filter nearest, mag_filter linear: which one a sample uses shows the
// lod it was taken at.
constexpr sampler split_filter(min_filter::nearest, mag_filter::linear);

fragment float4 lod_options(VertexOut in [[stage_in]], texture2d<float> tex [[texture(0)]],
                            constant float &lod [[buffer(0)]])
{
    float a = tex.sample(split_filter, in.uv, level(lod)).w;
    float b = tex.sample(split_filter, in.uv, bias(lod)).w;
    float c = tex.sample(split_filter, in.uv, min_lod_clamp(lod)).w;
    float2 g = float2(lod, 0.0) / 16.0;
    float d = tex.sample(split_filter, in.uv, gradient2d(g, g * 0.5)).w;
    return float4(a, b, c, d);
}

fragment float4 offsets(VertexOut in [[stage_in]], texture2d<float> tex [[texture(0)]])
{
    constexpr sampler s(filter::nearest);
    float2 a = tex.sample(s, in.uv, int2(1, -2)).xy;
    float2 b = tex.sample(s, in.uv, level(0.0), int2(-8, 7)).xy;
    return float4(a, b);
}

fragment half4 half_texture(VertexOut in [[stage_in]], texture2d<half> tex [[texture(0)]])
{
    constexpr sampler s(filter::nearest);
    half4 a = tex.sample(s, in.uv, level(2));
    half4 b = tex.read(uint2(in.position.xy), 0);
    level(1.0); // an option object on its own does nothing
    return a + b * half(tex.get_width(0) + tex.get_height(0));
}
