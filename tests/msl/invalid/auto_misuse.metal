// EXPECT: 7:48: 'auto' is only supported for local variables with an initializer
// EXPECT: 10:10: 'auto' variable 'a' needs an '=' initializer
// EXPECT: 11:10: reference needs an address space
// EXPECT: 11:11: 'auto' with '*', '&' or an array is not supported; spell the type of 'b'
#include <metal_stdlib>
using namespace metal;
kernel void k(device float *out [[buffer(0)]], auto n [[buffer(1)]])
{
    float x = 1.0;
    auto a;
    auto &b = x;
    out[0] = x;
}
