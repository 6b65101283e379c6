kernel void k(device float *o [[buffer(0)]]) { float a[65536][65536]; a[0][0] = 1; o[0] = a[0][0]; }
