// The shape of Apple's Metal sample code: a shared C header's types
// (typedef struct, simd/simd.h spellings, enum-like #defines), a vertex
// buffer array indexed by a uint [[vertex_id]], a constant-space uniforms
// reference, a texture2d<half> sampled into a half4 return.
#pragma once
#include <metal_stdlib>
#include <simd/simd.h>
using namespace metal;

#define AAPLVertexInputIndexVertices 0
#define AAPLVertexInputIndexUniforms 1
#define AAPLTextureIndexBaseColor 0

typedef struct
{
    vector_float2 position;
    vector_float2 textureCoordinate;
} AAPLVertex;

typedef struct AAPLUniforms
{
    matrix_float4x4 modelViewProjection;
    simd_float4 tint;
    float scale;
} Uniforms;

typedef float4 Color;

struct RasterizerData
{
    float4 position [[position]];
    float2 textureCoordinate;
    Color tint [[flat]];
};

vertex RasterizerData
vertexShader(uint vertexID [[vertex_id]],
             constant AAPLVertex *vertices [[buffer(AAPLVertexInputIndexVertices)]],
             constant Uniforms &uniforms [[buffer(AAPLVertexInputIndexUniforms)]])
{
    RasterizerData out;
    float2 pixelSpacePosition = vertices[vertexID].position.xy * uniforms.scale;
    out.position = uniforms.modelViewProjection * vector_float4(pixelSpacePosition, 0.0, 1.0);
    out.textureCoordinate = vertices[vertexID].textureCoordinate;
    out.tint = uniforms.tint;
    return out;
}

fragment half4
samplingShader(RasterizerData in [[stage_in]],
               texture2d<half> colorTexture [[texture(AAPLTextureIndexBaseColor)]])
{
    constexpr sampler textureSampler(mag_filter::linear, min_filter::linear);
    const half4 colorSample = colorTexture.sample(textureSampler, in.textureCoordinate);
    return colorSample * half4(in.tint);
}
