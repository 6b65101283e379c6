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

struct ColorMatrix {
    float4x4 matrix;
    float4 offset;
};

fragment float4 color_matrix_fragment(VertexOut in [[stage_in]],
                                      texture2d<float> src [[texture(0)]],
                                      sampler s [[sampler(0)]],
                                      constant ColorMatrix &cm [[buffer(0)]]) {
    float4 c = src.sample(s, in.texCoord);
    c.rgb = c.a > 0.0 ? c.rgb / c.a : c.rgb;    // unpremultiply
    float4 r = cm.matrix * c + cm.offset;
    r = clamp(r, 0.0, 1.0);
    return float4(r.rgb * r.a, r.a);
}
