// EXPECT: 6:28: read() with a mipmap level other than a constant 0 is not supported
#include <metal_stdlib>
using namespace metal;

kernel void k(texture2d<float, access::read> t [[texture(0)]], device float4 *o [[buffer(0)]], uint2 gid [[thread_position_in_grid]]) {
    o[gid.x] = t.read(gid, 1);
}
