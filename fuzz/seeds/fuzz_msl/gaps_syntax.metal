// Syntax real shaders use: hexadecimal float literals, `continue` directly
// inside a switch inside a loop (it continues the loop).
#include <metal_stdlib>
using namespace metal;

kernel void switch_continue(device int *o [[buffer(0)]], uint tid [[thread_position_in_grid]])
{
    int acc = 0;
    int n = int(tid) + 6;               // lanes run different trip counts
    for (int j = 0; j < n; j++) {
        switch ((j + int(tid)) % 4) {
        case 0:
            continue;
        case 1:
            switch (j) {
            case 5: continue;           // continues the for, from two switches deep
            default: acc += 100; break;
            }
            acc += 1000;
            break;
        case 2:
            acc += 1;                   // falls through
        default:
            acc += 10;
        }
        acc += 10000;
    }
    int k = 0;
    while (k < 6) {
        k++;
        switch (k & 1) {
        case 1: continue;
        }
        acc += 1000000;
    }
    o[tid] = acc;
}

kernel void hex_floats(device float *o [[buffer(0)]], uint tid [[thread_position_in_grid]])
{
    o[tid * 4 + 0] = 0x1.8p3;           // 12
    o[tid * 4 + 1] = 0x.4p-2f + 0X10P0; // 0.0625 + 16
    o[tid * 4 + 2] = float(0x1p+1h) * float(tid);
    o[tid * 4 + 3] = 0x1.fffffep127f;   // FLT_MAX
}

// static_assert and constant scalar globals as array sizes.
constant int TAPS = 4;
constexpr constant uint EXTRA = 3u;
constant uint TOTAL = TAPS + EXTRA;
static_assert(TAPS == 4, "four taps");
static_assert(sizeof(float4) == 16 && TOTAL > 6u);
static_assert(!(TAPS < 0) && (TAPS > 2 ? 1 : 0));

kernel void const_sizes(device float *o [[buffer(0)]], uint tid [[thread_position_in_grid]])
{
    static_assert(TOTAL == 7u, "seven");
    float a[TAPS];
    float b[EXTRA + 1];
    float c[TAPS > 2 ? TOTAL : 1];
    for (int j = 0; j < TAPS; j++) {
        a[j] = float(j) + float(tid);
        b[j] = 0.5 * float(j);
    }
    for (uint j = 0; j < TOTAL; j++)
        c[j] = float(j * j);
    o[tid] = a[TAPS - 1] + b[EXTRA] + c[TOTAL - 1];
}
