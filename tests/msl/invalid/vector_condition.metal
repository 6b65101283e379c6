// EXPECT: 7:11: condition has type 'bool2'; a scalar is required (use any() or all())
#include <metal_stdlib>
using namespace metal;

kernel void k(device float2 *out [[buffer(0)]], uint gid [[thread_position_in_grid]]) {
    float2 v = out[gid];
    if (v > 0.5) {
        out[gid] = 0.0;
    }
}
