// The shape of SkSL-generated MSL (written from its public output
// conventions): _in/_out structs, (void)_out;, a thread Outputs& helper
// parameter, half colours, user(locn0) inputs, clang pragmas.
#include <metal_stdlib>
#include <simd/simd.h>
#ifdef __clang__
#pragma clang diagnostic ignored "-Wall"
#endif
using namespace metal;
struct Uniforms {
    half4 colorGreen;
    half4 colorRed;
    float unknownInput;
};
struct Inputs {
    float2 vLocalCoord [[user(locn0)]];
};
struct Outputs {
    half4 sk_FragColor [[color(0)]];
};
struct Globals {
    float4 sk_RTAdjust;
};
half4 helper_h4h4(thread Outputs& _out, half4 c) {
    return c.yxzw;
}
fragment Outputs fragmentMain(Inputs _in [[stage_in]], constant Uniforms& _uniforms [[buffer(0)]], bool _frontFacing [[front_facing]], float4 _fragCoord [[position]]) {
    Outputs _out;
    (void)_out;
    half4 _0_c = _uniforms.colorGreen;
    float x = _uniforms.unknownInput;
    bool ok = true;
    ok = ok && (x >= 0.0);
    for (int i = 0; i < 4; ++i) {
        _0_c += half4(half(i) * 0.0h);
    }
    _out.sk_FragColor = ok ? helper_h4h4(_out, _0_c) : _uniforms.colorRed;
    return _out;
}
