// EXPECT: 6:32: built-in function 'level' is not supported
#include <metal_stdlib>
using namespace metal;

fragment float4 f(float4 pos [[position]], texture2d<float> t [[texture(0)]], sampler s [[sampler(0)]]) {
    return t.sample(s, pos.xy, level(0.0));
}
