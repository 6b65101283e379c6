// sizeof as stride arithmetic in shader code uses it: Metal layout sizes
// (a 3-vector is sized like a 4-vector, packed_float3 is 12 bytes).
#include <metal_stdlib>
using namespace metal;

struct Particle { packed_float3 position; float life; float3 velocity; };

kernel void sizes(device uint *out [[buffer(0)]])
{
    float3 v = float3(0.0);
    Particle p;
    float table[7];
    out[0] = sizeof(float);
    out[1] = sizeof(half2);
    out[2] = sizeof(float3);
    out[3] = sizeof(packed_float3);
    out[4] = sizeof(float3x3);
    out[5] = sizeof(Particle);
    out[6] = sizeof(v) + sizeof(p.life);
    out[7] = sizeof(table) / sizeof(table[0]);
}
