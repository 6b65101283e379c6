// café — unicode comment
kernel void k(device float *o [[buffer(0)]])
{
    /* éé */ o[0] = nope;
}
