// Types shared with host code through <simd/simd.h>: simd_floatN,
// vector_floatN, matrix_floatNxM name the MSL vector and matrix types.
#include <metal_stdlib>
#include <simd/simd.h>
using namespace metal;

struct Params {
    matrix_float4x4 transform;
    simd_float3x3 normalMatrix;
    vector_float4 color;
    simd_uint2 size;
    simd_half4 tint;
    simd_float scale;
};

kernel void apply(constant Params &p [[buffer(0)]],
                  device vector_float4 *out [[buffer(1)]],
                  uint tid [[thread_position_in_grid]])
{
    if (tid >= p.size.x * p.size.y)
        return;
    simd_float3 n = p.normalMatrix * float3(0.0, 0.0, 1.0);
    out[tid] = p.transform * p.color * p.scale + float4(n, 0.0) + float4(p.tint);
}
