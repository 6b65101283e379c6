#include <metal_stdlib>
using namespace metal;
struct VIn { float2 p [[attribute(0)]]; float2 uv [[attribute(1)]]; float4 c [[attribute(2)]]; };
struct VOut { float4 pos [[position]]; float4 c; };
vertex VOut v_main(VIn in [[stage_in]]) { VOut o; o.pos = float4(in.p, 0.0, 1.0); o.c = in.c; return o; }
fragment float4 f_spin(VOut in [[stage_in]])
{
    uint x = 1;
    while (x != 0) { x = x * 3u + 2u; x |= 1u; }
    return float4(float(x));
}
fragment float4 f_solid(VOut in [[stage_in]]) { return in.c; }
kernel void k_fill(texture2d<float, access::write> t [[texture(0)]], uint2 g [[thread_position_in_grid]])
{
    if (g.x < t.get_width() && g.y < t.get_height())
        t.write(float4(1.0), g);
}
