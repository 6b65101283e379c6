// Arrays sized by their initializer: `T name[] = { ... }` at program scope
// (constant weight tables) and at block scope, nested and with a trailing
// comma.
#include <metal_stdlib>
using namespace metal;

constant float kWeights[] = { 0.227027, 0.1945946, 0.1216216, 0.054054, 0.016216 };
constant float2 kTaps[] = { float2(-1.0, 0.5), float2(1.0, -0.5), float2(0.0, 2.0), };
constant int kRows[][2] = { { 1, 2 }, { 3, 4 }, { 5, 6 } };

kernel void unsized(device const float *in [[buffer(0)]],
                    device float *out [[buffer(1)]],
                    uint tid [[thread_position_in_grid]])
{
    float local[] = { in[tid], in[tid] * 2.0, 3.0 };
    float s = 0.0;
    for (int i = 0; i < 5; i++)
        s += kWeights[i] * in[tid];
    out[tid * 6 + 0] = s;
    out[tid * 6 + 1] = kTaps[tid % 3].x + kTaps[2].y;
    out[tid * 6 + 2] = float(kRows[2][1] + kRows[tid % 3][0]);
    out[tid * 6 + 3] = local[0] + local[1] + local[2];
    out[tid * 6 + 4] = kWeights[4] + float(kRows[0][0]);
    out[tid * 6 + 5] = 0.0;
}
