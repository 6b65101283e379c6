/*
 * tests/qa/qa_wire.h — an independent writer of Metal wire commands.
 *
 * Written from DESIGN §3's byte layout only, deliberately NOT using
 * mtlproto's encoder or wire.h, so a layout mistake shared by the project's
 * encoder and decoder cannot hide: the QA streams are bytes a guest driver
 * written from the spec would send.
 *
 * Every command also appends an "expectation" (method + the field values in
 * the order DESIGN §3 lists them) so a test can check that each field
 * decodes to exactly what was written.
 */
#ifndef QA_WIRE_H
#define QA_WIRE_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define QA_MAX_FIELDS 16
#define QA_MAX_CMDS 512

struct qa_expect {
	uint16_t method;
	size_t offset;             /* of the header */
	unsigned nfields;
	double field[QA_MAX_FIELDS];
	const uint8_t *tail;       /* variable bytes (source, name, pixels, inline data) */
	size_t tail_len;
	size_t tail_off;           /* offset of the tail in the buffer (tail pointer is refreshed lazily) */
};

struct qa_buf {
	uint8_t *p;
	size_t len, cap;
	size_t hdr;                /* offset of the open command's header */
	struct qa_expect cmd[QA_MAX_CMDS];
	unsigned ncmd;
	int oom;
};

static inline void qa_reserve(struct qa_buf *b, size_t n)
{
	if (b->len + n <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 4096;
	while (cap < b->len + n)
		cap *= 2;
	uint8_t *p = realloc(b->p, cap);
	if (!p) {
		b->oom = 1;
		abort();
	}
	b->p = p;
	b->cap = cap;
}

static inline void qa_u8(struct qa_buf *b, unsigned v)
{
	qa_reserve(b, 1);
	b->p[b->len++] = (uint8_t)v;
}
static inline void qa_u16(struct qa_buf *b, unsigned v)
{
	qa_u8(b, v & 0xFF);
	qa_u8(b, (v >> 8) & 0xFF);
}
static inline void qa_u32(struct qa_buf *b, uint32_t v)
{
	qa_u16(b, v & 0xFFFF);
	qa_u16(b, v >> 16);
}
static inline void qa_f32(struct qa_buf *b, float f)
{
	uint32_t v;
	memcpy(&v, &f, 4);
	qa_u32(b, v);
}
static inline void qa_bytes(struct qa_buf *b, const void *p, size_t n)
{
	qa_reserve(b, n);
	if (n)
		memcpy(b->p + b->len, p, n);
	b->len += n;
}

/* Header with payload_size patched by qa_end(). */
static inline struct qa_expect *qa_begin(struct qa_buf *b, uint16_t method)
{
	b->hdr = b->len;
	qa_u16(b, method);
	qa_u16(b, 0);
	qa_u32(b, 0);
	struct qa_expect *e = &b->cmd[b->ncmd < QA_MAX_CMDS ? b->ncmd++ : QA_MAX_CMDS - 1];
	memset(e, 0, sizeof *e);
	e->method = method;
	e->offset = b->hdr;
	return e;
}
static inline void qa_end(struct qa_buf *b)
{
	uint32_t n = (uint32_t)(b->len - b->hdr - 8);
	b->p[b->hdr + 4] = (uint8_t)n;
	b->p[b->hdr + 5] = (uint8_t)(n >> 8);
	b->p[b->hdr + 6] = (uint8_t)(n >> 16);
	b->p[b->hdr + 7] = (uint8_t)(n >> 24);
}
static inline void qa_field(struct qa_expect *e, double v)
{
	if (e->nfields < QA_MAX_FIELDS)
		e->field[e->nfields++] = v;
}
static inline void qa_tail(struct qa_buf *b, struct qa_expect *e, const void *p, size_t n)
{
	e->tail_off = b->len;
	e->tail_len = n;
	qa_bytes(b, p, n);
}

/* Method numbers, from DESIGN §3's table (not wire.h). */
enum {
	QA_COMPILE_LIBRARY = 0x0001, QA_GET_FUNCTION = 0x0002,
	QA_CREATE_RENDER_PIPELINE = 0x0010, QA_CREATE_COMPUTE_PIPELINE = 0x0011,
	QA_CREATE_DEPTH_STENCIL_STATE = 0x0012, QA_CREATE_SAMPLER = 0x0013,
	QA_CREATE_TEXTURE = 0x0020, QA_UPLOAD_TEXTURE = 0x0021, QA_BIND_HOST_TEXTURE = 0x0022,
	QA_DESTROY_OBJECT = 0x00FF,
	QA_BEGIN_RENDER_PASS = 0x0100, QA_END_RENDER_PASS = 0x0101,
	QA_SET_RENDER_PIPELINE = 0x0110, QA_SET_DEPTH_STENCIL_STATE = 0x0111,
	QA_SET_STENCIL_REF = 0x0112, QA_SET_SCISSOR = 0x0113,
	QA_SET_VERTEX_BYTES = 0x0120, QA_SET_FRAGMENT_TEXTURE = 0x0121,
	QA_SET_FRAGMENT_SAMPLER = 0x0122, QA_SET_FRAGMENT_BYTES = 0x0123,
	QA_DRAW_PRIMITIVES = 0x0130,
	QA_BEGIN_COMPUTE_PASS = 0x0200, QA_END_COMPUTE_PASS = 0x0201,
	QA_SET_COMPUTE_PIPELINE = 0x0210, QA_SET_COMPUTE_TEXTURE = 0x0211,
	QA_SET_COMPUTE_BYTES = 0x0212, QA_DISPATCH_THREADS = 0x0220,
	QA_BEGIN_BLIT_PASS = 0x0300, QA_END_BLIT_PASS = 0x0301, QA_COPY_TEXTURE_REGION = 0x0310,
	QA_PRESENT_AND_COMMIT = 0x0F00, QA_SET_CURSOR_IMAGE = 0x0F10,
	QA_SET_CURSOR_POSITION = 0x0F11, QA_SET_CURSOR_VISIBLE = 0x0F12,
	QA_SET_CURSOR_FROM_TEXTURE = 0x0F13
};
#define QA_DRAWABLE 0xFFFFFFFFu

static inline void qa_compile_library(struct qa_buf *b, uint32_t lib, const char *src)
{
	struct qa_expect *e = qa_begin(b, QA_COMPILE_LIBRARY);
	size_t n = strlen(src);
	qa_u32(b, lib); qa_u32(b, (uint32_t)n);
	qa_field(e, lib); qa_field(e, (double)n);
	qa_tail(b, e, src, n);
	qa_end(b);
}
static inline void qa_get_function(struct qa_buf *b, uint32_t fn, uint32_t lib, const char *name)
{
	struct qa_expect *e = qa_begin(b, QA_GET_FUNCTION);
	size_t n = strlen(name);
	qa_u32(b, fn); qa_u32(b, lib); qa_u32(b, (uint32_t)n);
	qa_field(e, fn); qa_field(e, lib); qa_field(e, (double)n);
	qa_tail(b, e, name, n);
	qa_end(b);
}
static inline void qa_render_pipeline(struct qa_buf *b, uint32_t pipe, uint32_t vfn, uint32_t ffn,
				      unsigned blend, unsigned mask, unsigned stencil_fmt,
				      unsigned samples, unsigned fmt)
{
	struct qa_expect *e = qa_begin(b, QA_CREATE_RENDER_PIPELINE);
	qa_u32(b, pipe); qa_u32(b, vfn); qa_u32(b, ffn);
	qa_u8(b, blend); qa_u8(b, mask); qa_u8(b, stencil_fmt); qa_u8(b, samples); qa_u8(b, fmt);
	double f[] = { pipe, vfn, ffn, blend, mask, stencil_fmt, samples, fmt };
	for (unsigned i = 0; i < 8; i++)
		qa_field(e, f[i]);
	qa_end(b);
}
static inline void qa_compute_pipeline(struct qa_buf *b, uint32_t pipe, uint32_t fn)
{
	struct qa_expect *e = qa_begin(b, QA_CREATE_COMPUTE_PIPELINE);
	qa_u32(b, pipe); qa_u32(b, fn);
	qa_field(e, pipe); qa_field(e, fn);
	qa_end(b);
}
/* 8-byte form: front ops for both faces. */
static inline void qa_depth_stencil8(struct qa_buf *b, uint32_t st, unsigned en, unsigned cmp,
				     unsigned pass, unsigned fail)
{
	struct qa_expect *e = qa_begin(b, QA_CREATE_DEPTH_STENCIL_STATE);
	qa_u32(b, st); qa_u8(b, en); qa_u8(b, cmp); qa_u8(b, pass); qa_u8(b, fail);
	double f[] = { st, en, cmp, pass, fail, cmp, pass, fail };
	for (unsigned i = 0; i < 8; i++)
		qa_field(e, f[i]);
	qa_end(b);
}
/* 12-byte form: bytes 8, 9, 10 = back compare, pass, fail; byte 11 pad. */
static inline void qa_depth_stencil12(struct qa_buf *b, uint32_t st, unsigned en, unsigned cmp,
				      unsigned pass, unsigned fail, unsigned bcmp, unsigned bpass,
				      unsigned bfail)
{
	struct qa_expect *e = qa_begin(b, QA_CREATE_DEPTH_STENCIL_STATE);
	qa_u32(b, st); qa_u8(b, en); qa_u8(b, cmp); qa_u8(b, pass); qa_u8(b, fail);
	qa_u8(b, bcmp); qa_u8(b, bpass); qa_u8(b, bfail); qa_u8(b, 0);
	double f[] = { st, en, cmp, pass, fail, bcmp, bpass, bfail };
	for (unsigned i = 0; i < 8; i++)
		qa_field(e, f[i]);
	qa_end(b);
}
static inline void qa_sampler(struct qa_buf *b, uint32_t s, unsigned min, unsigned mag,
			      unsigned sm, unsigned tm)
{
	struct qa_expect *e = qa_begin(b, QA_CREATE_SAMPLER);
	qa_u32(b, s); qa_u8(b, min); qa_u8(b, mag); qa_u8(b, sm); qa_u8(b, tm);
	double f[] = { s, min, mag, sm, tm };
	for (unsigned i = 0; i < 5; i++)
		qa_field(e, f[i]);
	qa_end(b);
}
static inline void qa_texture(struct qa_buf *b, uint32_t t, unsigned w, unsigned h, unsigned fmt,
			      unsigned type, unsigned samples, unsigned usage)
{
	struct qa_expect *e = qa_begin(b, QA_CREATE_TEXTURE);
	qa_u32(b, t); qa_u16(b, w); qa_u16(b, h);
	qa_u8(b, fmt); qa_u8(b, type); qa_u8(b, samples); qa_u8(b, usage);
	double f[] = { t, w, h, fmt, type, samples, usage };
	for (unsigned i = 0; i < 7; i++)
		qa_field(e, f[i]);
	qa_end(b);
}
static inline void qa_upload(struct qa_buf *b, uint32_t t, unsigned x, unsigned y, unsigned w,
			     unsigned h, uint32_t bpr, const void *px, size_t n)
{
	struct qa_expect *e = qa_begin(b, QA_UPLOAD_TEXTURE);
	qa_u32(b, t); qa_u16(b, x); qa_u16(b, y); qa_u16(b, w); qa_u16(b, h); qa_u32(b, bpr);
	double f[] = { t, x, y, w, h, bpr };
	for (unsigned i = 0; i < 6; i++)
		qa_field(e, f[i]);
	qa_tail(b, e, px, n);
	qa_end(b);
}
static inline void qa_handle_cmd(struct qa_buf *b, uint16_t method, uint32_t h)
{
	struct qa_expect *e = qa_begin(b, method);
	qa_u32(b, h);
	qa_field(e, h);
	qa_end(b);
}
static inline void qa_empty_cmd(struct qa_buf *b, uint16_t method)
{
	qa_begin(b, method);
	qa_end(b);
}
/* 32-byte form (alpha given) or, with short_form, the 28-byte form (alpha = 1). */
static inline void qa_begin_render_pass(struct qa_buf *b, uint32_t color, uint32_t resolve,
					uint32_t stencil, unsigned load, unsigned store,
					unsigned sload, unsigned sstore, float r, float g, float bl,
					float a, int short_form)
{
	struct qa_expect *e = qa_begin(b, QA_BEGIN_RENDER_PASS);
	qa_u32(b, color); qa_u32(b, resolve); qa_u32(b, stencil);
	qa_u8(b, load); qa_u8(b, store); qa_u8(b, sload); qa_u8(b, sstore);
	qa_f32(b, r); qa_f32(b, g); qa_f32(b, bl);
	if (!short_form)
		qa_f32(b, a);
	double f[] = { color, resolve, stencil, load, store, sload, sstore, r, g, bl,
		       short_form ? 1.0 : a };
	for (unsigned i = 0; i < 11; i++)
		qa_field(e, f[i]);
	qa_end(b);
}
static inline void qa_stencil_ref(struct qa_buf *b, uint32_t v) { qa_handle_cmd(b, QA_SET_STENCIL_REF, v); }
static inline void qa_scissor(struct qa_buf *b, unsigned x, unsigned y, unsigned w, unsigned h)
{
	struct qa_expect *e = qa_begin(b, QA_SET_SCISSOR);
	qa_u16(b, x); qa_u16(b, y); qa_u16(b, w); qa_u16(b, h);
	qa_field(e, x); qa_field(e, y); qa_field(e, w); qa_field(e, h);
	qa_end(b);
}
/* SET_VERTEX_BYTES / SET_FRAGMENT_BYTES / SET_COMPUTE_BYTES. */
static inline void qa_set_bytes(struct qa_buf *b, uint16_t method, unsigned index, const void *p,
				size_t n)
{
	struct qa_expect *e = qa_begin(b, method);
	qa_u8(b, index); qa_u8(b, 0); qa_u16(b, 0); qa_u32(b, (uint32_t)n);
	qa_field(e, index); qa_field(e, (double)n);
	qa_tail(b, e, p, n);
	qa_end(b);
}
/* SET_FRAGMENT_TEXTURE / SET_FRAGMENT_SAMPLER / SET_COMPUTE_TEXTURE. */
static inline void qa_set_slot(struct qa_buf *b, uint16_t method, uint32_t h, unsigned index)
{
	struct qa_expect *e = qa_begin(b, method);
	qa_u32(b, h); qa_u8(b, index); qa_u8(b, 0); qa_u16(b, 0);
	qa_field(e, h); qa_field(e, index);
	qa_end(b);
}
static inline void qa_draw(struct qa_buf *b, unsigned prim, uint32_t start, uint32_t count)
{
	struct qa_expect *e = qa_begin(b, QA_DRAW_PRIMITIVES);
	qa_u8(b, prim); qa_u8(b, 0); qa_u16(b, 0); qa_u32(b, start); qa_u32(b, count);
	qa_field(e, prim); qa_field(e, start); qa_field(e, count);
	qa_end(b);
}
static inline void qa_dispatch(struct qa_buf *b, unsigned gx, unsigned gy, unsigned gz,
			       unsigned tx, unsigned ty, unsigned tz)
{
	struct qa_expect *e = qa_begin(b, QA_DISPATCH_THREADS);
	qa_u16(b, gx); qa_u16(b, gy); qa_u16(b, gz); qa_u16(b, tx); qa_u16(b, ty); qa_u16(b, tz);
	double f[] = { gx, gy, gz, tx, ty, tz };
	for (unsigned i = 0; i < 6; i++)
		qa_field(e, f[i]);
	qa_end(b);
}
static inline void qa_copy(struct qa_buf *b, uint32_t src, uint32_t dst, unsigned sx, unsigned sy,
			   unsigned w, unsigned h, unsigned dx, unsigned dy)
{
	struct qa_expect *e = qa_begin(b, QA_COPY_TEXTURE_REGION);
	qa_u32(b, src); qa_u32(b, dst);
	qa_u16(b, sx); qa_u16(b, sy); qa_u16(b, w); qa_u16(b, h); qa_u16(b, dx); qa_u16(b, dy);
	qa_u16(b, 0); qa_u16(b, 0);
	double f[] = { src, dst, sx, sy, w, h, dx, dy };
	for (unsigned i = 0; i < 8; i++)
		qa_field(e, f[i]);
	qa_end(b);
}
static inline void qa_present(struct qa_buf *b, uint32_t frame_id) { qa_handle_cmd(b, QA_PRESENT_AND_COMMIT, frame_id); }
static inline void qa_cursor_image(struct qa_buf *b, unsigned w, unsigned h, int hx, int hy,
				   const void *bgra)
{
	struct qa_expect *e = qa_begin(b, QA_SET_CURSOR_IMAGE);
	qa_u16(b, w); qa_u16(b, h); qa_u16(b, (uint16_t)(int16_t)hx); qa_u16(b, (uint16_t)(int16_t)hy);
	qa_field(e, w); qa_field(e, h); qa_field(e, hx); qa_field(e, hy);
	qa_tail(b, e, bgra, (size_t)w * h * 4);
	qa_end(b);
}
static inline void qa_cursor_position(struct qa_buf *b, float x, float y)
{
	struct qa_expect *e = qa_begin(b, QA_SET_CURSOR_POSITION);
	qa_f32(b, x); qa_f32(b, y);
	qa_field(e, x); qa_field(e, y);
	qa_end(b);
}
static inline void qa_cursor_visible(struct qa_buf *b, unsigned v)
{
	struct qa_expect *e = qa_begin(b, QA_SET_CURSOR_VISIBLE);
	qa_u8(b, v);
	qa_field(e, v);
	qa_end(b);
}
static inline void qa_cursor_from_texture(struct qa_buf *b, uint32_t t, unsigned w, unsigned h,
					  int hx, int hy)
{
	struct qa_expect *e = qa_begin(b, QA_SET_CURSOR_FROM_TEXTURE);
	qa_u32(b, t); qa_u16(b, w); qa_u16(b, h);
	qa_u16(b, (uint16_t)(int16_t)hx); qa_u16(b, (uint16_t)(int16_t)hy);
	qa_field(e, t); qa_field(e, w); qa_field(e, h); qa_field(e, hx); qa_field(e, hy);
	qa_end(b);
}

/* One vertex of the fixed layout: float2 position, float2 texCoord, float4 color. */
struct qa_vertex { float x, y, u, v, r, g, b, a; };

/* A quad as two triangles (6 vertices) in NDC, y up. */
static inline void qa_quad(struct qa_vertex *out, float x0, float y0, float x1, float y1,
			   float u0, float v0, float u1, float v1, const float rgba[4])
{
	const float xs[6] = { x0, x1, x0, x1, x1, x0 };
	const float ys[6] = { y0, y0, y1, y0, y1, y1 };
	const float us[6] = { u0, u1, u0, u1, u1, u0 };
	const float vs[6] = { v0, v0, v1, v0, v1, v1 };
	for (int i = 0; i < 6; i++) {
		struct qa_vertex q = { xs[i], ys[i], us[i], vs[i], rgba[0], rgba[1], rgba[2], rgba[3] };
		out[i] = q;
	}
}

#endif
