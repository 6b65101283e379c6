// EXPECT: 13:40: duplicate binding [[texture(0)]]
#include <metal_stdlib>
using namespace metal;

struct VertexOut {
    float4 position [[position]];
    float2 uv;
    float4 color;
};

fragment float4 f(VertexOut in [[stage_in]],
                  texture2d<float> a [[texture(0)]],
                  texture2d<float> b [[texture(0)]],
                  sampler s [[sampler(0)]]) {
    return a.sample(s, in.uv) + b.sample(s, in.uv);
}
