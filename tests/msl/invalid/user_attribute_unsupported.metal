// EXPECT: 5:47: attribute [[user]] is not supported
#include <metal_stdlib>
using namespace metal;

struct V { float4 p [[position]]; float2 uv [[user(locn0)]]; };
vertex V v(uint vid [[vertex_id]]) { V o; o.p = float4(0.0); o.uv = float2(0.0); return o; }
