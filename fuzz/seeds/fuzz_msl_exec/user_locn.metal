// SPIRV-Cross style stage interfaces: varyings named by [[user(locnN)]]
// (the vertex and fragment member names differ), interpolation qualifiers.
#include <metal_stdlib>
using namespace metal;

struct main0_out
{
    float4 out_var_COLOR0 [[user(locn1)]];
    float2 out_var_TEXCOORD0 [[user(locn0)]];
    float out_var_DEPTH [[user(locn2), center_no_perspective]];
    float4 gl_Position [[position]];
};

struct main0_in
{
    float2 in_var_POSITION [[attribute(0)]];
    float2 in_var_TEXCOORD0 [[attribute(1)]];
};

vertex main0_out vs_main(main0_in in [[stage_in]])
{
    main0_out out = {};
    out.gl_Position = float4(in.in_var_POSITION, 0.0, 1.0);
    out.out_var_TEXCOORD0 = in.in_var_TEXCOORD0;
    out.out_var_COLOR0 = float4(in.in_var_TEXCOORD0, 0.5, 1.0);
    out.out_var_DEPTH = in.in_var_POSITION.x;
    return out;
}

struct frag_in
{
    float2 uv [[user(locn0)]];
    float4 tint [[user(locn1), center_perspective]];
    float depth [[center_no_perspective, user(locn2)]];
};

fragment float4 fs_main(frag_in in [[stage_in]])
{
    return float4(in.uv * in.tint.xy, in.depth, in.tint.w);
}
