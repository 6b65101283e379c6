// EXPECT: 7:12: array 'w' without a size needs a non-empty brace initializer
// EXPECT: 8:12: array 'e' without a size needs a non-empty brace initializer
#include <metal_stdlib>
using namespace metal;

kernel void k(device float *out [[buffer(0)]]) {
    float w[];
    float e[] = {};
    out[0] = w[0] + e[0];
}
