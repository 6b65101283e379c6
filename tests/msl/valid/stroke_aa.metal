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

struct Stroke { float2 a; float2 b; float width; float4 color; };

static float dist_to_segment(float2 p, float2 a, float2 b) {
    float2 pa = p - a, ba = b - a;
    float h = clamp(dot(pa, ba) / dot(ba, ba), 0.0, 1.0);
    return length(pa - ba * h);
}

fragment float4 stroke_fragment(VertexOut in [[stage_in]],
                                constant Stroke &s [[buffer(0)]]) {
    float d = dist_to_segment(in.position.xy, s.a, s.b) - s.width * 0.5;
    float w = fwidth(d);
    float cov = clamp(0.5 - d / max(w, 1e-4), 0.0, 1.0);
    return s.color * cov;
}
