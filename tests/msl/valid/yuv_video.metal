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

constexpr sampler yuvSampler(filter::linear, address::clamp_to_edge);

fragment float4 yuv_fragment(VertexOut in [[stage_in]],
                             texture2d<float, access::sample> yTex [[texture(0)]],
                             texture2d<float, access::sample> uTex [[texture(1)]],
                             texture2d<float, access::sample> vTex [[texture(2)]]) {
    float y = yTex.sample(yuvSampler, in.texCoord).r - 16.0 / 255.0;
    float u = uTex.sample(yuvSampler, in.texCoord).r - 0.5;
    float v = vTex.sample(yuvSampler, in.texCoord).r - 0.5;
    const float3x3 bt709 = float3x3(float3(1.164, 1.164, 1.164),
                                    float3(0.0, -0.213, 2.112),
                                    float3(1.793, -0.533, 0.0));
    float3 rgb = bt709 * float3(y, u, v);
    return float4(saturate(rgb), 1.0);
}
