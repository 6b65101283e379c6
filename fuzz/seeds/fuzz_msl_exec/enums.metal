// Enums as shader headers shared with host code use them: buffer indices
// in attributes, a typedef'd enum, a scoped enum class with an underlying
// type, enumerators in switch-free comparisons and array sizes.
#include <metal_stdlib>
using namespace metal;

typedef enum BufferIndex {
    BufferIndexInput = 0,
    BufferIndexOutput,
    BufferIndexCount
} BufferIndex;

enum BlendMode : uint { kNormal = 0, kMultiply = 4, kScreen, kOverlay = kScreen + 3 };

enum class Channel : int { Red, Green, Blue = 7, Alpha };

constant float kScale[BufferIndexCount] = { 0.5, 2.0 };

static float blend(float a, float b, BlendMode mode)
{
    if (mode == kMultiply)
        return a * b;
    if (mode == BlendMode::kScreen)
        return a + b - a * b;
    return b;
}

kernel void enums(device const float *in [[buffer(BufferIndexInput)]],
                  device float *out [[buffer(BufferIndexOutput)]],
                  uint tid [[thread_position_in_grid]])
{
    float x = in[tid];
    BlendMode m = BlendMode(tid % 3 == 0 ? kMultiply : (tid % 3 == 1 ? kScreen : kNormal));
    Channel c = Channel::Blue;
    out[tid * 6 + 0] = blend(x, 0.5, m);
    out[tid * 6 + 1] = float(kOverlay);
    out[tid * 6 + 2] = float(int(c) + int(Channel::Alpha));
    out[tid * 6 + 3] = kScale[BufferIndexOutput] * x;
    out[tid * 6 + 4] = float(BufferIndexCount);
    out[tid * 6 + 5] = float(Channel::Green == Channel(1));
}
