// EXPECT: 7:12: member 'uv' of vertex [[stage_in]] struct 'In' needs [[attribute(n)]]
#include <metal_stdlib>
using namespace metal;

struct In {
    float2 pos [[attribute(0)]];
    float2 uv;
};
vertex float4 v(In in [[stage_in]]) {
    return float4(in.pos, 0.0, 1.0);
}
