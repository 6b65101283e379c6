// EXPECT: 7:14: sizeof of 'texture2d<float, access::sample>' is not supported
// EXPECT: 8:34: sizeof of a pointer or reference type is not supported
#include <metal_stdlib>
using namespace metal;
kernel void k(device uint *out [[buffer(0)]], texture2d<float> t [[texture(0)]])
{
    out[0] = sizeof(t);
    out[1] = sizeof(device float *);
}
