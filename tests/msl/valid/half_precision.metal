#include <metal_stdlib>
using namespace metal;

struct HOut {
    float4 position [[position]];
    half4 color;
    half2 uv;
};

struct HIn {
    float2 pos [[attribute(0)]];
    half4 color [[attribute(2)]];
};

vertex HOut half_vertex(HIn in [[stage_in]]) {
    HOut o;
    o.position = float4(in.pos, 0.0, 1.0);
    o.color = in.color;
    o.uv = half2(in.pos * 0.5 + 0.5);
    return o;
}

fragment half4 half_fragment(HOut in [[stage_in]],
                             texture2d<half> tex [[texture(0)]],
                             sampler s [[sampler(0)]]) {
    half4 t = tex.sample(s, float2(in.uv));
    half3 rgb = mix(in.color.rgb, t.rgb, t.a);
    half l = dot(rgb, half3(0.299h, 0.587h, 0.114h));
    rgb = clamp(rgb * 1.1h, 0.0h, 1.0h);
    return half4(rgb + l * 0.0h, in.color.a);
}
