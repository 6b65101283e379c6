// EXPECT: 6:12: the underlying type of an enum must be an integer type (have 'float')
// EXPECT: 7:14: the value of enumerator 'B' must be an integer constant
// EXPECT: 10:14: use of undeclared identifier 'Red'
#include <metal_stdlib>
using namespace metal;
enum Bad : float { A };
enum E { B = 1.5 };
enum class Color { Red, Green };
kernel void k(device int *out [[buffer(0)]]) {
    out[0] = Red;
}
