// EXPECT: 7:5: unknown type name 'vector_float4x4'
// EXPECT: 8:14: use of undeclared identifier 'm'
#include <metal_stdlib>
#include <simd/simd.h>
using namespace metal;
kernel void k(device float4 *out [[buffer(0)]]) {
    vector_float4x4 m = float4x4(1.0);
    out[0] = m[0];
}
