// EXPECT: 8:18: invalid operands to binary '*' ('int4' and 'float')
#include <metal_stdlib>
using namespace metal;

kernel void k(device int4 *out [[buffer(0)]], uint gid [[thread_position_in_grid]]) {
    int4 v = out[gid];
    float f = 0.5;
    out[gid] = v * f;
}
