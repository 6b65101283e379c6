#include <metal_stdlib>
using namespace metal;

// A per-threadgroup 16-bin luminance histogram in threadgroup memory,
// written out by the first 16 threads: the shape of an auto-exposure pass.
// Bins are counted one thread at a time (no atomics in the subset): each
// thread owns one bin and scans the tile after a barrier.

constant uint BINS = 16;
constant uint TILE = 256;

struct Params {
    uint width;
    float min_luma;
    float max_luma;
};

static uint bin_of(float luma, constant Params &p)
{
    float t = saturate((luma - p.min_luma) / (p.max_luma - p.min_luma));
    return min(uint(t * float(BINS)), BINS - 1);
}

kernel void luma_histogram(texture2d<float, access::read> src [[texture(0)]],
                           device uint *histogram [[buffer(0)]],
                           constant Params &params [[buffer(1)]],
                           uint2 gid [[thread_position_in_grid]],
                           uint2 lid [[thread_position_in_threadgroup]],
                           uint2 tpg [[threads_per_threadgroup]],
                           uint2 group [[threadgroup_position_in_grid]])
{
    threadgroup ushort bins_of_pixel[TILE];
    threadgroup uint counts[BINS];
    uint flat = lid.y * tpg.x + lid.x;
    float3 rgb = src.read(gid).rgb;
    float luma = dot(rgb, float3(0.2126, 0.7152, 0.0722));
    bins_of_pixel[flat] = ushort(bin_of(luma, params));
    threadgroup_barrier(mem_flags::mem_threadgroup);
    if (flat < BINS) {
        uint n = 0;
        for (uint i = 0; i < tpg.x * tpg.y; i++)
            n += bins_of_pixel[i] == flat ? 1u : 0u;
        counts[flat] = n;
    }
    threadgroup_barrier(mem_flags::mem_threadgroup | mem_flags::mem_device);
    if (flat < BINS) {
        uint groups_x = (params.width + tpg.x - 1) / tpg.x;
        histogram[(group.y * groups_x + group.x) * BINS + flat] = counts[flat];
    }
    simdgroup_barrier(mem_flags::mem_none);
}
