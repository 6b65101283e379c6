// Math built-ins over edge-case inputs: one output row per input.
#include <metal_stdlib>
using namespace metal;

#define NU 20

kernel void unary(device const float *in [[buffer(0)]],
                  device float *out [[buffer(1)]],
                  uint tid [[thread_position_in_grid]])
{
    float x = in[tid];
    out[tid * NU + 0] = floor(x);   out[tid * NU + 1] = ceil(x);   out[tid * NU + 2] = fract(x);  out[tid * NU + 3] = round(x);
    out[tid * NU + 4] = trunc(x);   out[tid * NU + 5] = sqrt(x);   out[tid * NU + 6] = rsqrt(x);  out[tid * NU + 7] = exp(x);
    out[tid * NU + 8] = exp2(x);    out[tid * NU + 9] = log(x);    out[tid * NU + 10] = log2(x);  out[tid * NU + 11] = sin(x);
    out[tid * NU + 12] = cos(x);    out[tid * NU + 13] = tan(x);   out[tid * NU + 14] = asin(x);  out[tid * NU + 15] = acos(x);
    out[tid * NU + 16] = atan(x);   out[tid * NU + 17] = abs(x);   out[tid * NU + 18] = sign(x);  out[tid * NU + 19] = saturate(x);
}

kernel void binary(device const float2 *in [[buffer(0)]],
                   device float *out [[buffer(1)]],
                   uint tid [[thread_position_in_grid]])
{
    float a = in[tid].x;
    float b = in[tid].y;
    out[tid * 6 + 0] = min(a, b);
    out[tid * 6 + 1] = max(a, b);
    out[tid * 6 + 2] = fmod(a, b);
    out[tid * 6 + 3] = pow(a, b);
    out[tid * 6 + 4] = atan2(a, b);
    out[tid * 6 + 5] = step(a, b);
}

kernel void ternary(device const float4 *in [[buffer(0)]],
                    device float4 *out [[buffer(1)]],
                    uint tid [[thread_position_in_grid]])
{
    float4 v = in[tid];
    out[tid] = float4(clamp(v.x, v.y, v.z),
                      mix(v.x, v.y, v.w),
                      smoothstep(v.y, v.z, v.x),
                      fma(v.x, v.y, v.z));
}
