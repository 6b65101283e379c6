#include <metal_stdlib>
using namespace metal;
static float fib(float n) { return n < 2.0 ? n : fib(n - 1.0) + fib(n - 2.0); }
fragment float4 f(float4 p [[position]]) { return float4(fib(p.x)); }
