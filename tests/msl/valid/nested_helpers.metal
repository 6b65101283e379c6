#include <metal_stdlib>
using namespace metal;

static float2 rotate(float2 p, float a) {
    float c = cos(a), s = sin(a);
    return float2(c * p.x - s * p.y, s * p.x + c * p.y);
}

static float sd_box(float2 p, float2 b) {
    float2 d = abs(p) - b;
    return length(max(d, 0.0)) + min(max(d.x, d.y), 0.0);
}

static float scene(float2 p, float t) {
    return min(sd_box(rotate(p, t), float2(0.3)), length(p - 0.5) - 0.1);
}

kernel void sdf_kernel(texture2d<half, access::write> out [[texture(0)]],
                       constant float &time [[buffer(0)]],
                       uint2 gid [[thread_position_in_grid]]) {
    float2 size = float2(out.get_width(), out.get_height());
    float2 p = (float2(gid) + 0.5) / size * 2.0 - 1.0;
    float d = scene(p, time);
    half v = half(1.0 - smoothstep(0.0, 0.01, d));
    out.write(half4(v, v, v, 1.0h), gid);
}
