// Rounded-rectangle SDF with anti-aliased edge, as UI renderers draw boxes.
#include <metal_stdlib>
using namespace metal;

struct VertexIn {
    float2 position [[attribute(0)]];
    float2 texCoord [[attribute(1)]];
    float4 color    [[attribute(2)]];
};

struct VertexOut {
    float4 position [[position]];
    float2 uv;
    float4 color;
};

struct RectUniforms {
    float2 viewport;
    float2 size;
    float4 radii;      // top-left, top-right, bottom-right, bottom-left
    float border;
};

vertex VertexOut rect_vertex(VertexIn in [[stage_in]],
                             constant RectUniforms &u [[buffer(1)]]) {
    VertexOut out;
    float2 ndc = in.position / u.viewport * 2.0 - 1.0;
    out.position = float4(ndc.x, -ndc.y, 0.0, 1.0);
    out.uv = in.texCoord;
    out.color = in.color;
    return out;
}

static float rounded_box_sdf(float2 p, float2 half_size, float4 r) {
    r.xy = (p.x > 0.0) ? r.xy : r.zw;
    r.x = (p.y > 0.0) ? r.x : r.y;
    float2 q = abs(p) - half_size + r.x;
    return min(max(q.x, q.y), 0.0) + length(max(q, 0.0)) - r.x;
}

fragment float4 rect_fragment(VertexOut in [[stage_in]],
                              constant RectUniforms &u [[buffer(0)]]) {
    float2 half_size = u.size * 0.5;
    float2 p = (in.uv - 0.5) * u.size;
    float d = rounded_box_sdf(p, half_size, u.radii);
    float aa = fwidth(d);
    float alpha = 1.0 - smoothstep(-aa, aa, d);
    if (alpha <= 0.0) {
        discard_fragment();
    }
    return float4(in.color.rgb, in.color.a * alpha);
}
