// EXPECT: 5:39: attribute [[buffer]] is only allowed on parameters of vertex, fragment and kernel functions
#include <metal_stdlib>
using namespace metal;

static float helper(device float *p [[buffer(0)]]) { return p[0]; }
