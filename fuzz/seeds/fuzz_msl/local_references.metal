#include <metal_stdlib>
using namespace metal;

struct Particle { float2 position; float2 velocity; float life; };

kernel void particles_update(device Particle *ps [[buffer(0)]],
                             constant float &dt [[buffer(1)]],
                             uint id [[thread_position_in_grid]]) {
    device Particle &p = ps[id];
    constant float &step = dt;
    p.velocity.y -= 9.81 * step;
    p.position += p.velocity * step;
    p.life = max(p.life - step, 0.0);
    float2 local = p.position;
    thread float2 &alias = local;
    alias *= 0.5;
    const thread float2 &view = local;
    ps[id].position = view + alias * 0.0;
}
