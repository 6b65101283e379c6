// as_type<T>(x): bit reinterpretation between 32-bit float, int and uint
// scalars and vectors, as SPIRV-Cross and hash functions use it.
#include <metal_stdlib>
using namespace metal;

static uint hash_bits(float x)
{
    uint h = as_type<uint>(x);
    h ^= h >> 16;
    h *= 0x7feb352du;
    return h;
}

kernel void bitcasts(device const float *in [[buffer(0)]],
                     device uint *out [[buffer(1)]],
                     uint tid [[thread_position_in_grid]])
{
    float x = in[tid];
    uint bits = as_type<uint>(x);
    int sbits = as_type<int>(x);
    float back = as_type<float>(bits ^ 0x80000000u);   // flips the sign
    uint2 pair = as_type<uint2>(float2(x, 1.0));
    float4 f4 = as_type<float4>(uint4(0x3f800000u, bits, 0u, 0x7f800000u));
    out[tid * 8 + 0] = bits;
    out[tid * 8 + 1] = uint(sbits < 0);
    out[tid * 8 + 2] = as_type<uint>(back);
    out[tid * 8 + 3] = pair.x + pair.y;
    out[tid * 8 + 4] = as_type<uint>(f4.x + f4.y);
    out[tid * 8 + 5] = uint(isinf(f4.w));
    out[tid * 8 + 6] = hash_bits(x);
    out[tid * 8 + 7] = metal::as_type<uint>(-x);
}
