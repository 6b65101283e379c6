#include <metal_stdlib>
using namespace metal;

struct Inner {
    float2 p;
    int k;
};

struct Outer {
    Inner a;
    Inner b[2];
    float scale;
};

struct Uniforms {
    float4 color;
    float2 size;
    uint count;
    float radius;
};

constant float weights[5] = { 0.1, 0.2, 0.4, 0.2, 0.1 };

Outer make_outer(float t)
{
    Outer o;
    o.a.p = float2(t, -t);
    o.a.k = 3;
    o.b[0] = o.a;
    o.b[1].p = float2(1.0, 2.0);
    o.b[1].k = 4;
    o.scale = 0.5;
    return o;
}

kernel void structs(constant Uniforms &u [[buffer(0)]],
                    device float4 *out [[buffer(1)]],
                    uint tid [[thread_position_in_grid]])
{
    Outer o = make_outer(float(tid));
    Outer c = o;
    c.b[1].p.y = 9.0;
    int idx = int(tid) % 2;
    float2 q = c.b[idx].p;
    out[tid * 3 + 0] = float4(o.a.p, float(o.b[1].k), o.b[1].p.y);
    out[tid * 3 + 1] = float4(q, float(c.b[idx].k), c.scale);
    out[tid * 3 + 2] = u.color * u.radius + float4(u.size, float(u.count), 0.0);
}

kernel void arrays(device float *out [[buffer(0)]],
                   device const int *idx [[buffer(1)]],
                   uint tid [[thread_position_in_grid]])
{
    float acc[4] = { 0.0, 0.0, 0.0, 0.0 };
    for (int i = 0; i < 5; i++)
        acc[(i + int(tid)) % 4] += weights[i];
    int k = idx[tid];
    out[tid * 2 + 0] = acc[k] * 10.0;
    out[tid * 2 + 1] = weights[k];
}

kernel void halves(device const float *in [[buffer(0)]],
                   device float *out [[buffer(1)]],
                   device half *hout [[buffer(2)]],
                   uint tid [[thread_position_in_grid]])
{
    half a = half(in[tid]);
    half b = half(0.0001);
    half c = a + b;
    half d = a * half(3.0);
    half4 v = half4(a, b, c, d) * half(2.0);
    out[tid * 4 + 0] = float(a);
    out[tid * 4 + 1] = float(c);
    out[tid * 4 + 2] = float(d);
    out[tid * 4 + 3] = float(v.w);
    hout[tid] = c;
}

struct Flags {
    bool enabled;
    bool2 pair;
};

// bool bytes in a buffer: any non-zero byte is true.
kernel void bools(device const Flags *f [[buffer(0)]],
                  device uint *out [[buffer(1)]],
                  uint tid [[thread_position_in_grid]])
{
    Flags x = f[tid];
    uint r = 0u;
    if (x.enabled)
        r |= 1u;
    if (x.pair.y)
        r |= 2u;
    if (all(x.pair))
        r |= 4u;
    out[tid] = r;
}
