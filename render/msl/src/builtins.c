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

/* fmod(x, p) is exact, so the pi-scaled functions reduce first and keep
 * their exact zeros and ones at integers and halves; the rest is double
 * math rounded once to float. */
float msl_fmath(uint32_t fn, float a, float b, int32_t bi)
{
	const double pi = 3.14159265358979323846;
	switch ((enum msl_ir_fmath)fn) {
	case IR_FM_SINH: return sinhf(a);
	case IR_FM_COSH: return coshf(a);
	case IR_FM_TANH: return tanhf(a);
	case IR_FM_ASINH: return asinhf(a);
	case IR_FM_ACOSH: return acoshf(a);
	case IR_FM_ATANH: return atanhf(a);
	case IR_FM_LOG10: return log10f(a);
	case IR_FM_EXP10: return (float)pow(10.0, (double)a);
	case IR_FM_RINT: return rintf(a);
	case IR_FM_SINPI: {
		float r = fmodf(a, 2.0f);
		if (r == truncf(r))
			return copysignf(0.0f, a); /* sinpi(n) = +-0 */
		return (float)sin(pi * (double)r);
	}
	case IR_FM_COSPI: {
		float r = fabsf(fmodf(a, 2.0f));
		if (r == 0.5f || r == 1.5f)
			return 0.0f;                /* cospi(n + 0.5) = +0 */
		return (float)cos(pi * (double)r);
	}
	case IR_FM_TANPI: {
		float r = fmodf(a, 1.0f);
		if (r == 0.0f)
			return copysignf(0.0f, a);
		if (fabsf(r) == 0.5f)
			return copysignf(INFINITY, r);
		return (float)tan(pi * (double)r);
	}
	case IR_FM_ASINPI: return (float)(asin((double)a) / pi);
	case IR_FM_ACOSPI: return (float)(acos((double)a) / pi);
	case IR_FM_ATANPI: return (float)(atan((double)a) / pi);
	case IR_FM_ATAN2PI: return (float)(atan2((double)a, (double)b) / pi);
	case IR_FM_FDIM: return fdimf(a, b);
	case IR_FM_LDEXP: return ldexpf(a, bi < -1000 ? -1000 : bi > 1000 ? 1000 : bi);
	case IR_FM_COUNT: break;
	}
	return NAN;
}

static uint32_t reverse32(uint32_t x)
{
	x = ((x >> 1) & 0x55555555u) | ((x & 0x55555555u) << 1);
	x = ((x >> 2) & 0x33333333u) | ((x & 0x33333333u) << 2);
	x = ((x >> 4) & 0x0f0f0f0fu) | ((x & 0x0f0f0f0fu) << 4);
	x = ((x >> 8) & 0x00ff00ffu) | ((x & 0x00ff00ffu) << 8);
	return (x >> 16) | (x << 16);
}

uint32_t msl_ibits(uint32_t fn, uint32_t aux, uint32_t a, uint32_t b, uint32_t c)
{
	uint32_t w = aux & 0xffu;
	if (w != 8 && w != 16)
		w = 32;
	int sg = (aux & MSL_IR_IBITS_SIGNED) != 0;
	uint32_t mask = w == 32 ? 0xffffffffu : (1u << w) - 1;
	uint32_t x = a & mask;
	switch ((enum msl_ir_ibits)fn) {
	case IR_IB_POPCOUNT: return (uint32_t)__builtin_popcount(x);
	case IR_IB_CLZ: return x ? (uint32_t)__builtin_clz(x) - (32 - w) : w;
	case IR_IB_CTZ: return x ? (uint32_t)__builtin_ctz(x) : w;
	case IR_IB_REVERSE_BITS: return reverse32(x) >> (32 - w);
	case IR_IB_ROTATE: {
		uint32_t k = b & (w - 1);
		return k ? ((x << k) | (x >> (w - k))) & mask : x;
	}
	case IR_IB_ABSDIFF:
		if (sg) {
			int64_t d = (int64_t)(int32_t)a - (int64_t)(int32_t)b;
			return (uint32_t)(d < 0 ? -d : d);
		}
		return x > (b & mask) ? x - (b & mask) : (b & mask) - x;
	case IR_IB_EXTRACT_BITS: {
		/* bits [b, b+c-1]; Metal leaves offset+bits > width undefined:
		 * here the field is cut at the top bit */
		if (c == 0 || b >= w)
			return 0;
		uint32_t n = c < w - b ? c : w - b;
		uint32_t v = x >> b;
		if (n < 32)
			v &= (1u << n) - 1;
		if (sg && n < 32 && (v >> (n - 1)) & 1)
			v |= ~0u << n;
		return v;
	}
	case IR_IB_COUNT: break;
	}
	return 0;
}
