// EXPECT: 6:31: threadgroup variable 'sums' cannot have an initializer
#include <metal_stdlib>
using namespace metal;

kernel void k(device float *out [[buffer(0)]], uint tid [[thread_position_in_threadgroup]]) {
    threadgroup float sums[4] = { 0.0, 0.0, 0.0, 0.0 };
    sums[tid] = 1.0;
    out[tid] = sums[0];
}
