// sample() with each lod option and a texel offset (textures here have one
// mip level: every option samples level 0, the lod only picks the filter).
#include <metal_stdlib>
using namespace metal;

fragment float4 f(float4 pos [[position]], texture2d<float> t [[texture(0)]], sampler s [[sampler(0)]],
                  texture2d<half> h [[texture(1)]]) {
    float2 uv = pos.xy / 64.0;
    float4 c = t.sample(s, uv, level(0.0));
    c += t.sample(s, uv, bias(-0.5));
    c += t.sample(s, uv, min_lod_clamp(1.0));
    c += t.sample(s, uv, gradient2d(dfdx(uv), dfdy(uv)));
    c += t.sample(s, uv, int2(-1, 1));
    c += t.sample(s, uv, level(2), int2(3, -4));
    half4 k = h.sample(s, uv) + h.read(uint2(pos.xy), 0);
    return c * float4(k) / float(t.get_width(0) + t.get_height(0));
}
