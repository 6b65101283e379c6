// EXPECT: 6:12: needs exactly one [[position]] member
#include <metal_stdlib>
using namespace metal;

struct Out { float4 pos; float2 uv; };
vertex Out v(uint vid [[vertex_id]]) {
    Out o;
    o.pos = float4(0.0);
    o.uv = float2(0.0);
    return o;
}
