#include <metal_stdlib>
using namespace metal;

kernel void cast_kernel(device uint *u [[buffer(0)]],
                        device float *f [[buffer(1)]],
                        device half *h [[buffer(2)]],
                        uint gid [[thread_position_in_grid]]) {
    int i = int(f[gid]);
    uint x = (uint)i;
    float y = static_cast<float>(x);
    half hh = half(y);
    short sh = short(i);
    ushort us = ushort(x);
    char c = char(sh);
    uchar uc = uchar(us);
    float z = i;          // implicit int -> float
    float w = hh;         // implicit half -> float
    bool b = i;           // implicit int -> bool
    int fromb = b;
    u[gid] = x + uint(c) + uint(uc) + uint(fromb);
    f[gid] = y + z + w + float(2u) + 3;
    h[gid] = hh * 2.0h + half(1);
}
