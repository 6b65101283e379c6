#include <metal_stdlib>
using namespace metal;
#define A B
#define B A
#define SELF SELF + 1
kernel void k(device float *o [[buffer(0)]], uint i [[thread_position_in_grid]]) { int SELF = 0; o[i] = A; }
