// EXPECT: 6:32: offset of sample() must be a constant int2 with components in -8..7 (have 'int2')
#include <metal_stdlib>
using namespace metal;

fragment float4 f(float4 pos [[position]], texture2d<float> t [[texture(0)]], sampler s [[sampler(0)]]) {
    return t.sample(s, pos.xy, int2(0, 8));
}
