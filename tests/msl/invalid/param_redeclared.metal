// EXPECT: 6:11: redefinition of 'x'
#include <metal_stdlib>
using namespace metal;

static float f(float x) {
    float x = 2.0;
    return x;
}
