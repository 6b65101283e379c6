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

// Glyph atlas: single-channel coverage, optional gamma and subpixel (LCD) mode.
constexpr sampler glyphSampler(coord::normalized, address::clamp_to_edge, filter::linear);

struct GlyphParams {
    float gamma;
    uint subpixel;
    float2 atlasSize;
};

fragment float4 glyph_fragment(VertexOut in [[stage_in]],
                               texture2d<float> atlas [[texture(0)]],
                               constant GlyphParams &params [[buffer(0)]]) {
    float4 color = in.color;
    if (params.subpixel != 0u) {
        float2 px = float2(1.0 / params.atlasSize.x, 0.0);
        float r = atlas.sample(glyphSampler, in.texCoord - px).r;
        float g = atlas.sample(glyphSampler, in.texCoord).r;
        float b = atlas.sample(glyphSampler, in.texCoord + px).r;
        float3 cov = pow(float3(r, g, b), float3(1.0 / params.gamma));
        return float4(color.rgb * cov, color.a * max(max(cov.r, cov.g), cov.b));
    }
    float a = atlas.sample(glyphSampler, in.texCoord).r;
    a = pow(a, 1.0 / params.gamma);
    return float4(color.rgb, color.a * a);
}
