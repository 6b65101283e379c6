#include <metal_stdlib>
using namespace metal;

kernel void invert_kernel(texture2d<float, access::read> src [[texture(0)]],
                          texture2d<float, access::write> dst [[texture(1)]],
                          texture2d<float, access::read_write> acc [[texture(2)]],
                          uint2 gid [[thread_position_in_grid]]) {
    if (gid.x >= src.get_width(0) || gid.y >= src.get_height()) return;
    float4 c = src.read(gid);
    float4 prev = acc.read(gid, 0);
    dst.write(float4(1.0 - c.rgb, c.a), gid);
    acc.write(prev + c, gid, 0u);
}

kernel void uint_texture(texture2d<uint, access::write> ids [[texture(0)]],
                         ushort2 gid [[thread_position_in_grid]]) {
    ids.write(uint4(uint(gid.x), uint(gid.y), 0u, 1u), gid);
}
