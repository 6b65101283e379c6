#include <metal_stdlib>
using namespace metal;
void sync() { threadgroup_barrier(mem_flags::mem_device | mem_flags::mem_threadgroup); }
kernel void k(device uint *io [[buffer(0)]], uint2 lid [[thread_position_in_threadgroup]])
{
    threadgroup uint t[16][16];
    threadgroup uint *q = &t[lid.y % 16][lid.x % 16];
    *q = lid.x;
    if (lid.y > 3)
        return;
    sync();
    for (int i = 0; i < 3; i++) {
        simdgroup_barrier(mem_flags::mem_none);
        if (lid.x == 2)
            sync();
    }
    io[lid.x % 64] = t[lid.y][0];
}
