#include <metal_stdlib>
using namespace metal;

vertex float4 fullscreen_vertex(uint vid [[vertex_id]]) {
    float2 uv = float2((vid << 1) & 2, vid & 2);
    return float4(uv * 2.0 - 1.0, 0.0, 1.0);
}

fragment float4 solid_fragment(constant float4 &color [[buffer(0)]]) {
    return color;
}
