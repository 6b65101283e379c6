/*
 * test_encode_decode.c — every command through the encoder and back
 * through the decoder with non-trivial field values, the exact bytes the
 * encoder writes for a few commands, encoder overflow behaviour, and the
 * method/enum names both ways.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "mtlproto/decode.h"
#include "mtlproto/encode.h"

static uint8_t buf[1 << 16];

/* Encode with `e` into buf, then decode exactly one OK command. */
static void decode_single(const struct mtl_encoder *e, size_t expect_size, uint16_t method, struct mtl_cmd *c)
{
	assert_false(mtl_enc_overflowed(e));
	assert_int_equal(e->len, expect_size);
	struct mtl_decoder d;
	mtl_decoder_init(&d, e->buf, e->len);
	assert_int_equal(mtl_decoder_next(&d, c), MTL_OK);
	assert_int_equal(c->status, MTL_OK);
	assert_int_equal(c->method, method);
	assert_int_equal(c->flags, 0);
	assert_int_equal(c->offset, 0);
	assert_int_equal(c->payload_size, expect_size - MTL_HEADER_SIZE);
	assert_ptr_equal(c->payload, e->buf + MTL_HEADER_SIZE);
	assert_true(c->fields_valid);
	struct mtl_cmd end;
	assert_int_equal(mtl_decoder_next(&d, &end), MTL_END);
}

#define SETUP(e) struct mtl_encoder e; mtl_enc_init(&e, buf, sizeof buf); struct mtl_cmd c

static void rt_compile_library(void **state)
{
	(void)state;
	static const char src[] = "#include <metal_stdlib>\nusing namespace metal;\n";
	SETUP(e);
	uint32_t n = (uint32_t)strlen(src);
	assert_int_equal(mtl_enc_compile_library(&e, 0x12345678, src, n), 8 + 8 + n);
	decode_single(&e, 16 + n, MTL_CMD_COMPILE_LIBRARY, &c);
	assert_int_equal(c.u.compile_library.lib, 0x12345678);
	assert_int_equal(c.u.compile_library.len, n);
	assert_memory_equal(c.u.compile_library.source, src, n);
	assert_ptr_equal(c.u.compile_library.source, buf + 16);
}

static void rt_get_function(void **state)
{
	(void)state;
	SETUP(e);
	mtl_enc_get_function(&e, 0x7FFFFFFF, 3, "fragment_main", 13);
	decode_single(&e, 8 + 12 + 13, MTL_CMD_GET_FUNCTION, &c);
	assert_int_equal(c.u.get_function.fn, 0x7FFFFFFF);
	assert_int_equal(c.u.get_function.lib, 3);
	assert_int_equal(c.u.get_function.len, 13);
	assert_memory_equal(c.u.get_function.name, "fragment_main", 13);
}

static void rt_create_render_pipeline(void **state)
{
	(void)state;
	SETUP(e);
	mtl_enc_create_render_pipeline(&e, 0xA1B2C3D4, 0x11, 0x22, 1, MTL_WRITE_R | MTL_WRITE_A,
				       MTL_STENCIL_FORMAT_STENCIL8, 4, MTL_PIXEL_BGRA8_UNORM_SRGB);
	decode_single(&e, 8 + 17, MTL_CMD_CREATE_RENDER_PIPELINE, &c);
	const struct mtl_create_render_pipeline *v = &c.u.create_render_pipeline;
	assert_int_equal(v->pipe, 0xA1B2C3D4);
	assert_int_equal(v->vertex_fn, 0x11);
	assert_int_equal(v->fragment_fn, 0x22);
	assert_int_equal(v->blend, 1);
	assert_int_equal(v->write_mask, 9);
	assert_int_equal(v->stencil_format, 1);
	assert_int_equal(v->sample_count, 4);
	assert_int_equal(v->pixel_format, 6);
}

static void rt_create_compute_pipeline(void **state)
{
	(void)state;
	SETUP(e);
	mtl_enc_create_compute_pipeline(&e, 77, 0x80000001);
	decode_single(&e, 16, MTL_CMD_CREATE_COMPUTE_PIPELINE, &c);
	assert_int_equal(c.u.create_compute_pipeline.pipe, 77);
	assert_int_equal(c.u.create_compute_pipeline.fn, 0x80000001);
}

static void rt_create_depth_stencil_state(void **state)
{
	(void)state;
	SETUP(e);
	mtl_enc_create_depth_stencil_state(&e, 5, 1, MTL_COMPARE_NOT_EQUAL, MTL_STENCIL_INCREMENT_WRAP,
					   MTL_STENCIL_INVERT);
	decode_single(&e, 16, MTL_CMD_CREATE_DEPTH_STENCIL_STATE, &c);
	const struct mtl_create_depth_stencil_state *v = &c.u.create_depth_stencil_state;
	assert_int_equal(v->state, 5);
	assert_int_equal(v->stencil_enabled, 1);
	assert_int_equal(v->front_compare, 3);
	assert_int_equal(v->front_pass_op, 6);
	assert_int_equal(v->front_fail_op, 5);
	/* 8-byte form: the back face mirrors the front. */
	assert_int_equal(v->back_compare, 3);
	assert_int_equal(v->back_pass_op, 6);
	assert_int_equal(v->back_fail_op, 5);
	assert_int_equal(v->long_form, 0);
}

static void rt_create_depth_stencil_state_long(void **state)
{
	(void)state;
	SETUP(e);
	mtl_enc_create_depth_stencil_state2(&e, 6, 1, MTL_COMPARE_EQUAL, MTL_STENCIL_KEEP, MTL_STENCIL_ZERO,
					    MTL_COMPARE_GREATER_EQUAL, MTL_STENCIL_DECREMENT_WRAP,
					    MTL_STENCIL_REPLACE);
	decode_single(&e, 20, MTL_CMD_CREATE_DEPTH_STENCIL_STATE, &c);
	const struct mtl_create_depth_stencil_state *v = &c.u.create_depth_stencil_state;
	assert_int_equal(v->state, 6);
	assert_int_equal(v->front_compare, 2);
	assert_int_equal(v->front_pass_op, 0);
	assert_int_equal(v->front_fail_op, 1);
	assert_int_equal(v->back_compare, 7);
	assert_int_equal(v->back_pass_op, 7);
	assert_int_equal(v->back_fail_op, 2);
	assert_int_equal(v->long_form, 1);
	assert_int_equal(buf[8 + 11], 0); /* pad */
}

static void rt_create_sampler(void **state)
{
	(void)state;
	SETUP(e);
	mtl_enc_create_sampler(&e, 9, MTL_FILTER_LINEAR, MTL_FILTER_NEAREST, MTL_ADDRESS_MIRROR_REPEAT,
			       MTL_ADDRESS_CLAMP_TO_ZERO);
	decode_single(&e, 16, MTL_CMD_CREATE_SAMPLER, &c);
	assert_int_equal(c.u.create_sampler.sampler, 9);
	assert_int_equal(c.u.create_sampler.min, 1);
	assert_int_equal(c.u.create_sampler.mag, 0);
	assert_int_equal(c.u.create_sampler.s_mode, 2);
	assert_int_equal(c.u.create_sampler.t_mode, 3);
}

static void rt_create_texture(void **state)
{
	(void)state;
	SETUP(e);
	mtl_enc_create_texture(&e, 0x00ABCDEF, 1920, 0x1234, MTL_PIXEL_RGBA16_FLOAT, MTL_TEXTURE_2D_MULTISAMPLE, 4,
			       MTL_USAGE_RENDER_TARGET | MTL_USAGE_SHADER_READ);
	decode_single(&e, 20, MTL_CMD_CREATE_TEXTURE, &c);
	const struct mtl_create_texture *v = &c.u.create_texture;
	assert_int_equal(v->tex, 0x00ABCDEF);
	assert_int_equal(v->width, 1920);
	assert_int_equal(v->height, 0x1234);
	assert_int_equal(v->pixel_format, 5);
	assert_int_equal(v->type, 1);
	assert_int_equal(v->sample_count, 4);
	assert_int_equal(v->usage, 5);
}

static void rt_upload_texture(void **state)
{
	(void)state;
	uint8_t px[3 * 2 * 4];
	for (size_t i = 0; i < sizeof px; i++)
		px[i] = (uint8_t)(i * 7 + 1);
	SETUP(e);
	mtl_enc_upload_texture(&e, 4, 10, 20, 3, 2, 12, px, sizeof px);
	decode_single(&e, 8 + 16 + sizeof px, MTL_CMD_UPLOAD_TEXTURE, &c);
	const struct mtl_upload_texture *v = &c.u.upload_texture;
	assert_int_equal(v->tex, 4);
	assert_int_equal(v->x, 10);
	assert_int_equal(v->y, 20);
	assert_int_equal(v->w, 3);
	assert_int_equal(v->h, 2);
	assert_int_equal(v->bytes_per_row, 12);
	assert_int_equal(v->pixels_len, sizeof px);
	assert_memory_equal(v->pixels, px, sizeof px);
}

static void rt_bind_host_texture(void **state)
{
	(void)state;
	SETUP(e);
	mtl_enc_bind_host_texture(&e, 42, 0xFFFFFFFE);
	decode_single(&e, 16, MTL_CMD_BIND_HOST_TEXTURE, &c);
	assert_int_equal(c.u.bind_host_texture.guest_tex, 42);
	assert_int_equal(c.u.bind_host_texture.host_handle, 0xFFFFFFFE);
}

static void rt_handle_commands(void **state)
{
	(void)state;
	static const struct {
		uint16_t method;
		size_t (*enc)(struct mtl_encoder *, uint32_t);
	} cases[] = {
		{ MTL_CMD_DESTROY_OBJECT, mtl_enc_destroy_object },
		{ MTL_CMD_SET_RENDER_PIPELINE, mtl_enc_set_render_pipeline },
		{ MTL_CMD_SET_DEPTH_STENCIL_STATE, mtl_enc_set_depth_stencil_state },
		{ MTL_CMD_SET_COMPUTE_PIPELINE, mtl_enc_set_compute_pipeline },
		{ MTL_CMD_SET_STENCIL_REF, mtl_enc_set_stencil_ref },
		{ MTL_CMD_PRESENT_AND_COMMIT, mtl_enc_present_and_commit },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		SETUP(e);
		uint32_t v = 0xDEAD0000u + (uint32_t)i;
		assert_int_equal(cases[i].enc(&e, v), 12);
		decode_single(&e, 12, cases[i].method, &c);
		switch (cases[i].method) {
		case MTL_CMD_SET_STENCIL_REF:
			assert_int_equal(c.u.set_stencil_ref.value, v);
			break;
		case MTL_CMD_PRESENT_AND_COMMIT:
			assert_int_equal(c.u.present.frame_id, v);
			break;
		default:
			assert_int_equal(c.u.handle.handle, v);
		}
	}
}

static void rt_begin_render_pass(void **state)
{
	(void)state;
	SETUP(e);
	mtl_enc_begin_render_pass(&e, MTL_DRAWABLE_HANDLE, 7, 8, MTL_LOAD_CLEAR, MTL_STORE_MULTISAMPLE_RESOLVE,
				  MTL_LOAD_BLIT_RETAINED, MTL_STORE_STORE, 0.25f, -0.5f, 1.0e-3f, 0.75f);
	decode_single(&e, 40, MTL_CMD_BEGIN_RENDER_PASS, &c);
	const struct mtl_begin_render_pass *v = &c.u.begin_render_pass;
	assert_int_equal(v->color, MTL_DRAWABLE_HANDLE);
	assert_int_equal(v->resolve, 7);
	assert_int_equal(v->stencil, 8);
	assert_int_equal(v->load, 2);
	assert_int_equal(v->store, 2);
	assert_int_equal(v->stencil_load, 3);
	assert_int_equal(v->stencil_store, 1);
	assert_true(v->clear[0] == 0.25f);
	assert_true(v->clear[1] == -0.5f);
	assert_true(v->clear[2] == 1.0e-3f);
	assert_true(v->clear[3] == 0.75f);
	assert_int_equal(v->has_alpha, 1);
}

static void rt_begin_render_pass_short(void **state)
{
	(void)state;
	SETUP(e);
	mtl_enc_begin_render_pass_short(&e, 3, 0, 0, MTL_LOAD_LOAD, MTL_STORE_STORE, 0, 0, 0.1f, 0.2f, 0.3f);
	decode_single(&e, 36, MTL_CMD_BEGIN_RENDER_PASS, &c);
	const struct mtl_begin_render_pass *v = &c.u.begin_render_pass;
	assert_int_equal(v->color, 3);
	assert_int_equal(v->load, 1);
	assert_int_equal(v->store, 1);
	assert_true(v->clear[0] == 0.1f);
	assert_true(v->clear[1] == 0.2f);
	assert_true(v->clear[2] == 0.3f);
	assert_true(v->clear[3] == 1.0f);
	assert_int_equal(v->has_alpha, 0);
}

static void rt_empty_commands(void **state)
{
	(void)state;
	static const struct {
		uint16_t method;
		size_t (*enc)(struct mtl_encoder *);
	} cases[] = {
		{ MTL_CMD_END_RENDER_PASS, mtl_enc_end_render_pass },
		{ MTL_CMD_BEGIN_COMPUTE_PASS, mtl_enc_begin_compute_pass },
		{ MTL_CMD_END_COMPUTE_PASS, mtl_enc_end_compute_pass },
		{ MTL_CMD_BEGIN_BLIT_PASS, mtl_enc_begin_blit_pass },
		{ MTL_CMD_END_BLIT_PASS, mtl_enc_end_blit_pass },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		SETUP(e);
		assert_int_equal(cases[i].enc(&e), 8);
		decode_single(&e, 8, cases[i].method, &c);
	}
}

static void rt_set_scissor(void **state)
{
	(void)state;
	SETUP(e);
	mtl_enc_set_scissor(&e, 1, 65535, 300, 400);
	decode_single(&e, 16, MTL_CMD_SET_SCISSOR, &c);
	assert_int_equal(c.u.set_scissor.x, 1);
	assert_int_equal(c.u.set_scissor.y, 65535);
	assert_int_equal(c.u.set_scissor.w, 300);
	assert_int_equal(c.u.set_scissor.h, 400);
}

static void rt_set_bytes(void **state)
{
	(void)state;
	static const struct {
		uint16_t method;
		size_t (*enc)(struct mtl_encoder *, uint8_t, const void *, uint32_t);
	} cases[] = {
		{ MTL_CMD_SET_VERTEX_BYTES, mtl_enc_set_vertex_bytes },
		{ MTL_CMD_SET_FRAGMENT_BYTES, mtl_enc_set_fragment_bytes },
		{ MTL_CMD_SET_COMPUTE_BYTES, mtl_enc_set_compute_bytes },
	};
	float data[24];
	for (int i = 0; i < 24; i++)
		data[i] = (float)i * 0.5f - 3.0f;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		SETUP(e);
		uint8_t index = (uint8_t)(i * 7 + 1);
		assert_int_equal(cases[i].enc(&e, index, data, sizeof data), 16 + sizeof data);
		decode_single(&e, 16 + sizeof data, cases[i].method, &c);
		assert_int_equal(c.u.set_bytes.index, index);
		assert_int_equal(c.u.set_bytes.len, sizeof data);
		assert_memory_equal(c.u.set_bytes.data, data, sizeof data);
		/* pads are written as zero */
		assert_int_equal(buf[9], 0);
		assert_int_equal(buf[10], 0);
		assert_int_equal(buf[11], 0);
	}
}

static void rt_set_texture_and_sampler(void **state)
{
	(void)state;
	{
		SETUP(e);
		mtl_enc_set_fragment_texture(&e, 0x01020304, 30);
		decode_single(&e, 16, MTL_CMD_SET_FRAGMENT_TEXTURE, &c);
		assert_int_equal(c.u.set_texture.tex, 0x01020304);
		assert_int_equal(c.u.set_texture.index, 30);
	}
	{
		SETUP(e);
		mtl_enc_set_compute_texture(&e, 0x05060708, 2);
		decode_single(&e, 16, MTL_CMD_SET_COMPUTE_TEXTURE, &c);
		assert_int_equal(c.u.set_texture.tex, 0x05060708);
		assert_int_equal(c.u.set_texture.index, 2);
	}
	{
		SETUP(e);
		mtl_enc_set_fragment_sampler(&e, 0x0A0B0C0D, 15);
		decode_single(&e, 16, MTL_CMD_SET_FRAGMENT_SAMPLER, &c);
		assert_int_equal(c.u.set_sampler.sampler, 0x0A0B0C0D);
		assert_int_equal(c.u.set_sampler.index, 15);
	}
}

static void rt_draw_primitives(void **state)
{
	(void)state;
	SETUP(e);
	mtl_enc_draw_primitives(&e, MTL_PRIMITIVE_TRIANGLE_STRIP, 100000, 0xFFFFFFF0);
	decode_single(&e, 20, MTL_CMD_DRAW_PRIMITIVES, &c);
	assert_int_equal(c.u.draw.primitive, 1);
	assert_int_equal(c.u.draw.start, 100000);
	assert_int_equal(c.u.draw.count, 0xFFFFFFF0);
}

static void rt_dispatch_threads(void **state)
{
	(void)state;
	SETUP(e);
	mtl_enc_dispatch_threads(&e, 1024, 768, 1, 16, 8, 2);
	decode_single(&e, 20, MTL_CMD_DISPATCH_THREADS, &c);
	assert_int_equal(c.u.dispatch.grid[0], 1024);
	assert_int_equal(c.u.dispatch.grid[1], 768);
	assert_int_equal(c.u.dispatch.grid[2], 1);
	assert_int_equal(c.u.dispatch.threadgroup[0], 16);
	assert_int_equal(c.u.dispatch.threadgroup[1], 8);
	assert_int_equal(c.u.dispatch.threadgroup[2], 2);
}

static void rt_copy_texture_region(void **state)
{
	(void)state;
	SETUP(e);
	mtl_enc_copy_texture_region(&e, 11, 12, 1, 2, 3, 4, 5, 6);
	decode_single(&e, 32, MTL_CMD_COPY_TEXTURE_REGION, &c);
	const struct mtl_copy_texture_region *v = &c.u.copy;
	assert_int_equal(v->src, 11);
	assert_int_equal(v->dst, 12);
	assert_int_equal(v->src_x, 1);
	assert_int_equal(v->src_y, 2);
	assert_int_equal(v->w, 3);
	assert_int_equal(v->h, 4);
	assert_int_equal(v->dst_x, 5);
	assert_int_equal(v->dst_y, 6);
}

static void rt_cursor_image(void **state)
{
	(void)state;
	uint8_t px[4 * 3 * 4];
	for (size_t i = 0; i < sizeof px; i++)
		px[i] = (uint8_t)(255 - i);
	SETUP(e);
	mtl_enc_set_cursor_image(&e, 4, 3, -2, 7, px, sizeof px);
	decode_single(&e, 16 + sizeof px, MTL_CMD_SET_CURSOR_IMAGE, &c);
	const struct mtl_set_cursor_image *v = &c.u.cursor_image;
	assert_int_equal(v->w, 4);
	assert_int_equal(v->h, 3);
	assert_int_equal(v->hot_x, -2);
	assert_int_equal(v->hot_y, 7);
	assert_int_equal(v->pixels_len, sizeof px);
	assert_memory_equal(v->pixels, px, sizeof px);
}

static void rt_cursor_position_visible_texture(void **state)
{
	(void)state;
	{
		SETUP(e);
		mtl_enc_set_cursor_position(&e, 512.5f, -3.25f);
		decode_single(&e, 16, MTL_CMD_SET_CURSOR_POSITION, &c);
		assert_true(c.u.cursor_position.x == 512.5f);
		assert_true(c.u.cursor_position.y == -3.25f);
	}
	{
		SETUP(e);
		mtl_enc_set_cursor_visible(&e, 1);
		decode_single(&e, 9, MTL_CMD_SET_CURSOR_VISIBLE, &c);
		assert_int_equal(c.u.cursor_visible.visible, 1);
	}
	{
		SETUP(e);
		mtl_enc_set_cursor_from_texture(&e, 0x80000010, 32, 48, -1, -32768);
		decode_single(&e, 20, MTL_CMD_SET_CURSOR_FROM_TEXTURE, &c);
		const struct mtl_set_cursor_from_texture *v = &c.u.cursor_from_texture;
		assert_int_equal(v->tex, 0x80000010);
		assert_int_equal(v->w, 32);
		assert_int_equal(v->h, 48);
		assert_int_equal(v->hot_x, -1);
		assert_int_equal(v->hot_y, -32768);
	}
}

/* The wire bytes themselves, little-endian, as DESIGN §3 lays them out. */
static void exact_bytes(void **state)
{
	(void)state;
	SETUP(e);
	(void)c;
	mtl_enc_create_texture(&e, 0x04030201, 0x0605, 0x0807, 6, 0, 1, 4);
	static const uint8_t want_tex[] = { 0x20, 0x00, 0x00, 0x00, 12, 0, 0, 0, 0x01, 0x02, 0x03, 0x04,
					    0x05, 0x06, 0x07, 0x08, 6,    0,    1, 4 };
	assert_int_equal(e.len, sizeof want_tex);
	assert_memory_equal(buf, want_tex, sizeof want_tex);

	mtl_enc_reset(&e);
	mtl_enc_set_cursor_position(&e, 1.0f, -2.0f);
	static const uint8_t want_pos[] = { 0x11, 0x0F, 0, 0, 8, 0, 0, 0, 0x00, 0x00, 0x80, 0x3F,
					    0x00, 0x00, 0x00, 0xC0 };
	assert_memory_equal(buf, want_pos, sizeof want_pos);

	mtl_enc_reset(&e);
	mtl_enc_draw_primitives(&e, 3, 0x01020304, 6);
	static const uint8_t want_draw[] = { 0x30, 0x01, 0, 0, 12, 0, 0, 0, 3, 0, 0, 0,
					     0x04, 0x03, 0x02, 0x01, 6, 0, 0, 0 };
	assert_memory_equal(buf, want_draw, sizeof want_draw);
}

/* A stream of several commands decodes in order with the right offsets. */
static void stream_offsets(void **state)
{
	(void)state;
	SETUP(e);
	size_t off[4];
	off[0] = e.len; mtl_enc_begin_render_pass(&e, MTL_DRAWABLE_HANDLE, 0, 0, 2, 1, 0, 0, 0, 0, 0, 1);
	off[1] = e.len; mtl_enc_set_vertex_bytes(&e, 0, NULL, 96);
	off[2] = e.len; mtl_enc_end_render_pass(&e);
	off[3] = e.len; mtl_enc_present_and_commit(&e, 0);
	static const uint16_t want[4] = { MTL_CMD_BEGIN_RENDER_PASS, MTL_CMD_SET_VERTEX_BYTES,
					  MTL_CMD_END_RENDER_PASS, MTL_CMD_PRESENT_AND_COMMIT };
	struct mtl_decoder d;
	mtl_decoder_init(&d, buf, e.len);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(mtl_decoder_next(&d, &c), MTL_OK);
		assert_int_equal(c.method, want[i]);
		assert_int_equal(c.offset, off[i]);
	}
	/* NULL data writes zeros */
	for (int i = 0; i < 96; i++)
		assert_int_equal(buf[off[1] + 16 + (size_t)i], 0);
	assert_int_equal(mtl_decoder_next(&d, &c), MTL_END);
	assert_int_equal(mtl_decoder_next(&d, &c), MTL_END);
}

/* When a command does not fit nothing is written and every later call
 * fails too, so one check at the end suffices. */
static void encoder_overflow(void **state)
{
	(void)state;
	uint8_t small[40];
	memset(small, 0xAA, sizeof small);
	struct mtl_encoder e;
	mtl_enc_init(&e, small, sizeof small);
	assert_int_equal(mtl_enc_present_and_commit(&e, 1), 12);
	assert_int_equal(mtl_enc_set_scissor(&e, 1, 2, 3, 4), 16);
	assert_false(mtl_enc_overflowed(&e));
	/* 12 bytes left: a 16-byte command does not fit */
	assert_int_equal(mtl_enc_create_sampler(&e, 1, 0, 0, 0, 0), 0);
	assert_true(mtl_enc_overflowed(&e));
	assert_int_equal(e.len, 28);
	for (size_t i = 28; i < sizeof small; i++)
		assert_int_equal(small[i], 0xAA);
	/* a command that would have fit also fails now */
	assert_int_equal(mtl_enc_end_render_pass(&e), 0);
	assert_int_equal(e.len, 28);
	/* reset clears the flag and the length */
	mtl_enc_reset(&e);
	assert_false(mtl_enc_overflowed(&e));
	assert_int_equal(mtl_enc_create_sampler(&e, 1, 0, 0, 0, 0), 16);

	/* an exact fit is not an overflow */
	mtl_enc_init(&e, small, 12);
	assert_int_equal(mtl_enc_present_and_commit(&e, 9), 12);
	assert_false(mtl_enc_overflowed(&e));
	assert_int_equal(mtl_enc_end_render_pass(&e), 0);
	assert_true(mtl_enc_overflowed(&e));

	/* a variable length whose payload_size would not fit in u32 */
	static uint8_t big[64];
	mtl_enc_init(&e, big, sizeof big);
	assert_int_equal(mtl_enc_set_vertex_bytes(&e, 0, NULL, 0xFFFFFFFCu), 0);
	assert_true(mtl_enc_overflowed(&e));
	assert_int_equal(e.len, 0);

	/* less room than a header */
	mtl_enc_init(&e, small, 5);
	assert_int_equal(mtl_enc_end_blit_pass(&e), 0);
	assert_true(mtl_enc_overflowed(&e));
	/* no buffer at all */
	mtl_enc_init(&e, NULL, 100);
	assert_int_equal(mtl_enc_end_blit_pass(&e), 0);
	assert_true(mtl_enc_overflowed(&e));
}

static void raw_command(void **state)
{
	(void)state;
	SETUP(e);
	static const uint8_t payload[3] = { 1, 2, 3 };
	assert_int_equal(mtl_enc_raw(&e, 0x0F12, 0x0001, payload, 3), 11);
	assert_int_equal(mtl_rd16(buf), 0x0F12);
	assert_int_equal(mtl_rd16(buf + 2), 1);
	assert_int_equal(mtl_rd32(buf + 4), 3);
	assert_memory_equal(buf + 8, payload, 3);
	assert_int_equal(mtl_decode_one(buf, e.len, &c), MTL_ERR_FLAGS);
}

/* mtl_enc_command: valid commands from their fields with pads zeroed,
 * malformed ones byte for byte, stopped ones not at all. */
static void reemit_commands(void **state)
{
	(void)state;
	static uint8_t in[256], out[256];
	struct mtl_encoder e, o;
	struct mtl_decoder d;
	struct mtl_cmd c;
	mtl_enc_init(&e, in, sizeof in);
	mtl_enc_set_fragment_texture(&e, 7, 3);                      /* 0: pads 13..15 */
	in[8 + 5] = 0xEE;                                             /* dirty a pad */
	static const uint8_t p6[6] = { 1, 2, 3, 4, 5, 6 };
	mtl_enc_raw(&e, MTL_CMD_PRESENT_AND_COMMIT, 0, p6, sizeof p6); /* 16: over-long */
	mtl_enc_raw(&e, 0x0777, 0, p6, 2);                              /* 30: unknown */
	mtl_enc_raw(&e, MTL_CMD_SET_STENCIL_REF, 4, p6, 4);             /* 40: flags */
	mtl_enc_begin_render_pass_short(&e, 1, 0, 0, 2, 1, 0, 0, 0.5f, 0.25f, 0.125f);
	size_t valid_end = e.len;
	in[e.len] = 0x01; /* then a truncated header */
	size_t len = e.len + 3;

	mtl_enc_init(&o, out, sizeof out);
	mtl_decoder_init(&d, in, len);
	int n = 0;
	while (mtl_decoder_next(&d, &c) != MTL_END) {
		size_t want = c.status == MTL_ERR_TRUNCATED_HEADER ? 0 : MTL_HEADER_SIZE + c.payload_size;
		assert_int_equal(mtl_enc_command(&o, &c), want);
		n++;
	}
	assert_int_equal(n, 6);
	assert_false(mtl_enc_overflowed(&o));
	assert_int_equal(o.len, valid_end);
	/* identical except the pad that was dirty */
	assert_int_equal(out[8 + 5], 0);
	out[8 + 5] = 0xEE;
	assert_memory_equal(out, in, valid_end);
	/* the short BEGIN_RENDER_PASS stays short */
	assert_int_equal(mtl_rd32(out + valid_end - 28 - 4), 28);
}

static void method_names(void **state)
{
	(void)state;
	assert_string_equal(mtl_method_name(MTL_CMD_COMPILE_LIBRARY), "COMPILE_LIBRARY");
	assert_string_equal(mtl_method_name(MTL_CMD_PRESENT_AND_COMMIT), "PRESENT_AND_COMMIT");
	assert_string_equal(mtl_method_name(MTL_CMD_SET_CURSOR_FROM_TEXTURE), "SET_CURSOR_FROM_TEXTURE");
	assert_null(mtl_method_name(0));
	assert_null(mtl_method_name(0x0003));
	assert_null(mtl_method_name(0xFFFF));
	assert_int_equal(mtl_method_from_name("draw_primitives"), MTL_CMD_DRAW_PRIMITIVES);
	assert_int_equal(mtl_method_from_name("Set_Scissor"), MTL_CMD_SET_SCISSOR);
	assert_int_equal(mtl_method_from_name("NOPE"), -1);
	assert_int_equal(mtl_method_from_name(""), -1);
	assert_int_equal(mtl_method_from_name(NULL), -1);

	/* every method: dense index, name, and back */
	uint16_t prev = 0;
	for (int i = 0; i < MTL_METHOD_COUNT; i++) {
		uint16_t m = mtl_method_at(i);
		assert_true(m > prev);
		prev = m;
		assert_int_equal(mtl_method_index(m), i);
		const char *name = mtl_method_name(m);
		assert_non_null(name);
		assert_int_equal(mtl_method_from_name(name), m);
		/* every known method decodes (never "unknown method") */
		uint8_t hdr[8 + 64] = { 0 };
		mtl_wr16(hdr, m);
		struct mtl_cmd c;
		assert_int_not_equal(mtl_decode_one(hdr, sizeof hdr, &c), MTL_ERR_UNKNOWN_METHOD);
	}
	assert_int_equal(mtl_method_at(-1), 0);
	assert_int_equal(mtl_method_at(MTL_METHOD_COUNT), 0);
	assert_int_equal(mtl_method_index(0x0102), -1);

	/* methods outside the table are unknown, all 65536 of them checked */
	int known = 0;
	for (uint32_t m = 0; m <= 0xFFFF; m++)
		if (mtl_method_index((uint16_t)m) >= 0)
			known++;
	assert_int_equal(known, MTL_METHOD_COUNT);
}

typedef const char *(*name_fn)(unsigned);
typedef int (*from_fn)(const char *);

static void check_enum(name_fn name, from_fn from, unsigned first, unsigned last, const char *const *want)
{
	for (unsigned v = first; v <= last; v++) {
		const char *n = name(v);
		assert_non_null(n);
		assert_string_equal(n, want[v - first]);
		assert_int_equal(from(n), (int)v);
	}
	assert_null(name(last + 1));
	assert_null(name(255));
	assert_int_equal(from("no-such-name"), -1);
	assert_int_equal(from(NULL), -1);
}

static void enum_names(void **state)
{
	(void)state;
	static const char *const pf[] = { "bgra8Unorm", "rgba8Unorm", "r8Unorm", "stencil8", "rgba16Float",
					  "bgra8Unorm_srgb" };
	check_enum(mtl_pixel_format_name, mtl_pixel_format_from_name, 1, MTL_PIXEL_FORMAT_MAX, pf);
	assert_null(mtl_pixel_format_name(0));
	static const char *const load[] = { "dontCare", "load", "clear", "blitRetained" };
	check_enum(mtl_load_action_name, mtl_load_action_from_name, 0, MTL_LOAD_ACTION_MAX, load);
	static const char *const store[] = { "dontCare", "store", "multisampleResolve" };
	check_enum(mtl_store_action_name, mtl_store_action_from_name, 0, MTL_STORE_ACTION_MAX, store);
	static const char *const cmp[] = { "never", "always", "equal", "notEqual",
					   "less", "lessEqual", "greater", "greaterEqual" };
	check_enum(mtl_compare_name, mtl_compare_from_name, 0, MTL_COMPARE_MAX, cmp);
	static const char *const op[] = { "keep", "zero", "replace", "incrementClamp", "decrementClamp",
					  "invert", "incrementWrap", "decrementWrap" };
	check_enum(mtl_stencil_op_name, mtl_stencil_op_from_name, 0, MTL_STENCIL_OP_MAX, op);
	static const char *const filt[] = { "nearest", "linear" };
	check_enum(mtl_filter_name, mtl_filter_from_name, 0, MTL_FILTER_MAX, filt);
	static const char *const addr[] = { "clampToEdge", "repeat", "mirrorRepeat", "clampToZero" };
	check_enum(mtl_address_mode_name, mtl_address_mode_from_name, 0, MTL_ADDRESS_MODE_MAX, addr);
	static const char *const prim[] = { "triangle", "triangleStrip", "line", "point" };
	check_enum(mtl_primitive_name, mtl_primitive_from_name, 0, MTL_PRIMITIVE_MAX, prim);
	static const char *const tt[] = { "type2D", "type2DMultisample" };
	check_enum(mtl_texture_type_name, mtl_texture_type_from_name, 0, 1, tt);
	/* lookups ignore case */
	assert_int_equal(mtl_compare_from_name("LESSEQUAL"), MTL_COMPARE_LESS_EQUAL);
	assert_int_equal(mtl_pixel_format_from_name("BGRA8UNORM_SRGB"), MTL_PIXEL_BGRA8_UNORM_SRGB);
}

static void pixel_format_bytes(void **state)
{
	(void)state;
	assert_int_equal(mtl_pixel_format_bytes(MTL_PIXEL_BGRA8_UNORM), 4);
	assert_int_equal(mtl_pixel_format_bytes(MTL_PIXEL_RGBA8_UNORM), 4);
	assert_int_equal(mtl_pixel_format_bytes(MTL_PIXEL_BGRA8_UNORM_SRGB), 4);
	assert_int_equal(mtl_pixel_format_bytes(MTL_PIXEL_R8_UNORM), 1);
	assert_int_equal(mtl_pixel_format_bytes(MTL_PIXEL_STENCIL8), 1);
	assert_int_equal(mtl_pixel_format_bytes(MTL_PIXEL_RGBA16_FLOAT), 8);
	assert_int_equal(mtl_pixel_format_bytes(0), 0);
	assert_int_equal(mtl_pixel_format_bytes(7), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rt_compile_library),
		cmocka_unit_test(rt_get_function),
		cmocka_unit_test(rt_create_render_pipeline),
		cmocka_unit_test(rt_create_compute_pipeline),
		cmocka_unit_test(rt_create_depth_stencil_state),
		cmocka_unit_test(rt_create_depth_stencil_state_long),
		cmocka_unit_test(rt_create_sampler),
		cmocka_unit_test(rt_create_texture),
		cmocka_unit_test(rt_upload_texture),
		cmocka_unit_test(rt_bind_host_texture),
		cmocka_unit_test(rt_handle_commands),
		cmocka_unit_test(rt_begin_render_pass),
		cmocka_unit_test(rt_begin_render_pass_short),
		cmocka_unit_test(rt_empty_commands),
		cmocka_unit_test(rt_set_scissor),
		cmocka_unit_test(rt_set_bytes),
		cmocka_unit_test(rt_set_texture_and_sampler),
		cmocka_unit_test(rt_draw_primitives),
		cmocka_unit_test(rt_dispatch_threads),
		cmocka_unit_test(rt_copy_texture_region),
		cmocka_unit_test(rt_cursor_image),
		cmocka_unit_test(rt_cursor_position_visible_texture),
		cmocka_unit_test(exact_bytes),
		cmocka_unit_test(stream_offsets),
		cmocka_unit_test(encoder_overflow),
		cmocka_unit_test(raw_command),
		cmocka_unit_test(reemit_commands),
		cmocka_unit_test(method_names),
		cmocka_unit_test(enum_names),
		cmocka_unit_test(pixel_format_bytes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
