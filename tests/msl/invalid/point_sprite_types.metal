// EXPECT: 8:9: [[point_size]] must be float
// EXPECT: 11:27: [[point_coord]] parameter must be float2
#include <metal_stdlib>
using namespace metal;

struct VOut {
    float4 pos [[position]];
    int size [[point_size]];
};

fragment float4 fs(float3 pc [[point_coord]]) {
    return float4(pc, 1.0);
}

vertex VOut vs() {
    VOut o;
    o.pos = float4(0.0);
    o.size = 1;
    return o;
}
