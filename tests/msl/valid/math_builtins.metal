#include <metal_stdlib>
using namespace metal;

kernel void math_kernel(device float4 *v [[buffer(0)]],
                        device int *iv [[buffer(1)]],
                        uint gid [[thread_position_in_grid]]) {
    float4 x = v[gid];
    float a = x.x;
    float4 r = abs(x) + min(x, 1.0) + max(x, float4(0.0)) + clamp(x, 0.0, 1.0);
    r += mix(x, r, 0.5) + step(0.5, x) + smoothstep(0.0, 1.0, x) + saturate(x) + sign(x);
    r += floor(x) + ceil(x) + fract(x) + round(x) + trunc(x) + fmod(x, float4(2.0));
    r += sqrt(abs(x)) + rsqrt(abs(x) + 1.0) + pow(abs(x), 2.0) + exp(x) + exp2(x);
    r += log(abs(x) + 1.0) + log2(abs(x) + 1.0);
    r += sin(x) + cos(x) + tan(x) + asin(saturate(x)) + acos(saturate(x)) + atan(x);
    r += atan2(x, float4(1.0)) + fma(x, x, x);
    a = abs(a) + min(a, 2.0) + max(a, 1) + clamp(a, 0, 1) + fmod(a, 3.0) + pow(a, 0.5) + atan2(a, 1.0);
    int i = iv[gid];
    int j = abs(i) + min(i, 3) + max(i, -3) + clamp(i, -1, 1);
    v[gid] = r + a + M_PI_F + float(j) + metal::max(a, 0.0) + precise::sin(a) + fast::cos(a);
    iv[gid] = j;
}
