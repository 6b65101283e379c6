// EXPECT: 8:23: '#' is not followed by a macro parameter
// EXPECT: 12:14: macro 'SQUARE' takes 1 argument, 2 given
// EXPECT: 12:30: expected an expression before ';'
// EXPECT: 13:14: unterminated call of macro 'SQUARE'
// EXPECT: 15:1: expected an expression at end of file
// EXPECT: 15:1: expected '}' at end of file
#include <metal_stdlib>
#define LOG(fmt, ...) #nope
#define SQUARE(x) ((x) * (x))
kernel void k(device float *out [[buffer(0)]])
{
    out[0] = SQUARE(1.0, 2.0);
    out[1] = SQUARE(3.0;
}
