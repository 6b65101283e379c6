#include <metal_stdlib>
using namespace metal;

struct V {
    float4 position [[position]];
    float4 color [[flat]];
    float2 uv;
};

fragment float4 builtins_fragment(V in [[stage_in]],
                                  bool front [[front_facing]],
                                  uint sid [[sample_id]]) {
    float4 c = front ? in.color : in.color.bgra;
    c.a *= sid == 0u ? 1.0 : 0.5;
    float2 grad = float2(dfdx(in.uv.x), dfdy(in.uv.y));
    return c * (1.0 - length(grad));
}
