#include <metal_stdlib>
using namespace metal;

struct Material { float4 tint; float roughness; };
struct Light { float3 position; float3 color; };
struct Scene {
    Material materials[4];
    Light lights[2];
    uint lightCount;
};

kernel void scene_kernel(constant Scene &scene [[buffer(0)]],
                         device float4 *out [[buffer(1)]],
                         uint gid [[thread_position_in_grid]]) {
    Material m = scene.materials[gid % 4u];
    Light local[2] = { scene.lights[0], scene.lights[1] };
    float3 acc = float3(0.0);
    for (uint i = 0; i < scene.lightCount && i < 2u; i++) {
        acc += local[i].color * m.roughness;
    }
    Material copy = { float4(1.0), 0.5 };
    Material zero = {};
    float grid[2][3] = { { 1, 2, 3 }, { 4, 5, 6 } };
    copy.tint.rgb *= acc;
    out[gid] = copy.tint * m.tint + zero.tint + grid[1][2];
}
