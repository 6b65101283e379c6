// EXPECT: 7:15: cannot convert 'void' to 'float'
// `(void)x;` discards a value; the result cannot be used.
#include <metal_stdlib>
using namespace metal;
kernel void k(device float *out [[buffer(0)]]) {
    float x = 1.0;
    float y = (void)x;
    (void)out;
    out[0] = y;
}
