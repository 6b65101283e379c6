// EXPECT: 6:35: unknown attribute [[bufer]]
// (no follow-on "needs an attribute" error for the parameter)
#include <metal_stdlib>
using namespace metal;

kernel void k(device float *out [[bufer(0)]], uint gid [[thread_position_in_grid]]) {
    out[gid] = 1.0;
}
