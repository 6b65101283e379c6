// EXPECT: 9:1: does not return a value on every path
#include <metal_stdlib>
using namespace metal;

static float pick(float x) {
    if (x > 0.0) {
        return x;
    }
}
kernel void k(device float *out [[buffer(0)]], uint gid [[thread_position_in_grid]]) {
    out[gid] = pick(out[gid]);
}
