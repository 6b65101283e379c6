#include <metal_stdlib>
using namespace metal;

kernel void int_edges(device const int2 *in [[buffer(0)]],
                      device int *out [[buffer(1)]],
                      uint tid [[thread_position_in_grid]])
{
    int a = in[tid].x;
    int b = in[tid].y;
    uint ua = uint(a);
    uint ub = uint(b);
    out[tid * 10 + 0] = a / b;
    out[tid * 10 + 1] = a % b;
    out[tid * 10 + 2] = int(ua / ub);
    out[tid * 10 + 3] = int(ua % ub);
    out[tid * 10 + 4] = a << b;
    out[tid * 10 + 5] = a >> b;
    out[tid * 10 + 6] = int(ua >> ub);
    out[tid * 10 + 7] = a * b;
    out[tid * 10 + 8] = a + b;
    out[tid * 10 + 9] = -a;
}

kernel void narrow_ints(device int *out [[buffer(0)]], uint tid [[thread_position_in_grid]])
{
    char c = char(120);
    c += char(10);                 // wraps to -126
    uchar u = uchar(250);
    u = u + uchar(10);             // wraps to 4
    short s = short(32767);
    s++;                           // wraps to -32768
    ushort us = ushort(0);
    us--;                          // 65535
    int i = int(3.9f);
    int j = int(-3.9f);
    uint k = uint(0x80000000u) >> 31u;
    out[0] = int(c);
    out[1] = int(u);
    out[2] = int(s);
    out[3] = int(us);
    out[4] = i;
    out[5] = j;
    out[6] = int(k);
    out[7] = int(char(tid) << 7);  // 128 -> -128 for odd tid (narrowed)
}

// Integer forms of the common built-ins and conversions at the edges.
kernel void int_builtins(device const int4 *in [[buffer(0)]],
                         device int4 *out [[buffer(1)]],
                         uint tid [[thread_position_in_grid]])
{
    int4 v = in[tid];
    uint4 u = uint4(v);
    out[tid * 6 + 0] = abs(v);
    out[tid * 6 + 1] = min(v, int4(3)) + max(v, int4(-3));
    out[tid * 6 + 2] = clamp(v, int4(-5), int4(5));
    out[tid * 6 + 3] = int4(min(u, uint4(7u)));
    out[tid * 6 + 4] = select(int4(0), v * 2, v > int4(0));
    float4 f = float4(v) * 1.5;
    out[tid * 6 + 5] = int4(uint4(f));
}
