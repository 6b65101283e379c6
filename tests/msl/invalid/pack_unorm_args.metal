// EXPECT: 6:41: unpack_unorm4x8_to_float() takes a uint (have 'float')
// EXPECT: 7:39: pack_float_to_unorm4x8() takes a float4 or half4 (have 'float3')
#include <metal_stdlib>
using namespace metal;
kernel void k(device uint *out [[buffer(0)]]) {
    float4 c = unpack_unorm4x8_to_float(1.0);
    out[0] = pack_float_to_unorm4x8(c.xyz);
}
