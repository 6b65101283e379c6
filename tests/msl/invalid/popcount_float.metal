// EXPECT: 6:17: popcount() takes integer arguments (have 'float')
#include <metal_stdlib>
using namespace metal;

kernel void k(device uint *o [[buffer(0)]], uint i [[thread_position_in_grid]]) {
    o[i] = uint(popcount(float(i)));
}
