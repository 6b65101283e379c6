// QA semantics probes: textured, alpha-as-gray, front-facing colouring.
#include <metal_stdlib>
using namespace metal;
struct VIn { float2 pos [[attribute(0)]]; float2 uv [[attribute(1)]]; float4 color [[attribute(2)]]; };
struct VOut { float4 pos [[position]]; float2 uv; float4 color; };
vertex VOut vs(VIn in [[stage_in]]) {
    VOut o; o.pos = float4(in.pos, 0.0, 1.0); o.uv = in.uv; o.color = in.color; return o;
}
fragment float4 fs_color(VOut in [[stage_in]]) { return in.color; }
fragment float4 fs_tex(VOut in [[stage_in]], texture2d<float> t [[texture(0)]], sampler s [[sampler(0)]]) {
    return t.sample(s, in.uv);
}
fragment float4 fs_alpha(VOut in [[stage_in]], texture2d<float> t [[texture(0)]], sampler s [[sampler(0)]]) {
    float a = t.sample(s, in.uv).a;
    return float4(a, a, a, 1.0);
}
fragment float4 fs_facing(VOut in [[stage_in]], bool front [[front_facing]]) {
    return front ? float4(0.0, 1.0, 0.0, 1.0) : float4(1.0, 0.0, 0.0, 1.0);
}
kernel void k_fill(texture2d<float, access::write> t [[texture(0)]],
                   constant float4 &color [[buffer(0)]],
                   uint2 gid [[thread_position_in_grid]]) {
    if (gid.x < t.get_width() && gid.y < t.get_height()) {
        t.write(color, gid);
    }
}
