// Parenthesised expressions that start with a function-style cast or a
// constructor, next to real C casts: `(T)x` is a cast only when the
// parentheses hold exactly a type name.
#include <metal_stdlib>
using namespace metal;

kernel void paren_casts(device const float *in [[buffer(0)]],
                        device float *out [[buffer(1)]],
                        uint tid [[thread_position_in_grid]])
{
    float x = in[tid];
    float y = 2.0;
    int i = 3;
    float2 a = float2(x, 1.0);
    float2 c = float2(2.0, 4.0);
    half4 v = half4(half(x));
    out[tid * 12 + 0] = (int(tid) + i);
    out[tid * 12 + 1] = (float(x) + y);
    out[tid * 12 + 2] = (float2(a.x, y) * c).x;
    out[tid * 12 + 3] = (metal::float2(a.x, y) * c).y;
    out[tid * 12 + 4] = (uint)x;
    out[tid * 12 + 5] = (float)(x + y);
    out[tid * 12 + 6] = ((half4)v).x;
    out[tid * 12 + 7] = -(float3(x)).x;
    out[tid * 12 + 8] = (float)(int)x * 2.0;
    out[tid * 12 + 9] = (unsigned int)(x) + (int(x) * 2);
    out[tid * 12 + 10] = (float4(a, c).zw / (float2)(2)).y;
    out[tid * 12 + 11] = (const float)(x) - (float(i) - (float)i);
}
