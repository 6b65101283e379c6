/*
 * soft_sampler.c — textures as the shader executor sees them: filtered
 * sampling (nearest/linear, the four address modes and the executor's
 * clampToBorder), texel reads and writes. sRGB texels are decoded to
 * linear when read and encoded when written.
 *
 * Without mipmaps the only level-of-detail question is minification versus
 * magnification, which picks the min or mag filter. In the fragment stage
 * lanes come in 2x2 quads, so the derivatives of the coordinates are taken
 * across each quad, as a GPU does; elsewhere the mag filter is used.
 */
#include <math.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "mtlproto/wire.h"
#include "soft.h"
#include "soft_formats.h"

void soft_sampler_from_rb(struct msl_exec_sampler *out, const struct rb_sampler *in)
{
	memset(out, 0, sizeof *out);
	out->min_filter = in->min;
	out->mag_filter = in->mag;
	out->s_address = in->s_mode; /* wire modes have the executor's numbering */
	out->t_address = in->t_mode;
	out->coord = MSL_EXEC_COORD_NORMALIZED;
}

/* Wrap a texel index; returns 0 when the texel is outside (border). */
static inline int address(int64_t i, int64_t n, unsigned mode, int64_t *out)
{
	if (i >= 0 && i < n) { /* inside: every mode agrees */
		*out = i;
		return 1;
	}
	switch (mode) {
	case MSL_EXEC_ADDR_REPEAT:
		/* Power-of-two sizes (the common case) wrap with a mask: the same
		 * result as the modulo for two's complement i, without a division. */
		*out = (n & (n - 1)) == 0 ? (i & (n - 1)) : ((i % n) + n) % n;
		return 1;
	case MSL_EXEC_ADDR_MIRRORED_REPEAT: {
		int64_t m = ((i % (2 * n)) + 2 * n) % (2 * n);
		*out = m < n ? m : 2 * n - 1 - m;
		return 1;
	}
	case MSL_EXEC_ADDR_CLAMP_TO_ZERO:
	case MSL_EXEC_ADDR_CLAMP_TO_BORDER:
		*out = i;
		return i >= 0 && i < n;
	default:
		*out = i < 0 ? 0 : (i >= n ? n - 1 : i);
		return 1;
	}
}

static void border(const struct soft_texture *t, const struct msl_exec_sampler *s, unsigned mode, float out[4])
{
	if (mode == MSL_EXEC_ADDR_CLAMP_TO_BORDER && s->border) {
		float v = s->border == 2 ? 1.0f : 0.0f;
		out[0] = out[1] = out[2] = v;
		out[3] = 1.0f;
		return;
	}
	/* Transparent black; formats without alpha read it as 1. */
	out[0] = out[1] = out[2] = 0.0f;
	out[3] = t->d.format == MTL_PIXEL_R8_UNORM ? 1.0f : 0.0f;
}

static void fetch(const struct soft_texture *t, const struct msl_exec_sampler *s, int64_t x, int64_t y,
		  float out[4])
{
	int64_t ax, ay;
	int inx = address(x, t->d.width, s->s_address, &ax);
	int iny = address(y, t->d.height, s->t_address, &ay);
	if (!inx) {
		border(t, s, s->s_address, out);
		return;
	}
	if (!iny) {
		border(t, s, s->t_address, out);
		return;
	}
	soft_texel_load(t->d.format, soft_texel(t, (uint32_t)ax, (uint32_t)ay, 0), out);
}

static double safe_coord(float v)
{
	if (!(v == v))
		return 0.0;
	if (v > 1e9f)
		return 1e9;
	if (v < -1e9f)
		return -1e9;
	return v;
}

/* floor() for |x| < 2^62, as an integer: the same value as (int64_t)floor(x)
 * without a libm call (the baseline x86-64 target has no roundsd).
 * Coordinates are at most 1e9 texels times the texture size, well inside. */
static inline int64_t floor_i64(double x)
{
	int64_t t = (int64_t)x;
	return t - (x < (double)t);
}

/* dec/un: the sRGB and unorm8 decode tables (fetched once per batch). */
static inline void sample_one(const struct soft_texture *t, const struct msl_exec_sampler *s, float u, float v,
			      int minify, const float *dec, const float *un, float out[4])
{
	double x = safe_coord(u), y = safe_coord(v);
	if (s->coord != MSL_EXEC_COORD_PIXEL) {
		x *= t->d.width;
		y *= t->d.height;
	}
	unsigned filter = minify ? s->min_filter : s->mag_filter;
	if (filter == MSL_EXEC_FILTER_NEAREST) {
		fetch(t, s, floor_i64(x), floor_i64(y), out);
		return;
	}
	x -= 0.5;
	y -= 0.5;
	int64_t x0 = floor_i64(x), y0 = floor_i64(y);
	/* x - x0 is exact in double (x < 2^44 in magnitude); x0 is never -0. */
	float ax = (float)(x - (double)x0), ay = (float)(y - (double)y0);
	/* Wrap the two columns and two rows once, then fetch the four texels. */
	int64_t cx[2], cy[2];
	int inx[2], iny[2];
	for (int i = 0; i < 2; i++) {
		inx[i] = address(x0 + i, t->d.width, s->s_address, &cx[i]);
		iny[i] = address(y0 + i, t->d.height, s->t_address, &cy[i]);
	}
	if (t->d.format == MTL_PIXEL_BGRA8_UNORM_SRGB && inx[0] && inx[1] && iny[0] && iny[1]) {
		/* All four texels inside, sRGB: soft_texel_load's arithmetic and the
		 * filter below, channel by channel in registers (going through a
		 * texel array made the compiler reload scalar stores as vectors,
		 * which stalls store forwarding). Same operations, same order. */
		const uint8_t *p00 = soft_texel(t, (uint32_t)cx[0], (uint32_t)cy[0], 0);
		const uint8_t *p01 = soft_texel(t, (uint32_t)cx[1], (uint32_t)cy[0], 0);
		const uint8_t *p10 = soft_texel(t, (uint32_t)cx[0], (uint32_t)cy[1], 0);
		const uint8_t *p11 = soft_texel(t, (uint32_t)cx[1], (uint32_t)cy[1], 0);
#if defined(__SSE2__)
		/* The four channels side by side: the same IEEE single-precision
		 * operations per channel as the scalar loop below, four at a time. */
		__m128 t00 = _mm_set_ps(un[p00[3]], dec[p00[0]], dec[p00[1]], dec[p00[2]]);
		__m128 t01 = _mm_set_ps(un[p01[3]], dec[p01[0]], dec[p01[1]], dec[p01[2]]);
		__m128 t10 = _mm_set_ps(un[p10[3]], dec[p10[0]], dec[p10[1]], dec[p10[2]]);
		__m128 t11 = _mm_set_ps(un[p11[3]], dec[p11[0]], dec[p11[1]], dec[p11[2]]);
		__m128 vax = _mm_set1_ps(ax), vay = _mm_set1_ps(ay);
		__m128 vtop = _mm_add_ps(t00, _mm_mul_ps(_mm_sub_ps(t01, t00), vax));
		__m128 vbot = _mm_add_ps(t10, _mm_mul_ps(_mm_sub_ps(t11, t10), vax));
		_mm_storeu_ps(out, _mm_add_ps(vtop, _mm_mul_ps(_mm_sub_ps(vbot, vtop), vay)));
		return;
#endif
		static const uint8_t byte_of[4] = { 2, 1, 0, 3 }; /* BGRA storage */
		for (int i = 0; i < 4; i++) {
			const float *tab = i == 3 ? un : dec;
			unsigned o = byte_of[i];
			float c00 = tab[p00[o]], c01 = tab[p01[o]], c10 = tab[p10[o]], c11 = tab[p11[o]];
			float top = c00 + (c01 - c00) * ax;
			float bot = c10 + (c11 - c10) * ax;
			out[i] = top + (bot - top) * ay;
		}
		return;
	}
	float c[4][4];
	for (int k = 0; k < 4; k++) {
		int i = k & 1, j = k >> 1;
		if (!inx[i])
			border(t, s, s->s_address, c[k]);
		else if (!iny[j])
			border(t, s, s->t_address, c[k]);
		else
			soft_texel_load(t->d.format, soft_texel(t, (uint32_t)cx[i], (uint32_t)cy[j], 0), c[k]);
	}
	for (int i = 0; i < 4; i++) {
		float top = c[0][i] + (c[1][i] - c[0][i]) * ax;
		float bot = c[2][i] + (c[3][i] - c[2][i]) * ax;
		out[i] = top + (bot - top) * ay;
	}
}

static void sample_lanes(const struct soft_texture *t, const struct msl_exec_sampler *s, uint32_t n,
			 const uint8_t *active, const float *u, const float *v, float *out, int quads)
{
	const float *dec = soft_srgb_decode_table(), *un = soft_unorm8_decode_table();
#if defined(__SSE2__)
	uint32_t tw = t->d.width, th = t->d.height;
	if (t->d.samples == 1 && t->d.format == MTL_PIXEL_BGRA8_UNORM_SRGB && s->coord == MSL_EXEC_COORD_NORMALIZED &&
	    s->min_filter == MSL_EXEC_FILTER_LINEAR && s->mag_filter == MSL_EXEC_FILTER_LINEAR &&
	    s->s_address == MSL_EXEC_ADDR_REPEAT && s->t_address == MSL_EXEC_ADDR_REPEAT && tw && th &&
	    (tw & (tw - 1)) == 0 && (th & (th - 1)) == 0) {
		/* The common sprite/UI case — a power-of-two sRGB texture,
		 * bilinear, repeat — as one loop: sample_one's arithmetic with
		 * its per-lane decisions taken once (the repeat wrap of a
		 * power-of-two size is the mask; every texel is inside). */
		const int64_t wm = tw - 1, hm = th - 1;
		for (uint32_t l = 0; l < n; l++) {
			if (!active[l])
				continue;
			double x = safe_coord(u[l]) * tw - 0.5, y = safe_coord(v[l]) * th - 0.5;
			int64_t x0 = floor_i64(x), y0 = floor_i64(y);
			float ax = (float)(x - (double)x0), ay = (float)(y - (double)y0);
			const uint8_t *r0 = t->data + (size_t)(y0 & hm) * tw * 4, *r1 = t->data + (size_t)((y0 + 1) & hm) * tw * 4;
			const uint8_t *p00 = r0 + (x0 & wm) * 4, *p01 = r0 + ((x0 + 1) & wm) * 4;
			const uint8_t *p10 = r1 + (x0 & wm) * 4, *p11 = r1 + ((x0 + 1) & wm) * 4;
			__m128 t00 = _mm_set_ps(un[p00[3]], dec[p00[0]], dec[p00[1]], dec[p00[2]]);
			__m128 t01 = _mm_set_ps(un[p01[3]], dec[p01[0]], dec[p01[1]], dec[p01[2]]);
			__m128 t10 = _mm_set_ps(un[p10[3]], dec[p10[0]], dec[p10[1]], dec[p10[2]]);
			__m128 t11 = _mm_set_ps(un[p11[3]], dec[p11[0]], dec[p11[1]], dec[p11[2]]);
			__m128 vax = _mm_set1_ps(ax), vay = _mm_set1_ps(ay);
			__m128 vtop = _mm_add_ps(t00, _mm_mul_ps(_mm_sub_ps(t01, t00), vax));
			__m128 vbot = _mm_add_ps(t10, _mm_mul_ps(_mm_sub_ps(t11, t10), vax));
			float c[4];
			_mm_storeu_ps(c, _mm_add_ps(vtop, _mm_mul_ps(_mm_sub_ps(vbot, vtop), vay)));
			for (int i = 0; i < 4; i++)
				out[(size_t)i * n + l] = c[i];
		}
		return;
	}
#endif
	for (uint32_t l = 0; l < n; l++) {
		if (!active[l])
			continue;
		int minify = 0;
		if (quads && s->min_filter != s->mag_filter && n % 4 == 0) {
			uint32_t q = l & ~3u;
			float sx = s->coord == MSL_EXEC_COORD_PIXEL ? 1.0f : (float)t->d.width;
			float sy = s->coord == MSL_EXEC_COORD_PIXEL ? 1.0f : (float)t->d.height;
			float dudx = (u[q + 1] - u[q]) * sx, dvdx = (v[q + 1] - v[q]) * sy;
			float dudy = (u[q + 2] - u[q]) * sx, dvdy = (v[q + 2] - v[q]) * sy;
			float rx = dudx * dudx + dvdx * dvdx, ry = dudy * dudy + dvdy * dvdy;
			minify = (rx > ry ? rx : ry) > 1.0f;
		}
		float c[4];
		if (t->d.samples != 1) /* not sampleable in Metal: read sample 0 */
			soft_texel_load(t->d.format, soft_texel(t, 0, 0, 0), c);
		else
			sample_one(t, s, u[l], v[l], minify, dec, un, c);
		for (int i = 0; i < 4; i++)
			out[(size_t)i * n + l] = c[i];
	}
}

static void cb_sample_fragment(void *ctx, const struct msl_exec_sampler *s, uint32_t n, const uint8_t *active,
			       const float *u, const float *v, float *out)
{
	sample_lanes(ctx, s, n, active, u, v, out, 1);
}

static void cb_sample(void *ctx, const struct msl_exec_sampler *s, uint32_t n, const uint8_t *active,
		      const float *u, const float *v, float *out)
{
	sample_lanes(ctx, s, n, active, u, v, out, 0);
}

static void cb_read(void *ctx, uint32_t n, const uint8_t *active, const uint32_t *x, const uint32_t *y,
		    const uint32_t *sample, float *out)
{
	const struct soft_texture *t = ctx;
	for (uint32_t l = 0; l < n; l++) {
		if (!active[l])
			continue;
		float c[4] = { 0, 0, 0, 0 };
		uint32_t s = sample ? sample[l] : 0;
		if (x[l] < t->d.width && y[l] < t->d.height && s < t->d.samples)
			soft_texel_load(t->d.format, soft_texel(t, x[l], y[l], s), c);
		for (int i = 0; i < 4; i++)
			out[(size_t)i * n + l] = c[i];
	}
}

static void cb_write(void *ctx, uint32_t n, const uint8_t *active, const uint32_t *x, const uint32_t *y,
		     const float *in)
{
	struct soft_texture *t = ctx;
	for (uint32_t l = 0; l < n; l++) {
		if (!active[l] || x[l] >= t->d.width || y[l] >= t->d.height)
			continue;
		float c[4];
		for (int i = 0; i < 4; i++)
			c[i] = in[(size_t)i * n + l];
		for (unsigned s = 0; s < t->d.samples; s++)
			soft_texel_store(t->d.format, soft_texel(t, x[l], y[l], s), c);
	}
}

void soft_texture_view(struct msl_exec_texture *view, struct soft_texture *t, int fragment_stage)
{
	view->ctx = t;
	view->width = t->d.width;
	view->height = t->d.height;
	view->sample_count = t->d.samples;
	view->sample = fragment_stage ? cb_sample_fragment : cb_sample;
	view->read = cb_read;
	view->write = cb_write;
}
