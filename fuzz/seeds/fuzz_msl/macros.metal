// Function-like macros as hand-written shaders use them: helpers, nested
// calls, arguments with commas inside parentheses and spanning lines, a
// macro expanding to another macro's call, zero-parameter macros, and a
// name that is only a macro when followed by '('.
#include <metal_stdlib>
using namespace metal;

#define SQUARE(x) ((x) * (x))
#define SATURATE(x) clamp((x), 0.0, 1.0)
#define LERP(a, b, t) ((a) + ((b) - (a)) * (t))
#define LUMA(c) dot((c), float3(0.2126, 0.7152, 0.0722))
#define TWICE(f, x) f(f(x))
#define ZERO() 0.0
#define WIDTH 4

kernel void macros(device const float *in [[buffer(0)]],
                   device float *out [[buffer(1)]],
                   uint tid [[thread_position_in_grid]])
{
    float x = in[tid];
    float SQUARE = 3.0;            // not followed by '(': an ordinary name
    out[tid * WIDTH + 0] = SQUARE(x + 1.0) + SQUARE;
    out[tid * WIDTH + 1] = SATURATE(LERP(x, max(x, 2.0),
                                         0.5));
    out[tid * WIDTH + 2] = TWICE(SQUARE, x) + ZERO();
    out[tid * WIDTH + 3] = LUMA(float3(x, SQUARE(x), 1.0));
}
