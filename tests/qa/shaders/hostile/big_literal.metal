kernel void k(device int *o [[buffer(0)]]) { o[0] = 99999999999999999999999999999; o[1] = 1e99999; o[2] = 0x; }
