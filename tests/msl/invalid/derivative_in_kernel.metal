// EXPECT: 6:16: dfdx() is only available in fragment functions
#include <metal_stdlib>
using namespace metal;

kernel void k(device float *out [[buffer(0)]], uint gid [[thread_position_in_grid]]) {
    out[gid] = dfdx(out[gid]);
}
