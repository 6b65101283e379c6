// Everyday C++ in real shaders: auto, enums, type aliases, matrix helpers.
#include <metal_stdlib>
using namespace metal;
using vec2 = float2;
enum BlendMode : uint { kNormal = 0, kMultiply = 1 };
kernel void k(device float *o [[buffer(0)]], constant uint &mode [[buffer(1)]],
              uint gid [[thread_position_in_grid]]) {
    auto p = vec2(1.0, 2.0);
    float3x3 m = transpose(float3x3(1.0));
    o[gid] = (mode == kMultiply ? p.x * p.y : p.x + p.y) * determinant(m);
}
