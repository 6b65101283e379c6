// EXPECT: 12:23: use of undeclared identifier 'brightness'
#include <metal_stdlib>
using namespace metal;

struct VertexOut {
    float4 position [[position]];
    float2 uv;
    float4 color;
};

fragment float4 f(VertexOut in [[stage_in]]) {
    return in.color * brightness;
}
