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
		assert_int_equal(mtl_enc_command(&e, &c), MTL_HEADER_SIZE + c.payload_size);
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
