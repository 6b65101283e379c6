// EXPECT: 5:21: invalid sampler argument 'filter::cubic'
#include <metal_stdlib>
using namespace metal;

constexpr sampler s(filter::cubic);
