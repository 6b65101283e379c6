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

fragment float4 alpha_test(VertexOut in [[stage_in]],
                           texture2d<float> mask [[texture(0)]],
                           sampler s [[sampler(0)]]) {
    float m = mask.sample(s, in.texCoord).a;
    if (m < 0.5)
        discard_fragment();
    return in.color;
}

fragment void depth_only(VertexOut in [[stage_in]]) {
    if (in.color.a == 0.0) {
        discard_fragment();
    }
}
