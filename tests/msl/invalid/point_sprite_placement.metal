// EXPECT: 9:15: more than one [[point_size]] member in 'VOut'
// EXPECT: 10:17: [[point_coord]] is not allowed on a vertex output member
// EXPECT: 13:33: [[point_size]] is not allowed on a function parameter
#include <metal_stdlib>
using namespace metal;
struct VOut {
    float4 pos [[position]];
    float a [[point_size]];
    float b [[point_size]];
    float2 pc [[point_coord]];
};
vertex VOut vs() { VOut o; o.pos = float4(0.0); o.a = 1.0; o.b = 1.0; o.pc = float2(0.0); return o; }
fragment float4 fs(float size [[point_size]]) { return float4(size); }
