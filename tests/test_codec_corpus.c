/*
 * test_codec_corpus.c — the committed corpus streams through the codec:
 * every command decodes cleanly, re-encoding each decoded command gives
 * back exactly the original bytes (decode and encode are inverse on real
 * streams), frames are numbered 0, 1, 2, ..., and each stream contains the
 * feature it exists to exercise.
 *
 * Run from the top of the tree (make check does), so corpus/ is found.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mtlproto/decode.h"
#include "mtlproto/encode.h"

static uint8_t *load(const char *name, size_t *len)
{
	char path[256];
	snprintf(path, sizeof path, "corpus/%s", name);
	FILE *f = fopen(path, "rb");
	if (!f) {
		fail_msg("%s: cannot open (run the test from the top of the tree)", path);
		return NULL;
	}
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	assert_true(n > 0);
	uint8_t *b = malloc((size_t)n);
	assert_non_null(b);
	assert_int_equal(fread(b, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return b;
}

/* Encode a decoded command again with the encoder's typed functions. */
static size_t reencode(struct mtl_encoder *e, const struct mtl_cmd *c)
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
	fail_msg("method 0x%04x has no encoder", c->method);
	return 0;
}

struct stream_facts {
	unsigned count[MTL_METHOD_COUNT];
	unsigned frames;
	int msaa_pipeline_srgb;    /* a 4x pipeline drawing format 6 */
	int resolve_to_drawable;   /* a pass resolving into the drawable */
	int stencil_msaa_texture;  /* a 4x stencil8 texture */
	int stencil_pass;          /* a pass with a stencil attachment */
	int write_texture;         /* a texture with shaderWrite */
};

static unsigned count(const struct stream_facts *f, uint16_t method)
{
	return f->count[mtl_method_index(method)];
}

/* Decode, re-encode, compare; gather facts. */
static void walk_stream(const char *name, struct stream_facts *f)
{
	size_t len;
	uint8_t *b = load(name, &len);
	uint8_t *out = malloc(len);
	assert_non_null(out);
	struct mtl_encoder e;
	mtl_enc_init(&e, out, len);
	struct mtl_decoder d;
	struct mtl_cmd c;
	enum mtl_status s;
	memset(f, 0, sizeof *f);
	mtl_decoder_init(&d, b, len);
	while ((s = mtl_decoder_next(&d, &c)) != MTL_END) {
		if (s != MTL_OK)
			fail_msg("%s: offset %zu: %s", name, c.error_offset, mtl_status_name(s));
		f->count[mtl_method_index(c.method)]++;
		size_t at = e.len;
		assert_int_equal(at, c.offset);
		assert_int_equal(reencode(&e, &c), MTL_HEADER_SIZE + c.payload_size);
		if (memcmp(out + at, b + at, MTL_HEADER_SIZE + c.payload_size) != 0)
			fail_msg("%s: command at %zu (%s) re-encodes differently", name, at, mtl_method_name(c.method));
		switch (c.method) {
		case MTL_CMD_PRESENT_AND_COMMIT:
			assert_int_equal(c.u.present.frame_id, f->frames);
			f->frames++;
			break;
		case MTL_CMD_CREATE_RENDER_PIPELINE:
			if (c.u.create_render_pipeline.sample_count == 4 &&
			    c.u.create_render_pipeline.pixel_format == MTL_PIXEL_BGRA8_UNORM_SRGB)
				f->msaa_pipeline_srgb = 1;
			break;
		case MTL_CMD_BEGIN_RENDER_PASS:
			if (c.u.begin_render_pass.resolve == MTL_DRAWABLE_HANDLE &&
			    c.u.begin_render_pass.store == MTL_STORE_MULTISAMPLE_RESOLVE)
				f->resolve_to_drawable = 1;
			if (c.u.begin_render_pass.stencil)
				f->stencil_pass = 1;
			break;
		case MTL_CMD_CREATE_TEXTURE:
			if (c.u.create_texture.pixel_format == MTL_PIXEL_STENCIL8 && c.u.create_texture.sample_count == 4)
				f->stencil_msaa_texture = 1;
			if (c.u.create_texture.usage & MTL_USAGE_SHADER_WRITE)
				f->write_texture = 1;
			break;
		default:
			break;
		}
	}
	assert_false(mtl_enc_overflowed(&e));
	assert_int_equal(e.len, len);
	assert_memory_equal(out, b, len);
	assert_true(f->frames > 0);
	free(out);
	free(b);
}

static void triangle(void **state)
{
	(void)state;
	struct stream_facts f;
	walk_stream("triangle.bin", &f);
	assert_true(f.msaa_pipeline_srgb);
	assert_true(f.resolve_to_drawable);
	assert_true(count(&f, MTL_CMD_DRAW_PRIMITIVES) >= 1);
}

static void textured_quad(void **state)
{
	(void)state;
	struct stream_facts f;
	walk_stream("textured-quad.bin", &f);
	assert_true(count(&f, MTL_CMD_UPLOAD_TEXTURE) >= 1);
	assert_true(count(&f, MTL_CMD_CREATE_SAMPLER) >= 1);
	assert_true(count(&f, MTL_CMD_SET_FRAGMENT_TEXTURE) >= 1);
	assert_true(count(&f, MTL_CMD_SET_FRAGMENT_SAMPLER) >= 1);
}

static void msaa_stencil(void **state)
{
	(void)state;
	struct stream_facts f;
	walk_stream("msaa-stencil.bin", &f);
	assert_true(f.stencil_msaa_texture);
	assert_true(f.stencil_pass);
	assert_true(f.resolve_to_drawable);
	assert_true(count(&f, MTL_CMD_CREATE_DEPTH_STENCIL_STATE) >= 2);
	assert_true(count(&f, MTL_CMD_SET_STENCIL_REF) >= 1);
}

static void compute(void **state)
{
	(void)state;
	struct stream_facts f;
	walk_stream("compute.bin", &f);
	assert_true(f.write_texture);
	assert_true(count(&f, MTL_CMD_DISPATCH_THREADS) >= 1);
	assert_true(count(&f, MTL_CMD_SET_COMPUTE_TEXTURE) >= 1);
	assert_true(count(&f, MTL_CMD_DRAW_PRIMITIVES) >= 1);
}

static void blit(void **state)
{
	(void)state;
	struct stream_facts f;
	walk_stream("blit.bin", &f);
	assert_true(count(&f, MTL_CMD_COPY_TEXTURE_REGION) >= 1);
	assert_true(count(&f, MTL_CMD_BEGIN_BLIT_PASS) == count(&f, MTL_CMD_END_BLIT_PASS));
}

static void cursor(void **state)
{
	(void)state;
	struct stream_facts f;
	walk_stream("cursor.bin", &f);
	assert_true(count(&f, MTL_CMD_SET_CURSOR_IMAGE) >= 1);
	assert_true(count(&f, MTL_CMD_SET_CURSOR_POSITION) >= 1);
	assert_true(count(&f, MTL_CMD_SET_CURSOR_VISIBLE) >= 2);
	assert_true(count(&f, MTL_CMD_SET_CURSOR_FROM_TEXTURE) >= 1);
}

static void many_frames(void **state)
{
	(void)state;
	struct stream_facts f;
	walk_stream("many-frames.bin", &f);
	assert_int_equal(f.frames, 60);
	assert_true(count(&f, MTL_CMD_SET_FRAGMENT_BYTES) >= 60);
	assert_true(count(&f, MTL_CMD_DRAW_PRIMITIVES) >= 600);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(triangle), cmocka_unit_test(textured_quad), cmocka_unit_test(msaa_stencil),
		cmocka_unit_test(compute),  cmocka_unit_test(blit),          cmocka_unit_test(cursor),
		cmocka_unit_test(many_frames),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
