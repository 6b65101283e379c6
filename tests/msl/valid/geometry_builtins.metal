#include <metal_stdlib>
using namespace metal;

struct L { float3 dir; float intensity; };

fragment float4 lit_fragment(float4 pos [[position]], constant L &light [[buffer(0)]]) {
    float3 n = normalize(float3(pos.xy, 1.0));
    float3 l = normalize(light.dir);
    float diff = max(dot(n, l), 0.0);
    float3 r = reflect(-l, n);
    float3 t = cross(n, float3(0.0, 1.0, 0.0));
    float d = distance(pos.xy, float2(0.0));
    float len = length(t) + length(r);
    return float4(float3(diff * light.intensity), 1.0) * (1.0 / (1.0 + d * 0.001)) + len * 0.0;
}
