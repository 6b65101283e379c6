// EXPECT: 7:15: threadgroup parameters are not supported: a kernel's threadgroup buffers are sized by setThreadgroupMemoryLength
#include <metal_stdlib>
using namespace metal;

kernel void k(device float *out [[buffer(0)]],
              uint tid [[thread_position_in_threadgroup]],
              threadgroup float *scratch [[threadgroup(0)]]) {
    scratch[tid] = 1.0;
    out[tid] = scratch[0];
}
