// EXPECT: 9:15: use of undeclared identifier 'undefined_a'
// EXPECT: 10:38: invalid operands to binary '*' ('float2' and 'float3')
// EXPECT: 11:15: use of undeclared function 'missing'
// EXPECT: 14:7: member reference '.x' on a value of type 'int'
#include <metal_stdlib>
using namespace metal;

kernel void k(device float *out [[buffer(0)]], uint gid [[thread_position_in_grid]]) {
    float a = undefined_a;
    float b = 1.0 + float2(1.0, 2.0) * float3(1.0);
    float c = missing(3);
    out[gid] = a + b + c;
    int d = 1;
    d.x = 2;
}
