// EXPECT: 7:16: 'scale' takes 2 arguments, 1 given
#include <metal_stdlib>
using namespace metal;

static float scale(float x, float s) { return x * s; }
kernel void k(device float *out [[buffer(0)]], uint gid [[thread_position_in_grid]]) {
    out[gid] = scale(out[gid]);
}
