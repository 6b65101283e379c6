#include <metal_stdlib>
using namespace metal;
kernel void spin(device float *o [[buffer(0)]], uint i [[thread_position_in_grid]])
{
    float acc = 0.0;
    for (uint a = 0; a < 4000000000u; a++)
        for (uint b = 0; b < 4000000000u; b++)
            acc += 1.0;
    o[i] = acc;
}
