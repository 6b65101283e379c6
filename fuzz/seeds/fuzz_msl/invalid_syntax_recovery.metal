// EXPECT: 9:22: expected an expression before ';'
// EXPECT: 11:17: unexpected character '@'
// EXPECT: 11:19: expected ';' before '2.0'
// EXPECT: 12:20: use of undeclared identifier 'nope'
#include <metal_stdlib>
using namespace metal;

kernel void k(device float *out [[buffer(0)]], uint gid [[thread_position_in_grid]]) {
    float a = (1.0 + ;
    float b = 2.0;
    float c = b @ 2.0;
    out[gid] = b + nope;
}
