// EXPECT: 7:9: discard_fragment() is only allowed in fragment functions
#include <metal_stdlib>
using namespace metal;

vertex float4 v(uint vid [[vertex_id]]) {
    if (vid > 3u) {
        discard_fragment();
    }
    return float4(0.0);
}
