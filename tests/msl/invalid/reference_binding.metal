// EXPECT: 10:25: initializer of reference 'x' must be an lvalue of type 'float'
// EXPECT: 11:24: initializer of reference 'd' is in the constant address space, the reference is to device
// EXPECT: 12:25: initializer of reference 't' is in the device address space, the reference is to thread
// EXPECT: 14:12: reference needs an address space
#include <metal_stdlib>
using namespace metal;

kernel void k(device float4 *o [[buffer(0)]], constant float4 &c [[buffer(1)]], uint i [[thread_position_in_grid]]) {
    float4 v = o[i];
    thread float &x = v.x;
    device float4 &d = c;
    thread float4 &t = o[i];
    device float4 &ok = o[i];
    float4 &r;
    ok = v;
}
