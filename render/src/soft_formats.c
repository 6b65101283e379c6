/*
 * soft_formats.c — texel conversions (see soft_formats.h).
 */
#include "soft_formats.h"

#include <math.h>
#include <pthread.h>
#include <string.h>

#include "mtlproto/decode.h"
#include "mtlproto/wire.h"

static float srgb_decode_table[256];
static float unorm8_decode_table[256];
/* srgb_threshold[v] = the smallest linear value that encodes to v or more:
 * the exact inverse transfer function at the midpoint (v - 0.5) / 255. */
static float srgb_threshold[257]; /* [256] = +inf: the walk needs no bound check */
/* srgb_bucket[i] = the encoding of i / SRGB_BUCKETS: a starting point for the
 * threshold walk, which then moves up at most a step or two. */
#define SRGB_BUCKETS SOFT_SRGB_BUCKETS
static uint8_t srgb_bucket[SRGB_BUCKETS + 1];
static pthread_once_t srgb_once = PTHREAD_ONCE_INIT;

static double srgb_decode_exact(double c)
{
	return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

static void srgb_table_init(void)
{
	for (int i = 0; i < 256; i++) {
		srgb_decode_table[i] = (float)srgb_decode_exact(i / 255.0);
		unorm8_decode_table[i] = (float)i / 255.0f;
		srgb_threshold[i] = i ? (float)srgb_decode_exact((i - 0.5) / 255.0) : 0.0f;
	}
	srgb_threshold[256] = INFINITY;
	unsigned v = 0;
	for (unsigned b = 0; b <= SRGB_BUCKETS; b++) {
		float l = (float)b / SRGB_BUCKETS;
		while (v < 255 && srgb_threshold[v + 1] <= l)
			v++;
		srgb_bucket[b] = (uint8_t)v;
	}
}

/* The tables are built once; after that a relaxed-cost acquire load is all
 * the hot path pays (pthread_once per texel showed up in profiles). */
static int srgb_ready;

static void srgb_tables(void)
{
	if (!__atomic_load_n(&srgb_ready, __ATOMIC_ACQUIRE)) {
		pthread_once(&srgb_once, srgb_table_init);
		__atomic_store_n(&srgb_ready, 1, __ATOMIC_RELEASE);
	}
}

const float *soft_srgb_decode_table(void)
{
	srgb_tables();
	return srgb_decode_table;
}

const float *soft_unorm8_decode_table(void)
{
	srgb_tables();
	return unorm8_decode_table;
}

float soft_srgb_to_linear(uint8_t v)
{
	srgb_tables();
	return srgb_decode_table[v];
}

/*
 * Encoding rounds to the nearest 8-bit value of the exact transfer
 * function. Rather than evaluate pow per pixel, it searches the table of
 * decision thresholds (the linear values whose encoding is exactly
 * v - 0.5), which gives the same answer as rounding the exact function
 * and is the same on every host. encode(decode(v)) == v for every v
 * (tests check the round trip).
 */
struct soft_srgb_encoder soft_srgb_encoder(void)
{
	srgb_tables();
	struct soft_srgb_encoder e = { srgb_threshold, srgb_bucket };
	return e;
}

uint8_t soft_linear_to_srgb8(float linear)
{
	return soft_srgb8_encode(soft_srgb_encoder(), linear);
}

uint8_t soft_unorm8(float v)
{
	return soft_unorm8_inline(v);
}

uint16_t soft_float_to_half(float f)
{
	uint32_t x;
	memcpy(&x, &f, 4);
	uint32_t sign = (x >> 16) & 0x8000u;
	uint32_t exp = (x >> 23) & 0xFFu;
	uint32_t man = x & 0x7FFFFFu;
	if (exp == 0xFF) /* inf or NaN (keep a quiet NaN) */
		return (uint16_t)(sign | 0x7C00u | (man ? 0x200u : 0));
	int e = (int)exp - 127 + 15;
	if (e >= 31)
		return (uint16_t)(sign | 0x7C00u); /* overflow -> inf */
	if (e <= 0) {
		/* subnormal half or zero */
		if (e < -10)
			return (uint16_t)sign;
		man |= 0x800000u;
		unsigned shift = (unsigned)(14 - e);
		uint32_t h = man >> shift;
		uint32_t rem = man & ((1u << shift) - 1);
		uint32_t half = 1u << (shift - 1);
		if (rem > half || (rem == half && (h & 1)))
			h++;
		return (uint16_t)(sign | h);
	}
	uint32_t h = ((uint32_t)e << 10) | (man >> 13);
	uint32_t rem = man & 0x1FFFu;
	if (rem > 0x1000u || (rem == 0x1000u && (h & 1)))
		h++; /* may carry into the exponent, which is correct (up to inf) */
	return (uint16_t)(sign | h);
}

float soft_half_to_float(uint16_t h)
{
	uint32_t sign = (uint32_t)(h & 0x8000u) << 16;
	uint32_t exp = (h >> 10) & 0x1Fu;
	uint32_t man = h & 0x3FFu;
	uint32_t x;
	if (exp == 0) {
		if (man == 0) {
			x = sign;
		} else {
			int e = -1;
			do {
				e++;
				man <<= 1;
			} while (!(man & 0x400u));
			x = sign | ((uint32_t)(127 - 15 - e) << 23) | ((man & 0x3FFu) << 13);
		}
	} else if (exp == 31) {
		x = sign | 0x7F800000u | (man << 13);
	} else {
		x = sign | ((exp - 15 + 127) << 23) | (man << 13);
	}
	float f;
	memcpy(&f, &x, 4);
	return f;
}

int soft_format_is_color(unsigned format)
{
	return mtl_pixel_format_bytes(format) != 0 && format != MTL_PIXEL_STENCIL8;
}

int soft_format_is_srgb(unsigned format)
{
	return format == MTL_PIXEL_BGRA8_UNORM_SRGB;
}

void soft_texel_load(unsigned format, const uint8_t *s, float c[4])
{
	switch (format) {
	case MTL_PIXEL_BGRA8_UNORM:
		c[0] = s[2] / 255.0f; c[1] = s[1] / 255.0f; c[2] = s[0] / 255.0f; c[3] = s[3] / 255.0f;
		break;
	case MTL_PIXEL_RGBA8_UNORM:
		c[0] = s[0] / 255.0f; c[1] = s[1] / 255.0f; c[2] = s[2] / 255.0f; c[3] = s[3] / 255.0f;
		break;
	case MTL_PIXEL_BGRA8_UNORM_SRGB:
		c[0] = soft_srgb_to_linear(s[2]); c[1] = soft_srgb_to_linear(s[1]);
		c[2] = soft_srgb_to_linear(s[0]); c[3] = s[3] / 255.0f;
		break;
	case MTL_PIXEL_R8_UNORM:
	case MTL_PIXEL_STENCIL8:
		c[0] = s[0] / 255.0f; c[1] = 0; c[2] = 0; c[3] = 1;
		break;
	case MTL_PIXEL_RGBA16_FLOAT:
		for (int i = 0; i < 4; i++)
			c[i] = soft_half_to_float((uint16_t)(s[2 * i] | (s[2 * i + 1] << 8)));
		break;
	default:
		c[0] = c[1] = c[2] = 0; c[3] = 1;
	}
}

void soft_texel_store_masked(unsigned format, uint8_t *d, const float c[4], unsigned mask)
{
	switch (format) {
	case MTL_PIXEL_BGRA8_UNORM:
		if (mask & MTL_WRITE_R) d[2] = soft_unorm8(c[0]);
		if (mask & MTL_WRITE_G) d[1] = soft_unorm8(c[1]);
		if (mask & MTL_WRITE_B) d[0] = soft_unorm8(c[2]);
		if (mask & MTL_WRITE_A) d[3] = soft_unorm8(c[3]);
		break;
	case MTL_PIXEL_RGBA8_UNORM:
		if (mask & MTL_WRITE_R) d[0] = soft_unorm8(c[0]);
		if (mask & MTL_WRITE_G) d[1] = soft_unorm8(c[1]);
		if (mask & MTL_WRITE_B) d[2] = soft_unorm8(c[2]);
		if (mask & MTL_WRITE_A) d[3] = soft_unorm8(c[3]);
		break;
	case MTL_PIXEL_BGRA8_UNORM_SRGB:
		if (mask & MTL_WRITE_R) d[2] = soft_linear_to_srgb8(c[0]);
		if (mask & MTL_WRITE_G) d[1] = soft_linear_to_srgb8(c[1]);
		if (mask & MTL_WRITE_B) d[0] = soft_linear_to_srgb8(c[2]);
		if (mask & MTL_WRITE_A) d[3] = soft_unorm8(c[3]);
		break;
	case MTL_PIXEL_R8_UNORM:
	case MTL_PIXEL_STENCIL8:
		if (mask & MTL_WRITE_R) d[0] = soft_unorm8(c[0]);
		break;
	case MTL_PIXEL_RGBA16_FLOAT:
		for (int i = 0; i < 4; i++) {
			if (!(mask & (8u >> i)))
				continue;
			uint16_t h = soft_float_to_half(c[i]);
			d[2 * i] = (uint8_t)h;
			d[2 * i + 1] = (uint8_t)(h >> 8);
		}
		break;
	default:
		break;
	}
}

void soft_texel_store(unsigned format, uint8_t *d, const float c[4])
{
	soft_texel_store_masked(format, d, c, MTL_WRITE_ALL);
}

void soft_texel_to_rgba8(unsigned format, const uint8_t *s, uint8_t o[4])
{
	switch (format) {
	case MTL_PIXEL_BGRA8_UNORM:
	case MTL_PIXEL_BGRA8_UNORM_SRGB:
		o[0] = s[2]; o[1] = s[1]; o[2] = s[0]; o[3] = s[3];
		break;
	case MTL_PIXEL_RGBA8_UNORM:
		memcpy(o, s, 4);
		break;
	case MTL_PIXEL_R8_UNORM:
	case MTL_PIXEL_STENCIL8:
		o[0] = s[0]; o[1] = 0; o[2] = 0; o[3] = 255;
		break;
	case MTL_PIXEL_RGBA16_FLOAT: {
		float c[4];
		soft_texel_load(format, s, c);
		for (int i = 0; i < 4; i++)
			o[i] = soft_unorm8(c[i]);
		break;
	}
	default:
		o[0] = o[1] = o[2] = 0; o[3] = 255;
	}
}

void soft_texel_from_rgba8(unsigned format, uint8_t *d, const uint8_t in[4])
{
	switch (format) {
	case MTL_PIXEL_BGRA8_UNORM:
	case MTL_PIXEL_BGRA8_UNORM_SRGB:
		d[0] = in[2]; d[1] = in[1]; d[2] = in[0]; d[3] = in[3];
		break;
	case MTL_PIXEL_RGBA8_UNORM:
		memcpy(d, in, 4);
		break;
	case MTL_PIXEL_R8_UNORM:
	case MTL_PIXEL_STENCIL8:
		d[0] = in[0];
		break;
	case MTL_PIXEL_RGBA16_FLOAT: {
		float c[4];
		for (int i = 0; i < 4; i++)
			c[i] = in[i] / 255.0f;
		soft_texel_store(format, d, c);
		break;
	}
	default:
		break;
	}
}
