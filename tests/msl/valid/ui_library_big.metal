// A UI renderer's whole shader library in one source, as a guest driver
// sends it in one COMPILE_LIBRARY (used by bench_msl_check too).
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

// ---- glyph_atlas ----
// Glyph atlas: single-channel coverage, optional gamma and subpixel (LCD) mode.
constexpr sampler glyphSampler(coord::normalized, address::clamp_to_edge, filter::linear);

struct GlyphParams {
    float gamma;
    uint subpixel;
    float2 atlasSize;
};

fragment float4 glyph_fragment(VertexOut in [[stage_in]],
                               texture2d<float> atlas [[texture(0)]],
                               constant GlyphParams &params [[buffer(0)]]) {
    float4 color = in.color;
    if (params.subpixel != 0u) {
        float2 px = float2(1.0 / params.atlasSize.x, 0.0);
        float r = atlas.sample(glyphSampler, in.texCoord - px).r;
        float g = atlas.sample(glyphSampler, in.texCoord).r;
        float b = atlas.sample(glyphSampler, in.texCoord + px).r;
        float3 cov = pow(float3(r, g, b), float3(1.0 / params.gamma));
        return float4(color.rgb * cov, color.a * max(max(cov.r, cov.g), cov.b));
    }
    float a = atlas.sample(glyphSampler, in.texCoord).r;
    a = pow(a, 1.0 / params.gamma);
    return float4(color.rgb, color.a * a);
}

// ---- linear_gradient ----
#define MAX_STOPS 8

struct GradientStop {
    float4 color;
    float offset;
};

struct LinearGradient {
    float2 start;
    float2 end;
    int stopCount;
    GradientStop stops[MAX_STOPS];
};

static float4 eval_stops(constant LinearGradient &g, float t) {
    t = saturate(t);
    if (t <= g.stops[0].offset) {
        return g.stops[0].color;
    }
    for (int i = 1; i < g.stopCount && i < MAX_STOPS; i++) {
        if (t <= g.stops[i].offset) {
            float span = max(g.stops[i].offset - g.stops[i - 1].offset, 1e-5);
            float k = (t - g.stops[i - 1].offset) / span;
            return mix(g.stops[i - 1].color, g.stops[i].color, k);
        }
    }
    return g.stops[g.stopCount - 1].color;
}

fragment float4 linear_gradient(VertexOut in [[stage_in]],
                                constant LinearGradient &g [[buffer(0)]]) {
    float2 dir = g.end - g.start;
    float t = dot(in.texCoord - g.start, dir) / dot(dir, dir);
    float4 c = eval_stops(g, t);
    return float4(c.rgb * c.a, c.a);
}

// ---- radial_gradient ----
struct RadialParams {
    float2 center;
    float2 radius;      // elliptical
    float4 inner;
    float4 outer;
    float focal;
};

fragment float4 radial_gradient(VertexOut in [[stage_in]],
                                constant RadialParams &p [[buffer(0)]]) {
    float2 d = (in.texCoord - p.center) / p.radius;
    float t = length(d);
    t = clamp((t - p.focal) / (1.0 - p.focal), 0.0, 1.0);
    float s = t * t * (3.0 - 2.0 * t);
    return mix(p.inner, p.outer, s) * in.color;
}

// ---- drop_shadow_erf ----
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

// ---- blur_multitap ----
constant float weights[5] = { 0.227027, 0.1945946, 0.1216216, 0.054054, 0.016216 };

struct BlurParams {
    float2 direction;   // (1/w, 0) or (0, 1/h)
    int taps;
};

fragment float4 blur_fragment(VertexOut in [[stage_in]],
                              texture2d<float, access::sample> src [[texture(0)]],
                              sampler smp [[sampler(0)]],
                              constant BlurParams &b [[buffer(0)]]) {
    float4 sum = src.sample(smp, in.texCoord) * weights[0];
    int n = min(b.taps, 5);
    for (int i = 1; i < n; ++i) {
        float2 off = b.direction * float(i);
        sum += src.sample(smp, in.texCoord + off) * weights[i];
        sum += src.sample(smp, in.texCoord - off) * weights[i];
    }
    return sum;
}

// ---- color_matrix ----
struct ColorMatrix {
    float4x4 matrix;
    float4 offset;
};

fragment float4 color_matrix_fragment(VertexOut in [[stage_in]],
                                      texture2d<float> src [[texture(0)]],
                                      sampler s [[sampler(0)]],
                                      constant ColorMatrix &cm [[buffer(0)]]) {
    float4 c = src.sample(s, in.texCoord);
    c.rgb = c.a > 0.0 ? c.rgb / c.a : c.rgb;    // unpremultiply
    float4 r = cm.matrix * c + cm.offset;
    r = clamp(r, 0.0, 1.0);
    return float4(r.rgb * r.a, r.a);
}

// ---- yuv_video ----
constexpr sampler yuvSampler(filter::linear, address::clamp_to_edge);

fragment float4 yuv_fragment(VertexOut in [[stage_in]],
                             texture2d<float, access::sample> yTex [[texture(0)]],
                             texture2d<float, access::sample> uTex [[texture(1)]],
                             texture2d<float, access::sample> vTex [[texture(2)]]) {
    float y = yTex.sample(yuvSampler, in.texCoord).r - 16.0 / 255.0;
    float u = uTex.sample(yuvSampler, in.texCoord).r - 0.5;
    float v = vTex.sample(yuvSampler, in.texCoord).r - 0.5;
    const float3x3 bt709 = float3x3(float3(1.164, 1.164, 1.164),
                                    float3(0.0, -0.213, 2.112),
                                    float3(1.793, -0.533, 0.0));
    float3 rgb = bt709 * float3(y, u, v);
    return float4(saturate(rgb), 1.0);
}

// ---- stroke_aa ----
struct Stroke { float2 a; float2 b; float width; float4 color; };

static float dist_to_segment(float2 p, float2 a, float2 b) {
    float2 pa = p - a, ba = b - a;
    float h = clamp(dot(pa, ba) / dot(ba, ba), 0.0, 1.0);
    return length(pa - ba * h);
}

fragment float4 stroke_fragment(VertexOut in [[stage_in]],
                                constant Stroke &s [[buffer(0)]]) {
    float d = dist_to_segment(in.position.xy, s.a, s.b) - s.width * 0.5;
    float w = fwidth(d);
    float cov = clamp(0.5 - d / max(w, 1e-4), 0.0, 1.0);
    return s.color * cov;
}

// ---- checkerboard ----
fragment float4 checker_fragment(VertexOut in [[stage_in]],
                                 constant float &cell [[buffer(0)]]) {
    float2 c = floor(in.position.xy / cell);
    float parity = fmod(c.x + c.y, 2.0);
    float3 light = float3(0.9), dark = float3(0.75);
    return float4(parity < 0.5 ? light : dark, 1.0);
}

// ---- sdf_circle_border ----
struct Circle { float2 center; float radius; float border; float4 fill; float4 stroke; };

fragment float4 circle_fragment(VertexOut in [[stage_in]], constant Circle &c [[buffer(0)]]) {
    float d = distance(in.position.xy, c.center) - c.radius;
    float aa = max(fwidth(d), 0.0001);
    float outside = smoothstep(-aa, aa, d);
    float inner = smoothstep(-aa, aa, d + c.border);
    float4 col = mix(c.fill, c.stroke, inner);
    return col * (1.0 - outside);
}

// ---- discard_alpha_test ----
fragment float4 alpha_test(VertexOut in [[stage_in]],
                           texture2d<float> mask [[texture(0)]],
                           sampler s [[sampler(0)]]) {
    float m = mask.sample(s, in.texCoord).a;
    if (m < 0.5)
        discard_fragment();
    return in.color;
}

fragment void depth_only(VertexOut in [[stage_in]]) {
    if (in.color.a == 0.0) {
        discard_fragment();
    }
}

// ---- multiple_render_targets ----
struct GBuffer {
    float4 albedo [[color(0)]];
    half4 normal [[color(1)]];
    float depth [[color(2)]];
};

fragment GBuffer gbuffer_fragment(VertexOut in [[stage_in]]) {
    GBuffer g;
    g.albedo = in.color;
    g.normal = half4(0.0h, 0.0h, 1.0h, 1.0h);
    g.depth = in.position.z;
    return g;
}

// ---- msaa_resolve ----
fragment float4 resolve_fragment(VertexOut in [[stage_in]],
                                 texture2d_ms<float> ms [[texture(0)]]) {
    uint2 coord = uint2(in.position.xy);
    uint n = ms.get_num_samples();
    float4 sum = float4(0.0);
    for (uint s = 0; s < n; s++) {
        sum += ms.read(coord, s);
    }
    return sum / float(n);
}

// ---- constexpr_samplers ----
constexpr sampler s_default;
constexpr sampler s_linear_repeat(address::repeat, filter::linear);
constexpr sampler s_mirror(coord::normalized, s_address::mirrored_repeat, t_address::clamp_to_zero,
                           mag_filter::linear, min_filter::nearest);
constexpr sampler s_pixel(coord::pixel, address::clamp_to_edge, filter::nearest);

fragment float4 sampler_fragment(VertexOut in [[stage_in]],
                                 texture2d<float> t [[texture(0)]]) {
    constexpr sampler local_s(filter::linear, address::clamp_to_zero);
    float4 a = t.sample(s_default, in.texCoord);
    float4 b = t.sample(s_linear_repeat, in.texCoord * 4.0);
    float4 c = t.sample(s_mirror, in.texCoord * 2.0 - 0.5);
    float4 d = t.sample(s_pixel, in.position.xy);
    float4 e = t.sample(local_s, in.texCoord);
    return (a + b + c + d + e) * 0.2;
}

// ---- ternary_vectors ----
fragment float4 ternary_fragment(VertexOut in [[stage_in]]) {
    float4 a = in.texCoord.x > 0.5 ? in.color : float4(1.0);
    float3 b = in.texCoord.y > 0.5 ? a.rgb : 1.0 - a.rgb;
    float  c = (a.a > 0.5) ? (b.r > 0.5 ? 1.0 : 0.5) : 0.0;
    return float4(b, c);
}

// ---- path_coverage_kernel ----

// Compute kernel: signed-area coverage of a polygon path per pixel, written
// into an R8/RGBA texture, as vector UI rasterizers do on the GPU.
struct PathParams {
    uint segmentCount;
    float2 origin;
    float4 color;
};

struct Segment {
    float2 p0;
    float2 p1;
};

static float segment_coverage(float2 p, float2 a, float2 b) {
    // winding contribution of segment a->b for the pixel row through p
    if ((a.y > p.y) == (b.y > p.y)) {
        return 0.0;
    }
    float t = (p.y - a.y) / (b.y - a.y);
    float x = a.x + t * (b.x - a.x);
    float cover = clamp(x - p.x + 0.5, 0.0, 1.0);
    return b.y > a.y ? cover : -cover;
}

kernel void path_coverage(texture2d<float, access::write> coverage [[texture(0)]],
                          constant PathParams &path [[buffer(0)]],
                          device const Segment *segments [[buffer(1)]],
                          uint2 gid [[thread_position_in_grid]]) {
    if (gid.x >= coverage.get_width() || gid.y >= coverage.get_height()) {
        return;
    }
    float2 p = float2(gid) + 0.5 + path.origin;
    float winding = 0.0;
    for (uint i = 0; i < path.segmentCount; i++) {
        Segment s = segments[i];
        winding += segment_coverage(p, s.p0, s.p1);
    }
    float a = min(abs(winding), 1.0);
    coverage.write(float4(path.color.rgb * a, path.color.a * a), gid);
}

// ---- hash_noise ----

static uint hash(uint x) {
    x ^= x >> 16;
    x *= 0x7feb352du;
    x ^= x >> 15;
    x *= 0x846ca68bu;
    x ^= x >> 16;
    return x;
}

kernel void noise_kernel(texture2d<float, access::write> out [[texture(0)]],
                         constant uint &seed [[buffer(0)]],
                         uint2 gid [[thread_position_in_grid]]) {
    uint h = hash(gid.x + hash(gid.y + seed));
    float v = float(h & 0xffffu) / 65535.0;
    out.write(float4(v, v, v, 1.0), gid);
}

// ---- nested_helpers ----

static float2 rotate(float2 p, float a) {
    float c = cos(a), s = sin(a);
    return float2(c * p.x - s * p.y, s * p.x + c * p.y);
}

static float sd_box(float2 p, float2 b) {
    float2 d = abs(p) - b;
    return length(max(d, 0.0)) + min(max(d.x, d.y), 0.0);
}

static float scene(float2 p, float t) {
    return min(sd_box(rotate(p, t), float2(0.3)), length(p - 0.5) - 0.1);
}

kernel void sdf_kernel(texture2d<half, access::write> out [[texture(0)]],
                       constant float &time [[buffer(0)]],
                       uint2 gid [[thread_position_in_grid]]) {
    float2 size = float2(out.get_width(), out.get_height());
    float2 p = (float2(gid) + 0.5) / size * 2.0 - 1.0;
    float d = scene(p, time);
    half v = half(1.0 - smoothstep(0.0, 0.01, d));
    out.write(half4(v, v, v, 1.0h), gid);
}

// ---- blend_kernel ----

kernel void blend_over(texture2d<float, access::read_write> dst [[texture(0)]],
                       texture2d<float, access::read> src [[texture(1)]],
                       constant float &opacity [[buffer(0)]],
                       uint2 gid [[thread_position_in_grid]]) {
    if (any(gid >= uint2(dst.get_width(), dst.get_height()))) {
        return;
    }
    float4 s = src.read(gid) * opacity;
    float4 d = dst.read(gid);
    dst.write(s + d * (1.0 - s.a), gid);
}

// ---- texture_read_write ----

kernel void invert_kernel(texture2d<float, access::read> src [[texture(0)]],
                          texture2d<float, access::write> dst [[texture(1)]],
                          texture2d<float, access::read_write> acc [[texture(2)]],
                          uint2 gid [[thread_position_in_grid]]) {
    if (gid.x >= src.get_width(0) || gid.y >= src.get_height()) return;
    float4 c = src.read(gid);
    float4 prev = acc.read(gid, 0);
    dst.write(float4(1.0 - c.rgb, c.a), gid);
    acc.write(prev + c, gid, 0u);
}

kernel void uint_texture(texture2d<uint, access::write> ids [[texture(0)]],
                         ushort2 gid [[thread_position_in_grid]]) {
    ids.write(uint4(uint(gid.x), uint(gid.y), 0u, 1u), gid);
}
