#include <metal_stdlib>
using namespace metal;

constant float3 kLuma = float3(0.2126, 0.7152, 0.0722);
constant int kTaps = 3;
constant float kOffsets[kTaps] = { -1.0, 0.0, 1.0 };
constant float kScale = 1.0 / 3.0;
typedef float4 color_t;

color_t grey(color_t c) {
    float l = dot(c.rgb, kLuma);
    return color_t(l, l, l, c.a);
}

kernel void const_kernel(device color_t *px [[buffer(0)]], uint gid [[thread_position_in_grid]]) {
    color_t sum = color_t(0.0);
    for (int i = 0; i < kTaps; i++) {
        sum += grey(px[gid]) * (kOffsets[i] + 1.0);
    }
    px[gid] = sum * kScale;
}
