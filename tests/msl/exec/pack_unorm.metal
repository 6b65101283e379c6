// Colours packed as RGBA8 in a uint, as glyph and UI vertex buffers store
// them: unpack_unorm4x8_to_float and pack_float_to_unorm4x8.
#include <metal_stdlib>
using namespace metal;

kernel void pack_unorm(device const uint *packed [[buffer(0)]],
                       device const float4 *colors [[buffer(1)]],
                       device float4 *unpacked [[buffer(2)]],
                       device uint *repacked [[buffer(3)]],
                       uint tid [[thread_position_in_grid]])
{
    unpacked[tid] = unpack_unorm4x8_to_float(packed[tid]);
    repacked[tid * 2 + 0] = pack_float_to_unorm4x8(colors[tid]);
    repacked[tid * 2 + 1] = pack_float_to_unorm4x8(half4(unpack_unorm4x8_to_float(packed[tid])));
}
