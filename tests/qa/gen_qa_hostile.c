/*
 * gen_qa_hostile — raw streams that attack the host's resource handling:
 * huge dispatches, an endless fragment loop, huge and many textures,
 * overflowing upload/copy/scissor rectangles, NaN/Inf everywhere, draws far
 * past their vertex data. Each must replay and validate with a clear result
 * and bounded time and memory (tests/qa/hostile.sh).
 *
 *   gen_qa_hostile OUTDIR   (run from the top of the tree)
 */
#include <math.h>
#include <stdio.h>

#include "qa_streams.h"

#define HLIB_PATH "tests/qa/shaders/hostile_lib.metal"

static const char *g_src;
static const char *g_dir;
static int g_rc;

static void prelude(struct qa_buf *b)
{
	qa_compile_library(b, 1, g_src);
	qa_get_function(b, 2, 1, "v_main");
	qa_get_function(b, 3, 1, "f_spin");
	qa_get_function(b, 4, 1, "f_solid");
	qa_get_function(b, 5, 1, "k_fill");
	qa_render_pipeline(b, 10, 2, 3, 0, 15, 0, 1, 6);
	qa_render_pipeline(b, 11, 2, 4, 1, 15, 0, 1, 6);
	qa_compute_pipeline(b, 12, 5);
}

static void emit(const char *name, struct qa_buf *b)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s.bin", g_dir, name);
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(b->p, 1, b->len, f) != b->len || fclose(f) != 0) {
		fprintf(stderr, "gen_qa_hostile: cannot write %s\n", path);
		g_rc = 1;
	}
	free(b->p);
	memset(b, 0, sizeof *b);
}

static void fullscreen(struct qa_buf *b, const float rgba[4])
{
	struct qa_vertex v[6];
	qa_quad(v, -1, -1, 1, 1, 0, 0, 1, 1, rgba);
	qa_vertices(b, v, 6);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: gen_qa_hostile OUTDIR\n");
		return 2;
	}
	g_dir = argv[1];
	char *src = qa_read_text(HLIB_PATH);
	if (!src) {
		fprintf(stderr, "gen_qa_hostile: cannot read %s\n", HLIB_PATH);
		return 2;
	}
	g_src = src;
	static struct qa_buf b;
	const float red[4] = { 1, 0, 0, 1 };

	/* 65535^3 threads over a 16x16 texture */
	prelude(&b);
	qa_texture(&b, 20, 16, 16, 2, 0, 1, 3);
	qa_empty_cmd(&b, QA_BEGIN_COMPUTE_PASS);
	qa_handle_cmd(&b, QA_SET_COMPUTE_PIPELINE, 12);
	qa_set_slot(&b, QA_SET_COMPUTE_TEXTURE, 20, 0);
	qa_dispatch(&b, 65535, 65535, 65535, 8, 8, 1);
	qa_empty_cmd(&b, QA_END_COMPUTE_PASS);
	qa_present(&b, 0);
	emit("huge-dispatch", &b);

	/* zero threadgroup, zero grid */
	prelude(&b);
	qa_texture(&b, 20, 16, 16, 2, 0, 1, 3);
	qa_empty_cmd(&b, QA_BEGIN_COMPUTE_PASS);
	qa_handle_cmd(&b, QA_SET_COMPUTE_PIPELINE, 12);
	qa_set_slot(&b, QA_SET_COMPUTE_TEXTURE, 20, 0);
	qa_dispatch(&b, 16, 16, 1, 0, 0, 0);
	qa_dispatch(&b, 0, 0, 0, 8, 8, 1);
	qa_empty_cmd(&b, QA_END_COMPUTE_PASS);
	qa_present(&b, 0);
	emit("zero-threadgroup", &b);

	/* a fragment shader that never ends, full screen */
	prelude(&b);
	qa_begin_render_pass(&b, QA_DRAWABLE, 0, 0, 2, 1, 0, 0, 0, 0, 0, 1, 0);
	qa_handle_cmd(&b, QA_SET_RENDER_PIPELINE, 10);
	fullscreen(&b, red);
	qa_draw(&b, 0, 0, 6);
	qa_empty_cmd(&b, QA_END_RENDER_PASS);
	qa_present(&b, 0);
	emit("endless-fragment", &b);

	/* 16384x16384 rgba16Float (2 GiB), then 1000 x 8192x8192 rgba16Float */
	prelude(&b);
	qa_texture(&b, 20, 16384, 16384, 5, 0, 1, 5);
	qa_begin_render_pass(&b, 20, 0, 0, 2, 1, 0, 0, 1, 0, 0, 1, 0);
	qa_empty_cmd(&b, QA_END_RENDER_PASS);
	for (uint32_t i = 0; i < 1000; i++)
		qa_texture(&b, 100 + i, 8192, 8192, 5, 0, 1, 5);
	for (uint32_t i = 0; i < 1000; i++) {
		qa_begin_render_pass(&b, 100 + i, 0, 0, 2, 1, 0, 0, 0, 1, 0, 1, 0);
		qa_empty_cmd(&b, QA_END_RENDER_PASS);
	}
	qa_present(&b, 0);
	emit("many-huge-textures", &b);

	/* 65535x65535 textures (over every limit), MSAA 4x 8192 */
	prelude(&b);
	qa_texture(&b, 20, 65535, 65535, 5, 0, 1, 7);
	qa_texture(&b, 21, 8192, 8192, 5, 1, 4, 4);
	qa_texture(&b, 22, 8192, 8192, 5, 1, 255, 4);
	qa_begin_render_pass(&b, 21, 0, 0, 2, 2, 0, 0, 0, 0, 0, 1, 0);
	qa_empty_cmd(&b, QA_END_RENDER_PASS);
	qa_present(&b, 0);
	emit("oversized-textures", &b);

	/* overflowing rectangles: upload, copy, scissor, cursor from texture */
	prelude(&b);
	qa_texture(&b, 20, 64, 64, 2, 0, 1, 7);
	qa_texture(&b, 21, 64, 64, 2, 0, 1, 7);
	{
		uint8_t px[64];
		memset(px, 0x7F, sizeof px);
		qa_upload(&b, 20, 65535, 65535, 65535, 65535, 0xFFFFFFFFu, px, sizeof px);
		qa_upload(&b, 20, 60, 60, 8, 8, 32, px, sizeof px);
		qa_upload(&b, 20, 0, 0, 64, 64, 0, px, sizeof px);
		qa_upload(&b, 20, 0, 0, 4, 4, 16, px, sizeof px);
	}
	qa_empty_cmd(&b, QA_BEGIN_BLIT_PASS);
	qa_copy(&b, 20, 21, 65535, 65535, 65535, 65535, 65535, 65535);
	qa_copy(&b, 20, 21, 32, 32, 64, 64, 0, 0);
	qa_copy(&b, 20, 21, 0, 0, 64, 64, 63, 63);
	qa_copy(&b, 20, 20, 0, 0, 64, 64, 1, 1);
	qa_empty_cmd(&b, QA_END_BLIT_PASS);
	qa_begin_render_pass(&b, QA_DRAWABLE, 0, 0, 2, 1, 0, 0, 0, 0, 0, 1, 0);
	qa_handle_cmd(&b, QA_SET_RENDER_PIPELINE, 11);
	qa_scissor(&b, 65535, 65535, 65535, 65535);
	fullscreen(&b, red);
	qa_draw(&b, 0, 0, 6);
	qa_scissor(&b, 0, 0, 0, 0);
	qa_draw(&b, 0, 0, 6);
	qa_empty_cmd(&b, QA_END_RENDER_PASS);
	qa_cursor_from_texture(&b, 20, 256, 256, -32768, 32767);
	qa_cursor_from_texture(&b, 20, 65535, 65535, 0, 0);
	qa_cursor_position(&b, NAN, INFINITY);
	qa_cursor_visible(&b, 1);
	qa_present(&b, 0);
	emit("overflow-rects", &b);

	/* NaN/Inf in clear colours and vertices, draws far past their data */
	prelude(&b);
	qa_begin_render_pass(&b, QA_DRAWABLE, 0, 0, 2, 1, 0, 0, NAN, INFINITY, -INFINITY, NAN, 0);
	qa_handle_cmd(&b, QA_SET_RENDER_PIPELINE, 11);
	{
		struct qa_vertex v[6];
		const float nanc[4] = { NAN, INFINITY, -1e30f, NAN };
		qa_quad(v, -1e30f, NAN, INFINITY, 1e30f, NAN, NAN, 1, 1, nanc);
		qa_vertices(&b, v, 6);
		qa_draw(&b, 0, 0, 6);
		qa_draw(&b, 0, 0xFFFFFFF0u, 0x20);
		qa_draw(&b, 0, 0, 0xFFFFFFFFu);
		qa_draw(&b, 1, 0, 0xFFFFFFFFu);
		qa_draw(&b, 2, 0, 0xFFFFFFFFu);
		qa_draw(&b, 3, 0, 0xFFFFFFFFu);
		/* giant triangle, far outside the viewport */
		struct qa_vertex g[3] = { { -1e7f, -1e7f, 0, 0, 1, 1, 1, 1 },
					  { 1e7f, -1e7f, 0, 0, 1, 1, 1, 1 },
					  { 0, 1e7f, 0, 0, 1, 1, 1, 1 } };
		qa_vertices(&b, g, 3);
		qa_draw(&b, 0, 0, 3);
	}
	qa_empty_cmd(&b, QA_END_RENDER_PASS);
	qa_cursor_position(&b, -1e30f, 1e30f);
	qa_present(&b, 0);
	emit("nan-and-overrun", &b);

	/* 100000 tiny draws of 3 vertices, fine but big */
	prelude(&b);
	qa_begin_render_pass(&b, QA_DRAWABLE, 0, 0, 2, 1, 0, 0, 0, 0, 0, 1, 0);
	qa_handle_cmd(&b, QA_SET_RENDER_PIPELINE, 11);
	{
		struct qa_vertex v[6];
		qa_quad(v, -0.01f, -0.01f, 0.01f, 0.01f, 0, 0, 1, 1, red);
		qa_vertices(&b, v, 6);
		for (int i = 0; i < 100000; i++)
			qa_draw(&b, 0, 0, 6);
	}
	qa_empty_cmd(&b, QA_END_RENDER_PASS);
	qa_present(&b, 0);
	emit("many-draws", &b);

	/* 1M handles created and never destroyed (samplers: 16 bytes each) */
	prelude(&b);
	for (uint32_t i = 0; i < 1000000; i++)
		qa_sampler(&b, 1000 + i, 1, 1, 0, 0);
	qa_present(&b, 0);
	emit("million-samplers", &b);

	/* uniforms smaller than the shader's constant struct: 16 of the 64
	 * bytes a `constant RectUniforms &` reads (Metal's API validation
	 * rejects this; the validator has no rule for it yet) */
	{
		char *ui = qa_read_text(QA_SHADER_PATH);
		if (ui) {
			qa_setup_library(&b, ui);
			qa_render_pipeline(&b, PIPE_ROUNDED, FN_VERTEX, FN_ROUNDED, 1, 15, 0, 1, 6);
			qa_begin_render_pass(&b, QA_DRAWABLE, 0, 0, 2, 1, 0, 0, 0, 0, 0, 1, 0);
			qa_handle_cmd(&b, QA_SET_RENDER_PIPELINE, PIPE_ROUNDED);
			struct qa_vertex v[6];
			qa_pixel_quad(v, 0, 0, 256, 192, QA_WHITE);
			qa_vertices(&b, v, 6);
			const float u[4] = { 128, 96, 50, 50 };
			qa_fbytes_f32(&b, QA_SET_FRAGMENT_BYTES, 0, u, 4);
			qa_draw(&b, 0, 0, 6);
			qa_empty_cmd(&b, QA_END_RENDER_PASS);
			qa_present(&b, 0);
			emit("short-uniforms", &b);
			free(ui);
		}
	}

	free(src);
	return g_rc;
}
