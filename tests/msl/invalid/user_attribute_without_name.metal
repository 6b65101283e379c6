// EXPECT: 5:47: attribute [[user]] needs a name
// EXPECT: 6:45: attribute [[sample_perspective]] is not supported
#include <metal_stdlib>
using namespace metal;
struct V { float4 p [[position]]; float2 uv [[user]]; };
struct W { float4 p [[position]]; float c [[sample_perspective]]; };
vertex V v(uint vid [[vertex_id]]) { V o; o.p = float4(0.0); o.uv = float2(0.0); return o; }
vertex W w(uint vid [[vertex_id]]) { W o; o.p = float4(0.0); o.c = 0.0; return o; }
