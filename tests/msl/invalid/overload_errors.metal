// EXPECT: 9:14: redefinition of function 'f' (same parameter types)
// EXPECT: 15:14: call to overloaded 'g' is ambiguous
// EXPECT: 16:14: no overload of 'h' matches the 2 arguments given
// EXPECT: 17:14: no overload of 'h' matches the 1 argument given
// EXPECT: 19:14: redefinition of function 'k' (entry points cannot be overloaded)
#include <metal_stdlib>
using namespace metal;
static float f(float x) { return x; }
static float f(float y) { return y * 2.0; }
static float g(float x, int k) { return x; }
static float g(int x, float k) { return k; }
static float h(float x) { return x; }
static float h(float2 v) { return v.x; }
kernel void k(device float *out [[buffer(0)]]) {
    out[0] = g(1, 2);
    out[1] = h(1.0, 2.0);
    out[2] = h(float3(1.0));
}
static float k(float x) { return x; }
