// EXPECT: 6:7: write() needs a texture2d with access::write
#include <metal_stdlib>
using namespace metal;

kernel void k(texture2d<float> t [[texture(0)]], uint2 gid [[thread_position_in_grid]]) {
    t.write(float4(1.0), gid);
}
