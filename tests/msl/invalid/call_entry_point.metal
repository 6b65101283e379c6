// EXPECT: 9:5: cannot call kernel function 'a'
#include <metal_stdlib>
using namespace metal;

kernel void a(device float *out [[buffer(0)]], uint gid [[thread_position_in_grid]]) {
    out[gid] = 1.0;
}
kernel void b(device float *out [[buffer(0)]], uint gid [[thread_position_in_grid]]) {
    a(out, gid);
}
