#include <metal_stdlib>
using namespace metal;

kernel void blend_over(texture2d<float, access::read_write> dst [[texture(0)]],
                       texture2d<float, access::read> src [[texture(1)]],
                       constant float &opacity [[buffer(0)]],
                       uint2 gid [[thread_position_in_grid]]) {
    if (any(gid >= uint2(dst.get_width(), dst.get_height()))) {
        return;
    }
    float4 s = src.read(gid) * opacity;
    float4 d = dst.read(gid);
    dst.write(s + d * (1.0 - s.a), gid);
}
