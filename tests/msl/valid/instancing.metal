#include <metal_stdlib>
using namespace metal;

struct Instance {
    float4 rect;
    float4 color;
};

struct VOut {
    float4 position [[position]];
    float4 color [[flat]];
    float2 local;
};

vertex VOut inst_vertex(uint vid [[vertex_id]], uint iid [[instance_id]],
                        constant Instance *instances [[buffer(0)]],
                        constant float2 &viewport [[buffer(1)]]) {
    const float2 corners[4] = { float2(0, 0), float2(1, 0), float2(0, 1), float2(1, 1) };
    Instance inst = instances[iid];
    float2 c = corners[vid & 3u];
    float2 p = mix(inst.rect.xy, inst.rect.zw, c);
    VOut o;
    o.position = float4(p / viewport * 2.0 - 1.0, 0.0, 1.0);
    o.color = inst.color;
    o.local = c;
    return o;
}

fragment float4 inst_fragment(VOut in [[stage_in]]) {
    return in.color;
}
