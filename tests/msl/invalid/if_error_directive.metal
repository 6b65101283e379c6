// EXPECT: 7:1: #error directive
#include <metal_stdlib>
using namespace metal;

#define TAPS 3
#if TAPS != 4
#error "needs 4 taps"
#endif
