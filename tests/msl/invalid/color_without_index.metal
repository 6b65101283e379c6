// EXPECT: 5:26: attribute [[color]] needs an index
#include <metal_stdlib>
using namespace metal;

struct FOut { float4 c [[color]]; };
fragment FOut f(float4 pos [[position]]) {
    FOut o;
    o.c = pos;
    return o;
}
