/*
 * soft_blend.c — the output merger, per sample: stencil test and stencil
 * ops against the reference value (front/back face), then source-over
 * blending exactly as DESIGN.md §3 gives it (RGB: src*srcA + dst*(1-srcA);
 * alpha: src + dst*(1-srcA)) in linear space, the colour write mask and
 * the store in the attachment's format.
 */
#include <string.h>

#include "mtlproto/wire.h"
#include "soft.h"
#include "soft_formats.h"

static int compare(unsigned fn, uint8_t ref, uint8_t stored)
{
	/* Metal compares the reference ("new") value against the stored one. */
	switch (fn) {
	case MTL_COMPARE_NEVER: return 0;
	case MTL_COMPARE_ALWAYS: return 1;
	case MTL_COMPARE_EQUAL: return ref == stored;
	case MTL_COMPARE_NOT_EQUAL: return ref != stored;
	case MTL_COMPARE_LESS: return ref < stored;
	case MTL_COMPARE_LESS_EQUAL: return ref <= stored;
	case MTL_COMPARE_GREATER: return ref > stored;
	default: return ref >= stored;
	}
}

static uint8_t stencil_op(unsigned op, uint8_t v, uint8_t ref)
{
	switch (op) {
	case MTL_STENCIL_KEEP: return v;
	case MTL_STENCIL_ZERO: return 0;
	case MTL_STENCIL_REPLACE: return ref;
	case MTL_STENCIL_INCREMENT_CLAMP: return v == 255 ? 255 : (uint8_t)(v + 1);
	case MTL_STENCIL_DECREMENT_CLAMP: return v == 0 ? 0 : (uint8_t)(v - 1);
	case MTL_STENCIL_INVERT: return (uint8_t)~v;
	case MTL_STENCIL_INCREMENT_WRAP: return (uint8_t)(v + 1);
	default: return (uint8_t)(v - 1);
	}
}

/* Returns the samples of cov that pass the stencil test, applying the ops. */
static unsigned stencil_stage(struct soft_backend *b, uint32_t x, uint32_t y, unsigned cov, int front)
{
	const struct rb_depth_stencil *ds = b->st->depth_stencil;
	struct soft_texture *s = b->pass.stencil;
	if (!s || !ds || !ds->stencil_enabled)
		return cov;
	int face = front ? 0 : 1;
	uint8_t ref = (uint8_t)b->st->stencil_ref; /* read/write masks are 0xFF */
	unsigned passed = 0;
	for (unsigned i = 0; i < s->d.samples; i++) {
		if (!(cov >> i & 1))
			continue;
		uint8_t *sv = soft_texel(s, x, y, i);
		int ok = compare(ds->compare[face], ref, *sv);
		*sv = stencil_op(ok ? ds->pass_op[face] : ds->fail_op[face], *sv, ref);
		if (ok)
			passed |= 1u << i;
	}
	return passed;
}

void soft_stencil_only(struct soft_backend *b, uint32_t x, uint32_t y, unsigned cov, int front)
{
	stencil_stage(b, x, y, cov, front);
}

static float clamp01(float v)
{
	return v > 0.0f ? (v < 1.0f ? v : 1.0f) : 0.0f; /* NaN -> 0 */
}

/* Source-over into bgra8Unorm_sRGB with every channel written, the
 * drawable's format and the common case: the same arithmetic as the
 * generic path in soft_merge_pixel, without its per-texel format switch.
 * src is the clamped shader colour. */
static inline void blend_srgb8(const struct soft_backend *b, const struct soft_texture *c, uint32_t x, uint32_t y,
			       unsigned cov, const float src[4])
{
	float sa = src[3], inv = 1.0f - sa;
	const float *dec = b->srgb_dec;
	struct soft_srgb_encoder enc = b->srgb_enc;
	uint32_t prev_in = 0, prev_out = 0;
	int have = 0;
	for (unsigned i = 0; i < c->d.samples; i++) {
		if (!(cov >> i & 1))
			continue;
		uint8_t *d = soft_texel(c, x, y, i);
		uint32_t in;
		memcpy(&in, d, 4);
		if (have && in == prev_in) {
			memcpy(d, &prev_out, 4);
			continue;
		}
		float r = src[0] * sa + dec[d[2]] * inv;
		float g = src[1] * sa + dec[d[1]] * inv;
		float bl = src[2] * sa + dec[d[0]] * inv;
		float a = src[3] + b->unorm_dec[d[3]] * inv;
		/* Build the texel in a register and store it once: byte stores
		 * followed by a 4-byte reload stall store forwarding. */
		uint8_t o[4] = { soft_srgb8_encode(enc, bl), soft_srgb8_encode(enc, g), soft_srgb8_encode(enc, r),
				 soft_unorm8_inline(a) };
		memcpy(&prev_out, o, 4);
		memcpy(d, o, 4);
		prev_in = in;
		have = 1;
	}
}

void soft_merge_pixel(struct soft_backend *b, uint32_t x, uint32_t y, unsigned cov, int front, const float *color)
{
	cov = stencil_stage(b, x, y, cov, front);
	if (!cov)
		return;
	struct soft_texture *c = b->pass.color;
	const struct soft_pipeline *p = b->pipe;
	unsigned mask = p->d.write_mask;
	if (!mask)
		return;
	unsigned fmt = c->d.format;
	float src[4];
	if (fmt == MTL_PIXEL_RGBA16_FLOAT) {
		memcpy(src, color, sizeof src);
	} else { /* normalized targets clamp the shader's output first */
		for (int i = 0; i < 4; i++)
			src[i] = clamp01(color[i]);
	}
	if (!p->d.blend) {
		uint8_t px[8];
		memset(px, 0, sizeof px);
		soft_texel_store(fmt, px, src);
		for (unsigned i = 0; i < c->d.samples; i++) {
			if (!(cov >> i & 1))
				continue;
			uint8_t *d = soft_texel(c, x, y, i);
			if (mask == MTL_WRITE_ALL)
				memcpy(d, px, c->bpp);
			else
				soft_texel_store_masked(fmt, d, src, mask);
		}
		return;
	}
	if (fmt == MTL_PIXEL_BGRA8_UNORM_SRGB && mask == MTL_WRITE_ALL) {
		blend_srgb8(b, c, x, y, cov, src);
		return;
	}
	float sa = src[3], inv = 1.0f - sa;
	/* Samples of one pixel usually hold the same value: blending is a pure
	 * function of (src, dst bytes), so reuse the previous sample's result
	 * when its dst bytes were identical. */
	uint8_t prev_in[8], prev_out[8];
	int have_prev = 0;
	for (unsigned i = 0; i < c->d.samples; i++) {
		if (!(cov >> i & 1))
			continue;
		uint8_t *d = soft_texel(c, x, y, i);
		if (have_prev && (c->bpp == 4 ? !memcmp(d, prev_in, 4) : !memcmp(d, prev_in, c->bpp))) {
			if (c->bpp == 4)
				memcpy(d, prev_out, 4);
			else
				memcpy(d, prev_out, c->bpp);
			continue;
		}
		memcpy(prev_in, d, 8 < c->bpp ? 8 : c->bpp);
		float dst[4], out[4];
		soft_texel_load(fmt, d, dst);
		if (fmt == MTL_PIXEL_R8_UNORM)
			dst[3] = 1.0f; /* no alpha channel: reads as 1 */
		out[0] = src[0] * sa + dst[0] * inv;
		out[1] = src[1] * sa + dst[1] * inv;
		out[2] = src[2] * sa + dst[2] * inv;
		out[3] = src[3] + dst[3] * inv;
		soft_texel_store_masked(fmt, d, out, mask);
		memcpy(prev_out, d, 8 < c->bpp ? 8 : c->bpp);
		have_prev = 1;
	}
}

void soft_merge_lanes(struct soft_backend *b, uint32_t lanes, uint64_t mask, const uint16_t *x, const uint16_t *y,
		      const uint8_t *cov, const uint8_t *front, const float *colors, size_t stride)
{
	const struct soft_texture *c = b->pass.color;
	const struct rb_depth_stencil *ds = b->st->depth_stencil;
	int no_stencil = !b->pass.stencil || !ds || !ds->stencil_enabled;
	if (no_stencil && b->pipe->d.blend && b->pipe->d.write_mask == MTL_WRITE_ALL &&
	    c->d.format == MTL_PIXEL_BGRA8_UNORM_SRGB) {
		/* The per-draw checks of soft_merge_pixel, made once per batch. */
		for (uint32_t l = 0; l < lanes; l++) {
			if (!(mask >> l & 1))
				continue;
			const float *color = colors + (size_t)l * stride;
			float src[4];
			for (int i = 0; i < 4; i++)
				src[i] = clamp01(color[i]);
			blend_srgb8(b, c, x[l], y[l], cov[l], src);
		}
		return;
	}
	for (uint32_t l = 0; l < lanes; l++)
		if (mask >> l & 1)
			soft_merge_pixel(b, x[l], y[l], cov[l], front[l], colors + (size_t)l * stride);
}
