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

struct Circle { float2 center; float radius; float border; float4 fill; float4 stroke; };

fragment float4 circle_fragment(VertexOut in [[stage_in]], constant Circle &c [[buffer(0)]]) {
    float d = distance(in.position.xy, c.center) - c.radius;
    float aa = max(fwidth(d), 0.0001);
    float outside = smoothstep(-aa, aa, d);
    float inner = smoothstep(-aa, aa, d + c.border);
    float4 col = mix(c.fill, c.stroke, inner);
    return col * (1.0 - outside);
}
