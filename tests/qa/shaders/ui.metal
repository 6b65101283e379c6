// QA: a UI renderer's shader library, written the way a real guest driver
// writes it (fixed vertex layout of DESIGN §3: buffer 0, stride 32).
#include <metal_stdlib>
using namespace metal;

#define UI_AA_WIDTH 1.0
#define UI_MAX_STOPS 4
#ifndef UI_USE_HALF
#define UI_USE_HALF 1
#endif

struct VertexIn {
    float2 position [[attribute(0)]];
    float2 texCoord [[attribute(1)]];
    float4 color    [[attribute(2)]];
};

struct VertexOut {
    float4 position [[position]];
    float2 uv;
    float4 color;
    uint   layer [[flat]];
};

struct RectUniforms {
    float2 center;      // pixels
    float2 half_size;   // pixels
    float4 radii;       // tl, tr, br, bl
    float4 fill;
    float  shadow_sigma;
    float  pad0;
    float2 shadow_offset;
};

struct GradientStop { float4 color; float offset; float3 pad; };
struct GradientUniforms {
    float2 start;
    float2 end;
    uint   count;
    uint   radial;
    float2 pad;
    GradientStop stops[UI_MAX_STOPS];
};

vertex VertexOut ui_vertex(VertexIn in [[stage_in]],
                           uint vid [[vertex_id]])
{
    VertexOut out;
    out.position = float4(in.position, 0.0, 1.0);
    out.uv = in.texCoord;
    out.color = in.color;
    out.layer = vid / 6u;
    return out;
}

static float rounded_rect_sdf(float2 p, float2 half_size, float4 radii)
{
    // pick the corner radius of the quadrant p is in (y down in pixel space)
    float2 r2 = (p.x > 0.0) ? radii.yz : radii.xw;
    float r = (p.y > 0.0) ? r2.y : r2.x;
    float2 q = abs(p) - half_size + r;
    return min(max(q.x, q.y), 0.0) + length(max(q, float2(0.0))) - r;
}

// Abramowitz-Stegun style erf approximation used for box-shadow blur
inline float erf_approx(float x)
{
    float s = sign(x), a = abs(x);
    x = 1.0 + (0.278393 + (0.230389 + 0.078108 * (a * a)) * a) * a;
    x *= x;
    return s - s / (x * x);
}

static float shadow_1d(float lo, float hi, float sigma)
{
    const float k = 0.70710678; // 1/sqrt(2)
    return 0.5 * (erf_approx(hi * k / sigma) - erf_approx(lo * k / sigma));
}

fragment float4 ui_rounded_rect(VertexOut in [[stage_in]],
                                constant RectUniforms &u [[buffer(0)]])
{
    float2 p = in.position.xy - u.center;
    float d = rounded_rect_sdf(p, u.half_size, u.radii);
    float coverage = saturate(0.5 - d / UI_AA_WIDTH);
    if (coverage <= 0.0) {
        discard_fragment();
    }
    float4 c = u.fill * in.color;
    return float4(c.rgb, c.a * coverage);
}

fragment float4 ui_drop_shadow(VertexOut in [[stage_in]],
                               constant RectUniforms &u [[buffer(0)]])
{
    float2 p = in.position.xy - (u.center + u.shadow_offset);
    float sigma = max(u.shadow_sigma, 0.5);
    float sx = shadow_1d(p.x - u.half_size.x, p.x + u.half_size.x, sigma);
    float sy = shadow_1d(p.y - u.half_size.y, p.y + u.half_size.y, sigma);
    float a = clamp(sx * sy, 0.0, 1.0);
    return float4(u.fill.rgb, u.fill.a * a);
}

constexpr sampler atlas_sampler(coord::normalized, address::clamp_to_edge, filter::linear);

fragment half4 ui_glyph(VertexOut in [[stage_in]],
                        texture2d<half> atlas [[texture(0)]])
{
#if UI_USE_HALF
    half cov = atlas.sample(atlas_sampler, in.uv).r;
    half4 col = half4(in.color);
    return half4(col.rgb, col.a * cov);
#else
    float cov = float(atlas.sample(atlas_sampler, in.uv).r);
    return half4(float4(in.color.rgb, in.color.a * cov));
#endif
}

fragment float4 ui_gradient(VertexOut in [[stage_in]],
                            constant GradientUniforms &g [[buffer(0)]],
                            bool front [[front_facing]])
{
    float t;
    if (g.radial != 0u) {
        t = length(in.uv - g.start) / max(length(g.end - g.start), 1e-5);
    } else {
        float2 dir = g.end - g.start;
        t = dot(in.uv - g.start, dir) / max(dot(dir, dir), 1e-5);
    }
    t = saturate(t);
    float4 c = g.stops[0].color;
    for (uint i = 1; i < g.count && i < UI_MAX_STOPS; ++i) {
        float t0 = g.stops[i - 1].offset, t1 = g.stops[i].offset;
        float w = smoothstep(t0, t1, t);
        c = mix(c, g.stops[i].color, w);
    }
    return front ? c : c.bgra;
}

struct BlurParams { float2 texel; float sigma; int radius; };

fragment float4 ui_blur(VertexOut in [[stage_in]],
                        texture2d<float> src [[texture(0)]],
                        sampler smp [[sampler(0)]],
                        constant BlurParams &bp [[buffer(0)]])
{
    float4 acc = float4(0.0);
    float wsum = 0.0;
    int r = clamp(bp.radius, 0, 8);
    for (int i = -r; i <= r; i++) {
        float w = exp(-float(i * i) / (2.0 * bp.sigma * bp.sigma));
        acc += w * src.sample(smp, in.uv + float(i) * bp.texel);
        wsum += w;
    }
    return acc / wsum;
}

fragment float4 ui_composite(VertexOut in [[stage_in]],
                             texture2d<float> layer [[texture(0)]],
                             sampler smp [[sampler(0)]])
{
    float4 c = layer.sample(smp, in.uv);
    return float4(c.rgb, c.a) * in.color.a;
}

fragment float4 ui_solid(VertexOut in [[stage_in]])
{
    return in.color;
}

struct PathSeg { packed_float3 a; float pad0; packed_float3 b; float pad1; };
struct PathParams { uint nseg; float width; uint2 size; };

// path coverage: distance to a poly-line, written to an r8 mask
kernel void path_coverage(texture2d<float, access::write> mask [[texture(0)]],
                          constant PathParams &pp [[buffer(0)]],
                          constant PathSeg *segs [[buffer(1)]],
                          uint2 gid [[thread_position_in_grid]])
{
    if (gid.x >= pp.size.x || gid.y >= pp.size.y) {
        return;
    }
    float2 p = float2(gid) + 0.5;
    float best = 1e9;
    for (uint i = 0; i < pp.nseg; i++) {
        float3 a = segs[i].a, b = segs[i].b;
        float2 ab = b.xy - a.xy;
        float h = clamp(dot(p - a.xy, ab) / dot(ab, ab), 0.0, 1.0);
        best = min(best, length(p - a.xy - h * ab));
    }
    float cov = saturate(pp.width * 0.5 - best + 0.5);
    mask.write(float4(cov, 0.0, 0.0, 1.0), gid);
}
