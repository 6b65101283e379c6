vertex float4 v(uint id [[vertex_id]], bool ff [[front_facing]])
{
    return float4(0.0);
}
