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

fragment float4 ternary_fragment(VertexOut in [[stage_in]]) {
    float4 a = in.texCoord.x > 0.5 ? in.color : float4(1.0);
    float3 b = in.texCoord.y > 0.5 ? a.rgb : 1.0 - a.rgb;
    float  c = (a.a > 0.5) ? (b.r > 0.5 ? 1.0 : 0.5) : 0.0;
    return float4(b, c);
}
