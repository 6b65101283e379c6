/*
 * tests/qa/qa_streams.h — the QA command streams: what a real guest UI
 * driver sends (DESIGN §3), built with the independent writer qa_wire.h.
 *
 * Shared by tests/test_qa_streams.c (decode every field, validate) and
 * tests/qa/gen_qa_streams.c (writes the .bin files the tool script runs
 * through mtldump, mtlvalidate, mtlrec, mtlinfo and mtlreplay).
 *
 * All streams draw into a QA_W x QA_H drawable (pass --resolution).
 */
#ifndef QA_STREAMS_H
#define QA_STREAMS_H

#include <math.h>
#include <stdio.h>

#include "qa_wire.h"

#define QA_W 256
#define QA_H 192
#define QA_SHADER_PATH "tests/qa/shaders/ui.metal"

/* Object handles (guest-assigned). */
enum {
	LIB_UI = 1,
	FN_VERTEX = 10, FN_ROUNDED, FN_GLYPH, FN_GRADIENT, FN_SHADOW, FN_BLUR, FN_COMPOSITE,
	FN_SOLID, FN_PATH,
	PIPE_ROUNDED = 20, PIPE_GLYPH, PIPE_GRADIENT, PIPE_SHADOW, PIPE_SOLID,
	PIPE_OFF_ROUNDED, PIPE_OFF_BLUR, PIPE_COMPOSITE, PIPE_CLIP_WRITE, PIPE_CLIPPED,
	PIPE_MSAA, PIPE_PATH, PIPE_MASK,
	TEX_ATLAS = 40, TEX_CURSOR, TEX_LAYER, TEX_BLURRED, TEX_STENCIL, TEX_MSAA, TEX_MASK,
	TEX_MASK_COPY, TEX_SMALL,
	SMP_LINEAR = 60, SMP_REPEAT,
	DSS_WRITE = 70, DSS_TEST
};

/* Read the shader library (tests run from the top of the tree). */
static inline char *qa_read_text(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *s = malloc((size_t)n + 1);
	if (s && fread(s, 1, (size_t)n, f) != (size_t)n) {
		free(s);
		s = NULL;
	}
	if (s)
		s[n] = 0;
	fclose(f);
	return s;
}

/* Vertices in the fixed layout, each float written little-endian. */
static inline void qa_vertices(struct qa_buf *b, const struct qa_vertex *v, unsigned n)
{
	struct qa_expect *e = qa_begin(b, QA_SET_VERTEX_BYTES);
	qa_u8(b, 0); qa_u8(b, 0); qa_u16(b, 0); qa_u32(b, n * 32u);
	qa_field(e, 0); qa_field(e, n * 32.0);
	e->tail_off = b->len;
	e->tail_len = n * 32u;
	for (unsigned i = 0; i < n; i++) {
		const float *f = &v[i].x;
		for (int k = 0; k < 8; k++)
			qa_f32(b, f[k]);
	}
	qa_end(b);
}

static inline void qa_fbytes_f32(struct qa_buf *b, uint16_t method, unsigned index,
				 const float *f, unsigned n)
{
	struct qa_expect *e = qa_begin(b, method);
	qa_u8(b, index); qa_u8(b, 0); qa_u16(b, 0); qa_u32(b, n * 4u);
	qa_field(e, index); qa_field(e, n * 4.0);
	e->tail_off = b->len;
	e->tail_len = n * 4u;
	for (unsigned i = 0; i < n; i++)
		qa_f32(b, f[i]);
	qa_end(b);
}

static const float QA_WHITE[4] = { 1, 1, 1, 1 };

/* Pixel -> NDC (y up). */
static inline float qa_ndc_x(float px) { return px / QA_W * 2.0f - 1.0f; }
static inline float qa_ndc_y(float py) { return 1.0f - py / QA_H * 2.0f; }

static inline void qa_pixel_quad(struct qa_vertex *v, float x0, float y0, float x1, float y1,
				 const float rgba[4])
{
	qa_quad(v, qa_ndc_x(x0), qa_ndc_y(y1), qa_ndc_x(x1), qa_ndc_y(y0), 0, 1, 1, 0, rgba);
}

static inline void qa_setup_library(struct qa_buf *b, const char *src)
{
	qa_compile_library(b, LIB_UI, src);
	qa_get_function(b, FN_VERTEX, LIB_UI, "ui_vertex");
	qa_get_function(b, FN_ROUNDED, LIB_UI, "ui_rounded_rect");
	qa_get_function(b, FN_GLYPH, LIB_UI, "ui_glyph");
	qa_get_function(b, FN_GRADIENT, LIB_UI, "ui_gradient");
	qa_get_function(b, FN_SHADOW, LIB_UI, "ui_drop_shadow");
	qa_get_function(b, FN_BLUR, LIB_UI, "ui_blur");
	qa_get_function(b, FN_COMPOSITE, LIB_UI, "ui_composite");
	qa_get_function(b, FN_SOLID, LIB_UI, "ui_solid");
	qa_get_function(b, FN_PATH, LIB_UI, "path_coverage");
}

/* RectUniforms: center, half_size, radii, fill, sigma, pad, shadow_offset (64 bytes). */
static inline void qa_rect_uniforms(float out[16], float cx, float cy, float hw, float hh, float r,
				    const float fill[4], float sigma, float ox, float oy)
{
	float u[16] = { cx, cy, hw, hh, r, r * 0.5f, r, r * 2.0f, fill[0], fill[1], fill[2], fill[3],
			sigma, 0, ox, oy };
	memcpy(out, u, sizeof u);
}

/* 1. A UI frame: drop shadow, rounded rect, gradient (triangleStrip), glyph
 * quads from an r8 atlas, a scissored draw; then a frame with the 28-byte
 * BEGIN_RENDER_PASS form, and cursor commands (image and from texture). */
static inline void qa_stream_ui(struct qa_buf *b, const char *src)
{
	qa_setup_library(b, src);
	qa_render_pipeline(b, PIPE_ROUNDED, FN_VERTEX, FN_ROUNDED, 1, 15, 0, 1, 6);
	qa_render_pipeline(b, PIPE_GLYPH, FN_VERTEX, FN_GLYPH, 1, 15, 0, 1, 6);
	qa_render_pipeline(b, PIPE_GRADIENT, FN_VERTEX, FN_GRADIENT, 0, 15, 0, 1, 6);
	qa_render_pipeline(b, PIPE_SHADOW, FN_VERTEX, FN_SHADOW, 1, 15, 0, 1, 6);
	qa_render_pipeline(b, PIPE_SOLID, FN_VERTEX, FN_SOLID, 0, 15, 0, 1, 6);

	/* 16x16 glyph atlas (r8Unorm): four 8x8 glyphs, a disc, a bar, a
	 * diagonal and a full block; bytes_per_row padded to 20. */
	qa_texture(b, TEX_ATLAS, 16, 16, 3, 0, 1, 1);
	uint8_t atlas[20 * 16];
	memset(atlas, 0xEE, sizeof atlas);
	for (int y = 0; y < 16; y++)
		for (int x = 0; x < 16; x++) {
			int gx = x & 7, gy = y & 7, g = (y / 8) * 2 + x / 8, on;
			if (g == 0)
				on = (gx - 3.5) * (gx - 3.5) + (gy - 3.5) * (gy - 3.5) < 12;
			else if (g == 1)
				on = gx >= 3 && gx <= 4;
			else if (g == 2)
				on = gx == gy;
			else
				on = 1;
			atlas[y * 20 + x] = on ? 255 : 0;
		}
	qa_upload(b, TEX_ATLAS, 0, 0, 16, 16, 20, atlas, sizeof atlas);

	/* frame 0 */
	qa_begin_render_pass(b, QA_DRAWABLE, 0, 0, 2, 1, 0, 0, 0.08f, 0.08f, 0.1f, 1.0f, 0);
	struct qa_vertex v[24];
	float u[16];
	const float card[4] = { 0.95f, 0.95f, 0.97f, 1.0f };
	const float shadow[4] = { 0, 0, 0, 0.6f };
	qa_handle_cmd(b, QA_SET_RENDER_PIPELINE, PIPE_SHADOW);
	qa_pixel_quad(v, 20, 20, 180, 140, QA_WHITE);
	qa_vertices(b, v, 6);
	qa_rect_uniforms(u, 96, 76, 60, 40, 10, shadow, 6, 4, 6);
	qa_fbytes_f32(b, QA_SET_FRAGMENT_BYTES, 0, u, 16);
	qa_draw(b, 0, 0, 6);
	qa_handle_cmd(b, QA_SET_RENDER_PIPELINE, PIPE_ROUNDED);
	qa_rect_uniforms(u, 96, 76, 60, 40, 10, card, 0, 0, 0);
	qa_fbytes_f32(b, QA_SET_FRAGMENT_BYTES, 0, u, 16);
	qa_draw(b, 0, 0, 6);

	/* gradient title bar as a 4-vertex triangle strip, red -> blue, uv 0..1 */
	qa_handle_cmd(b, QA_SET_RENDER_PIPELINE, PIPE_GRADIENT);
	{
		struct qa_vertex s[4] = {
			{ qa_ndc_x(0), qa_ndc_y(0), 0, 0, 1, 1, 1, 1 },
			{ qa_ndc_x(256), qa_ndc_y(0), 1, 0, 1, 1, 1, 1 },
			{ qa_ndc_x(0), qa_ndc_y(16), 0, 1, 1, 1, 1, 1 },
			{ qa_ndc_x(256), qa_ndc_y(16), 1, 1, 1, 1, 1, 1 },
		};
		qa_vertices(b, s, 4);
		/* start, end, count, radial, pad, 4 stops of {color, offset, pad3} */
		float g[56] = { 0, 0, 1, 0 };
		uint32_t two = 2, zero = 0;
		memcpy(&g[4], &two, 4);
		memcpy(&g[5], &zero, 4);
		const float stops[2][5] = { { 1, 0, 0, 1, 0 }, { 0, 0, 1, 1, 1 } };
		for (int i = 0; i < 2; i++) {
			memcpy(&g[8 + i * 12], stops[i], sizeof stops[i]);
		}
		qa_fbytes_f32(b, QA_SET_FRAGMENT_BYTES, 0, g, 56);
		qa_draw(b, 1, 0, 4);
	}

	/* three glyph quads (12x12 px each) from the atlas */
	qa_handle_cmd(b, QA_SET_RENDER_PIPELINE, PIPE_GLYPH);
	qa_set_slot(b, QA_SET_FRAGMENT_TEXTURE, TEX_ATLAS, 0);
	{
		const float ink[4] = { 0.1f, 0.1f, 0.1f, 1 };
		for (int i = 0; i < 3; i++) {
			float x = 50 + i * 14.0f, y = 60;
			float u0 = (i % 2) * 0.5f, v0 = (float)(i / 2) * 0.5f;
			qa_quad(&v[i * 6], qa_ndc_x(x), qa_ndc_y(y + 12), qa_ndc_x(x + 12), qa_ndc_y(y),
				u0, v0 + 0.5f, u0 + 0.5f, v0, ink);
		}
		qa_vertices(b, v, 18);
		qa_draw(b, 0, 0, 18);
	}

	/* a scissored solid draw: only pixels 200..230 x 150..170 of a bigger quad */
	qa_handle_cmd(b, QA_SET_RENDER_PIPELINE, PIPE_SOLID);
	qa_scissor(b, 200, 150, 30, 20);
	{
		const float green[4] = { 0, 1, 0, 1 };
		qa_pixel_quad(v, 190, 140, 250, 185, green);
		qa_vertices(b, v, 6);
		qa_draw(b, 0, 0, 6);
	}
	qa_empty_cmd(b, QA_END_RENDER_PASS);
	qa_present(b, 0);

	/* frame 1: 28-byte BEGIN_RENDER_PASS (clear alpha implied 1.0) */
	qa_begin_render_pass(b, QA_DRAWABLE, 0, 0, 2, 1, 0, 0, 0.2f, 0.4f, 0.6f, 1.0f, 1);
	qa_handle_cmd(b, QA_SET_RENDER_PIPELINE, PIPE_SOLID);
	{
		const float half_red[4] = { 1, 0, 0, 1 };
		qa_pixel_quad(v, 0, 0, 128, 96, half_red); /* top-left quarter: red */
		qa_vertices(b, v, 6);
		qa_draw(b, 0, 0, 6);
	}
	qa_empty_cmd(b, QA_END_RENDER_PASS);

	/* cursor: 16x16 arrow-ish image, premultiplied BGRA */
	uint8_t cur[16 * 16 * 4];
	for (int y = 0; y < 16; y++)
		for (int x = 0; x < 16; x++) {
			uint8_t *p = &cur[(y * 16 + x) * 4];
			int on = x <= y && x < 10;
			uint8_t a = on ? 255 : 0;
			p[0] = on ? 0 : 0;      /* B */
			p[1] = on ? 200 : 0;    /* G */
			p[2] = on ? 255 : 0;    /* R */
			p[3] = a;
		}
	qa_cursor_image(b, 16, 16, 0, 0, cur);
	qa_cursor_position(b, 200.5f, 40.25f);
	qa_cursor_visible(b, 1);
	qa_present(b, 1);

	/* cursor from a texture (bgra8Unorm 32x32) with a hot spot */
	qa_texture(b, TEX_CURSOR, 32, 32, 1, 0, 1, 1);
	{
		uint8_t *px = calloc(32 * 32, 4);
		for (int i = 0; i < 32 * 32; i++) {
			int x = i % 32, y = i / 32;
			int on = (x - 16) * (x - 16) + (y - 16) * (y - 16) < 100;
			px[i * 4 + 0] = on ? 255 : 0; /* blue disc */
			px[i * 4 + 3] = on ? 255 : 0;
		}
		qa_upload(b, TEX_CURSOR, 0, 0, 32, 32, 128, px, 32 * 32 * 4);
		free(px);
	}
	qa_cursor_from_texture(b, TEX_CURSOR, 32, 32, 16, 16);
	qa_cursor_position(b, 64, 48);
	qa_begin_render_pass(b, QA_DRAWABLE, 0, 0, 2, 1, 0, 0, 1, 1, 1, 1, 0);
	qa_empty_cmd(b, QA_END_RENDER_PASS);
	qa_present(b, 2);
	qa_cursor_visible(b, 0);
	qa_begin_render_pass(b, QA_DRAWABLE, 0, 0, 2, 1, 0, 0, 1, 1, 1, 1, 0);
	qa_empty_cmd(b, QA_END_RENDER_PASS);
	qa_present(b, 3);
}

/* 2. Blur: draw a rounded rect into an offscreen rgba8 layer, blur it
 * horizontally into a second layer, composite that over the drawable. */
static inline void qa_stream_blur(struct qa_buf *b, const char *src)
{
	qa_setup_library(b, src);
	qa_render_pipeline(b, PIPE_OFF_ROUNDED, FN_VERTEX, FN_ROUNDED, 1, 15, 0, 1, 2);
	qa_render_pipeline(b, PIPE_OFF_BLUR, FN_VERTEX, FN_BLUR, 0, 15, 0, 1, 2);
	qa_render_pipeline(b, PIPE_COMPOSITE, FN_VERTEX, FN_COMPOSITE, 1, 15, 0, 1, 6);
	qa_render_pipeline(b, PIPE_SOLID, FN_VERTEX, FN_SOLID, 0, 15, 0, 1, 6);
	qa_texture(b, TEX_LAYER, QA_W, QA_H, 2, 0, 1, 1 | 4);
	qa_texture(b, TEX_BLURRED, QA_W, QA_H, 2, 0, 1, 1 | 4);
	qa_sampler(b, SMP_LINEAR, 1, 1, 0, 0);

	struct qa_vertex v[6];
	float u[16];
	const float white[4] = { 1, 1, 1, 1 };
	qa_begin_render_pass(b, TEX_LAYER, 0, 0, 2, 1, 0, 0, 0, 0, 0, 0, 0);
	qa_handle_cmd(b, QA_SET_RENDER_PIPELINE, PIPE_OFF_ROUNDED);
	qa_pixel_quad(v, 0, 0, QA_W, QA_H, white);
	qa_vertices(b, v, 6);
	const float orange[4] = { 1, 0.5f, 0, 1 };
	qa_rect_uniforms(u, 128, 96, 50, 30, 12, orange, 0, 0, 0);
	qa_fbytes_f32(b, QA_SET_FRAGMENT_BYTES, 0, u, 16);
	qa_draw(b, 0, 0, 6);
	qa_empty_cmd(b, QA_END_RENDER_PASS);

	qa_begin_render_pass(b, TEX_BLURRED, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0);
	qa_handle_cmd(b, QA_SET_RENDER_PIPELINE, PIPE_OFF_BLUR);
	qa_set_slot(b, QA_SET_FRAGMENT_TEXTURE, TEX_LAYER, 0);
	qa_set_slot(b, QA_SET_FRAGMENT_SAMPLER, SMP_LINEAR, 0);
	qa_vertices(b, v, 6);
	{
		float bp[4] = { 1.0f / QA_W, 0, 3.0f, 0 };
		int32_t r = 6;
		memcpy(&bp[3], &r, 4);
		qa_fbytes_f32(b, QA_SET_FRAGMENT_BYTES, 0, bp, 4);
	}
	qa_draw(b, 0, 0, 6);
	qa_empty_cmd(b, QA_END_RENDER_PASS);

	qa_begin_render_pass(b, QA_DRAWABLE, 0, 0, 2, 1, 0, 0, 0.9f, 0.9f, 0.9f, 1, 0);
	qa_handle_cmd(b, QA_SET_RENDER_PIPELINE, PIPE_COMPOSITE);
	qa_set_slot(b, QA_SET_FRAGMENT_TEXTURE, TEX_BLURRED, 0);
	qa_set_slot(b, QA_SET_FRAGMENT_SAMPLER, SMP_LINEAR, 0);
	qa_vertices(b, v, 6);
	qa_draw(b, 0, 0, 6);
	qa_empty_cmd(b, QA_END_RENDER_PASS);
	qa_present(b, 0);
}

/* 3. Stencil clipping: write 1 where a rounded rect covers (discard leaves
 * the stencil alone), then draw a full-screen gradient only where stencil == 1.
 * The writer uses the 12-byte depth-stencil form, the test the 8-byte one. */
static inline void qa_stream_stencil(struct qa_buf *b, const char *src)
{
	qa_setup_library(b, src);
	qa_render_pipeline(b, PIPE_CLIP_WRITE, FN_VERTEX, FN_ROUNDED, 0, 0, 1, 1, 6);
	qa_render_pipeline(b, PIPE_CLIPPED, FN_VERTEX, FN_SOLID, 0, 15, 1, 1, 6);
	qa_texture(b, TEX_STENCIL, QA_W, QA_H, 4, 0, 1, 4);
	qa_depth_stencil12(b, DSS_WRITE, 1, 1, 2, 0, 1, 2, 0);
	qa_depth_stencil8(b, DSS_TEST, 1, 2, 0, 0);

	struct qa_vertex v[6];
	float u[16];
	qa_begin_render_pass(b, QA_DRAWABLE, 0, TEX_STENCIL, 2, 1, 2, 0, 0, 0, 0, 1, 0);
	qa_handle_cmd(b, QA_SET_RENDER_PIPELINE, PIPE_CLIP_WRITE);
	qa_handle_cmd(b, QA_SET_DEPTH_STENCIL_STATE, DSS_WRITE);
	qa_stencil_ref(b, 1);
	qa_pixel_quad(v, 0, 0, QA_W, QA_H, QA_WHITE);
	qa_vertices(b, v, 6);
	qa_rect_uniforms(u, 128, 96, 80, 60, 30, QA_WHITE, 0, 0, 0);
	qa_fbytes_f32(b, QA_SET_FRAGMENT_BYTES, 0, u, 16);
	qa_draw(b, 0, 0, 6);

	qa_handle_cmd(b, QA_SET_RENDER_PIPELINE, PIPE_CLIPPED);
	qa_handle_cmd(b, QA_SET_DEPTH_STENCIL_STATE, DSS_TEST);
	const float yellow[4] = { 1, 1, 0, 1 };
	qa_pixel_quad(v, 0, 0, QA_W, QA_H, yellow);
	qa_vertices(b, v, 6);
	qa_draw(b, 0, 0, 6);
	qa_empty_cmd(b, QA_END_RENDER_PASS);
	qa_present(b, 0);
}

/* 4. 4x MSAA into a multisample texture, resolved to the drawable. */
static inline void qa_stream_msaa(struct qa_buf *b, const char *src)
{
	qa_setup_library(b, src);
	qa_render_pipeline(b, PIPE_MSAA, FN_VERTEX, FN_SOLID, 0, 15, 0, 4, 6);
	qa_texture(b, TEX_MSAA, QA_W, QA_H, 6, 1, 4, 4);
	qa_begin_render_pass(b, TEX_MSAA, QA_DRAWABLE, 0, 2, 2, 0, 0, 0, 0, 0, 1, 0);
	qa_handle_cmd(b, QA_SET_RENDER_PIPELINE, PIPE_MSAA);
	struct qa_vertex t[3] = {
		{ -0.8f, -0.7f, 0, 0, 1, 1, 1, 1 },
		{ 0.9f, -0.2f, 0, 0, 1, 1, 1, 1 },
		{ -0.1f, 0.85f, 0, 0, 1, 1, 1, 1 },
	};
	qa_vertices(b, t, 3);
	qa_draw(b, 0, 0, 3);
	qa_empty_cmd(b, QA_END_RENDER_PASS);
	qa_present(b, 0);
}

/* 5. A compute kernel writes path coverage into an r8 mask; a blit copies a
 * region of it; a render pass shows the mask through the glyph shader. */
static inline void qa_stream_compute(struct qa_buf *b, const char *src)
{
	qa_setup_library(b, src);
	qa_compute_pipeline(b, PIPE_PATH, FN_PATH);
	qa_render_pipeline(b, PIPE_MASK, FN_VERTEX, FN_GLYPH, 1, 15, 0, 1, 6);
	qa_texture(b, TEX_MASK, QA_W, QA_H, 3, 0, 1, 1 | 2);
	qa_texture(b, TEX_MASK_COPY, QA_W, QA_H, 3, 0, 1, 1);

	qa_empty_cmd(b, QA_BEGIN_COMPUTE_PASS);
	qa_handle_cmd(b, QA_SET_COMPUTE_PIPELINE, PIPE_PATH);
	qa_set_slot(b, QA_SET_COMPUTE_TEXTURE, TEX_MASK, 0);
	{
		uint32_t pp[4] = { 3, 0, QA_W, QA_H };
		float width = 6.0f;
		memcpy(&pp[1], &width, 4);
		qa_fbytes_f32(b, QA_SET_COMPUTE_BYTES, 0, (const float *)(const void *)pp, 4);
		/* three segments of a zig-zag path, packed_float3 a, pad, packed_float3 b, pad */
		float segs[24] = {
			20, 170, 0, 0, 90, 30, 0, 0,
			90, 30, 0, 0, 160, 160, 0, 0,
			160, 160, 0, 0, 236, 40, 0, 0,
		};
		qa_fbytes_f32(b, QA_SET_COMPUTE_BYTES, 1, segs, 24);
	}
	/* 256x192 grid in 16x16 groups */
	qa_dispatch(b, QA_W, QA_H, 1, 16, 16, 1);
	qa_empty_cmd(b, QA_END_COMPUTE_PASS);

	qa_empty_cmd(b, QA_BEGIN_BLIT_PASS);
	qa_copy(b, TEX_MASK, TEX_MASK_COPY, 0, 0, QA_W, QA_H, 0, 0);
	qa_empty_cmd(b, QA_END_BLIT_PASS);

	qa_begin_render_pass(b, QA_DRAWABLE, 0, 0, 2, 1, 0, 0, 0, 0, 0.2f, 1, 0);
	qa_handle_cmd(b, QA_SET_RENDER_PIPELINE, PIPE_MASK);
	qa_set_slot(b, QA_SET_FRAGMENT_TEXTURE, TEX_MASK_COPY, 0);
	struct qa_vertex v[6];
	const float cyan[4] = { 0, 1, 1, 1 };
	qa_quad(v, -1, -1, 1, 1, 0, 1, 1, 0, cyan);
	qa_vertices(b, v, 6);
	qa_draw(b, 0, 0, 6);
	qa_empty_cmd(b, QA_END_RENDER_PASS);
	qa_present(b, 0);
}

/* ---- deliberately wrong streams: each breaks one rule at a known command. */

struct qa_bad {
	const char *name;
	const char *rule;      /* expected first finding */
	const char *severity;
	void (*build)(struct qa_buf *b, const char *src, unsigned *bad_cmd);
};

/* A minimal valid prefix: library, solid pipeline, open pass on the drawable. */
static inline void qa_bad_prefix(struct qa_buf *b, const char *src)
{
	qa_setup_library(b, src);
	qa_render_pipeline(b, PIPE_SOLID, FN_VERTEX, FN_SOLID, 0, 15, 0, 1, 6);
	qa_begin_render_pass(b, QA_DRAWABLE, 0, 0, 2, 1, 0, 0, 0, 0, 0, 1, 0);
	qa_handle_cmd(b, QA_SET_RENDER_PIPELINE, PIPE_SOLID);
}
static inline void qa_bad_finish(struct qa_buf *b)
{
	qa_empty_cmd(b, QA_END_RENDER_PASS);
	qa_present(b, 0);
}

static inline void qa_bad_bytes_too_large(struct qa_buf *b, const char *src, unsigned *bad)
{
	qa_bad_prefix(b, src);
	static uint8_t big[4097];
	*bad = b->ncmd;
	qa_set_bytes(b, QA_SET_FRAGMENT_BYTES, 0, big, sizeof big);
	qa_bad_finish(b);
}
static inline void qa_bad_buffer_index(struct qa_buf *b, const char *src, unsigned *bad)
{
	qa_bad_prefix(b, src);
	float f[4] = { 1, 2, 3, 4 };
	*bad = b->ncmd;
	qa_fbytes_f32(b, QA_SET_FRAGMENT_BYTES, 31, f, 4);
	qa_bad_finish(b);
}
static inline void qa_bad_vertex_overrun(struct qa_buf *b, const char *src, unsigned *bad)
{
	qa_bad_prefix(b, src);
	struct qa_vertex v[6];
	qa_pixel_quad(v, 0, 0, 10, 10, QA_WHITE);
	qa_vertices(b, v, 6);
	*bad = b->ncmd;
	qa_draw(b, 0, 3, 6); /* vertices 3..8 of 6 */
	qa_bad_finish(b);
}
static inline void qa_bad_draw_outside(struct qa_buf *b, const char *src, unsigned *bad)
{
	qa_bad_prefix(b, src);
	struct qa_vertex v[6];
	qa_pixel_quad(v, 0, 0, 10, 10, QA_WHITE);
	qa_vertices(b, v, 6);
	qa_empty_cmd(b, QA_END_RENDER_PASS);
	*bad = b->ncmd;
	qa_draw(b, 0, 0, 6);
	qa_present(b, 0);
}
static inline void qa_bad_open_at_present(struct qa_buf *b, const char *src, unsigned *bad)
{
	qa_bad_prefix(b, src);
	*bad = b->ncmd;
	qa_present(b, 0);
	qa_empty_cmd(b, QA_END_RENDER_PASS);
	qa_present(b, 1);
}
static inline void qa_bad_resolve_size(struct qa_buf *b, const char *src, unsigned *bad)
{
	qa_setup_library(b, src);
	qa_texture(b, TEX_MSAA, QA_W, QA_H, 6, 1, 4, 4);
	qa_texture(b, TEX_SMALL, QA_W / 2, QA_H / 2, 6, 0, 1, 4 | 1);
	*bad = b->ncmd;
	qa_begin_render_pass(b, TEX_MSAA, TEX_SMALL, 0, 2, 2, 0, 0, 0, 0, 0, 1, 0);
	qa_empty_cmd(b, QA_END_RENDER_PASS);
	qa_present(b, 0);
}
static inline void qa_bad_stencil_size(struct qa_buf *b, const char *src, unsigned *bad)
{
	qa_setup_library(b, src);
	qa_texture(b, TEX_STENCIL, QA_W / 2, QA_H, 4, 0, 1, 4);
	*bad = b->ncmd;
	qa_begin_render_pass(b, QA_DRAWABLE, 0, TEX_STENCIL, 2, 1, 2, 0, 0, 0, 0, 1, 0);
	qa_empty_cmd(b, QA_END_RENDER_PASS);
	qa_present(b, 0);
}
static inline void qa_bad_resolve_not_msaa(struct qa_buf *b, const char *src, unsigned *bad)
{
	qa_setup_library(b, src);
	qa_texture(b, TEX_LAYER, QA_W, QA_H, 6, 0, 1, 4);
	*bad = b->ncmd;
	qa_begin_render_pass(b, TEX_LAYER, QA_DRAWABLE, 0, 2, 2, 0, 0, 0, 0, 0, 1, 0);
	qa_empty_cmd(b, QA_END_RENDER_PASS);
	qa_present(b, 0);
}
static inline void qa_bad_sampler_repeat(struct qa_buf *b, const char *src, unsigned *bad)
{
	qa_setup_library(b, src);
	*bad = b->ncmd;
	qa_sampler(b, SMP_REPEAT, 1, 1, 1, 2);
	qa_present(b, 0);
}
static inline void qa_bad_texture_huge(struct qa_buf *b, const char *src, unsigned *bad)
{
	qa_setup_library(b, src);
	*bad = b->ncmd;
	qa_texture(b, TEX_LAYER, 16384, 16384, 2, 0, 1, 1);
	qa_present(b, 0);
}
static inline void qa_bad_texture_too_large(struct qa_buf *b, const char *src, unsigned *bad)
{
	qa_setup_library(b, src);
	*bad = b->ncmd;
	qa_texture(b, TEX_LAYER, 16385, 64, 2, 0, 1, 1);
	qa_present(b, 0);
}
static inline void qa_bad_texture_zero(struct qa_buf *b, const char *src, unsigned *bad)
{
	qa_setup_library(b, src);
	*bad = b->ncmd;
	qa_texture(b, TEX_LAYER, 0, 64, 2, 0, 1, 1);
	qa_present(b, 0);
}
static inline void qa_bad_threadgroup(struct qa_buf *b, const char *src, unsigned *bad)
{
	qa_setup_library(b, src);
	qa_compute_pipeline(b, PIPE_PATH, FN_PATH);
	qa_texture(b, TEX_MASK, QA_W, QA_H, 3, 0, 1, 3);
	qa_empty_cmd(b, QA_BEGIN_COMPUTE_PASS);
	qa_handle_cmd(b, QA_SET_COMPUTE_PIPELINE, PIPE_PATH);
	qa_set_slot(b, QA_SET_COMPUTE_TEXTURE, TEX_MASK, 0);
	uint32_t pp[4] = { 0, 0, QA_W, QA_H };
	qa_fbytes_f32(b, QA_SET_COMPUTE_BYTES, 0, (const float *)(const void *)pp, 4);
	qa_fbytes_f32(b, QA_SET_COMPUTE_BYTES, 1, (const float *)(const void *)pp, 4);
	*bad = b->ncmd;
	qa_dispatch(b, 65535, 65535, 1, 32, 32, 2); /* 2048 threads per group */
	qa_empty_cmd(b, QA_END_COMPUTE_PASS);
	qa_present(b, 0);
}
static inline void qa_bad_cursor_too_large(struct qa_buf *b, const char *src, unsigned *bad)
{
	(void)src;
	static uint8_t px[257 * 2 * 4];
	*bad = b->ncmd;
	qa_cursor_image(b, 257, 2, 0, 0, px);
	qa_present(b, 0);
}

/* Metal: a texture copy needs the same pixel format AND sample count. */
static inline void qa_bad_copy_msaa(struct qa_buf *b, const char *src, unsigned *bad)
{
	qa_setup_library(b, src);
	qa_texture(b, TEX_MSAA, 64, 64, 2, 1, 4, 4);
	qa_texture(b, TEX_LAYER, 64, 64, 2, 0, 1, 1);
	qa_empty_cmd(b, QA_BEGIN_BLIT_PASS);
	*bad = b->ncmd;
	qa_copy(b, TEX_MSAA, TEX_LAYER, 0, 0, 32, 32, 0, 0);
	qa_empty_cmd(b, QA_END_BLIT_PASS);
	qa_present(b, 0);
}

/* Metal: every attachment of a pass has the same sample count. */
static inline void qa_bad_stencil_samples(struct qa_buf *b, const char *src, unsigned *bad)
{
	qa_setup_library(b, src);
	qa_texture(b, TEX_MSAA, QA_W, QA_H, 6, 1, 4, 4);
	qa_texture(b, TEX_STENCIL, QA_W, QA_H, 4, 0, 1, 4);
	*bad = b->ncmd;
	qa_begin_render_pass(b, TEX_MSAA, QA_DRAWABLE, TEX_STENCIL, 2, 2, 2, 0, 0, 0, 0, 1, 0);
	qa_empty_cmd(b, QA_END_RENDER_PASS);
	qa_present(b, 0);
}

static const struct qa_bad QA_BAD[] = {
	{ "bad-bytes-too-large", "data.bytes-too-large", "error", qa_bad_bytes_too_large },
	{ "bad-buffer-index", "data.buffer-index", "error", qa_bad_buffer_index },
	{ "bad-vertex-overrun", "draw.vertex-overrun", "error", qa_bad_vertex_overrun },
	{ "bad-draw-outside", "pass.draw-outside", "error", qa_bad_draw_outside },
	{ "bad-open-at-present", "pass.open-at-present", "error", qa_bad_open_at_present },
	{ "bad-resolve-size", "rpass.resolve-size", "error", qa_bad_resolve_size },
	{ "bad-stencil-size", "rpass.stencil-size", "error", qa_bad_stencil_size },
	{ "bad-resolve-not-msaa", "rpass.resolve-not-msaa", "error", qa_bad_resolve_not_msaa },
	{ "bad-sampler-repeat", "sampler.address-mode-differs", "warning", qa_bad_sampler_repeat },
	{ "bad-texture-16384", "texture.host-too-large", "warning", qa_bad_texture_huge },
	{ "bad-texture-16385", "texture.too-large", "error", qa_bad_texture_too_large },
	{ "bad-texture-zero", "texture.size-zero", "error", qa_bad_texture_zero },
	{ "bad-threadgroup", "compute.threadgroup-too-large", "error", qa_bad_threadgroup },
	{ "bad-cursor-too-large", "cursor.too-large", "error", qa_bad_cursor_too_large },
	{ "bad-copy-sample-count", "copy.format-mismatch", "error", qa_bad_copy_msaa },
	{ "bad-stencil-sample-count", "rpass.stencil-sample-count", "error", qa_bad_stencil_samples },
};
#define QA_BAD_COUNT (sizeof QA_BAD / sizeof QA_BAD[0])

struct qa_good {
	const char *name;
	void (*build)(struct qa_buf *b, const char *src);
};
static const struct qa_good QA_GOOD[] = {
	{ "ui-frame", qa_stream_ui },
	{ "blur-composite", qa_stream_blur },
	{ "stencil-clip", qa_stream_stencil },
	{ "msaa-resolve", qa_stream_msaa },
	{ "compute-path", qa_stream_compute },
};
#define QA_GOOD_COUNT (sizeof QA_GOOD / sizeof QA_GOOD[0])

#endif
