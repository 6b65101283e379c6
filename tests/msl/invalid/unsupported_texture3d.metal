// EXPECT: 5:15: type 'texture3d' is not supported
#include <metal_stdlib>
using namespace metal;

kernel void k(texture3d<float> vol [[texture(0)]], uint3 gid [[thread_position_in_grid]]) {
}
