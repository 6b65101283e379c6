#include <metal_stdlib>
using namespace metal;

kernel void tile_kernel(device uint4 *out [[buffer(0)]],
                        uint3 gid [[thread_position_in_grid]],
                        uint2 lid [[thread_position_in_threadgroup]],
                        uint2 tg [[threadgroup_position_in_grid]],
                        uint2 tpt [[threads_per_threadgroup]]) {
    uint index = gid.y * 1024u + gid.x;
    out[index] = uint4(lid, tg.x * tpt.x, tg.y * tpt.y + gid.z);
}
