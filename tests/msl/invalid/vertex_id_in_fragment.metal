// EXPECT: 5:30: [[vertex_id]] is only allowed in vertex functions
#include <metal_stdlib>
using namespace metal;

fragment float4 f(uint vid [[vertex_id]]) {
    return float4(1.0);
}
