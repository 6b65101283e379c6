// EXPECT: 12:49: attribute [[sample_mask]] is not supported
// EXPECT: 13:43: attribute [[primitive_id]] is not supported
// EXPECT: 8:29: attribute [[depth]] is not supported
// One error per unsupported attribute: no follow-on "needs an attribute".
#include <metal_stdlib>
using namespace metal;

struct FOut { float depth [[depth(any)]]; float4 color [[color(0)]]; };
struct VOut { float4 position [[position]]; float2 uv; };

fragment FOut f(VOut in [[stage_in]],
                              uint sampleMask [[sample_mask]],
                              uint prim [[primitive_id]])
{
    FOut o;
    o.depth = in.position.z;
    o.color = float4(in.uv, float(sampleMask & prim), 1.0);
    return o;
}
