// The shape of SPIRV-Cross output for a Vulkan guest (MoltenVK style),
// written from its public conventions: __attribute__((always_inline))
// helpers with thread const references, user(locnN) varyings, Y flip and
// depth remap written into gl_Position, fast:: calls.
#pragma clang diagnostic ignored "-Wmissing-prototypes"

#include <metal_stdlib>
#include <simd/simd.h>

using namespace metal;

struct UBO
{
    float4x4 projection;
    float4x4 model;
    float4 lightPos;
};

struct main0_out
{
    float3 outNormal [[user(locn0)]];
    float2 outUV [[user(locn1)]];
    float4 gl_Position [[position]];
};

struct main0_in
{
    float3 inPos [[attribute(0)]];
    float3 inNormal [[attribute(1)]];
    float2 inUV [[attribute(2)]];
};

static inline __attribute__((always_inline))
float3 transformNormal(thread const float4x4& m, thread const float3& n)
{
    return normalize((m * float4(n, 0.0)).xyz);
}

vertex main0_out main0(main0_in in [[stage_in]], constant UBO& ubo [[buffer(0)]], uint gl_VertexIndex [[vertex_id]])
{
    main0_out out = {};
    float4x4 _30 = ubo.model;
    float3 param = in.inNormal;
    out.outNormal = transformNormal(_30, param);
    out.outUV = in.inUV * float(gl_VertexIndex & 1u);
    out.gl_Position = (ubo.projection * ubo.model) * float4(in.inPos, 1.0);
    out.gl_Position.y = -out.gl_Position.y;
    out.gl_Position.z = (out.gl_Position.z + out.gl_Position.w) * 0.5;
    return out;
}

struct main1_out
{
    float4 outFragColor [[color(0)]];
};

struct main1_in
{
    float3 inNormal [[user(locn0)]];
    float2 inUV [[user(locn1)]];
};

fragment main1_out main1(main1_in in [[stage_in]], texture2d<float> samplerColor [[texture(0)]], sampler samplerColorSmplr [[sampler(0)]], float4 gl_FragCoord [[position]])
{
    main1_out out = {};
    float4 color = samplerColor.sample(samplerColorSmplr, in.inUV);
    float3 N = fast::normalize(in.inNormal);
    float diffuse = fast::max(dot(N, float3(0.0, 0.0, 1.0)), 0.0);
    out.outFragColor = float4(color.xyz * diffuse, 1.0) + float4(gl_FragCoord.xy * 0.0, 0.0, 0.0);
    return out;
}
