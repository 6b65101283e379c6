// EXPECT: 6:5: unknown type name 'vec3'
#include <metal_stdlib>
using namespace metal;

kernel void k(device float *out [[buffer(0)]], uint gid [[thread_position_in_grid]]) {
    vec3 v = vec3(1.0);
    out[gid] = 1.0;
}
