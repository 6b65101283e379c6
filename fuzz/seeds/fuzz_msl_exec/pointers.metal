// References and pointers: thread references to locals and struct members,
// thread pointers from &local, device pointers from &buffer[i].
#include <metal_stdlib>
using namespace metal;

struct Acc {
    float sum;
    uint count;
};

void accumulate(thread Acc &a, float v)
{
    a.sum += v;
    a.count++;
}

float average(thread const Acc &a)
{
    return a.count > 0u ? a.sum / float(a.count) : 0.0;
}

void swap_floats(thread float *x, thread float *y)
{
    float t = *x;
    *x = *y;
    *y = t;
}

void bump(thread float &f) { f *= 2.0; }

kernel void refs(device float *data [[buffer(0)]],
                 device Acc *accs [[buffer(1)]],
                 uint gid [[thread_position_in_grid]])
{
    Acc a = { 0.0, 0u };
    for (int i = 0; i < 4; i++)
        accumulate(a, data[gid * 4 + i]);
    float lo = data[gid * 4];
    float hi = average(a);
    if (lo > hi)
        swap_floats(&lo, &hi);
    thread float *p = &lo;
    *p += 1.0;
    float w[2] = { 2.0, 4.0 };
    bump(w[1]);
    bump(w[0]);
    device Acc *out = &accs[gid];
    out->sum = hi + w[0] + w[1];
    out->count = a.count;
    data[gid * 4] = lo;
}
