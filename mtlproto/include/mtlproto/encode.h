/*
 * mtlproto/encode.h — a freestanding encoder for command buffers.
 *
 * No libc beyond memcpy/memset and no allocation: the caller owns the
 * buffer. Each mtl_enc_* function appends one command. When it does not
 * fit, nothing is written, the encoder's overflow flag is set and the
 * function returns 0; every later call also returns 0, so a sequence of
 * calls can be checked once at the end with mtl_enc_overflowed().
 * On success a function returns the number of bytes it appended.
 *
 * Variable-length tails (source, names, inline bytes, pixels) may be passed
 * as NULL with a non-zero length: the space is then filled with zeros.
 * A tail whose payload_size would not fit in the u32 field is an overflow.
 * Pad bytes are always written as zero.
 *
 * Compiled by the guests in examples/ with -ffreestanding -nostdlib.
 */
#ifndef MTLPROTO_ENCODE_H
#define MTLPROTO_ENCODE_H

#include "mtlproto/wire.h"

struct mtl_encoder {
	uint8_t *buf;
	size_t cap;
	size_t len;
	int overflow;
};

void mtl_enc_init(struct mtl_encoder *e, void *buf, size_t cap);
static inline void mtl_enc_reset(struct mtl_encoder *e) { e->len = 0; e->overflow = 0; }
static inline int mtl_enc_overflowed(const struct mtl_encoder *e) { return e->overflow; }

/* Any command from raw parts: header plus payload bytes (used to write
 * deliberately malformed streams in tests and corpus generators). */
size_t mtl_enc_raw(struct mtl_encoder *e, uint16_t method, uint16_t flags,
		   const void *payload, uint32_t payload_size);

size_t mtl_enc_compile_library(struct mtl_encoder *e, uint32_t lib, const char *src, uint32_t len);
size_t mtl_enc_get_function(struct mtl_encoder *e, uint32_t fn, uint32_t lib, const char *name, uint32_t len);
size_t mtl_enc_create_render_pipeline(struct mtl_encoder *e, uint32_t pipe, uint32_t vertex_fn,
				      uint32_t fragment_fn, uint8_t blend, uint8_t write_mask,
				      uint8_t stencil_format, uint8_t sample_count, uint8_t pixel_format);
size_t mtl_enc_create_compute_pipeline(struct mtl_encoder *e, uint32_t pipe, uint32_t fn);
/* 8-byte form: the front-face ops apply to both faces. */
size_t mtl_enc_create_depth_stencil_state(struct mtl_encoder *e, uint32_t state, uint8_t stencil_enabled,
					  uint8_t compare, uint8_t pass_op, uint8_t fail_op);
/* 12-byte form with separate back-face ops. */
size_t mtl_enc_create_depth_stencil_state2(struct mtl_encoder *e, uint32_t state, uint8_t stencil_enabled,
					   uint8_t compare, uint8_t pass_op, uint8_t fail_op,
					   uint8_t back_compare, uint8_t back_pass_op, uint8_t back_fail_op);
size_t mtl_enc_create_sampler(struct mtl_encoder *e, uint32_t sampler, uint8_t min, uint8_t mag,
			      uint8_t s_mode, uint8_t t_mode);
size_t mtl_enc_create_texture(struct mtl_encoder *e, uint32_t tex, uint16_t w, uint16_t h,
			      uint8_t pixel_format, uint8_t type, uint8_t sample_count, uint8_t usage);
size_t mtl_enc_upload_texture(struct mtl_encoder *e, uint32_t tex, uint16_t x, uint16_t y, uint16_t w,
			      uint16_t h, uint32_t bytes_per_row, const void *pixels, uint32_t pixels_len);
size_t mtl_enc_bind_host_texture(struct mtl_encoder *e, uint32_t guest_tex, uint32_t host_handle);
size_t mtl_enc_destroy_object(struct mtl_encoder *e, uint32_t handle);
size_t mtl_enc_begin_render_pass(struct mtl_encoder *e, uint32_t color, uint32_t resolve, uint32_t stencil,
				 uint8_t load, uint8_t store, uint8_t stencil_load, uint8_t stencil_store,
				 float r, float g, float b, float a);
/* The 28-byte form without clear alpha. */
size_t mtl_enc_begin_render_pass_short(struct mtl_encoder *e, uint32_t color, uint32_t resolve,
				       uint32_t stencil, uint8_t load, uint8_t store, uint8_t stencil_load,
				       uint8_t stencil_store, float r, float g, float b);
size_t mtl_enc_end_render_pass(struct mtl_encoder *e);
size_t mtl_enc_set_render_pipeline(struct mtl_encoder *e, uint32_t pipe);
size_t mtl_enc_set_depth_stencil_state(struct mtl_encoder *e, uint32_t state);
size_t mtl_enc_set_stencil_ref(struct mtl_encoder *e, uint32_t value);
size_t mtl_enc_set_scissor(struct mtl_encoder *e, uint16_t x, uint16_t y, uint16_t w, uint16_t h);
size_t mtl_enc_set_vertex_bytes(struct mtl_encoder *e, uint8_t index, const void *data, uint32_t len);
size_t mtl_enc_set_fragment_texture(struct mtl_encoder *e, uint32_t tex, uint8_t index);
size_t mtl_enc_set_fragment_sampler(struct mtl_encoder *e, uint32_t sampler, uint8_t index);
size_t mtl_enc_set_fragment_bytes(struct mtl_encoder *e, uint8_t index, const void *data, uint32_t len);
size_t mtl_enc_draw_primitives(struct mtl_encoder *e, uint8_t primitive, uint32_t start, uint32_t count);
size_t mtl_enc_begin_compute_pass(struct mtl_encoder *e);
size_t mtl_enc_end_compute_pass(struct mtl_encoder *e);
size_t mtl_enc_set_compute_pipeline(struct mtl_encoder *e, uint32_t pipe);
size_t mtl_enc_set_compute_texture(struct mtl_encoder *e, uint32_t tex, uint8_t index);
size_t mtl_enc_set_compute_bytes(struct mtl_encoder *e, uint8_t index, const void *data, uint32_t len);
size_t mtl_enc_dispatch_threads(struct mtl_encoder *e, uint16_t gx, uint16_t gy, uint16_t gz,
				uint16_t tx, uint16_t ty, uint16_t tz);
size_t mtl_enc_begin_blit_pass(struct mtl_encoder *e);
size_t mtl_enc_end_blit_pass(struct mtl_encoder *e);
size_t mtl_enc_copy_texture_region(struct mtl_encoder *e, uint32_t src, uint32_t dst, uint16_t src_x,
				   uint16_t src_y, uint16_t w, uint16_t h, uint16_t dst_x, uint16_t dst_y);
size_t mtl_enc_present_and_commit(struct mtl_encoder *e, uint32_t frame_id);
size_t mtl_enc_set_cursor_image(struct mtl_encoder *e, uint16_t w, uint16_t h, int16_t hot_x, int16_t hot_y,
				const void *bgra, uint32_t len);
size_t mtl_enc_set_cursor_position(struct mtl_encoder *e, float x, float y);
size_t mtl_enc_set_cursor_visible(struct mtl_encoder *e, uint8_t visible);
size_t mtl_enc_set_cursor_from_texture(struct mtl_encoder *e, uint32_t tex, uint16_t w, uint16_t h,
				       int16_t hot_x, int16_t hot_y);

/*
 * Re-emit a command the decoder produced (struct mtl_cmd, mtlproto/decode.h).
 * A command with fields_valid and status MTL_OK is written from its typed
 * fields: the same bytes as the original, except that pad bytes are zero.
 * Any other command whose payload lies in the buffer (fields_valid == 0, or
 * an over-long or inner-length error) is copied byte for byte from its
 * header fields and payload, malformed as it was. A command the decoder
 * stopped at (MTL_ERR_TRUNCATED_HEADER, MTL_ERR_PAYLOAD_PAST_END) has no
 * payload to copy: nothing is written and 0 is returned without setting
 * the overflow flag.
 */
struct mtl_cmd;
size_t mtl_enc_command(struct mtl_encoder *e, const struct mtl_cmd *cmd);

#endif
