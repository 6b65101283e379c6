// EXPECT: 6:29: recursive call to 'fact' is not supported
#include <metal_stdlib>
using namespace metal;

static int fact(int n) {
    return n <= 1 ? 1 : n * fact(n - 1);
}
