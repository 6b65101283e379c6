#include <metal_stdlib>
using namespace metal;

// Compute kernel: signed-area coverage of a polygon path per pixel, written
// into an R8/RGBA texture, as vector UI rasterizers do on the GPU.
struct PathParams {
    uint segmentCount;
    float2 origin;
    float4 color;
};

struct Segment {
    float2 p0;
    float2 p1;
};

static float segment_coverage(float2 p, float2 a, float2 b) {
    // winding contribution of segment a->b for the pixel row through p
    if ((a.y > p.y) == (b.y > p.y)) {
        return 0.0;
    }
    float t = (p.y - a.y) / (b.y - a.y);
    float x = a.x + t * (b.x - a.x);
    float cover = clamp(x - p.x + 0.5, 0.0, 1.0);
    return b.y > a.y ? cover : -cover;
}

kernel void path_coverage(texture2d<float, access::write> coverage [[texture(0)]],
                          constant PathParams &path [[buffer(0)]],
                          device const Segment *segments [[buffer(1)]],
                          uint2 gid [[thread_position_in_grid]]) {
    if (gid.x >= coverage.get_width() || gid.y >= coverage.get_height()) {
        return;
    }
    float2 p = float2(gid) + 0.5 + path.origin;
    float winding = 0.0;
    for (uint i = 0; i < path.segmentCount; i++) {
        Segment s = segments[i];
        winding += segment_coverage(p, s.p0, s.p1);
    }
    float a = min(abs(winding), 1.0);
    coverage.write(float4(path.color.rgb * a, path.color.a * a), gid);
}
