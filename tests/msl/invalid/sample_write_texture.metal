// EXPECT: 7:18: sample() needs a texture with access::sample
#include <metal_stdlib>
using namespace metal;

kernel void k(texture2d<float, access::write> t [[texture(0)]], sampler s [[sampler(0)]],
              uint2 gid [[thread_position_in_grid]]) {
    float4 c = t.sample(s, float2(0.5));
    t.write(c, gid);
}
