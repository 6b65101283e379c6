#include <metal_stdlib>
using namespace metal;
struct U { float a; };
kernel void k(constant U &u [[buffer(0)]], device float *o [[buffer(1)]])
{
    u.a = 2.0;
    o[0] = u.a;
}
