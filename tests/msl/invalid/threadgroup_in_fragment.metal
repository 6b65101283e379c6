// EXPECT: 6:23: threadgroup variable 'shared' can only be declared in a kernel function
#include <metal_stdlib>
using namespace metal;

fragment float4 f(float4 pos [[position]]) {
    threadgroup float shared[16];
    return float4(pos.x);
}
