// EXPECT: 5:1: unknown type name 'Color'
#include <metal_stdlib>
using namespace metal;

Color tint(float x) {
    return x;
}
