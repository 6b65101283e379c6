#include <metal_stdlib>
using namespace metal;

static uint hash(uint x) {
    x ^= x >> 16;
    x *= 0x7feb352du;
    x ^= x >> 15;
    x *= 0x846ca68bu;
    x ^= x >> 16;
    return x;
}

kernel void noise_kernel(texture2d<float, access::write> out [[texture(0)]],
                         constant uint &seed [[buffer(0)]],
                         uint2 gid [[thread_position_in_grid]]) {
    uint h = hash(gid.x + hash(gid.y + seed));
    float v = float(h & 0xffffu) / 65535.0;
    out.write(float4(v, v, v, 1.0), gid);
}
