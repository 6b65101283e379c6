#include <metal_stdlib>
using namespace metal;
kernel void reduce(device float *io [[buffer(0)]],
                   uint tid [[thread_index_in_threadgroup]],
                   uint2 tpg [[threads_per_threadgroup]])
{
    threadgroup float p[256];
    p[tid] = io[tid % 64];
    threadgroup_barrier(mem_flags::mem_threadgroup);
    for (uint s = 128; s > 0; s >>= 1) {
        if (tid < s && tid + s < tpg.x * tpg.y)
            p[tid] += p[tid + s];
        threadgroup_barrier(mem_flags::mem_threadgroup);
    }
    if (tid == 0)
        io[0] = p[0];
}
