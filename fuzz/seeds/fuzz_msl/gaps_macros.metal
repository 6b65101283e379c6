// Function-like macros as shader libraries write them: variadic macros
// (__VA_ARGS__, GNU ", ## __VA_ARGS__"), # stringizing and ## pasting
// (operands unexpanded, rescanned after pasting), in object-like macros too.
#include <metal_stdlib>
using namespace metal;

#define CAT(a, b) a##b
#define CAT3(a, b, c) a ## b ## c
#define XCAT(a, b) CAT(a, b)
#define PREFIX tap
#define OBJ_PASTE tap ## 2
#define SUM(...) sum3(__VA_ARGS__)
#define CALL(f, ...) f(__VA_ARGS__)
#define FIRST(a, ...) a
#define COUNT_ARGS(...) count_args(0, ## __VA_ARGS__)
#define STR(x) #x
#define MAKE_VAR(n) float CAT(v, n) = float(n)
#define CHECK(cond) static_assert(cond, #cond)

static float sum3(float a, float b, float c) { return a + b + c; }
static int count_args(int z) { return z; }
static int count_args(int z, int a) { return z + 1; }
static int count_args(int z, int a, int b) { return z + 2; }

CHECK(CAT(1, 5) == 15);

kernel void macros(device float *o [[buffer(0)]], uint tid [[thread_position_in_grid]])
{
    float tap1 = 1.0, tap2 = 2.0, tap12 = 12.0;
    MAKE_VAR(3);
    static_assert(true, STR(a "quoted" string));
    o[tid * 4 + 0] = CAT(tap, 1) + CAT3(tap, 1, 2) + XCAT(PREFIX, 2) + OBJ_PASTE;
    o[tid * 4 + 1] = SUM(1.0, v3, float(tid));
    o[tid * 4 + 2] = CALL(max, 2.0, 5.0) + FIRST(10.0, (20.0, 30.0), 40.0);
    o[tid * 4 + 3] = float(COUNT_ARGS() * 100 + COUNT_ARGS(7) * 10 + COUNT_ARGS(7, 8) + CAT(1, 5));
}
