// Shapes real UI renderers use: a quad vertex shader, a rounded-rect SDF
// fragment shader with a glyph-atlas sample, derivatives, discard, two
// colour outputs, and a compute kernel writing path coverage.
#include <metal_stdlib>
using namespace metal;

struct VertexIn {
    float2 position [[attribute(0)]];
    float2 uv [[attribute(1)]];
    float4 color [[attribute(2)]];
};

struct VertexOut {
    float4 position [[position]];
    float2 uv;
    float4 color;
    uint layer [[flat]];
};

struct Viewport {
    float2 size;
    float2 origin;
};

vertex VertexOut quad_vertex(VertexIn in [[stage_in]],
                             constant Viewport &vp [[buffer(1)]],
                             uint vid [[vertex_id]])
{
    VertexOut out;
    float2 ndc = (in.position - vp.origin) / vp.size * 2.0 - 1.0;
    out.position = float4(ndc.x, -ndc.y, 0.0, 1.0);
    out.uv = in.uv;
    out.color = in.color;
    out.layer = vid / 4u;
    return out;
}

struct RectParams {
    float2 center;
    float2 half_size;
    float radius;
    float softness;
};

float rounded_rect_sdf(float2 p, float2 half_size, float radius)
{
    float2 q = abs(p) - half_size + float2(radius);
    return length(max(q, float2(0.0))) + min(max(q.x, q.y), 0.0) - radius;
}

fragment float4 rounded_rect(VertexOut in [[stage_in]],
                             constant RectParams &rp [[buffer(0)]],
                             texture2d<float> atlas [[texture(0)]],
                             sampler smp [[sampler(0)]])
{
    float d = rounded_rect_sdf(in.position.xy - rp.center, rp.half_size, rp.radius);
    float coverage = 1.0 - smoothstep(-rp.softness, rp.softness, d);
    float4 glyph = atlas.sample(smp, in.uv);
    float4 c = in.color * glyph.a;
    return float4(c.rgb * coverage, c.a * coverage);
}

fragment float4 derivatives(VertexOut in [[stage_in]])
{
    float v = in.uv.x * in.uv.x + 3.0 * in.uv.y;
    return float4(dfdx(v), dfdy(v), fwidth(v), float(in.layer));
}

fragment float4 cutout(VertexOut in [[stage_in]])
{
    if (in.color.a < 0.5)
        discard_fragment();
    return in.color;
}

struct TwoTargets {
    float4 main [[color(0)]];
    float4 glow [[color(1)]];
};

fragment TwoTargets two_targets(VertexOut in [[stage_in]], bool front [[front_facing]])
{
    TwoTargets t;
    t.main = in.color;
    t.glow = float4(in.uv, front ? 1.0 : 0.0, 1.0);
    return t;
}

fragment float4 nearest_repeat(VertexOut in [[stage_in]], texture2d<float> tex [[texture(0)]])
{
    constexpr sampler s(address::repeat, filter::linear);
    return tex.sample(s, in.uv);
}

// Coverage of the path y < x*x (in unit square cell coordinates) estimated
// with 4x4 samples per pixel.
kernel void path_coverage(texture2d<float, access::write> out [[texture(0)]],
                          uint2 gid [[thread_position_in_grid]])
{
    if (gid.x >= out.get_width() || gid.y >= out.get_height())
        return;
    float w = float(out.get_width());
    float h = float(out.get_height());
    int inside = 0;
    for (int sy = 0; sy < 4; sy++) {
        for (int sx = 0; sx < 4; sx++) {
            float fx = float(gid.x) + (0.5 + float(sx)) / 4.0;
            float fy = float(gid.y) + (0.5 + float(sy)) / 4.0;
            float x = fx / w;
            float y = fy / h;
            if (y < x * x)
                inside++;
        }
    }
    float cov = float(inside) / 16.0;
    out.write(float4(cov, cov, cov, 1.0), gid);
}

// A one-component colour output: g, b, a come back as 0, 0, 1.
fragment float coverage_only(VertexOut in [[stage_in]])
{
    return in.uv.x * 2.0;
}

constant float4 palette[4] = {
    float4(1.0, 0.0, 0.0, 1.0), float4(0.0, 1.0, 0.0, 1.0),
    float4(0.0, 0.0, 1.0, 1.0), float4(1.0, 1.0, 1.0, 1.0)
};

// Index derived from a varying: helper lanes may extrapolate out of range.
fragment float4 palette_lookup(VertexOut in [[stage_in]], device const float4 *lut [[buffer(0)]])
{
    int i = int(in.uv.x);
    return palette[i] + lut[i];
}

kernel void invert(texture2d<float, access::read> src [[texture(0)]],
                   texture2d<float, access::write> dst [[texture(1)]],
                   uint2 gid [[thread_position_in_grid]])
{
    float4 c = src.read(gid);
    dst.write(float4(1.0 - c.rgb, c.a), gid);
}

// Loop count from a varying: a helper lane with an extrapolated count must
// not fail the batch; a live lane with the same count must.
fragment float4 varying_loop(VertexOut in [[stage_in]])
{
    int n = int(in.uv.x);
    float acc = 0.0;
    for (int i = 0; i < n; i++)
        acc += 1.0;
    return float4(acc, 0.0, 0.0, 1.0);
}
