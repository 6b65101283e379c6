// UI effects: gradients, an erf-approximated drop shadow, a multi-tap blur
// loop sampling a texture with a weights table.
#include <metal_stdlib>
using namespace metal;

struct FragIn {
    float4 position [[position]];
    float2 uv;
};

struct Gradient {
    float4 start_color;
    float4 end_color;
    float2 start;
    float2 end;
    float2 center;
    float radius;
    uint kind;          // 0 linear, 1 radial
};

fragment float4 gradient(FragIn in [[stage_in]], constant Gradient &g [[buffer(0)]])
{
    float t;
    if (g.kind == 0u) {
        float2 d = g.end - g.start;
        t = dot(in.position.xy - g.start, d) / dot(d, d);
    } else {
        t = distance(in.position.xy, g.center) / g.radius;
    }
    t = saturate(t);
    return mix(g.start_color, g.end_color, t);
}

// Abramowitz-Stegun 7.1.26 style approximation, as UI renderers use.
float erf_approx(float x)
{
    float s = sign(x);
    float a = abs(x);
    float t = 1.0 / (1.0 + 0.3275911 * a);
    float y = 1.0 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * exp(-a * a);
    return s * y;
}

struct Shadow {
    float4 color;
    float2 lo;
    float2 hi;
    float sigma;
};

fragment float4 drop_shadow(FragIn in [[stage_in]], constant Shadow &s [[buffer(0)]])
{
    float2 p = in.position.xy;
    float k = 1.0 / (sqrt(2.0) * s.sigma);
    float2 a = (p - s.lo) * k;
    float2 b = (p - s.hi) * k;
    float2 e = 0.5 * (float2(erf_approx(a.x), erf_approx(a.y)) - float2(erf_approx(b.x), erf_approx(b.y)));
    float alpha = e.x * e.y;
    return s.color * alpha;
}

constant float blur_weights[9] = { 0.0162, 0.0540, 0.1216, 0.1945, 0.2270, 0.1945, 0.1216, 0.0540, 0.0162 };

fragment float4 blur(FragIn in [[stage_in]],
                     texture2d<float> src [[texture(0)]],
                     sampler smp [[sampler(0)]],
                     constant float2 &texel [[buffer(0)]])
{
    float4 acc = float4(0.0);
    for (int i = -4; i <= 4; i++) {
        float2 off = texel * float(i);
        acc += src.sample(smp, in.uv + off) * blur_weights[i + 4];
    }
    return acc;
}

struct Particle {
    packed_float3 pos;
    float life;
    float2 vel;
};

float total(device const float *v, int n)
{
    float s = 0.0;
    for (int i = 0; i < n; i++)
        s += v[i];
    return s;
}

void step_particle(device Particle &p, float decay)
{
    p.pos.xy += p.vel * 0.5;
    p.pos[2] = p.pos[2] - 1.0;
    p.life -= decay;
    if (p.life < 0.0)
        p.vel = float2(0.0);
}

kernel void particles(device Particle *ps [[buffer(0)]],
                      device const float *weights [[buffer(1)]],
                      constant uint &count [[buffer(2)]],
                      uint tid [[thread_position_in_grid]])
{
    if (tid >= count)
        return;
    step_particle(ps[tid], total(weights, 4));
}
