// switch statements as blend-mode and tone-map code writes them: grouped
// labels, fallthrough, default in the middle, break inside a loop body,
// enum case labels, a helper that returns from every case.
#include <metal_stdlib>
using namespace metal;

enum BlendMode : int { kNormal, kMultiply, kScreen, kAdd };

static float blend(int mode, float a, float b)
{
    switch (mode) {
    case kMultiply: return a * b;
    case kScreen: return a + b - a * b;
    case kAdd: return min(a + b, 1.0);
    default: return b;
    }
}

kernel void switches(device const int *in [[buffer(0)]],
                     device float *out [[buffer(1)]],
                     uint tid [[thread_position_in_grid]])
{
    int v = in[tid];
    float r = 0.0;
    switch (v) {
    case 0:
    case 1:
        r = 10.0;
        break;
    case 2:
        r = 20.0;          // falls through
    case 3:
        r += 1.0;
        break;
    default:
        r = -1.0;
        // falls through into 7
    case 7:
        r += 100.0;
    }
    float loops = 0.0;
    for (int i = 0; i < 4; i++) {
        switch (uint(i + v) & 1u) {
        case 0u:
            loops += 1.0;
            break;
        default:
            loops += 10.0;
        }
    }
    out[tid * 3 + 0] = r;
    out[tid * 3 + 1] = loops;
    out[tid * 3 + 2] = blend(v & 3, 0.5, 0.25);
}
