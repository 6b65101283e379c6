kernel void k(device float *o [[buffer(31)]])
{
    o[0] = 1.0;
}
