// EXPECT: 12:15: no member named 'colour' in 'VertexOut'
#include <metal_stdlib>
using namespace metal;

struct VertexOut {
    float4 position [[position]];
    float2 uv;
    float4 color;
};

fragment float4 f(VertexOut in [[stage_in]]) {
    return in.colour;
}
