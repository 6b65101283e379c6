// EXPECT: 5:9: function-like macro 'SQUARE' is not supported
#include <metal_stdlib>
using namespace metal;

#define SQUARE(x) ((x) * (x))
kernel void k(device float *out [[buffer(0)]], uint gid [[thread_position_in_grid]]) {
    out[gid] = 2.0;
}
