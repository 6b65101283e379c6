// EXPECT: 11:11: argument 1 of 'bump' is in the threadgroup address space, the reference is to thread
#include <metal_stdlib>
using namespace metal;

void bump(thread float &x) { x += 1.0; }

kernel void k(device float *out [[buffer(0)]], uint tid [[thread_position_in_threadgroup]]) {
    threadgroup float t[64];
    t[tid] = 0.0;
    threadgroup_barrier(mem_flags::mem_threadgroup);
    bump(t[tid]);
    out[tid] = t[tid];
}
