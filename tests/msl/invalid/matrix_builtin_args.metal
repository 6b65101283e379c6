// EXPECT: 6:26: determinant() takes a square matrix (have 'float2x3')
// EXPECT: 7:24: transpose() takes a matrix (have 'float4')
#include <metal_stdlib>
using namespace metal;
kernel void k(device float *out [[buffer(0)]]) {
    out[0] = determinant(float2x3(1.0));
    out[1] = transpose(float4(1.0)).x;
}
