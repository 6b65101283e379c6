fragment float4 f(float4 p [[position]])
{
    discard_fragment();
    return p;
}
kernel void k(device float *o [[buffer(0)]])
{
    discard_fragment();
}
