// transpose() and determinant() on the matrix shapes shaders use (normal
// matrices, 2-D rotations, 4x4 transforms), against C reference math.
#include <metal_stdlib>
using namespace metal;

kernel void matrix_builtins(device const float4x4 *in [[buffer(0)]],
                            device float *out [[buffer(1)]],
                            uint tid [[thread_position_in_grid]])
{
    float4x4 m = in[tid];
    float3x3 n = float3x3(m[0].xyz, m[1].xyz, m[2].xyz);
    float2x2 r = float2x2(m[0].xy, m[1].xy);
    float2x3 rect = float2x3(m[0].xyz, m[1].xyz);
    float4x4 t = transpose(m);
    float3x2 rt = transpose(rect);
    device float *o = out;
    uint b = tid * 24;
    for (int c = 0; c < 4; c++)
        for (int k = 0; k < 4; k++)
            o[b + uint(c * 4 + k)] = t[c][k];
    o[b + 16] = determinant(m);
    o[b + 17] = determinant(n);
    o[b + 18] = determinant(r);
    o[b + 19] = rt[2][0];
    o[b + 20] = rt[0][1];
    o[b + 21] = (transpose(n) * float3(1.0, 2.0, 3.0)).y;
    o[b + 22] = determinant(transpose(n)) - determinant(n);
    o[b + 23] = metal::determinant(float2x2(1.0));
}
