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

struct RadialParams {
    float2 center;
    float2 radius;      // elliptical
    float4 inner;
    float4 outer;
    float focal;
};

fragment float4 radial_gradient(VertexOut in [[stage_in]],
                                constant RadialParams &p [[buffer(0)]]) {
    float2 d = (in.texCoord - p.center) / p.radius;
    float t = length(d);
    t = clamp((t - p.focal) / (1.0 - p.focal), 0.0, 1.0);
    float s = t * t * (3.0 - 2.0 * t);
    return mix(p.inner, p.outer, s) * in.color;
}
