#include <metal_stdlib>
using namespace metal;

struct Particle {
    packed_float3 position;
    float mass;
    packed_float3 velocity;
    float age;
};

struct SimParams { float dt; float3 gravity; };

kernel void particle_step(device Particle *ps [[buffer(0)]],
                          constant SimParams &sim [[buffer(1)]],
                          uint id [[thread_position_in_grid]]) {
    float3 v = float3(ps[id].velocity);
    float3 p = ps[id].position;
    v += sim.gravity * sim.dt;
    p += v * sim.dt;
    ps[id].velocity = v;
    ps[id].position = packed_float3(p);
    ps[id].age += sim.dt;
}
