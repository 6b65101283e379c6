#include <metal_stdlib>
using namespace metal;

struct VertexIn {
    float2 position [[attribute(0)]];
    float2 texCoord [[attribute(1)]];
    float4 color    [[attribute(2)]];
};

struct VertexOut {
    float4 position [[position]];
    float2 texCoord;
    float4 color;
};

vertex VertexOut vertex_main(VertexIn in [[stage_in]]) {
    VertexOut out;
    out.position = float4(in.position, 0.0, 1.0);
    out.texCoord = in.texCoord;
    out.color = in.color;
    return out;
}

fragment float4 resolve_fragment(VertexOut in [[stage_in]],
                                 texture2d_ms<float> ms [[texture(0)]]) {
    uint2 coord = uint2(in.position.xy);
    uint n = ms.get_num_samples();
    float4 sum = float4(0.0);
    for (uint s = 0; s < n; s++) {
        sum += ms.read(coord, s);
    }
    return sum / float(n);
}
