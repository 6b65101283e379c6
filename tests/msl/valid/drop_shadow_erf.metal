#include <metal_stdlib>
using namespace metal;

struct VertexIn {
    float2 position [[attribute(0)]];
    float2 texCoord [[attribute(1)]];
    float4 color    [[attribute(2)]];
};

struct VertexOut {
    float4 position [[position]];
    float2 texCoord;
    float4 color;
};

vertex VertexOut vertex_main(VertexIn in [[stage_in]]) {
    VertexOut out;
    out.position = float4(in.position, 0.0, 1.0);
    out.texCoord = in.texCoord;
    out.color = in.color;
    return out;
}

// Box shadow: the Gaussian-blurred rectangle integrates to products of erf.
struct ShadowParams {
    float4 rect;       // x0, y0, x1, y1
    float4 color;
    float sigma;
    float cornerRadius;
};

// Abramowitz-Stegun style approximation, max error about 5e-4.
static float2 erf2(float2 x) {
    float2 s = sign(x);
    float2 a = abs(x);
    float2 t = 1.0 + (0.278393 + (0.230389 + 0.078108 * (a * a)) * a) * a;
    t = t * t;
    return s - s / (t * t);
}

static float box_shadow(float2 lower, float2 upper, float2 p, float sigma) {
    float4 q = 0.5 + 0.5 * float4(erf2((p - lower) * (sqrt(0.5) / sigma)),
                                  erf2((p - upper) * (sqrt(0.5) / sigma)));
    float2 v = q.xy - q.zw;
    return v.x * v.y;
}

fragment float4 shadow_fragment(VertexOut in [[stage_in]],
                                constant ShadowParams &s [[buffer(0)]]) {
    float a = box_shadow(s.rect.xy, s.rect.zw, in.position.xy, max(s.sigma, 0.001));
    return float4(s.color.rgb, s.color.a * a);
}
