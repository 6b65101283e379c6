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

constant float weights[5] = { 0.227027, 0.1945946, 0.1216216, 0.054054, 0.016216 };

struct BlurParams {
    float2 direction;   // (1/w, 0) or (0, 1/h)
    int taps;
};

fragment float4 blur_fragment(VertexOut in [[stage_in]],
                              texture2d<float, access::sample> src [[texture(0)]],
                              sampler smp [[sampler(0)]],
                              constant BlurParams &b [[buffer(0)]]) {
    float4 sum = src.sample(smp, in.texCoord) * weights[0];
    int n = min(b.taps, 5);
    for (int i = 1; i < n; ++i) {
        float2 off = b.direction * float(i);
        sum += src.sample(smp, in.texCoord + off) * weights[i];
        sum += src.sample(smp, in.texCoord - off) * weights[i];
    }
    return sum;
}
