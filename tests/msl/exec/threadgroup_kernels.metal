#include <metal_stdlib>
using namespace metal;

// Tree reduction: each threadgroup of 256 sums its 256 inputs into out[group].
kernel void reduce_sum(device const float *in [[buffer(0)]],
                       device float *out [[buffer(1)]],
                       uint tid [[thread_position_in_threadgroup]],
                       uint gid [[thread_position_in_grid]],
                       uint group [[threadgroup_position_in_grid]],
                       uint size [[threads_per_threadgroup]])
{
    threadgroup float partial[256];
    partial[tid] = in[gid];
    threadgroup_barrier(mem_flags::mem_threadgroup);
    for (uint s = size / 2; s > 0; s >>= 1) {
        if (tid < s)
            partial[tid] += partial[tid + s];
        threadgroup_barrier(mem_flags::mem_threadgroup);
    }
    if (tid == 0)
        out[group] = partial[0];
}

// Tiled 1D blur: a tile of 64 plus a 2-wide apron on each side is loaded
// into threadgroup memory once, then every thread averages 5 neighbours.
constant int RADIUS = 2;

kernel void blur_1d(device const float *in [[buffer(0)]],
                    device float *out [[buffer(1)]],
                    constant uint &n [[buffer(2)]],
                    uint tid [[thread_position_in_threadgroup]],
                    uint gid [[thread_position_in_grid]],
                    uint tpg [[threads_per_threadgroup]])
{
    threadgroup float tile[64 + 2 * 2];
    int last = int(n) - 1;
    tile[tid + RADIUS] = in[gid];
    if (tid < uint(RADIUS)) {
        int left = clamp(int(gid) - RADIUS, 0, last);
        int right = clamp(int(gid + tpg), 0, last);
        tile[tid] = in[left];
        tile[tid + tpg + RADIUS] = in[right];
    }
    threadgroup_barrier(mem_flags::mem_threadgroup | mem_flags::mem_device);
    float acc = 0.0;
    for (int k = -RADIUS; k <= RADIUS; k++)
        acc += tile[int(tid) + RADIUS + k];
    out[gid] = acc / float(2 * RADIUS + 1);
}

// Inclusive prefix sum (Hillis-Steele) over one threadgroup of up to 1024
// uints, double-buffered in threadgroup memory.
kernel void prefix_sum(device const uint *in [[buffer(0)]],
                       device uint *out [[buffer(1)]],
                       uint tid [[thread_position_in_threadgroup]],
                       uint tpg [[threads_per_threadgroup]])
{
    threadgroup uint buf[2][1024];
    uint src = 0;
    buf[0][tid] = in[tid];
    threadgroup_barrier(mem_flags::mem_threadgroup);
    for (uint offset = 1; offset < tpg; offset *= 2) {
        uint v = buf[src][tid];
        if (tid >= offset)
            v += buf[src][tid - offset];
        buf[1 - src][tid] = v;
        src = 1 - src;
        threadgroup_barrier(mem_flags::mem_threadgroup);
    }
    out[tid] = buf[src][tid];
}

// Divergent: only the first half of the group reaches the barrier.
kernel void divergent(device float *out [[buffer(0)]],
                      uint tid [[thread_position_in_threadgroup]],
                      uint tpg [[threads_per_threadgroup]])
{
    threadgroup float t[1024];
    t[tid] = float(tid);
    if (tid < tpg / 2) {
        threadgroup_barrier(mem_flags::mem_threadgroup);
        out[tid] = t[tpg - 1 - tid];
    }
}

// Barrier in a helper function; simdgroup_barrier with mem_none.
void sync_group()
{
    threadgroup_barrier(mem_flags::mem_threadgroup);
}

kernel void reverse(device float *data [[buffer(0)]],
                    uint tid [[thread_position_in_threadgroup]],
                    uint tpg [[threads_per_threadgroup]])
{
    threadgroup float4 v4[64];
    threadgroup float t[1024];
    t[tid] = data[tid];
    simdgroup_barrier(mem_flags::mem_none);
    sync_group();
    data[tid] = t[tpg - 1 - tid];
    if (tid < 64)
        v4[tid] = float4(1.0);
}

// 2D: a 16x16 tile transposed through threadgroup memory (256 threads,
// four chunks), indexed with [[thread_index_in_threadgroup]].
kernel void transpose_tile(device const float *in [[buffer(0)]],
                           device float *out [[buffer(1)]],
                           constant uint &width [[buffer(2)]],
                           uint2 gid [[thread_position_in_grid]],
                           uint2 lid [[thread_position_in_threadgroup]],
                           ushort index [[thread_index_in_threadgroup]],
                           uint2 tpg [[threads_per_threadgroup]])
{
    threadgroup float tile[16 * 16];
    tile[index] = in[gid.y * width + gid.x];
    threadgroup_barrier(mem_flags::mem_threadgroup);
    // this thread writes the element mirrored across the tile's diagonal
    out[gid.y * width + gid.x] = tile[lid.x * tpg.x + lid.y];
}

// A threadgroup pointer taken with & inside the kernel: each thread writes
// its neighbour's slot through it, then reads its own.
kernel void through_pointer(device float *out [[buffer(0)]],
                            uint tid [[thread_position_in_threadgroup]],
                            uint tpg [[threads_per_threadgroup]])
{
    threadgroup float slots[128];
    threadgroup float *p = &slots[(tid + 1) % tpg];
    *p = float(tid) * 2.0;
    threadgroup_barrier(mem_flags::mem_threadgroup);
    out[tid] = slots[tid];
}

// Divergent the other way: both branches have a barrier, but they are
// different barriers (line 144 and line 146).
kernel void two_barriers(device float *out [[buffer(0)]],
                         uint tid [[thread_position_in_threadgroup]])
{
    threadgroup float t[128];
    t[tid] = 1.0;
    if (tid < 64) {
        threadgroup_barrier(mem_flags::mem_threadgroup);
    } else {
        threadgroup_barrier(mem_flags::mem_threadgroup);
    }
    out[tid] = t[127 - tid];
}

// A barrier in a loop that never ends: the loop limit stops it.
kernel void spin(device float *out [[buffer(0)]],
                 uint tid [[thread_position_in_threadgroup]])
{
    threadgroup float t[256];
    while (true) {
        t[tid] += 1.0;
        threadgroup_barrier(mem_flags::mem_threadgroup);
    }
}
