/*
 * builtins.c — scalar semantics shared by the executor, the lowering and
 * the tests: half rounding, defined integer edge cases, and the float
 * built-ins whose Metal definition differs from the obvious C one.
 *
 * Every function here is total: no input triggers undefined behaviour in C.
 * docs/MSL.md "## Executor" lists the choices made where MSL leaves a
 * result undefined (integer division by zero, INT_MIN / -1, out-of-range
 * float to int conversion).
 */
#include <limits.h>
#include <math.h>
#include <string.h>

#include "msl/ir.h"

static uint32_t f2bits(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }
static float bits2f(uint32_t u) { float f; memcpy(&f, &u, 4); return f; }

/* IEEE binary16, round to nearest even; overflow -> inf; NaN stays NaN
 * (quiet, sign kept). */
uint16_t msl_float_to_half_bits(float f)
{
	uint32_t x = f2bits(f);
	uint16_t sign = (uint16_t)((x >> 16) & 0x8000u);
	uint32_t exp = (x >> 23) & 0xffu;
	uint32_t man = x & 0x7fffffu;

	if (exp == 0xff)
		return (uint16_t)(sign | 0x7c00u | (man ? 0x200u | (man >> 13) : 0));
	int e = (int)exp - 127 + 15;
	if (e >= 31)
		return (uint16_t)(sign | 0x7c00u);
	if (e <= 0) {
		/* half subnormal (or zero): value = man24 * 2^(e-1-23+... ) */
		if (e < -10)
			return sign;
		uint32_t m = man | 0x800000u;       /* 24-bit significand */
		uint32_t shift = (uint32_t)(14 - e); /* to 10-bit subnormal field */
		uint32_t half_m = m >> shift;
		uint32_t rem = m & ((1u << shift) - 1);
		uint32_t halfway = 1u << (shift - 1);
		if (rem > halfway || (rem == halfway && (half_m & 1)))
			half_m++;
		return (uint16_t)(sign | half_m); /* a carry into bit 10 makes the smallest normal */
	}
	uint32_t h = ((uint32_t)e << 10) | (man >> 13);
	uint32_t rem = man & 0x1fffu;
	if (rem > 0x1000u || (rem == 0x1000u && (h & 1)))
		h++;                                 /* may carry into the exponent, up to inf */
	return (uint16_t)(sign | h);
}

float msl_half_bits_to_float(uint16_t h)
{
	uint32_t sign = (uint32_t)(h & 0x8000u) << 16;
	uint32_t exp = (h >> 10) & 0x1fu;
	uint32_t man = h & 0x3ffu;
	if (exp == 0) {
		float v = ldexpf((float)man, -24);
		return sign ? -v : v;
	}
	if (exp == 31)
		return bits2f(sign | 0x7f800000u | (man << 13));
	return bits2f(sign | ((exp - 15 + 127) << 23) | (man << 13));
}

float msl_round_half(float f)
{
	return msl_half_bits_to_float(msl_float_to_half_bits(f));
}

int32_t msl_f2s(float f)
{
	if (isnan(f))
		return 0;
	if (f >= 2147483648.0f)
		return INT32_MAX;
	if (f <= -2147483648.0f)
		return INT32_MIN;
	return (int32_t)f;
}

uint32_t msl_f2u(float f)
{
	if (isnan(f) || f <= 0.0f)
		return 0;
	if (f >= 4294967296.0f)
		return UINT32_MAX;
	return (uint32_t)f;
}

/* Division by zero: x / 0 = -1 (all ones) and x % 0 = x, for signed and
 * unsigned alike; INT_MIN / -1 = INT_MIN and INT_MIN % -1 = 0. */
int32_t msl_sdiv(int32_t a, int32_t b)
{
	if (b == 0)
		return -1;
	if (a == INT32_MIN && b == -1)
		return INT32_MIN;
	return a / b;
}

int32_t msl_srem(int32_t a, int32_t b)
{
	if (b == 0)
		return a;
	if (a == INT32_MIN && b == -1)
		return 0;
	return a % b;
}

uint32_t msl_udiv(uint32_t a, uint32_t b) { return b ? a / b : UINT32_MAX; }
uint32_t msl_urem(uint32_t a, uint32_t b) { return b ? a % b : a; }

/* fract(x) = min(x - floor(x), 0x1.fffffep-1); fract(+-inf) = +-0, NaN. */
float msl_fract(float f)
{
	if (isinf(f))
		return copysignf(0.0f, f);
	if (isnan(f))
		return f;
	float r = f - floorf(f);
	return r < 0x1.fffffep-1f ? r : 0x1.fffffep-1f;
}

/* sign: 1.0 for x > 0, -1.0 for x < 0, +-0 for +-0, 0 for NaN. */
float msl_fsign(float f)
{
	if (f > 0.0f)
		return 1.0f;
	if (f < 0.0f)
		return -1.0f;
	if (isnan(f))
		return 0.0f;
	return f;
}

float msl_rsqrt(float f) { return 1.0f / sqrtf(f); }
