// EXPECT: 7:5: threadgroup_barrier() is only allowed in kernel functions, not in vertex function 'v'
// EXPECT: 17:20: 'sync' uses a threadgroup barrier, which only kernel functions may call
#include <metal_stdlib>
using namespace metal;

vertex float4 v(uint vid [[vertex_id]]) {
    threadgroup_barrier(mem_flags::mem_device);
    return float4(float(vid));
}

void sync() {
    simdgroup_barrier(mem_flags::mem_none);
}

fragment float4 f(float4 pos [[position]]) {
    float x = pos.x;
    if (x > 0.0) { sync(); }
    return float4(x);
}
