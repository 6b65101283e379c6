#include <metal_stdlib>
using namespace metal;

struct Acc { float sum; uint count; };

static void accumulate(thread Acc &a, float v) {
    a.sum += v;
    a.count++;
}

static float average(thread const Acc &a) {
    return a.count > 0u ? a.sum / float(a.count) : 0.0;
}

static void swap_floats(thread float *x, thread float *y) {
    float t = *x;
    *x = *y;
    *y = t;
}

kernel void ptr_kernel(device float *data [[buffer(0)]],
                       device Acc *accs [[buffer(1)]],
                       uint gid [[thread_position_in_grid]]) {
    Acc a = { 0.0, 0u };
    for (int i = 0; i < 4; i++) {
        accumulate(a, data[gid * 4 + i]);
    }
    float lo = data[gid], hi = average(a);
    if (lo > hi) swap_floats(&lo, &hi);
    thread float *p = &lo;
    *p += 1.0;
    device Acc *out = &accs[gid];
    out->sum = hi;
    out->count = a.count;
    data[gid] = lo;
}
