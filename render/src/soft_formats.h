/*
 * soft_formats.h — pixel format conversion for the soft backend: exact
 * sRGB encode/decode, IEEE half floats, and loading/storing one texel of
 * each of the six wire formats as linear float RGBA.
 *
 * Colour values inside the pipeline are linear floats: an sRGB texel is
 * decoded when loaded (sampling, blending) and encoded when stored, so
 * blending happens in linear space as Metal does for *_srgb formats.
 */
#ifndef RENDER_SOFT_FORMATS_H
#define RENDER_SOFT_FORMATS_H

#include <stdint.h>

/* sRGB transfer function (IEC 61966-2-1), exact to the 8-bit value. */
float soft_srgb_to_linear(uint8_t v);             /* table lookup */
/* The 256-entry decode table itself, for inner loops (same values). */
const float *soft_srgb_decode_table(void);
/* unorm8 decode: table[v] == v / 255.0f exactly (a lookup instead of a divide). */
const float *soft_unorm8_decode_table(void);
uint8_t soft_linear_to_srgb8(float linear);       /* clamps, rounds to nearest */
uint8_t soft_unorm8(float v);                     /* clamp to [0,1], round to nearest */

/* The encoder's tables, for inner loops that inline the encode (below):
 * threshold[v] = the smallest linear value encoding to v or more, with
 * threshold[256] = +infinity as a sentinel; bucket[i] = the encoding of
 * i / SOFT_SRGB_BUCKETS, a lower bound. */
#define SOFT_SRGB_BUCKETS 4096
struct soft_srgb_encoder {
	const float *threshold;   /* 257 entries */
	const uint8_t *bucket;    /* SOFT_SRGB_BUCKETS + 1 entries */
};
struct soft_srgb_encoder soft_srgb_encoder(void);

/* soft_linear_to_srgb8 with the tables passed in: the same result. With
 * 4096 buckets the encoding rises at most once inside a bucket, so one
 * branch-free step almost always finishes; the loop after it only keeps
 * the function exact by construction. */
static inline uint8_t soft_srgb8_encode(struct soft_srgb_encoder e, float linear)
{
	if (!(linear > 0.0f))
		return 0; /* also NaN */
	if (linear >= 1.0f)
		return 255;
	unsigned v = e.bucket[(unsigned)(linear * SOFT_SRGB_BUCKETS)];
	v += e.threshold[v + 1] <= linear;
	while (e.threshold[v + 1] <= linear)
		v++;
	return (uint8_t)v;
}

/* soft_unorm8 inline: v * 255 + 0.5 is positive there, so truncation is floor. */
static inline uint8_t soft_unorm8_inline(float v)
{
	if (!(v > 0.0f))
		return 0;
	if (v >= 1.0f)
		return 255;
	return (uint8_t)(unsigned)(v * 255.0f + 0.5f);
}

/* IEEE 754 binary16, round to nearest even, infinities and NaN kept. */
uint16_t soft_float_to_half(float f);
float soft_half_to_float(uint16_t h);

/* Bytes per texel (per sample) is mtl_pixel_format_bytes (mtlproto/decode.h). */
int soft_format_is_color(unsigned format);
int soft_format_is_srgb(unsigned format);

/* One texel <-> linear RGBA. r8Unorm loads as (r, 0, 0, 1). Stencil8 is
 * not a colour format: it loads as (s/255, 0, 0, 1) and stores .r. */
void soft_texel_load(unsigned format, const uint8_t *src, float rgba[4]);
void soft_texel_store(unsigned format, uint8_t *dst, const float rgba[4]);
/* Store honouring a write mask (MTL_WRITE_R/G/B/A bits). */
void soft_texel_store_masked(unsigned format, uint8_t *dst, const float rgba[4], unsigned mask);

/* A texel as 8-bit sRGB-encoded RGBA for display/readback: sRGB formats
 * copy their bytes; unorm formats are taken as already display-encoded
 * (what a window shows for a plain bgra8Unorm drawable); half floats are
 * clamped and quantised likewise. */
void soft_texel_to_rgba8(unsigned format, const uint8_t *src, uint8_t out[4]);
void soft_texel_from_rgba8(unsigned format, uint8_t *dst, const uint8_t in[4]);

#endif
