// C++11 alias declarations at program scope, as GLSL-ported shader code
// uses them (vec2/vec4/mat4 spellings).
#include <metal_stdlib>
using namespace metal;

using vec2 = float2;
using vec4 = float4;
using mat4 = float4x4;
using Index = uint;
using Weights = float[3];

struct Params { mat4 transform; vec4 tint; };

kernel void aliases(constant Params &p [[buffer(0)]],
                    device vec4 *out [[buffer(1)]],
                    Index gid [[thread_position_in_grid]])
{
    vec2 uv = vec2(float(gid), 0.5);
    Weights w = { 0.25, 0.5, 0.25 };
    out[gid] = p.transform * vec4(uv, 0.0, 1.0) * (w[0] + w[1] + w[2]) + p.tint;
}
