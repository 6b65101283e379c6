#include <metal_stdlib>
using namespace metal;

struct Vertex {
    packed_float2 position;
    packed_float2 uv;
};

struct Out {
    float4 position [[position]];
    float2 uv;
};

struct Viewport { float2 size; float2 offset; };

vertex Out quad_vertex(uint vid [[vertex_id]],
                       device const Vertex *vertices [[buffer(0)]],
                       constant Viewport &vp [[buffer(1)]]) {
    Out o;
    float2 pos = float2(vertices[vid].position) + vp.offset;
    o.position = float4(pos / vp.size * float2(2.0, -2.0) + float2(-1.0, 1.0), 0.0, 1.0);
    o.uv = vertices[vid].uv;
    return o;
}

fragment half4 quad_fragment(Out in [[stage_in]]) {
    return half4(half2(in.uv), 0.0h, 1.0h);
}
