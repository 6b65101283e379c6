// Invalid pointer arithmetic: adding two pointers, mixing address spaces,
// arithmetic on a texture, dropping const/constant, non-integer offsets,
// int - pointer, comparing different pointee types, writes through constant,
// multiplicative operators on pointers, and void * (not supported at all).
// EXPECT: 22:29: invalid operands to binary '+' ('device float*' and 'device float*')
// EXPECT: 23:22: '<' between pointers in different address spaces
// EXPECT: 24:18: '-' between pointers in different address spaces
// EXPECT: 25:20: invalid operands to binary '+' ('texture2d<float, access::sample>' and 'int')
// EXPECT: 26:25: cannot convert 'constant const float*' to 'device float*'
// EXPECT: 27:27: invalid operands to binary '+' ('device float*' and 'float')
// EXPECT: 28:15: invalid operands to binary '-' ('int' and 'device float*')
// EXPECT: 29:22: invalid operands to binary '==' ('device float*' and 'device int*')
// EXPECT: 31:11: cannot assign through a pointer to const
// EXPECT: 32:9: invalid operands to '*=' ('device float*' and 'int')
// EXPECT: 37:27: pointer to 'void' is not supported
#include <metal_stdlib>
using namespace metal;

kernel void k(device float *out [[buffer(0)]], constant float *c [[buffer(1)]],
              device int *ints [[buffer(2)]], texture2d<float> tex [[texture(0)]],
              uint gid [[thread_position_in_grid]]) {
    device float *sum = out + out;
    bool mixed = out < c;
    int span = c - out;
    float4 t = tex + 1;
    device float *w = c + gid;
    device float *f = out + 1.5;
    int d = 2 - out;
    bool types = out == ints;
    constant float *cc = c + 1;
    cc[1] = 2.0;
    out *= 2;
    c++;
    out[0] = float(sum[0] + float(mixed) + float(span) + t.x + w[0] + f[0] + float(d) + float(types));
}

kernel void v(device void *raw [[buffer(0)]]) {
}
