#include <metal_stdlib>
using namespace metal;

kernel void ints_kernel(device ushort *s [[buffer(0)]],
                        device uchar4 *c [[buffer(1)]],
                        device int2 *i2 [[buffer(2)]],
                        uint gid [[thread_position_in_grid]]) {
    ushort v = s[gid];
    v = ushort(v + 1);
    uchar4 px = c[gid];
    float4 f = float4(px) / 255.0;
    c[gid] = uchar4(f * 255.0);
    int2 p = i2[gid];
    p = p * 2 + int2(1, -1);
    p >>= 1;
    p = p & int2(0xff);
    unsigned int u = 3;
    i2[gid] = p + int(u);
    s[gid] = v;
}
