// Standard-library math that shader code reaches for next: fmax/fmin
// (NaN-ignoring), mad, powr, copysign, min3/max3/median3, isfinite, signbit.
#include <metal_stdlib>
using namespace metal;

kernel void more_math(device const float2 *in [[buffer(0)]],
                      device float *out [[buffer(1)]],
                      device int *iout [[buffer(2)]],
                      uint tid [[thread_position_in_grid]])
{
    float a = in[tid].x, b = in[tid].y;
    out[tid * 9 + 0] = fmax(a, b);
    out[tid * 9 + 1] = fmin(a, b);
    out[tid * 9 + 2] = mad(a, b, 1.0);
    out[tid * 9 + 3] = powr(a, 2.0);
    out[tid * 9 + 4] = metal::copysign(2.5, b);
    out[tid * 9 + 5] = min3(a, b, 0.5);
    out[tid * 9 + 6] = max3(a, b, 0.5);
    out[tid * 9 + 7] = median3(a, b, 0.5);
    out[tid * 9 + 8] = float(isfinite(a)) + 2.0 * float(signbit(b));
    int i = int(tid) - 2;
    iout[tid * 3 + 0] = min3(i, 1, -1);
    iout[tid * 3 + 1] = median3(i, 1, -1);
    iout[tid * 3 + 2] = int(all(isfinite(float2(a, b))));
}
