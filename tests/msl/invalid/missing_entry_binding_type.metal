// EXPECT: 5:21: [[buffer(0)]] parameter 'scale' must be a device or constant pointer or reference
#include <metal_stdlib>
using namespace metal;

kernel void k(float scale [[buffer(0)]], uint i [[thread_position_in_grid]]) {
}
