/*
 * encode.c — the freestanding command encoder (see mtlproto/encode.h).
 *
 * Freestanding on purpose: guests in examples/ compile this file with
 * -ffreestanding -nostdlib, so it uses nothing but memcpy/memset (as
 * compiler builtins, which may lower to calls the guest provides). The
 * check target in mk/codec.mk proves no other symbol leaks in.
 *
 * Every command is written in two steps: mtl_enc_begin() reserves header
 * plus payload (or sets the sticky overflow flag and writes nothing), then
 * the caller fills the payload. Reserving first means a command that does
 * not fit never leaves half a command behind.
 */
#include "mtlproto/encode.h"
#include "mtlproto/decode.h" /* struct mtl_cmd, for mtl_enc_command (header only) */

#define enc_memcpy(d, s, n) __builtin_memcpy((d), (s), (n))
#define enc_memset(d, v, n) __builtin_memset((d), (v), (n))

void mtl_enc_init(struct mtl_encoder *e, void *buf, size_t cap)
{
	e->buf = (uint8_t *)buf;
	e->cap = buf ? cap : 0;
	e->len = 0;
	e->overflow = 0;
}

/*
 * Reserve a command with a fixed payload prefix of `prefix` bytes and a
 * variable tail of `tail` bytes; write the header and return a pointer to
 * the payload, or NULL (overflow flag set) when it does not fit or the
 * payload size does not fit the u32 field.
 */
static uint8_t *enc_begin(struct mtl_encoder *e, uint16_t method, uint16_t flags,
			  uint32_t prefix, uint32_t tail)
{
	if (e->overflow)
		return 0;
	if (tail > 0xFFFFFFFFu - prefix) {
		e->overflow = 1;
		return 0;
	}
	uint32_t payload_size = prefix + tail;
	size_t room = e->cap - e->len;
	if (room < MTL_HEADER_SIZE || room - MTL_HEADER_SIZE < payload_size) {
		e->overflow = 1;
		return 0;
	}
	uint8_t *h = e->buf + e->len;
	mtl_wr16(h, method);
	mtl_wr16(h + 2, flags);
	mtl_wr32(h + 4, payload_size);
	return h + MTL_HEADER_SIZE;
}

/* Commit the command reserved by enc_begin and return its total size. */
static size_t enc_end(struct mtl_encoder *e, uint32_t payload_size)
{
	size_t n = MTL_HEADER_SIZE + (size_t)payload_size;
	e->len += n;
	return n;
}

static void wr_f32(uint8_t *p, float f)
{
	uint32_t v;
	enc_memcpy(&v, &f, sizeof v);
	mtl_wr32(p, v);
}

/* Copy a variable tail; a NULL source with a non-zero length writes zeros
 * so a caller can reserve space and fill it in later. */
static void wr_tail(uint8_t *p, const void *src, uint32_t len)
{
	if (!len)
		return;
	if (src)
		enc_memcpy(p, src, len);
	else
		enc_memset(p, 0, len);
}

size_t mtl_enc_raw(struct mtl_encoder *e, uint16_t method, uint16_t flags,
		   const void *payload, uint32_t payload_size)
{
	uint8_t *p = enc_begin(e, method, flags, 0, payload_size);
	if (!p)
		return 0;
	wr_tail(p, payload, payload_size);
	return enc_end(e, payload_size);
}

/* Commands with no payload. */
static size_t enc_empty(struct mtl_encoder *e, uint16_t method)
{
	if (!enc_begin(e, method, 0, 0, 0))
		return 0;
	return enc_end(e, 0);
}

/* Commands whose payload is one u32. */
static size_t enc_u32(struct mtl_encoder *e, uint16_t method, uint32_t v)
{
	uint8_t *p = enc_begin(e, method, 0, 4, 0);
	if (!p)
		return 0;
	mtl_wr32(p, v);
	return enc_end(e, 4);
}

/* SET_VERTEX/FRAGMENT/COMPUTE_BYTES: u8 index, u8 pad, u16 pad, u32 len, bytes. */
static size_t enc_set_bytes(struct mtl_encoder *e, uint16_t method, uint8_t index,
			    const void *data, uint32_t len)
{
	uint8_t *p = enc_begin(e, method, 0, MTL_SIZE_SET_BYTES_MIN, len);
	if (!p)
		return 0;
	p[0] = index;
	p[1] = 0;
	mtl_wr16(p + 2, 0);
	mtl_wr32(p + 4, len);
	wr_tail(p + 8, data, len);
	return enc_end(e, MTL_SIZE_SET_BYTES_MIN + len);
}

/* SET_FRAGMENT_TEXTURE/SAMPLER, SET_COMPUTE_TEXTURE: u32 handle, u8 index, pad. */
static size_t enc_handle_index(struct mtl_encoder *e, uint16_t method, uint32_t handle, uint8_t index)
{
	uint8_t *p = enc_begin(e, method, 0, 8, 0);
	if (!p)
		return 0;
	mtl_wr32(p, handle);
	p[4] = index;
	p[5] = 0;
	mtl_wr16(p + 6, 0);
	return enc_end(e, 8);
}

size_t mtl_enc_compile_library(struct mtl_encoder *e, uint32_t lib, const char *src, uint32_t len)
{
	uint8_t *p = enc_begin(e, MTL_CMD_COMPILE_LIBRARY, 0, MTL_SIZE_COMPILE_LIBRARY_MIN, len);
	if (!p)
		return 0;
	mtl_wr32(p, lib);
	mtl_wr32(p + 4, len);
	wr_tail(p + 8, src, len);
	return enc_end(e, MTL_SIZE_COMPILE_LIBRARY_MIN + len);
}

size_t mtl_enc_get_function(struct mtl_encoder *e, uint32_t fn, uint32_t lib, const char *name, uint32_t len)
{
	uint8_t *p = enc_begin(e, MTL_CMD_GET_FUNCTION, 0, MTL_SIZE_GET_FUNCTION_MIN, len);
	if (!p)
		return 0;
	mtl_wr32(p, fn);
	mtl_wr32(p + 4, lib);
	mtl_wr32(p + 8, len);
	wr_tail(p + 12, name, len);
	return enc_end(e, MTL_SIZE_GET_FUNCTION_MIN + len);
}

size_t mtl_enc_create_render_pipeline(struct mtl_encoder *e, uint32_t pipe, uint32_t vertex_fn,
				      uint32_t fragment_fn, uint8_t blend, uint8_t write_mask,
				      uint8_t stencil_format, uint8_t sample_count, uint8_t pixel_format)
{
	uint8_t *p = enc_begin(e, MTL_CMD_CREATE_RENDER_PIPELINE, 0, MTL_SIZE_CREATE_RENDER_PIPELINE, 0);
	if (!p)
		return 0;
	mtl_wr32(p, pipe);
	mtl_wr32(p + 4, vertex_fn);
	mtl_wr32(p + 8, fragment_fn);
	p[12] = blend;
	p[13] = write_mask;
	p[14] = stencil_format;
	p[15] = sample_count;
	p[16] = pixel_format;
	return enc_end(e, MTL_SIZE_CREATE_RENDER_PIPELINE);
}

size_t mtl_enc_create_compute_pipeline(struct mtl_encoder *e, uint32_t pipe, uint32_t fn)
{
	uint8_t *p = enc_begin(e, MTL_CMD_CREATE_COMPUTE_PIPELINE, 0, MTL_SIZE_CREATE_COMPUTE_PIPELINE, 0);
	if (!p)
		return 0;
	mtl_wr32(p, pipe);
	mtl_wr32(p + 4, fn);
	return enc_end(e, MTL_SIZE_CREATE_COMPUTE_PIPELINE);
}

/* Both forms of CREATE_DEPTH_STENCIL_STATE share the first 8 bytes. */
static uint8_t *enc_depth_stencil_prefix(struct mtl_encoder *e, uint32_t size, uint32_t state,
					 uint8_t stencil_enabled, uint8_t compare, uint8_t pass_op,
					 uint8_t fail_op)
{
	uint8_t *p = enc_begin(e, MTL_CMD_CREATE_DEPTH_STENCIL_STATE, 0, size, 0);
	if (!p)
		return 0;
	mtl_wr32(p, state);
	p[4] = stencil_enabled;
	p[5] = compare;
	p[6] = pass_op;
	p[7] = fail_op;
	return p;
}

size_t mtl_enc_create_depth_stencil_state(struct mtl_encoder *e, uint32_t state, uint8_t stencil_enabled,
					  uint8_t compare, uint8_t pass_op, uint8_t fail_op)
{
	if (!enc_depth_stencil_prefix(e, MTL_SIZE_CREATE_DEPTH_STENCIL_STATE, state, stencil_enabled, compare,
				      pass_op, fail_op))
		return 0;
	return enc_end(e, MTL_SIZE_CREATE_DEPTH_STENCIL_STATE);
}

size_t mtl_enc_create_depth_stencil_state2(struct mtl_encoder *e, uint32_t state, uint8_t stencil_enabled,
					   uint8_t compare, uint8_t pass_op, uint8_t fail_op,
					   uint8_t back_compare, uint8_t back_pass_op, uint8_t back_fail_op)
{
	uint8_t *p = enc_depth_stencil_prefix(e, MTL_SIZE_CREATE_DEPTH_STENCIL_STATE_LONG, state, stencil_enabled,
					      compare, pass_op, fail_op);
	if (!p)
		return 0;
	p[8] = back_compare;
	p[9] = back_pass_op;
	p[10] = back_fail_op;
	p[11] = 0;
	return enc_end(e, MTL_SIZE_CREATE_DEPTH_STENCIL_STATE_LONG);
}

size_t mtl_enc_create_sampler(struct mtl_encoder *e, uint32_t sampler, uint8_t min, uint8_t mag,
			      uint8_t s_mode, uint8_t t_mode)
{
	uint8_t *p = enc_begin(e, MTL_CMD_CREATE_SAMPLER, 0, MTL_SIZE_CREATE_SAMPLER, 0);
	if (!p)
		return 0;
	mtl_wr32(p, sampler);
	p[4] = min;
	p[5] = mag;
	p[6] = s_mode;
	p[7] = t_mode;
	return enc_end(e, MTL_SIZE_CREATE_SAMPLER);
}

size_t mtl_enc_create_texture(struct mtl_encoder *e, uint32_t tex, uint16_t w, uint16_t h,
			      uint8_t pixel_format, uint8_t type, uint8_t sample_count, uint8_t usage)
{
	uint8_t *p = enc_begin(e, MTL_CMD_CREATE_TEXTURE, 0, MTL_SIZE_CREATE_TEXTURE, 0);
	if (!p)
		return 0;
	mtl_wr32(p, tex);
	mtl_wr16(p + 4, w);
	mtl_wr16(p + 6, h);
	p[8] = pixel_format;
	p[9] = type;
	p[10] = sample_count;
	p[11] = usage;
	return enc_end(e, MTL_SIZE_CREATE_TEXTURE);
}

size_t mtl_enc_upload_texture(struct mtl_encoder *e, uint32_t tex, uint16_t x, uint16_t y, uint16_t w,
			      uint16_t h, uint32_t bytes_per_row, const void *pixels, uint32_t pixels_len)
{
	uint8_t *p = enc_begin(e, MTL_CMD_UPLOAD_TEXTURE, 0, MTL_SIZE_UPLOAD_TEXTURE_MIN, pixels_len);
	if (!p)
		return 0;
	mtl_wr32(p, tex);
	mtl_wr16(p + 4, x);
	mtl_wr16(p + 6, y);
	mtl_wr16(p + 8, w);
	mtl_wr16(p + 10, h);
	mtl_wr32(p + 12, bytes_per_row);
	wr_tail(p + 16, pixels, pixels_len);
	return enc_end(e, MTL_SIZE_UPLOAD_TEXTURE_MIN + pixels_len);
}

size_t mtl_enc_bind_host_texture(struct mtl_encoder *e, uint32_t guest_tex, uint32_t host_handle)
{
	uint8_t *p = enc_begin(e, MTL_CMD_BIND_HOST_TEXTURE, 0, MTL_SIZE_BIND_HOST_TEXTURE, 0);
	if (!p)
		return 0;
	mtl_wr32(p, guest_tex);
	mtl_wr32(p + 4, host_handle);
	return enc_end(e, MTL_SIZE_BIND_HOST_TEXTURE);
}

size_t mtl_enc_destroy_object(struct mtl_encoder *e, uint32_t handle)
{
	return enc_u32(e, MTL_CMD_DESTROY_OBJECT, handle);
}

/* Both forms of BEGIN_RENDER_PASS share the first 28 bytes. */
static uint8_t *enc_pass_prefix(struct mtl_encoder *e, uint32_t size, uint32_t color, uint32_t resolve,
				uint32_t stencil, uint8_t load, uint8_t store, uint8_t stencil_load,
				uint8_t stencil_store, float r, float g, float b)
{
	uint8_t *p = enc_begin(e, MTL_CMD_BEGIN_RENDER_PASS, 0, size, 0);
	if (!p)
		return 0;
	mtl_wr32(p, color);
	mtl_wr32(p + 4, resolve);
	mtl_wr32(p + 8, stencil);
	p[12] = load;
	p[13] = store;
	p[14] = stencil_load;
	p[15] = stencil_store;
	wr_f32(p + 16, r);
	wr_f32(p + 20, g);
	wr_f32(p + 24, b);
	return p;
}

size_t mtl_enc_begin_render_pass(struct mtl_encoder *e, uint32_t color, uint32_t resolve, uint32_t stencil,
				 uint8_t load, uint8_t store, uint8_t stencil_load, uint8_t stencil_store,
				 float r, float g, float b, float a)
{
	uint8_t *p = enc_pass_prefix(e, MTL_SIZE_BEGIN_RENDER_PASS, color, resolve, stencil, load, store,
				     stencil_load, stencil_store, r, g, b);
	if (!p)
		return 0;
	wr_f32(p + 28, a);
	return enc_end(e, MTL_SIZE_BEGIN_RENDER_PASS);
}

size_t mtl_enc_begin_render_pass_short(struct mtl_encoder *e, uint32_t color, uint32_t resolve,
				       uint32_t stencil, uint8_t load, uint8_t store, uint8_t stencil_load,
				       uint8_t stencil_store, float r, float g, float b)
{
	if (!enc_pass_prefix(e, MTL_SIZE_BEGIN_RENDER_PASS_SHORT, color, resolve, stencil, load, store,
			     stencil_load, stencil_store, r, g, b))
		return 0;
	return enc_end(e, MTL_SIZE_BEGIN_RENDER_PASS_SHORT);
}

size_t mtl_enc_end_render_pass(struct mtl_encoder *e) { return enc_empty(e, MTL_CMD_END_RENDER_PASS); }

size_t mtl_enc_set_render_pipeline(struct mtl_encoder *e, uint32_t pipe)
{
	return enc_u32(e, MTL_CMD_SET_RENDER_PIPELINE, pipe);
}

size_t mtl_enc_set_depth_stencil_state(struct mtl_encoder *e, uint32_t state)
{
	return enc_u32(e, MTL_CMD_SET_DEPTH_STENCIL_STATE, state);
}

size_t mtl_enc_set_stencil_ref(struct mtl_encoder *e, uint32_t value)
{
	return enc_u32(e, MTL_CMD_SET_STENCIL_REF, value);
}

size_t mtl_enc_set_scissor(struct mtl_encoder *e, uint16_t x, uint16_t y, uint16_t w, uint16_t h)
{
	uint8_t *p = enc_begin(e, MTL_CMD_SET_SCISSOR, 0, MTL_SIZE_SET_SCISSOR, 0);
	if (!p)
		return 0;
	mtl_wr16(p, x);
	mtl_wr16(p + 2, y);
	mtl_wr16(p + 4, w);
	mtl_wr16(p + 6, h);
	return enc_end(e, MTL_SIZE_SET_SCISSOR);
}

size_t mtl_enc_set_vertex_bytes(struct mtl_encoder *e, uint8_t index, const void *data, uint32_t len)
{
	return enc_set_bytes(e, MTL_CMD_SET_VERTEX_BYTES, index, data, len);
}

size_t mtl_enc_set_fragment_texture(struct mtl_encoder *e, uint32_t tex, uint8_t index)
{
	return enc_handle_index(e, MTL_CMD_SET_FRAGMENT_TEXTURE, tex, index);
}

size_t mtl_enc_set_fragment_sampler(struct mtl_encoder *e, uint32_t sampler, uint8_t index)
{
	return enc_handle_index(e, MTL_CMD_SET_FRAGMENT_SAMPLER, sampler, index);
}

size_t mtl_enc_set_fragment_bytes(struct mtl_encoder *e, uint8_t index, const void *data, uint32_t len)
{
	return enc_set_bytes(e, MTL_CMD_SET_FRAGMENT_BYTES, index, data, len);
}

size_t mtl_enc_draw_primitives(struct mtl_encoder *e, uint8_t primitive, uint32_t start, uint32_t count)
{
	uint8_t *p = enc_begin(e, MTL_CMD_DRAW_PRIMITIVES, 0, MTL_SIZE_DRAW_PRIMITIVES, 0);
	if (!p)
		return 0;
	p[0] = primitive;
	p[1] = 0;
	mtl_wr16(p + 2, 0);
	mtl_wr32(p + 4, start);
	mtl_wr32(p + 8, count);
	return enc_end(e, MTL_SIZE_DRAW_PRIMITIVES);
}

size_t mtl_enc_begin_compute_pass(struct mtl_encoder *e) { return enc_empty(e, MTL_CMD_BEGIN_COMPUTE_PASS); }
size_t mtl_enc_end_compute_pass(struct mtl_encoder *e) { return enc_empty(e, MTL_CMD_END_COMPUTE_PASS); }

size_t mtl_enc_set_compute_pipeline(struct mtl_encoder *e, uint32_t pipe)
{
	return enc_u32(e, MTL_CMD_SET_COMPUTE_PIPELINE, pipe);
}

size_t mtl_enc_set_compute_texture(struct mtl_encoder *e, uint32_t tex, uint8_t index)
{
	return enc_handle_index(e, MTL_CMD_SET_COMPUTE_TEXTURE, tex, index);
}

size_t mtl_enc_set_compute_bytes(struct mtl_encoder *e, uint8_t index, const void *data, uint32_t len)
{
	return enc_set_bytes(e, MTL_CMD_SET_COMPUTE_BYTES, index, data, len);
}

size_t mtl_enc_dispatch_threads(struct mtl_encoder *e, uint16_t gx, uint16_t gy, uint16_t gz,
				uint16_t tx, uint16_t ty, uint16_t tz)
{
	uint8_t *p = enc_begin(e, MTL_CMD_DISPATCH_THREADS, 0, MTL_SIZE_DISPATCH_THREADS, 0);
	if (!p)
		return 0;
	mtl_wr16(p, gx);
	mtl_wr16(p + 2, gy);
	mtl_wr16(p + 4, gz);
	mtl_wr16(p + 6, tx);
	mtl_wr16(p + 8, ty);
	mtl_wr16(p + 10, tz);
	return enc_end(e, MTL_SIZE_DISPATCH_THREADS);
}

size_t mtl_enc_begin_blit_pass(struct mtl_encoder *e) { return enc_empty(e, MTL_CMD_BEGIN_BLIT_PASS); }
size_t mtl_enc_end_blit_pass(struct mtl_encoder *e) { return enc_empty(e, MTL_CMD_END_BLIT_PASS); }

size_t mtl_enc_copy_texture_region(struct mtl_encoder *e, uint32_t src, uint32_t dst, uint16_t src_x,
				   uint16_t src_y, uint16_t w, uint16_t h, uint16_t dst_x, uint16_t dst_y)
{
	uint8_t *p = enc_begin(e, MTL_CMD_COPY_TEXTURE_REGION, 0, MTL_SIZE_COPY_TEXTURE_REGION, 0);
	if (!p)
		return 0;
	mtl_wr32(p, src);
	mtl_wr32(p + 4, dst);
	mtl_wr16(p + 8, src_x);
	mtl_wr16(p + 10, src_y);
	mtl_wr16(p + 12, w);
	mtl_wr16(p + 14, h);
	mtl_wr16(p + 16, dst_x);
	mtl_wr16(p + 18, dst_y);
	mtl_wr16(p + 20, 0);
	mtl_wr16(p + 22, 0);
	return enc_end(e, MTL_SIZE_COPY_TEXTURE_REGION);
}

size_t mtl_enc_present_and_commit(struct mtl_encoder *e, uint32_t frame_id)
{
	return enc_u32(e, MTL_CMD_PRESENT_AND_COMMIT, frame_id);
}

size_t mtl_enc_set_cursor_image(struct mtl_encoder *e, uint16_t w, uint16_t h, int16_t hot_x, int16_t hot_y,
				const void *bgra, uint32_t len)
{
	uint8_t *p = enc_begin(e, MTL_CMD_SET_CURSOR_IMAGE, 0, MTL_SIZE_SET_CURSOR_IMAGE_MIN, len);
	if (!p)
		return 0;
	mtl_wr16(p, w);
	mtl_wr16(p + 2, h);
	mtl_wr16(p + 4, (uint16_t)hot_x);
	mtl_wr16(p + 6, (uint16_t)hot_y);
	wr_tail(p + 8, bgra, len);
	return enc_end(e, MTL_SIZE_SET_CURSOR_IMAGE_MIN + len);
}

size_t mtl_enc_set_cursor_position(struct mtl_encoder *e, float x, float y)
{
	uint8_t *p = enc_begin(e, MTL_CMD_SET_CURSOR_POSITION, 0, MTL_SIZE_SET_CURSOR_POSITION, 0);
	if (!p)
		return 0;
	wr_f32(p, x);
	wr_f32(p + 4, y);
	return enc_end(e, MTL_SIZE_SET_CURSOR_POSITION);
}

size_t mtl_enc_set_cursor_visible(struct mtl_encoder *e, uint8_t visible)
{
	uint8_t *p = enc_begin(e, MTL_CMD_SET_CURSOR_VISIBLE, 0, MTL_SIZE_SET_CURSOR_VISIBLE, 0);
	if (!p)
		return 0;
	p[0] = visible;
	return enc_end(e, MTL_SIZE_SET_CURSOR_VISIBLE);
}

size_t mtl_enc_set_cursor_from_texture(struct mtl_encoder *e, uint32_t tex, uint16_t w, uint16_t h,
				       int16_t hot_x, int16_t hot_y)
{
	uint8_t *p = enc_begin(e, MTL_CMD_SET_CURSOR_FROM_TEXTURE, 0, MTL_SIZE_SET_CURSOR_FROM_TEXTURE, 0);
	if (!p)
		return 0;
	mtl_wr32(p, tex);
	mtl_wr16(p + 4, w);
	mtl_wr16(p + 6, h);
	mtl_wr16(p + 8, (uint16_t)hot_x);
	mtl_wr16(p + 10, (uint16_t)hot_y);
	return enc_end(e, MTL_SIZE_SET_CURSOR_FROM_TEXTURE);
}

/* A valid command from its typed fields. */
static size_t enc_fields(struct mtl_encoder *e, const struct mtl_cmd *c)
{
	switch (c->method) {
	case MTL_CMD_COMPILE_LIBRARY:
		return mtl_enc_compile_library(e, c->u.compile_library.lib, (const char *)c->u.compile_library.source,
					       c->u.compile_library.len);
	case MTL_CMD_GET_FUNCTION:
		return mtl_enc_get_function(e, c->u.get_function.fn, c->u.get_function.lib,
					    (const char *)c->u.get_function.name, c->u.get_function.len);
	case MTL_CMD_CREATE_RENDER_PIPELINE: {
		const struct mtl_create_render_pipeline *v = &c->u.create_render_pipeline;
		return mtl_enc_create_render_pipeline(e, v->pipe, v->vertex_fn, v->fragment_fn, v->blend, v->write_mask,
						      v->stencil_format, v->sample_count, v->pixel_format);
	}
	case MTL_CMD_CREATE_COMPUTE_PIPELINE:
		return mtl_enc_create_compute_pipeline(e, c->u.create_compute_pipeline.pipe,
						       c->u.create_compute_pipeline.fn);
	case MTL_CMD_CREATE_DEPTH_STENCIL_STATE: {
		const struct mtl_create_depth_stencil_state *v = &c->u.create_depth_stencil_state;
		if (v->long_form)
			return mtl_enc_create_depth_stencil_state2(e, v->state, v->stencil_enabled, v->front_compare,
								   v->front_pass_op, v->front_fail_op, v->back_compare,
								   v->back_pass_op, v->back_fail_op);
		return mtl_enc_create_depth_stencil_state(e, v->state, v->stencil_enabled, v->front_compare,
							  v->front_pass_op, v->front_fail_op);
	}
	case MTL_CMD_CREATE_SAMPLER: {
		const struct mtl_create_sampler *v = &c->u.create_sampler;
		return mtl_enc_create_sampler(e, v->sampler, v->min, v->mag, v->s_mode, v->t_mode);
	}
	case MTL_CMD_CREATE_TEXTURE: {
		const struct mtl_create_texture *v = &c->u.create_texture;
		return mtl_enc_create_texture(e, v->tex, v->width, v->height, v->pixel_format, v->type, v->sample_count,
					      v->usage);
	}
	case MTL_CMD_UPLOAD_TEXTURE: {
		const struct mtl_upload_texture *v = &c->u.upload_texture;
		return mtl_enc_upload_texture(e, v->tex, v->x, v->y, v->w, v->h, v->bytes_per_row, v->pixels,
					      v->pixels_len);
	}
	case MTL_CMD_BIND_HOST_TEXTURE:
		return mtl_enc_bind_host_texture(e, c->u.bind_host_texture.guest_tex, c->u.bind_host_texture.host_handle);
	case MTL_CMD_DESTROY_OBJECT:
		return mtl_enc_destroy_object(e, c->u.handle.handle);
	case MTL_CMD_BEGIN_RENDER_PASS: {
		const struct mtl_begin_render_pass *v = &c->u.begin_render_pass;
		if (v->has_alpha)
			return mtl_enc_begin_render_pass(e, v->color, v->resolve, v->stencil, v->load, v->store,
							 v->stencil_load, v->stencil_store, v->clear[0], v->clear[1],
							 v->clear[2], v->clear[3]);
		return mtl_enc_begin_render_pass_short(e, v->color, v->resolve, v->stencil, v->load, v->store,
						       v->stencil_load, v->stencil_store, v->clear[0], v->clear[1],
						       v->clear[2]);
	}
	case MTL_CMD_END_RENDER_PASS:
		return mtl_enc_end_render_pass(e);
	case MTL_CMD_SET_RENDER_PIPELINE:
		return mtl_enc_set_render_pipeline(e, c->u.handle.handle);
	case MTL_CMD_SET_DEPTH_STENCIL_STATE:
		return mtl_enc_set_depth_stencil_state(e, c->u.handle.handle);
	case MTL_CMD_SET_STENCIL_REF:
		return mtl_enc_set_stencil_ref(e, c->u.set_stencil_ref.value);
	case MTL_CMD_SET_SCISSOR:
		return mtl_enc_set_scissor(e, c->u.set_scissor.x, c->u.set_scissor.y, c->u.set_scissor.w,
					   c->u.set_scissor.h);
	case MTL_CMD_SET_VERTEX_BYTES:
		return mtl_enc_set_vertex_bytes(e, c->u.set_bytes.index, c->u.set_bytes.data, c->u.set_bytes.len);
	case MTL_CMD_SET_FRAGMENT_TEXTURE:
		return mtl_enc_set_fragment_texture(e, c->u.set_texture.tex, c->u.set_texture.index);
	case MTL_CMD_SET_FRAGMENT_SAMPLER:
		return mtl_enc_set_fragment_sampler(e, c->u.set_sampler.sampler, c->u.set_sampler.index);
	case MTL_CMD_SET_FRAGMENT_BYTES:
		return mtl_enc_set_fragment_bytes(e, c->u.set_bytes.index, c->u.set_bytes.data, c->u.set_bytes.len);
	case MTL_CMD_DRAW_PRIMITIVES:
		return mtl_enc_draw_primitives(e, c->u.draw.primitive, c->u.draw.start, c->u.draw.count);
	case MTL_CMD_BEGIN_COMPUTE_PASS:
		return mtl_enc_begin_compute_pass(e);
	case MTL_CMD_END_COMPUTE_PASS:
		return mtl_enc_end_compute_pass(e);
	case MTL_CMD_SET_COMPUTE_PIPELINE:
		return mtl_enc_set_compute_pipeline(e, c->u.handle.handle);
	case MTL_CMD_SET_COMPUTE_TEXTURE:
		return mtl_enc_set_compute_texture(e, c->u.set_texture.tex, c->u.set_texture.index);
	case MTL_CMD_SET_COMPUTE_BYTES:
		return mtl_enc_set_compute_bytes(e, c->u.set_bytes.index, c->u.set_bytes.data, c->u.set_bytes.len);
	case MTL_CMD_DISPATCH_THREADS: {
		const struct mtl_dispatch_threads *v = &c->u.dispatch;
		return mtl_enc_dispatch_threads(e, v->grid[0], v->grid[1], v->grid[2], v->threadgroup[0],
						v->threadgroup[1], v->threadgroup[2]);
	}
	case MTL_CMD_BEGIN_BLIT_PASS:
		return mtl_enc_begin_blit_pass(e);
	case MTL_CMD_END_BLIT_PASS:
		return mtl_enc_end_blit_pass(e);
	case MTL_CMD_COPY_TEXTURE_REGION: {
		const struct mtl_copy_texture_region *v = &c->u.copy;
		return mtl_enc_copy_texture_region(e, v->src, v->dst, v->src_x, v->src_y, v->w, v->h, v->dst_x,
						   v->dst_y);
	}
	case MTL_CMD_PRESENT_AND_COMMIT:
		return mtl_enc_present_and_commit(e, c->u.present.frame_id);
	case MTL_CMD_SET_CURSOR_IMAGE: {
		const struct mtl_set_cursor_image *v = &c->u.cursor_image;
		return mtl_enc_set_cursor_image(e, v->w, v->h, v->hot_x, v->hot_y, v->pixels, v->pixels_len);
	}
	case MTL_CMD_SET_CURSOR_POSITION:
		return mtl_enc_set_cursor_position(e, c->u.cursor_position.x, c->u.cursor_position.y);
	case MTL_CMD_SET_CURSOR_VISIBLE:
		return mtl_enc_set_cursor_visible(e, c->u.cursor_visible.visible);
	case MTL_CMD_SET_CURSOR_FROM_TEXTURE: {
		const struct mtl_set_cursor_from_texture *v = &c->u.cursor_from_texture;
		return mtl_enc_set_cursor_from_texture(e, v->tex, v->w, v->h, v->hot_x, v->hot_y);
	}
	}
	/* not a method the decoder yields as OK: copy it as it is */
	return mtl_enc_raw(e, c->method, c->flags, c->payload, c->payload_size);
}

size_t mtl_enc_command(struct mtl_encoder *e, const struct mtl_cmd *c)
{
	if (c->status == MTL_ERR_TRUNCATED_HEADER || c->status == MTL_ERR_PAYLOAD_PAST_END)
		return 0;
	if (c->status == MTL_OK && c->fields_valid)
		return enc_fields(e, c);
	return mtl_enc_raw(e, c->method, c->flags, c->payload, c->payload_size);
}
