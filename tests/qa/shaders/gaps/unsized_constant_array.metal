// A separable Gaussian blur the way most UI toolkits write it: program-scope
// constant weight table, offsets, direction uniform, fwidth-based AA helper.
#include <metal_stdlib>
using namespace metal;

constant float kWeights[5] = { 0.227027, 0.1945946, 0.1216216, 0.054054, 0.016216 };
constant float kOffsets[] = { 0.0, 1.0, 2.0, 3.0, 4.0 };

struct BlurVertexOut {
    float4 position [[position]];
    float2 uv;
};

struct BlurUniforms {
    float2 direction;   // (1/w, 0) or (0, 1/h)
    float  strength;
    uint   flags;
};

vertex BlurVertexOut blur_vs(uint vid [[vertex_id]]) {
    // full-screen triangle without vertex data
    float2 uv = float2((vid << 1) & 2, vid & 2);
    BlurVertexOut o;
    o.position = float4(uv * float2(2.0, -2.0) + float2(-1.0, 1.0), 0.0, 1.0);
    o.uv = uv;
    return o;
}

fragment float4 blur_fs(BlurVertexOut in [[stage_in]],
                        texture2d<float> src [[texture(0)]],
                        sampler s [[sampler(0)]],
                        constant BlurUniforms &u [[buffer(0)]]) {
    float4 sum = src.sample(s, in.uv) * kWeights[0];
    for (int i = 1; i < 5; ++i) {
        float2 off = u.direction * kOffsets[i] * u.strength;
        sum += src.sample(s, in.uv + off) * kWeights[i];
        sum += src.sample(s, in.uv - off) * kWeights[i];
    }
    if ((u.flags & 1u) != 0u) {
        sum.rgb *= sum.a;   // premultiply
    }
    return sum;
}

static inline float aa_step(float edge, float x) {
    float w = fwidth(x) * 0.5;
    return smoothstep(edge - w, edge + w, x);
}

fragment float4 ring_fs(BlurVertexOut in [[stage_in]]) {
    float d = distance(in.uv, float2(0.5));
    float ring = aa_step(0.3, d) * (1.0 - aa_step(0.35, d));
    return float4(float3(ring), ring);
}
