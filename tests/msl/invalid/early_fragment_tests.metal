// EXPECT: 6:3: attribute [[early_fragment_tests]] is not supported
// A function attribute in front of the function: one clear "not supported"
// error, and the function after it still parses.
#include <metal_stdlib>
using namespace metal;
[[early_fragment_tests]] fragment float4 f(float4 p [[position]]) { return p; }
