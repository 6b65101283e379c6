// EXPECT: 6:19: fragment function 'f' must return a color
#include <metal_stdlib>
using namespace metal;

struct Nothing { float4 a; };
fragment float4x4 f(float4 pos [[position]]) {
    return float4x4(1.0);
}
