// What SPIRV-Cross emits for a translated (MoltenVK-style) guest shader.
#pragma clang diagnostic ignored "-Wmissing-prototypes"
#include <metal_stdlib>
#include <simd/simd.h>
using namespace metal;

struct main0_out
{
    float4 out_var_SV_Target [[color(0)]];
};

struct main0_in
{
    float2 in_var_TEXCOORD0 [[user(locn0)]];
    float4 in_var_COLOR0 [[user(locn1)]];
};

fragment main0_out main0(main0_in in [[stage_in]], texture2d<float> tex [[texture(0)]], sampler texSmplr [[sampler(0)]])
{
    main0_out out = {};
    uint bits = as_type<uint>(in.in_var_COLOR0.x);
    out.out_var_SV_Target = tex.sample(texSmplr, in.in_var_TEXCOORD0) * in.in_var_COLOR0 + float4(float(bits & 0u));
    return out;
}
