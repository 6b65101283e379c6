// EXPECT: 8:23: threadgroup variable 'b' (4 bytes) brings 'k' to 32772 bytes of threadgroup memory; the limit is 32768
#include <metal_stdlib>
using namespace metal;

kernel void k(device float *out [[buffer(0)]], uint tid [[thread_position_in_threadgroup]]) {
    // 32 KiB exactly is allowed; one more float is not
    threadgroup float4 a[2048];
    threadgroup float b;
    a[tid] = float4(1.0);
    out[tid] = a[tid].x;
}
