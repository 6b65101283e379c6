// Library math real shaders use beyond the first subset: hyperbolics,
// log10/exp10, rint, the pi-scaled trig, fdim, divide, ldexp, fast:: and
// precise:: spellings, squared lengths, faceforward, refract, normalize on
// half vectors, and the integer bit functions.
#include <metal_stdlib>
using namespace metal;

kernel void float_math(device const float2 *in [[buffer(0)]],
                       device float *out [[buffer(1)]],
                       uint tid [[thread_position_in_grid]])
{
    float a = in[tid].x, b = in[tid].y;
    out[tid * 20 + 0] = sinh(a);
    out[tid * 20 + 1] = cosh(a);
    out[tid * 20 + 2] = precise::tanh(a);
    out[tid * 20 + 3] = asinh(a);
    out[tid * 20 + 4] = acosh(b);
    out[tid * 20 + 5] = atanh(a * 0.25);
    out[tid * 20 + 6] = log10(b);
    out[tid * 20 + 7] = fast::exp10(a);
    out[tid * 20 + 8] = rint(a);
    out[tid * 20 + 9] = sinpi(a);
    out[tid * 20 + 10] = cospi(a);
    out[tid * 20 + 11] = tanpi(a);
    out[tid * 20 + 12] = asinpi(a * 0.25);
    out[tid * 20 + 13] = acospi(a * 0.25);
    out[tid * 20 + 14] = atanpi(a);
    out[tid * 20 + 15] = atan2pi(a, b);
    out[tid * 20 + 16] = fdim(a, b);
    out[tid * 20 + 17] = divide(a, b);
    out[tid * 20 + 18] = ldexp(a, int(b));
    out[tid * 20 + 19] = metal::precise::divide(a, 3.0);
}

kernel void vector_math(device const float4 *in [[buffer(0)]],
                        device float4 *out [[buffer(1)]],
                        uint tid [[thread_position_in_grid]])
{
    float3 i = in[tid].xyz, n = normalize(float3(0.25, 1.0, in[tid].w));
    float eta = 0.5 + in[tid].w;
    out[tid * 4 + 0] = float4(refract(i, n, eta), length_squared(i));
    out[tid * 4 + 1] = float4(faceforward(n, i, float3(0.0, 1.0, 0.0)), distance_squared(i, n));
    half3 h = half3(i);
    out[tid * 4 + 2] = float4(float3(normalize(h)), float(length_squared(h.xy)));
    float2 l2 = ldexp(i.xy, int2(3, -2));
    out[tid * 4 + 3] = float4(l2, float2(sinpi(float2(0.5, 1.0)) + tanh(i.xy)));
}

kernel void int_math(device const uint2 *in [[buffer(0)]],
                     device uint *out [[buffer(1)]],
                     device int *sout [[buffer(2)]],
                     uint tid [[thread_position_in_grid]])
{
    uint a = in[tid].x, b = in[tid].y;
    out[tid * 12 + 0] = popcount(a);
    out[tid * 12 + 1] = clz(a);
    out[tid * 12 + 2] = ctz(a);
    out[tid * 12 + 3] = reverse_bits(a);
    out[tid * 12 + 4] = rotate(a, b);
    out[tid * 12 + 5] = absdiff(a, b);
    out[tid * 12 + 6] = extract_bits(a, b & 31u, 5u);
    out[tid * 12 + 7] = uint(clz(ushort(a)));
    out[tid * 12 + 8] = uint(popcount(uchar(a)));
    out[tid * 12 + 9] = uint(reverse_bits(ushort(a)));
    out[tid * 12 + 10] = uint(rotate(uchar(a), uchar(b)));
    out[tid * 12 + 11] = mad24(a & 0xffffu, b & 0xffu, 7u) + mul24(a & 0xffu, 3u);
    int s = int(a), t = int(b);
    sout[tid * 4 + 0] = absdiff(s, t);
    sout[tid * 4 + 1] = extract_bits(s, uint(t) & 15u, 8u);
    sout[tid * 4 + 2] = int(ctz(short(s)));
    int2 v = int2(s, t);
    sout[tid * 4 + 3] = popcount(v).x + clz(v).y;
}
