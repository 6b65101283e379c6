// EXPECT: 7:23: coordinate of read() must be uint2 or ushort2 (have 'float2')
#include <metal_stdlib>
using namespace metal;

kernel void k(texture2d<float, access::read> t [[texture(0)]], device float4 *out [[buffer(0)]],
              uint gid [[thread_position_in_grid]]) {
    out[gid] = t.read(float2(0.5));
}
