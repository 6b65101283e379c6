#include <metal_stdlib>
using namespace metal;

kernel void op_kernel(device int *a [[buffer(0)]],
                      device uint *b [[buffer(1)]],
                      device float *c [[buffer(2)]],
                      uint gid [[thread_position_in_grid]]) {
    int x = a[gid];
    uint y = b[gid];
    float z = c[gid];
    int r = x + 1 - 2 * 3 / 4 % 5;
    r = r << 2 >> 1;
    r = (r & 0xff) | (x ^ 7);
    r = ~r;
    r += 1; r -= 2; r *= 3; r /= 4; r %= 5;
    r <<= 1; r >>= 1; r &= 255; r |= 1; r ^= 3;
    uint m = y >> 3u;
    m = (m * 2654435761u) ^ (m >> 16);
    bool p = x < 3 && y > 2u || !(z >= 1.0) || x <= 0 || z != 0.5 || x == 2;
    int t = p ? 1 : -1;
    int pre = ++x;
    int post = x++;
    --x;
    x--;
    float neg = -z;
    float q = (z + 1.0, z * 2.0);
    a[gid] = r + t + pre + post + x;
    b[gid] = m;
    c[gid] = neg + q + +z;
}
