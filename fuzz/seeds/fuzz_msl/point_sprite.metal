// Point sprites: a vertex output with [[point_size]] and a fragment input
// with [[point_coord]], both as a stage_in member and as a parameter.
#include <metal_stdlib>
using namespace metal;

struct VOut {
    float4 pos [[position]];
    float size [[point_size]];
    float4 color;
};

struct FIn {
    float4 color;
    float2 pc [[point_coord]];
};

vertex VOut vs(uint vid [[vertex_id]], constant float *sizes [[buffer(0)]]) {
    VOut o;
    o.pos = float4(0.0, 0.0, 0.0, 1.0);
    o.size = sizes[vid];
    o.color = float4(1.0);
    return o;
}

fragment float4 fs(FIn in [[stage_in]]) {
    return float4(in.pc, 0.0, 1.0) * in.color;
}

fragment float4 fs_param(float2 pc [[point_coord]]) {
    return float4(pc.x, pc.y, 0.0, 1.0);
}
