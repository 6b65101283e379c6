// EXPECT: 6:23: threadgroup variable 'scratch' can only be declared in a kernel function (not in a helper function)
#include <metal_stdlib>
using namespace metal;

float helper(uint i) {
    threadgroup float scratch[32];
    return scratch[i];
}

kernel void k(device float *out [[buffer(0)]], uint tid [[thread_position_in_threadgroup]]) {
    out[tid] = helper(tid);
}
