/* Preprocessor coverage: comments, defines, conditionals. */
#include <metal_stdlib>
using namespace metal;

#define USE_GAMMA 1
#define GAMMA 2.2
#define TAPS 4
#define SCALE (1.0 / TAPS)

#if defined(USE_GAMMA) && USE_GAMMA > 0
#define ENCODE_ENABLED 1
#endif

#ifdef NOT_DEFINED
this would not compile
#elif TAPS == 4
#define TAP_MODE 4
#else
#error "bad taps"
#endif

#ifndef TAP_MODE
#error "TAP_MODE missing"
#endif

#if __METAL_VERSION__ >= 200
#define HAVE_MSL2 1
#else
#define HAVE_MSL2 0
#endif

#undef USE_GAMMA
#ifdef USE_GAMMA
#error "undef failed"
#endif

#pragma clang diagnostic ignored "-Wunused-variable"

kernel void pp_kernel(device float *out [[buffer(0)]],   // trailing comment
                      uint gid [[thread_position_in_grid]]) {
    float acc = 0.0; /* inline comment */
    for (int i = 0; i < TAPS; i++) {
        acc += float(i) * SCALE;
    }
#if HAVE_MSL2
    out[gid] = pow(acc, 1.0 / GAMMA) + float(TAP_MODE);
#else
    out[gid] = 0.0;
#endif
}
