#include <metal_stdlib>
using namespace metal;
fragment float4 f(float4 p [[position]])
{
	float3 c = p;
	return float4(c, 1.0);
}
