#include <metal_stdlib>
using namespace metal;

kernel void flow_kernel(device float *data [[buffer(0)]],
                        constant uint &count [[buffer(1)]],
                        uint gid [[thread_position_in_grid]]) {
    float acc = 0.0;
    for (uint i = 0; i < count; i++) {
        if (i == 3) {
            continue;
        } else if (i > 10) {
            break;
        }
        acc += data[i];
    }
    int n = 0;
    while (n < 4) {
        n++;
        if (acc > 100.0)
            break;
    }
    do {
        acc *= 0.5;
        n--;
    } while (n > 0);
    for (;;) {
        if (acc < 1.0) break;
        acc -= 1.0;
    }
    for (int i = 0, j = 10; i < j; i++, j--) {
        acc += float(i * j);
    }
    {
        float inner = acc;
        acc = inner + 1.0;
    }
    data[gid] = acc;
}
