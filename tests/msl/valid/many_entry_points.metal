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

fragment float4 fragment_color(VertexOut in [[stage_in]]) { return in.color; }
fragment float4 fragment_white(VertexOut in [[stage_in]]) { return float4(1.0); }
fragment float4 fragment_uv(VertexOut in [[stage_in]]) { return float4(in.texCoord, 0.0, 1.0); }
kernel void clear_kernel(texture2d<float, access::write> t [[texture(0)]], uint2 gid [[thread_position_in_grid]]) {
    t.write(float4(0.0), gid);
}
