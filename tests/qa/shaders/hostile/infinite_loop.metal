#include <metal_stdlib>
using namespace metal;
kernel void spin(device uint *o [[buffer(0)]], uint i [[thread_position_in_grid]])
{
    uint x = 1;
    while (x != 0) { x = x * 3u + 2u; x |= 1u; }
    o[i] = x;
}
