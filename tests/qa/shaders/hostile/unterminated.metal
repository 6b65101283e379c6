kernel void k(device float *o [[buffer(0)]]) { /* never closed
