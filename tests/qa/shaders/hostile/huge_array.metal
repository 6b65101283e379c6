kernel void k(device float *o [[buffer(0)]]) { float a[2000000000]; a[0] = 1; o[0] = a[0]; }
