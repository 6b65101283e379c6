// QA: Metal Shading Language semantics a driver's shaders rely on, one
// value per output slot (checked by tests/qa/msl_sem.sh).
#include <metal_stdlib>
using namespace metal;

struct Packed { float3 a; float b; packed_float3 c; float d; };

kernel void sem(device float *o [[buffer(0)]],
                device int *oi [[buffer(1)]],
                device uint *ou [[buffer(2)]],
                constant Packed &p [[buffer(3)]],
                uint tid [[thread_position_in_grid]])
{
    if (tid != 0) { return; }
    half h = 1.0h / 3.0h;
    o[0] = float(h);                         // half precision: 0.333251953125
    o[1] = fract(-0.25);                     // 0.75
    o[2] = fmod(-1.0, 3.0);                  // -1
    o[3] = round(2.5);                       // 3 (half away from zero)
    o[4] = sign(0.0);                        // 0
    o[5] = atan2(1.0, 0.0);                  // pi/2: atan2(y, x)
    o[6] = step(0.5, 0.5);                   // 1 (x >= edge)
    o[7] = mix(2.0, 4.0, 0.25);              // 2.5
    o[8] = length(float2(3.0, 4.0));         // 5
    float3 v = float3(0.0);
    v.zx = float2(1.0, 2.0);
    o[9] = v.x * 10.0 + v.z;                 // 21
    float2x2 m = float2x2(float2(1.0, 2.0), float2(3.0, 4.0));
    float2 mc = m * float2(1.0, 0.0);        // first column (1, 2)
    o[10] = mc.y;                            // 2
    float2 rm = float2(1.0, 0.0) * m;        // row vector: (dot(r, col0), dot(r, col1)) = (1, 3)
    o[11] = rm.y;                            // 3
    o[12] = p.b;                             // float3 is 16 bytes: b at offset 16
    o[13] = p.c.y;                           // packed_float3 at 20 (align 4): c.y at 24
    o[14] = p.d;                             // at 32 (struct size 48)
    o[15] = select(1.0, 2.0, true);          // 2
    oi[0] = -7 % 3;                          // -1
    oi[1] = -7 / 2;                          // -3 (truncation)
    ou[0] = 0u - 1u;                         // 4294967295
    int i = 5;
    int j = i++;                             // 5, i = 6
    j += ++i;                                // 5 + 7
    oi[2] = j;                               // 12
    oi[3] = int(-2.7);                       // -2
    ou[1] = uint(7) >> 1;                    // 3
    oi[4] = (-8) >> 1;                       // -4 (arithmetic shift)
    half big = 65504.0h;
    o[16] = float(big * 2.0h);               // inf in half
    o[17] = clamp(1.5, 0.0, 1.0);            // 1
    o[18] = float(all(float2(1.0, 2.0) < float2(2.0, 3.0)));  // 1
    o[19] = smoothstep(0.0, 1.0, 0.25);      // 0.15625
}
