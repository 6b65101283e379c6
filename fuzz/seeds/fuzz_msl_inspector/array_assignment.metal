// EXPECT: 9:7: array type 'float[2]' is not assignable
// EXPECT: 10:18: array 'float[2]' must be initialized with a brace list
#include <metal_stdlib>
using namespace metal;

kernel void k(device float *o [[buffer(0)]], uint i [[thread_position_in_grid]]) {
    float a[2] = { 1.0, 2.0 };
    float b[2] = { 3.0, 4.0 };
    a = b;
    float c[2] = b;
    o[i] = a[0] + c[0];
}
