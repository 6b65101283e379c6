// EXPECT: 7:16: cannot convert 'float3' to 'float4'
#include <metal_stdlib>
using namespace metal;

kernel void k(device float4 *out [[buffer(0)]], uint gid [[thread_position_in_grid]]) {
    float3 c = float3(1.0);
    float4 d = c;
    out[gid] = d;
}
