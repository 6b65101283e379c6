// EXPECT: 6:5: 'switch' is not supported
#include <metal_stdlib>
using namespace metal;

kernel void k(device float *out [[buffer(0)]], uint gid [[thread_position_in_grid]]) {
    switch (gid) {
    case 0: out[gid] = 1.0; break;
    }
}
