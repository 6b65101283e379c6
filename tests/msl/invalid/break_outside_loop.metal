// EXPECT: 7:9: 'break' statement not in a loop
#include <metal_stdlib>
using namespace metal;

kernel void k(device float *out [[buffer(0)]], uint gid [[thread_position_in_grid]]) {
    if (gid > 4u) {
        break;
    }
    out[gid] = 0.0;
}
