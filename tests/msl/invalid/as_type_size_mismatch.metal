// EXPECT: 7:14: as_type from 'float2' (8 bytes) to 'uint' (4 bytes): the sizes must be equal
// EXPECT: 8:14: as_type from 'half2' to 'uint' is not supported
#include <metal_stdlib>
using namespace metal;

kernel void k(device uint *out [[buffer(0)]]) {
    out[0] = as_type<uint>(float2(1.0));
    out[1] = as_type<uint>(half2(1.0h));
}
