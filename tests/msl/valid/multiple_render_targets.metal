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

struct GBuffer {
    float4 albedo [[color(0)]];
    half4 normal [[color(1)]];
    float depth [[color(2)]];
};

fragment GBuffer gbuffer_fragment(VertexOut in [[stage_in]]) {
    GBuffer g;
    g.albedo = in.color;
    g.normal = half4(0.0h, 0.0h, 1.0h, 1.0h);
    g.depth = in.position.z;
    return g;
}
