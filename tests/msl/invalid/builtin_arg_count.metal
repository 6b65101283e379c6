// EXPECT: 6:16: clamp() takes 3 arguments, 2 given
#include <metal_stdlib>
using namespace metal;

kernel void k(device float *out [[buffer(0)]], uint gid [[thread_position_in_grid]]) {
    out[gid] = clamp(out[gid], 0.0);
}
