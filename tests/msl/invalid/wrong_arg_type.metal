// EXPECT: 7:18: cannot convert 'float3' to 'float2' in argument 1 of 'f'
#include <metal_stdlib>
using namespace metal;

static float f(float2 v) { return v.x; }
kernel void k(device float *out [[buffer(0)]], uint gid [[thread_position_in_grid]]) {
    out[gid] = f(float3(1.0));
}
