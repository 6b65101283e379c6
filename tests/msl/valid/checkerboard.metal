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

fragment float4 checker_fragment(VertexOut in [[stage_in]],
                                 constant float &cell [[buffer(0)]]) {
    float2 c = floor(in.position.xy / cell);
    float parity = fmod(c.x + c.y, 2.0);
    float3 light = float3(0.9), dark = float3(0.75);
    return float4(parity < 0.5 ? light : dark, 1.0);
}
