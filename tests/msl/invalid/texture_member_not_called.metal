// EXPECT: 6:14: texture member 'get_width' must be called
#include <metal_stdlib>
using namespace metal;

kernel void k(texture2d<float, access::write> t [[texture(0)]], device uint *o [[buffer(0)]], uint i [[thread_position_in_grid]]) {
    o[i] = t.get_width;
}
