// EXPECT: 5:25: array parameter 'w' is not supported
#include <metal_stdlib>
using namespace metal;

static float sum3(float w[3]) { return w[0] + w[1] + w[2]; }
