/*
 * decode.c — the bounds-checked, zero-copy command decoder (see
 * mtlproto/decode.h for the contract).
 *
 * One command is decoded in three steps:
 *   1. framing: is there a whole header, does the payload fit the buffer?
 *      Failures here stop the decoder: without a trustworthy payload_size
 *      there is no safe place to resume.
 *   2. header checks: flags, known method. The payload is inside the buffer,
 *      so the decoder resumes at the next header.
 *   3. the method's payload: size rules and typed fields.
 *
 * The hot path (a valid command) is a handful of compares and loads; the
 * switch in decode_payload compiles to a jump table over the method's low
 * byte after one check of the high byte's range.
 */
#include <string.h>

#include "mtlproto/decode.h"

static float rd_f32(const uint8_t *p)
{
	uint32_t v = mtl_rd32(p);
	float f;
	memcpy(&f, &v, sizeof f);
	return f;
}

/*
 * Size rule for a fixed-size method: exactly `need` is OK; more is
 * MTL_ERR_PAYLOAD_SIZE with the fields still decoded (the reference host
 * reads its fields and ignores the rest); less is MTL_ERR_PAYLOAD_SIZE with
 * nothing decoded. Returns 1 when the fields may be decoded.
 */
static int fixed_size(struct mtl_cmd *c, uint32_t need)
{
	if (c->payload_size == need)
		return 1;
	c->status = MTL_ERR_PAYLOAD_SIZE;
	c->error_offset = c->offset + 4;
	if (c->payload_size > need)
		return 1;
	c->fields_valid = 0;
	return 0;
}

/*
 * Size rule for a fixed prefix followed by `inner_len` bytes, where the
 * inner length field sits at payload offset `len_at`. A payload shorter
 * than the prefix is MTL_ERR_PAYLOAD_SIZE; an inner length that disagrees
 * with the payload is MTL_ERR_INNER_LENGTH at that field. When the inner
 * length is shorter than what follows, the view (len bytes) is still
 * inside the payload, so the fields are decoded, as for an over-long
 * fixed-size payload; when it is longer, nothing is decoded. Returns 1
 * when the fields may be decoded.
 */
static int prefixed_size(struct mtl_cmd *c, uint32_t prefix, uint32_t len_at)
{
	if (c->payload_size < prefix) {
		c->status = MTL_ERR_PAYLOAD_SIZE;
		c->error_offset = c->offset + 4;
		c->fields_valid = 0;
		return 0;
	}
	uint32_t inner = mtl_rd32(c->payload + len_at);
	uint32_t avail = c->payload_size - prefix;
	if (inner == avail)
		return 1;
	c->status = MTL_ERR_INNER_LENGTH;
	c->error_offset = c->offset + MTL_HEADER_SIZE + len_at;
	if (inner < avail)
		return 1;
	c->fields_valid = 0;
	return 0;
}

/* A tail-only size rule: at least `prefix` bytes, the rest is the tail. */
static int min_size(struct mtl_cmd *c, uint32_t prefix)
{
	if (c->payload_size >= prefix)
		return 1;
	c->status = MTL_ERR_PAYLOAD_SIZE;
	c->error_offset = c->offset + 4;
	c->fields_valid = 0;
	return 0;
}

/*
 * Size rule for a method with a short and a long form. Between the two
 * sizes, the short form is decoded (with a size error); above the long
 * size, the long form. Returns 0 (nothing decoded), 1 (short) or 2 (long).
 */
static int two_sizes(struct mtl_cmd *c, uint32_t short_size, uint32_t long_size)
{
	uint32_t n = c->payload_size;
	if (n == long_size)
		return 2;
	if (n == short_size)
		return 1;
	c->status = MTL_ERR_PAYLOAD_SIZE;
	c->error_offset = c->offset + 4;
	if (n > long_size)
		return 2;
	if (n > short_size)
		return 1;
	c->fields_valid = 0;
	return 0;
}

static void decode_set_bytes(struct mtl_cmd *c)
{
	const uint8_t *p = c->payload;
	if (!prefixed_size(c, MTL_SIZE_SET_BYTES_MIN, 4))
		return;
	c->u.set_bytes.index = p[0];
	c->u.set_bytes.len = mtl_rd32(p + 4);
	c->u.set_bytes.data = p + 8;
}

static void decode_set_texture(struct mtl_cmd *c)
{
	const uint8_t *p = c->payload;
	if (!fixed_size(c, MTL_SIZE_SET_TEXTURE))
		return;
	c->u.set_texture.tex = mtl_rd32(p);
	c->u.set_texture.index = p[4];
}

static void decode_handle(struct mtl_cmd *c)
{
	if (!fixed_size(c, MTL_SIZE_HANDLE_ARG))
		return;
	c->u.handle.handle = mtl_rd32(c->payload);
}

static void decode_empty(struct mtl_cmd *c)
{
	/* Nothing to decode: an over-long payload is a size error whose
	 * (empty) fields are still valid. */
	fixed_size(c, 0);
}

static void decode_begin_render_pass(struct mtl_cmd *c)
{
	const uint8_t *p = c->payload;
	struct mtl_begin_render_pass *v = &c->u.begin_render_pass;
	int form = two_sizes(c, MTL_SIZE_BEGIN_RENDER_PASS_SHORT, MTL_SIZE_BEGIN_RENDER_PASS);
	if (!form)
		return;
	v->color = mtl_rd32(p);
	v->resolve = mtl_rd32(p + 4);
	v->stencil = mtl_rd32(p + 8);
	v->load = p[12];
	v->store = p[13];
	v->stencil_load = p[14];
	v->stencil_store = p[15];
	v->clear[0] = rd_f32(p + 16);
	v->clear[1] = rd_f32(p + 20);
	v->clear[2] = rd_f32(p + 24);
	if (form == 2) {
		v->clear[3] = rd_f32(p + 28);
		v->has_alpha = 1;
	} else {
		v->clear[3] = 1.0f;
		v->has_alpha = 0;
	}
}

static void decode_depth_stencil_state(struct mtl_cmd *c)
{
	const uint8_t *p = c->payload;
	struct mtl_create_depth_stencil_state *v = &c->u.create_depth_stencil_state;
	int form = two_sizes(c, MTL_SIZE_CREATE_DEPTH_STENCIL_STATE, MTL_SIZE_CREATE_DEPTH_STENCIL_STATE_LONG);
	if (!form)
		return;
	v->state = mtl_rd32(p);
	v->stencil_enabled = p[4];
	v->front_compare = p[5];
	v->front_pass_op = p[6];
	v->front_fail_op = p[7];
	if (form == 2) {
		v->back_compare = p[8];
		v->back_pass_op = p[9];
		v->back_fail_op = p[10];
		v->long_form = 1;
	} else {
		v->back_compare = p[5];
		v->back_pass_op = p[6];
		v->back_fail_op = p[7];
		v->long_form = 0;
	}
}

/* Step 3: the method's payload. Returns 0 for an unknown method. */
static int decode_payload(struct mtl_cmd *c)
{
	const uint8_t *p = c->payload;

	switch (c->method) {
	case MTL_CMD_COMPILE_LIBRARY:
		if (prefixed_size(c, MTL_SIZE_COMPILE_LIBRARY_MIN, 4)) {
			c->u.compile_library.lib = mtl_rd32(p);
			c->u.compile_library.len = mtl_rd32(p + 4);
			c->u.compile_library.source = p + 8;
		}
		return 1;
	case MTL_CMD_GET_FUNCTION:
		if (prefixed_size(c, MTL_SIZE_GET_FUNCTION_MIN, 8)) {
			c->u.get_function.fn = mtl_rd32(p);
			c->u.get_function.lib = mtl_rd32(p + 4);
			c->u.get_function.len = mtl_rd32(p + 8);
			c->u.get_function.name = p + 12;
		}
		return 1;
	case MTL_CMD_CREATE_RENDER_PIPELINE:
		if (fixed_size(c, MTL_SIZE_CREATE_RENDER_PIPELINE)) {
			struct mtl_create_render_pipeline *v = &c->u.create_render_pipeline;
			v->pipe = mtl_rd32(p);
			v->vertex_fn = mtl_rd32(p + 4);
			v->fragment_fn = mtl_rd32(p + 8);
			v->blend = p[12];
			v->write_mask = p[13];
			v->stencil_format = p[14];
			v->sample_count = p[15];
			v->pixel_format = p[16];
		}
		return 1;
	case MTL_CMD_CREATE_COMPUTE_PIPELINE:
		if (fixed_size(c, MTL_SIZE_CREATE_COMPUTE_PIPELINE)) {
			c->u.create_compute_pipeline.pipe = mtl_rd32(p);
			c->u.create_compute_pipeline.fn = mtl_rd32(p + 4);
		}
		return 1;
	case MTL_CMD_CREATE_DEPTH_STENCIL_STATE:
		decode_depth_stencil_state(c);
		return 1;
	case MTL_CMD_CREATE_SAMPLER:
		if (fixed_size(c, MTL_SIZE_CREATE_SAMPLER)) {
			struct mtl_create_sampler *v = &c->u.create_sampler;
			v->sampler = mtl_rd32(p);
			v->min = p[4];
			v->mag = p[5];
			v->s_mode = p[6];
			v->t_mode = p[7];
		}
		return 1;
	case MTL_CMD_CREATE_TEXTURE:
		if (fixed_size(c, MTL_SIZE_CREATE_TEXTURE)) {
			struct mtl_create_texture *v = &c->u.create_texture;
			v->tex = mtl_rd32(p);
			v->width = mtl_rd16(p + 4);
			v->height = mtl_rd16(p + 6);
			v->pixel_format = p[8];
			v->type = p[9];
			v->sample_count = p[10];
			v->usage = p[11];
		}
		return 1;
	case MTL_CMD_UPLOAD_TEXTURE:
		if (min_size(c, MTL_SIZE_UPLOAD_TEXTURE_MIN)) {
			struct mtl_upload_texture *v = &c->u.upload_texture;
			v->tex = mtl_rd32(p);
			v->x = mtl_rd16(p + 4);
			v->y = mtl_rd16(p + 6);
			v->w = mtl_rd16(p + 8);
			v->h = mtl_rd16(p + 10);
			v->bytes_per_row = mtl_rd32(p + 12);
			v->pixels = p + 16;
			v->pixels_len = c->payload_size - MTL_SIZE_UPLOAD_TEXTURE_MIN;
		}
		return 1;
	case MTL_CMD_BIND_HOST_TEXTURE:
		if (fixed_size(c, MTL_SIZE_BIND_HOST_TEXTURE)) {
			c->u.bind_host_texture.guest_tex = mtl_rd32(p);
			c->u.bind_host_texture.host_handle = mtl_rd32(p + 4);
		}
		return 1;
	case MTL_CMD_DESTROY_OBJECT:
	case MTL_CMD_SET_RENDER_PIPELINE:
	case MTL_CMD_SET_DEPTH_STENCIL_STATE:
	case MTL_CMD_SET_COMPUTE_PIPELINE:
		decode_handle(c);
		return 1;
	case MTL_CMD_BEGIN_RENDER_PASS:
		decode_begin_render_pass(c);
		return 1;
	case MTL_CMD_END_RENDER_PASS:
	case MTL_CMD_BEGIN_COMPUTE_PASS:
	case MTL_CMD_END_COMPUTE_PASS:
	case MTL_CMD_BEGIN_BLIT_PASS:
	case MTL_CMD_END_BLIT_PASS:
		decode_empty(c);
		return 1;
	case MTL_CMD_SET_STENCIL_REF:
		if (fixed_size(c, MTL_SIZE_SET_STENCIL_REF))
			c->u.set_stencil_ref.value = mtl_rd32(p);
		return 1;
	case MTL_CMD_SET_SCISSOR:
		if (fixed_size(c, MTL_SIZE_SET_SCISSOR)) {
			c->u.set_scissor.x = mtl_rd16(p);
			c->u.set_scissor.y = mtl_rd16(p + 2);
			c->u.set_scissor.w = mtl_rd16(p + 4);
			c->u.set_scissor.h = mtl_rd16(p + 6);
		}
		return 1;
	case MTL_CMD_SET_VERTEX_BYTES:
	case MTL_CMD_SET_FRAGMENT_BYTES:
	case MTL_CMD_SET_COMPUTE_BYTES:
		decode_set_bytes(c);
		return 1;
	case MTL_CMD_SET_FRAGMENT_TEXTURE:
	case MTL_CMD_SET_COMPUTE_TEXTURE:
		decode_set_texture(c);
		return 1;
	case MTL_CMD_SET_FRAGMENT_SAMPLER:
		if (fixed_size(c, MTL_SIZE_SET_FRAGMENT_SAMPLER)) {
			c->u.set_sampler.sampler = mtl_rd32(p);
			c->u.set_sampler.index = p[4];
		}
		return 1;
	case MTL_CMD_DRAW_PRIMITIVES:
		if (fixed_size(c, MTL_SIZE_DRAW_PRIMITIVES)) {
			c->u.draw.primitive = p[0];
			c->u.draw.start = mtl_rd32(p + 4);
			c->u.draw.count = mtl_rd32(p + 8);
		}
		return 1;
	case MTL_CMD_DISPATCH_THREADS:
		if (fixed_size(c, MTL_SIZE_DISPATCH_THREADS)) {
			struct mtl_dispatch_threads *v = &c->u.dispatch;
			v->grid[0] = mtl_rd16(p);
			v->grid[1] = mtl_rd16(p + 2);
			v->grid[2] = mtl_rd16(p + 4);
			v->threadgroup[0] = mtl_rd16(p + 6);
			v->threadgroup[1] = mtl_rd16(p + 8);
			v->threadgroup[2] = mtl_rd16(p + 10);
		}
		return 1;
	case MTL_CMD_COPY_TEXTURE_REGION:
		if (fixed_size(c, MTL_SIZE_COPY_TEXTURE_REGION)) {
			struct mtl_copy_texture_region *v = &c->u.copy;
			v->src = mtl_rd32(p);
			v->dst = mtl_rd32(p + 4);
			v->src_x = mtl_rd16(p + 8);
			v->src_y = mtl_rd16(p + 10);
			v->w = mtl_rd16(p + 12);
			v->h = mtl_rd16(p + 14);
			v->dst_x = mtl_rd16(p + 16);
			v->dst_y = mtl_rd16(p + 18);
		}
		return 1;
	case MTL_CMD_PRESENT_AND_COMMIT:
		if (fixed_size(c, MTL_SIZE_PRESENT_AND_COMMIT))
			c->u.present.frame_id = mtl_rd32(p);
		return 1;
	case MTL_CMD_SET_CURSOR_IMAGE:
		/* The pixel count is not checked against w*h*4 here: the
		 * validator reports that, the framing is sound either way. */
		if (min_size(c, MTL_SIZE_SET_CURSOR_IMAGE_MIN)) {
			struct mtl_set_cursor_image *v = &c->u.cursor_image;
			v->w = mtl_rd16(p);
			v->h = mtl_rd16(p + 2);
			v->hot_x = (int16_t)mtl_rd16(p + 4);
			v->hot_y = (int16_t)mtl_rd16(p + 6);
			v->pixels = p + 8;
			v->pixels_len = c->payload_size - MTL_SIZE_SET_CURSOR_IMAGE_MIN;
		}
		return 1;
	case MTL_CMD_SET_CURSOR_POSITION:
		if (fixed_size(c, MTL_SIZE_SET_CURSOR_POSITION)) {
			c->u.cursor_position.x = rd_f32(p);
			c->u.cursor_position.y = rd_f32(p + 4);
		}
		return 1;
	case MTL_CMD_SET_CURSOR_VISIBLE:
		if (fixed_size(c, MTL_SIZE_SET_CURSOR_VISIBLE))
			c->u.cursor_visible.visible = p[0];
		return 1;
	case MTL_CMD_SET_CURSOR_FROM_TEXTURE:
		if (fixed_size(c, MTL_SIZE_SET_CURSOR_FROM_TEXTURE)) {
			struct mtl_set_cursor_from_texture *v = &c->u.cursor_from_texture;
			v->tex = mtl_rd32(p);
			v->w = mtl_rd16(p + 4);
			v->h = mtl_rd16(p + 6);
			v->hot_x = (int16_t)mtl_rd16(p + 8);
			v->hot_y = (int16_t)mtl_rd16(p + 10);
		}
		return 1;
	default:
		return 0;
	}
}

void mtl_decoder_init(struct mtl_decoder *d, const void *buf, size_t len)
{
	d->buf = (const uint8_t *)buf;
	d->len = buf ? len : 0;
	d->pos = 0;
	d->stopped = 0;
}

enum mtl_status mtl_decoder_next(struct mtl_decoder *d, struct mtl_cmd *cmd)
{
	size_t pos = d->pos;
	if (d->stopped || pos >= d->len)
		return MTL_END;

	size_t left = d->len - pos;
	const uint8_t *h = d->buf + pos;
	cmd->offset = pos;
	cmd->status = MTL_OK;
	cmd->error_offset = 0;
	cmd->fields_valid = 0;

	/* Step 1: framing. */
	if (left < MTL_HEADER_SIZE) {
		cmd->method = 0;
		cmd->flags = 0;
		cmd->payload_size = 0;
		cmd->payload = h;
		cmd->status = MTL_ERR_TRUNCATED_HEADER;
		cmd->error_offset = pos;
		d->stopped = 1;
		return cmd->status;
	}
	cmd->method = mtl_rd16(h);
	cmd->flags = mtl_rd16(h + 2);
	cmd->payload_size = mtl_rd32(h + 4);
	cmd->payload = h + MTL_HEADER_SIZE;
	if (cmd->payload_size > left - MTL_HEADER_SIZE) {
		cmd->status = MTL_ERR_PAYLOAD_PAST_END;
		cmd->error_offset = pos + 4;
		d->stopped = 1;
		return cmd->status;
	}
	/* From here on the payload lies inside the buffer: resynchronise. */
	d->pos = pos + MTL_HEADER_SIZE + cmd->payload_size;

	/* Step 2: header checks. */
	if (cmd->flags != 0) {
		cmd->status = MTL_ERR_FLAGS;
		cmd->error_offset = pos + 2;
		return cmd->status;
	}

	/* Step 3: the payload. */
	cmd->fields_valid = 1;
	if (!decode_payload(cmd)) {
		cmd->fields_valid = 0;
		cmd->status = MTL_ERR_UNKNOWN_METHOD;
		cmd->error_offset = pos;
	}
	return cmd->status;
}

enum mtl_status mtl_decode_one(const void *buf, size_t len, struct mtl_cmd *cmd)
{
	struct mtl_decoder d;
	mtl_decoder_init(&d, buf, len);
	return mtl_decoder_next(&d, cmd);
}

const char *mtl_status_name(enum mtl_status s)
{
	switch (s) {
	case MTL_OK: return "ok";
	case MTL_END: return "end";
	case MTL_ERR_TRUNCATED_HEADER: return "truncated-header";
	case MTL_ERR_PAYLOAD_PAST_END: return "payload-past-end";
	case MTL_ERR_FLAGS: return "nonzero-flags";
	case MTL_ERR_UNKNOWN_METHOD: return "unknown-method";
	case MTL_ERR_PAYLOAD_SIZE: return "payload-size";
	case MTL_ERR_INNER_LENGTH: return "inner-length";
	}
	return "unknown-status";
}

const char *mtl_status_message(enum mtl_status s)
{
	switch (s) {
	case MTL_OK: return "command decoded";
	case MTL_END: return "no more commands";
	case MTL_ERR_TRUNCATED_HEADER: return "fewer than 8 bytes left for a command header";
	case MTL_ERR_PAYLOAD_PAST_END: return "payload_size runs past the end of the buffer";
	case MTL_ERR_FLAGS: return "header flags are not zero";
	case MTL_ERR_UNKNOWN_METHOD: return "unknown method";
	case MTL_ERR_PAYLOAD_SIZE: return "payload_size is wrong for the method";
	case MTL_ERR_INNER_LENGTH: return "an inner length field disagrees with payload_size";
	}
	return "unknown status";
}
