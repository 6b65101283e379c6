// EXPECT: 12:10: duplicate case value 1
// EXPECT: 13:10: a case label must be an integer constant
// EXPECT: 14:14: more than one 'default' in a switch
// EXPECT: 17:32: 'continue' statement not in a loop
// EXPECT: 20:13: switch needs an integer value (have 'float')
// EXPECT: 22:96: non-void function 'h' does not return a value on every path
#include <metal_stdlib>
using namespace metal;
kernel void k(device float *out [[buffer(0)]], uint gid [[thread_position_in_grid]]) {
    switch (gid) {
    case 1: out[0] = 1.0; break;
    case 1: out[0] = 2.0; break;
    case gid: break;
    default: default: break;
    }
    if (gid > 2u) {
        switch (gid) { case 0: continue; }
    }
    float f = 1.0;
    switch (f) { default: break; }
}
static float h(int m) { switch (m) { case 0: return 1.0; case 1: break; default: return 2.0; } }
