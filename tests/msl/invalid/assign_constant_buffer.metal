// EXPECT: 7:13: cannot assign to 'u'
#include <metal_stdlib>
using namespace metal;

struct U { float scale; };
kernel void k(constant U &u [[buffer(0)]], uint gid [[thread_position_in_grid]]) {
    u.scale = 2.0;
}
