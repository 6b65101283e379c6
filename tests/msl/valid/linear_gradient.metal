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

#define MAX_STOPS 8

struct GradientStop {
    float4 color;
    float offset;
};

struct LinearGradient {
    float2 start;
    float2 end;
    int stopCount;
    GradientStop stops[MAX_STOPS];
};

static float4 eval_stops(constant LinearGradient &g, float t) {
    t = saturate(t);
    if (t <= g.stops[0].offset) {
        return g.stops[0].color;
    }
    for (int i = 1; i < g.stopCount && i < MAX_STOPS; i++) {
        if (t <= g.stops[i].offset) {
            float span = max(g.stops[i].offset - g.stops[i - 1].offset, 1e-5);
            float k = (t - g.stops[i - 1].offset) / span;
            return mix(g.stops[i - 1].color, g.stops[i].color, k);
        }
    }
    return g.stops[g.stopCount - 1].color;
}

fragment float4 linear_gradient(VertexOut in [[stage_in]],
                                constant LinearGradient &g [[buffer(0)]]) {
    float2 dir = g.end - g.start;
    float t = dot(in.texCoord - g.start, dir) / dot(dir, dir);
    float4 c = eval_stops(g, t);
    return float4(c.rgb * c.a, c.a);
}
