// Pointer arithmetic as guest shaders write it; test_msl_pointers.c runs
// each kernel and checks it against the same loops written in C.
#include <metal_stdlib>
using namespace metal;

struct Seg {
    uint first;
    uint count;
};

// device float *o = out + tid * 5; o[i] = ...
kernel void rows(device float *out [[buffer(0)]], const device float *in [[buffer(1)]],
                 uint tid [[thread_position_in_grid]])
{
    device float *o = out + tid * 5;
    const device float *src = in + tid * 5;
    for (int i = 0; i < 5; i++)
        o[i] = src[i] * 2.0 + float(i);
}

// constant Seg *s = segs + first; walk with p < end, p++, *(p + 1), p[-1]
kernel void walk(device float *out [[buffer(0)]], constant Seg *segs [[buffer(1)]],
                 const device float *vals [[buffer(2)]], uint tid [[thread_position_in_grid]])
{
    constant Seg *s = segs + tid;
    const device float *p = vals + s->first;
    const device float *end = p + s->count;
    float sum = 0.0;
    float pairs = 0.0;
    for (; p < end; p++) {
        sum += *p;
        if (p + 1 < end)
            pairs += *p * *(p + 1);
    }
    // p == end here: the last element is end[-1]
    out[tid * 3 + 0] = sum;
    out[tid * 3 + 1] = pairs;
    out[tid * 3 + 2] = s->count > 0 ? end[-1] : -1.0;
}

static float sum_n(const device float *p, int n)
{
    float acc = 0.0;
    while (n-- > 0)
        acc += *p++;
    return acc;
}

static void scale(device float *p, int n, float k)
{
    device float *e = p + n;
    while (p != e) {
        *p *= k;
        ++p;
    }
}

// helpers taking device float *, passed p + k; p += n, p -= n; --p
kernel void helpers(device float *data [[buffer(0)]], device float *out [[buffer(1)]],
                    uint tid [[thread_position_in_grid]])
{
    device float *row = data + tid * 8;
    scale(row + 2, 4, 3.0);
    out[tid * 2] = sum_n(row + 1, 6);
    device float *q = row;
    q += 7;
    q -= 2;
    --q;
    out[tid * 2 + 1] = *q + q[-4];
}

// &arr[i], pointer difference, comparisons, and moving the parameter itself
kernel void diffs(device int *out [[buffer(0)]], device float *buf [[buffer(1)]],
                  uint tid [[thread_position_in_grid]])
{
    device float *a = &buf[tid];
    device float *b = &buf[tid * 3 + 1];
    out[tid * 4 + 0] = int(b - a);
    out[tid * 4 + 1] = int(a - b);
    out[tid * 4 + 2] = (a < b) + 2 * (a <= b) + 4 * (a == b) + 8 * (a != b) + 16 * (a > b) + 32 * (a >= b);
    buf += tid;
    buf++;
    out[tid * 4 + 3] = int(buf - a);
}

// a pointer moved in divergent control flow keeps each lane's own offset
kernel void divergent(device uint *out [[buffer(0)]], uint tid [[thread_position_in_grid]])
{
    device uint *p = out + tid * 4;
    if (tid % 2 == 1)
        p += 2;
    else
        p++;
    *p = tid + 100;
}

// moving before the start of the buffer: the access is out of bounds
kernel void before(device float *out [[buffer(0)]], uint tid [[thread_position_in_grid]])
{
    device float *p = out + tid;
    p -= 1;
    *p = 1.0;
}

// c ? p : q between two positions in one buffer, chosen per lane
kernel void choose(device uint *out [[buffer(0)]], uint tid [[thread_position_in_grid]])
{
    device uint *r = tid % 3 == 0 ? out + tid * 2 : out + tid * 2 + 1;
    *r = tid + 1;
}
