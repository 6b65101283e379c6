#include <metal_stdlib>
using namespace metal;
#define SCALE (bad_name * 2.0)
kernel void k(device float *o [[buffer(0)]])
{
    o[0] = SCALE;
}
