// EXPECT: 8:25: 'mem_flags::mem_everything' is not supported
// EXPECT: 9:25: argument of threadgroup_barrier() must be mem_flags::mem_none, mem_device, mem_threadgroup, mem_texture or a combination with |
// EXPECT: 10:5: 'threadgroup_barrier' takes 1 argument (mem_flags), 0 given
#include <metal_stdlib>
using namespace metal;

kernel void k(device float *out [[buffer(0)]], uint tid [[thread_position_in_threadgroup]]) {
    threadgroup_barrier(mem_flags::mem_everything);
    threadgroup_barrier(tid);
    threadgroup_barrier();
    out[tid] = 1.0;
}
