// EXPECT: 5:14: kernel function 'k' must return void
#include <metal_stdlib>
using namespace metal;

kernel float k(device float *out [[buffer(0)]], uint gid [[thread_position_in_grid]]) {
    return out[gid];
}
