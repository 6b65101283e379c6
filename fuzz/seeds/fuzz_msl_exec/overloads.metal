// Helper overloads as shader libraries write them: the same name for
// float/half/vector variants, picked by argument types.
#include <metal_stdlib>
using namespace metal;

inline float luminance(float3 c) { return dot(c, float3(0.2126, 0.7152, 0.0722)); }
inline float luminance(half3 c) { return float(dot(c, half3(0.2126h, 0.7152h, 0.0722h))) + 100.0; }
static float scale(float x) { return x * 2.0; }
static float2 scale(float2 v) { return v * 3.0; }
static float scale(float x, float k) { return x * k; }
static int scale(int i) { return i * 10; }

kernel void overloads(device const float *in [[buffer(0)]],
                      device float *out [[buffer(1)]],
                      uint tid [[thread_position_in_grid]])
{
    float x = in[tid];
    out[tid * 6 + 0] = luminance(float3(x, 0.5, 0.25));
    out[tid * 6 + 1] = luminance(half3(half(x), 0.5h, 0.25h));
    out[tid * 6 + 2] = scale(x);
    out[tid * 6 + 3] = scale(float2(x, 1.0)).y;
    out[tid * 6 + 4] = scale(x, 4.0);
    out[tid * 6 + 5] = float(scale(int(tid)));
}
