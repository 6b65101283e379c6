// EXPECT: 7:19: initializer list cannot be an operand of ','
#include <metal_stdlib>
using namespace metal;

kernel void k(device int *out [[buffer(0)]], uint tid [[thread_position_in_threadgroup]]) {
    int b = 3;
    while (b > 0, { 1 })
        b--;
    out[tid] = b;
}
