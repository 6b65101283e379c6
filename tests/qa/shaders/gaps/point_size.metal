// Points (DRAW_PRIMITIVES primitive 3): Metal needs the vertex function to
// write [[point_size]]; a point sprite shader reads [[point_coord]].
#include <metal_stdlib>
using namespace metal;
struct VIn { float2 pos [[attribute(0)]]; float2 uv [[attribute(1)]]; float4 color [[attribute(2)]]; };
struct VOut { float4 pos [[position]]; float size [[point_size]]; float4 color; };
vertex VOut point_vs(VIn in [[stage_in]]) {
    VOut o; o.pos = float4(in.pos, 0.0, 1.0); o.size = 6.0; o.color = in.color; return o;
}
fragment float4 point_fs(VOut in [[stage_in]], float2 pc [[point_coord]]) {
    float d = length(pc - 0.5);
    if (d > 0.5) { discard_fragment(); }
    return in.color;
}
