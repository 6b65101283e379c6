#include <metal_stdlib>
using namespace metal;

struct Uniforms {
    float4x4 mvp;
    float3x3 normalMatrix;
    float2x2 rot;
};

struct In { float3 pos [[attribute(0)]]; float3 normal [[attribute(1)]]; };
struct Out { float4 position [[position]]; float3 normal; };

vertex Out mat_vertex(In in [[stage_in]], constant Uniforms &u [[buffer(1)]]) {
    Out o;
    o.position = u.mvp * float4(in.pos, 1.0);
    o.normal = normalize(u.normalMatrix * in.normal);
    float2 r = u.rot * in.pos.xy;
    float2 r2 = in.pos.xy * u.rot;
    float4x4 m2 = u.mvp * u.mvp;
    float3x3 id = float3x3(1.0);
    float3x3 cols = float3x3(float3(1, 0, 0), float3(0, 1, 0), float3(0, 0, 1));
    float2x2 s = float2x2(1.0, 2.0, 3.0, 4.0) * 0.5;
    o.position.xy += (r + r2) * 0.0 + m2[0].xy * 0.0 + s[1] * 0.0;
    o.normal += (id * cols)[2] * 0.0;
    return o;
}
