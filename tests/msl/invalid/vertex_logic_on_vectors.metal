// EXPECT: 8:15: operands of '&&' must be scalars
#include <metal_stdlib>
using namespace metal;

kernel void k(device float2 *o [[buffer(0)]], uint i [[thread_position_in_grid]]) {
    bool2 a = o[i] > 0.0;
    bool2 b = o[i] < 1.0;
    if (any(a && b)) { o[i] = 0.0; }
}
