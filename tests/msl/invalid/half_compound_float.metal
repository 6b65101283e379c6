// EXPECT: 7:7: convert explicitly
#include <metal_stdlib>
using namespace metal;

kernel void k(device half *o [[buffer(0)]], device float *g [[buffer(1)]], uint i [[thread_position_in_grid]]) {
    half h = o[i];
    h += g[i];
    o[i] = h;
}
