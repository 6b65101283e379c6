/*
 * test_replay.c — the replay engine's state machine and leniency, as the
 * reference host behaves (DESIGN.md §3): what is ignored, what is counted
 * under which reason, what strict mode does, object lifetimes, the
 * reference host's special forms, and that hostile bytes never crash it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mtlproto/encode.h"
#include "mtlproto/wire.h"
#include "render/replay.h"

static const char MSL[] =
	"#include <metal_stdlib>\n"
	"using namespace metal;\n"
	"struct VertexIn {\n"
	"    float2 position [[attribute(0)]];\n"
	"    float2 texCoord [[attribute(1)]];\n"
	"    float4 color [[attribute(2)]];\n"
	"};\n"
	"struct VertexOut {\n"
	"    float4 position [[position]];\n"
	"    float4 color;\n"
	"};\n"
	"vertex VertexOut vmain(VertexIn in [[stage_in]]) {\n"
	"    VertexOut out;\n"
	"    out.position = float4(in.position, 0.0, 1.0);\n"
	"    out.color = in.color;\n"
	"    return out;\n"
	"}\n"
	"fragment float4 fmain(VertexOut in [[stage_in]]) {\n"
	"    return in.color;\n"
	"}\n";

enum { LIB = 1, VS, FS, PIPE, TEX, MS, RES, ST };

struct vtx { float x, y, u, v, r, g, b, a; };
static const struct vtx FULL[6] = {
	{ -1, 1, 0, 0, 1, 1, 1, 1 }, { 1, 1, 0, 0, 1, 1, 1, 1 }, { 1, -1, 0, 0, 1, 1, 1, 1 },
	{ -1, 1, 0, 0, 1, 1, 1, 1 }, { 1, -1, 0, 0, 1, 1, 1, 1 }, { -1, -1, 0, 0, 1, 1, 1, 1 },
};

struct h {
	uint8_t buf[1 << 15];
	struct mtl_encoder e;
	struct replay_engine *eng;
	struct replay_stats st;
	int presents;
	uint32_t last_frame_id;
	int issues;
};

static void on_present(void *user, uint32_t id)
{
	struct h *h = user;
	h->presents++;
	h->last_frame_id = id;
}

static void on_issue(void *user, const struct replay_issue *is)
{
	struct h *h = user;
	h->issues++;
	assert_non_null(is->message);
}

static void h_init(struct h *h, const char *backend, int strict)
{
	memset(h, 0, sizeof *h);
	struct replay_config cfg = { .width = 4, .height = 4, .backend = backend, .threads = 1, .strict = strict,
				     .on_present = on_present, .on_issue = on_issue, .user = h };
	char err[128];
	h->eng = replay_create(&cfg, err, sizeof err);
	assert_non_null(h->eng);
	mtl_enc_init(&h->e, h->buf, sizeof h->buf);
}

static void h_setup(struct h *h)
{
	mtl_enc_compile_library(&h->e, LIB, MSL, sizeof MSL - 1);
	mtl_enc_get_function(&h->e, VS, LIB, "vmain", 5);
	mtl_enc_get_function(&h->e, FS, LIB, "fmain", 5);
	mtl_enc_create_render_pipeline(&h->e, PIPE, VS, FS, 0, 15, 0, 1, 6);
}

static enum replay_result h_run(struct h *h)
{
	assert_false(mtl_enc_overflowed(&h->e));
	enum replay_result r = replay_submit(h->eng, h->buf, h->e.len);
	mtl_enc_reset(&h->e);
	replay_get_stats(h->eng, &h->st);
	return r;
}

static const uint8_t *h_px(struct h *h, uint32_t x, uint32_t y)
{
	struct replay_frame f;
	replay_read_frame(h->eng, &f);
	return f.pixels + y * f.stride + x * 4;
}

static void draw_full(struct h *h)
{
	mtl_enc_set_vertex_bytes(&h->e, 0, FULL, sizeof FULL);
	mtl_enc_draw_primitives(&h->e, MTL_PRIMITIVE_TRIANGLE, 0, 6);
}

static void test_lenient_rules(void **state)
{
	static struct h h;
	h_init(&h, "soft", 0);
	h_setup(&h);
	/* outside a pass: ignored */
	mtl_enc_set_render_pipeline(&h.e, PIPE);
	draw_full(&h);
	/* draw before a pipeline: ignored */
	mtl_enc_begin_render_pass(&h.e, MTL_DRAWABLE_HANDLE, 0, 0, MTL_LOAD_CLEAR, MTL_STORE_STORE, 0, 0, 0, 0, 0, 1);
	draw_full(&h);
	/* invalid handles */
	mtl_enc_set_render_pipeline(&h.e, 999);
	mtl_enc_set_render_pipeline(&h.e, TEX); /* never created */
	mtl_enc_set_render_pipeline(&h.e, VS);  /* a function, not a pipeline */
	/* a short payload: SET_STENCIL_REF with 2 bytes */
	uint8_t two[2] = { 1, 2 };
	mtl_enc_raw(&h.e, MTL_CMD_SET_STENCIL_REF, 0, two, 2);
	/* inline bytes over 4 KiB and an index over 30 */
	static uint8_t big[4100];
	mtl_enc_set_vertex_bytes(&h.e, 0, big, sizeof big);
	mtl_enc_set_fragment_bytes(&h.e, 31, big, 16);
	mtl_enc_end_render_pass(&h.e);
	mtl_enc_present_and_commit(&h.e, 7);
	assert_int_equal(h_run(&h), REPLAY_OK);
	assert_int_equal(h.st.ignored_by[REPLAY_IGN_OUTSIDE_PASS], 3); /* set pipeline, set bytes, draw */
	assert_int_equal(h.st.ignored_by[REPLAY_IGN_NO_PIPELINE], 1);
	assert_int_equal(h.st.ignored_by[REPLAY_IGN_INVALID_HANDLE], 3);
	assert_int_equal(h.st.ignored_by[REPLAY_IGN_MALFORMED], 1);
	assert_int_equal(h.st.ignored_by[REPLAY_IGN_BAD_ARGUMENT], 2);
	assert_int_equal(h.st.ignored, 10);
	assert_int_equal(h.issues, 10);
	assert_int_equal(h.st.frames, 1);
	assert_int_equal(h.presents, 1);
	assert_int_equal(h.last_frame_id, 7);
	assert_int_equal(h.st.draws, 0);
	/* the frame is just the clear */
	const uint8_t *p = h_px(&h, 1, 1);
	assert_int_equal(p[0], 0);
	assert_int_equal(p[3], 255);
	replay_destroy(h.eng);
}

static void test_strict_stops(void **state)
{
	static struct h h;
	h_init(&h, "soft", 1);
	h_setup(&h);
	mtl_enc_set_render_pipeline(&h.e, PIPE); /* outside a pass */
	mtl_enc_present_and_commit(&h.e, 1);
	assert_int_equal(h_run(&h), REPLAY_STOPPED);
	assert_non_null(strstr(replay_last_error(h.eng), "SET_RENDER_PIPELINE"));
	assert_int_equal(h.st.frames, 0); /* stopped before the present */
	mtl_enc_present_and_commit(&h.e, 2);
	assert_int_equal(h_run(&h), REPLAY_STOPPED); /* and stays stopped */
	replay_destroy(h.eng);
}

/* The 28-byte BEGIN_RENDER_PASS clears with alpha 1. */
static void test_short_begin_pass_alpha(void **state)
{
	static struct h h;
	h_init(&h, "soft", 1);
	mtl_enc_begin_render_pass_short(&h.e, MTL_DRAWABLE_HANDLE, 0, 0, MTL_LOAD_CLEAR, MTL_STORE_STORE, 0, 0, 1, 0, 0);
	mtl_enc_end_render_pass(&h.e);
	mtl_enc_present_and_commit(&h.e, 1);
	assert_int_equal(h_run(&h), REPLAY_OK);
	const uint8_t *p = h_px(&h, 0, 0);
	assert_int_equal(p[0], 255);
	assert_int_equal(p[3], 255);
	replay_destroy(h.eng);
}

/* A stencil attachment of another size is dropped, the pass still runs;
 * multisampleResolve without an MSAA colour texture falls back to store. */
static void test_attachment_fallbacks(void **state)
{
	static struct h h;
	h_init(&h, "soft", 0);
	h_setup(&h);
	mtl_enc_create_texture(&h.e, ST, 8, 8, MTL_PIXEL_STENCIL8, 0, 1, MTL_USAGE_RENDER_TARGET);
	mtl_enc_begin_render_pass(&h.e, MTL_DRAWABLE_HANDLE, 0, ST, MTL_LOAD_CLEAR, MTL_STORE_STORE, 0, 0, 0, 0, 0, 1);
	mtl_enc_set_render_pipeline(&h.e, PIPE);
	draw_full(&h);
	mtl_enc_end_render_pass(&h.e);
	mtl_enc_present_and_commit(&h.e, 1);
	assert_int_equal(h_run(&h), REPLAY_OK);
	assert_int_equal(h.st.draws, 1);
	assert_int_equal(h_px(&h, 2, 2)[0], 255);
	/* resolve without MSAA: plain store, still drawn */
	mtl_enc_create_texture(&h.e, RES, 4, 4, MTL_PIXEL_BGRA8_UNORM_SRGB, 0, 1, MTL_USAGE_RENDER_TARGET);
	mtl_enc_begin_render_pass(&h.e, MTL_DRAWABLE_HANDLE, RES, 0, MTL_LOAD_CLEAR, MTL_STORE_MULTISAMPLE_RESOLVE, 0,
				  0, 0, 0, 1, 1);
	mtl_enc_end_render_pass(&h.e);
	mtl_enc_present_and_commit(&h.e, 2);
	assert_int_equal(h_run(&h), REPLAY_OK);
	assert_int_equal(h_px(&h, 2, 2)[2], 255); /* blue clear stored */
	assert_int_equal(h.st.ignored_by[REPLAY_IGN_BAD_ARGUMENT], 2);
	replay_destroy(h.eng);
}

static void test_texture_limits_and_usage(void **state)
{
	static struct h h;
	h_init(&h, "null", 0);
	mtl_enc_create_texture(&h.e, TEX, 8193, 4, MTL_PIXEL_RGBA8_UNORM, 0, 1, 1);
	mtl_enc_create_texture(&h.e, TEX + 1, 4, 4, 9, 0, 1, 1);             /* bad format */
	mtl_enc_create_texture(&h.e, TEX + 2, 4, 4, MTL_PIXEL_RGBA8_UNORM, 0, 1, 0); /* usage 0 = shaderRead */
	mtl_enc_create_texture(&h.e, 0x80000001u, 4, 4, MTL_PIXEL_RGBA8_UNORM, 0, 1, 1); /* host range */
	assert_int_equal(h_run(&h), REPLAY_OK);
	assert_int_equal(h.st.ignored_by[REPLAY_IGN_UNSUPPORTED], 1);
	assert_int_equal(h.st.ignored_by[REPLAY_IGN_BAD_ARGUMENT], 1);
	assert_int_equal(h.st.ignored_by[REPLAY_IGN_INVALID_HANDLE], 1);
	assert_int_equal(h.st.live_objects, 1);
	/* upload outside the texture, and a short pixel payload */
	uint8_t px[16] = { 0 };
	mtl_enc_upload_texture(&h.e, TEX + 2, 2, 2, 4, 4, 16, px, 16);
	mtl_enc_upload_texture(&h.e, TEX + 2, 0, 0, 2, 2, 8, px, 12);
	mtl_enc_upload_texture(&h.e, TEX + 2, 0, 0, 2, 2, 8, px, 16);
	assert_int_equal(h_run(&h), REPLAY_OK);
	assert_int_equal(h.st.ignored_by[REPLAY_IGN_BAD_ARGUMENT], 3);
	replay_destroy(h.eng);
}

/* Guest textures share a memory budget: past it a texture is refused, and
 * destroying one makes room again (a hostile stream cannot exhaust the host). */
static void test_texture_memory_budget(void **state)
{
	static struct h h;
	memset(&h, 0, sizeof h);
	struct replay_config cfg = { .width = 4, .height = 4, .backend = "soft", .threads = 1,
				     .memory_budget = 1u << 20, .on_issue = on_issue, .user = &h };
	char err[128];
	h.eng = replay_create(&cfg, err, sizeof err);
	assert_non_null(h.eng);
	mtl_enc_init(&h.e, h.buf, sizeof h.buf);
	/* 256x256 rgba8 = 256 KiB; four fit in 1 MiB, the fifth does not */
	for (uint32_t i = 0; i < 5; i++)
		mtl_enc_create_texture(&h.e, TEX + i, 256, 256, MTL_PIXEL_RGBA8_UNORM, 0, 1, 1);
	/* 128x128 rgba16Float x4 samples = 512 KiB: refused too */
	mtl_enc_create_texture(&h.e, MS, 128, 128, MTL_PIXEL_RGBA16_FLOAT, 1, 4, 4);
	assert_int_equal(h_run(&h), REPLAY_OK);
	assert_int_equal(h.st.ignored_by[REPLAY_IGN_UNSUPPORTED], 2);
	assert_int_equal(h.st.live_objects, 4);
	mtl_enc_destroy_object(&h.e, TEX);
	mtl_enc_destroy_object(&h.e, TEX + 1);
	mtl_enc_create_texture(&h.e, MS, 128, 128, MTL_PIXEL_RGBA16_FLOAT, 1, 4, 4);
	assert_int_equal(h_run(&h), REPLAY_OK);
	assert_int_equal(h.st.ignored_by[REPLAY_IGN_UNSUPPORTED], 2);
	assert_int_equal(h.st.live_objects, 3);
	replay_destroy(h.eng);
}

/* DESTROY_OBJECT drops the handle; a bound object lives on until unbound. */
static void test_lifetimes(void **state)
{
	static struct h h;
	h_init(&h, "soft", 0);
	h_setup(&h);
	mtl_enc_begin_render_pass(&h.e, MTL_DRAWABLE_HANDLE, 0, 0, MTL_LOAD_CLEAR, MTL_STORE_STORE, 0, 0, 0, 0, 0, 1);
	mtl_enc_set_render_pipeline(&h.e, PIPE);
	mtl_enc_destroy_object(&h.e, PIPE);
	mtl_enc_destroy_object(&h.e, VS);
	mtl_enc_destroy_object(&h.e, LIB);
	draw_full(&h); /* still drawn with the bound pipeline */
	mtl_enc_end_render_pass(&h.e);
	mtl_enc_present_and_commit(&h.e, 1);
	mtl_enc_destroy_object(&h.e, PIPE); /* gone now */
	mtl_enc_destroy_object(&h.e, MTL_DRAWABLE_HANDLE);
	assert_int_equal(h_run(&h), REPLAY_OK);
	assert_int_equal(h.st.draws, 1);
	assert_int_equal(h_px(&h, 1, 1)[0], 255);
	assert_int_equal(h.st.ignored_by[REPLAY_IGN_INVALID_HANDLE], 2);
	assert_int_equal(h.st.live_objects, 1); /* FS only */
	replay_destroy(h.eng);
}

/* A present with a pass open closes it first (counted) and still presents. */
static void test_present_with_open_pass(void **state)
{
	static struct h h;
	h_init(&h, "soft", 0);
	mtl_enc_begin_render_pass(&h.e, MTL_DRAWABLE_HANDLE, 0, 0, MTL_LOAD_CLEAR, MTL_STORE_STORE, 0, 0, 0, 1, 0, 1);
	mtl_enc_present_and_commit(&h.e, 3);
	assert_int_equal(h_run(&h), REPLAY_OK);
	assert_int_equal(h.st.frames, 1);
	assert_int_equal(h_px(&h, 0, 0)[1], 255);
	assert_int_equal(h.st.ignored_by[REPLAY_IGN_OUTSIDE_PASS], 1);
	replay_destroy(h.eng);
}

static void test_bad_shader_reported(void **state)
{
	static struct h h;
	h_init(&h, "soft", 0);
	static const char bad[] = "vertex float4 f( { nonsense";
	mtl_enc_compile_library(&h.e, LIB, bad, sizeof bad - 1);
	mtl_enc_get_function(&h.e, VS, LIB, "f", 1);
	assert_int_equal(h_run(&h), REPLAY_OK);
	assert_int_equal(h.st.ignored_by[REPLAY_IGN_SHADER], 1);
	assert_int_equal(h.st.ignored_by[REPLAY_IGN_INVALID_HANDLE], 1);
	/* a library that compiles but lacks the function */
	mtl_enc_compile_library(&h.e, LIB, MSL, sizeof MSL - 1);
	mtl_enc_get_function(&h.e, VS, LIB, "nope", 4);
	assert_int_equal(h_run(&h), REPLAY_OK);
	assert_int_equal(h.st.ignored_by[REPLAY_IGN_SHADER], 2);
	replay_destroy(h.eng);
}

/* A shader that goes out of bounds at run time is reported, not fatal. */
static void test_runtime_shader_error(void **state)
{
	static struct h h;
	static const char src[] =
		"#include <metal_stdlib>\n"
		"using namespace metal;\n"
		"struct VertexIn {\n"
		"    float2 position [[attribute(0)]];\n"
		"};\n"
		"struct VertexOut {\n"
		"    float4 position [[position]];\n"
		"};\n"
		"vertex VertexOut vmain(VertexIn in [[stage_in]]) {\n"
		"    VertexOut out;\n"
		"    out.position = float4(in.position, 0.0, 1.0);\n"
		"    return out;\n"
		"}\n"
		"fragment float4 fmain(VertexOut in [[stage_in]], constant float4 *c [[buffer(0)]]) {\n"
		"    return c[int(in.position.x) * 1000];\n"
		"}\n";
	h_init(&h, "soft", 0);
	mtl_enc_compile_library(&h.e, LIB, src, sizeof src - 1);
	mtl_enc_get_function(&h.e, VS, LIB, "vmain", 5);
	mtl_enc_get_function(&h.e, FS, LIB, "fmain", 5);
	mtl_enc_create_render_pipeline(&h.e, PIPE, VS, FS, 0, 15, 0, 1, 6);
	mtl_enc_begin_render_pass(&h.e, MTL_DRAWABLE_HANDLE, 0, 0, MTL_LOAD_CLEAR, MTL_STORE_STORE, 0, 0, 0, 0, 0, 1);
	mtl_enc_set_render_pipeline(&h.e, PIPE);
	float four[4] = { 1, 1, 1, 1 };
	mtl_enc_set_fragment_bytes(&h.e, 0, four, sizeof four);
	draw_full(&h);
	mtl_enc_end_render_pass(&h.e);
	mtl_enc_present_and_commit(&h.e, 1);
	assert_int_equal(h_run(&h), REPLAY_OK);
	assert_int_equal(h.st.ignored_by[REPLAY_IGN_SHADER], 1);
	assert_int_equal(h.st.frames, 1);
	replay_destroy(h.eng);
}

/* Hostile bytes: random buffers and mutated valid streams never crash. */
static void test_hostile_bytes(void **state)
{
	static struct h h;
	static uint8_t valid[1 << 14];
	h_init(&h, "soft", 0);
	h_setup(&h);
	mtl_enc_create_texture(&h.e, TEX, 4, 4, MTL_PIXEL_RGBA8_UNORM, 0, 1, 7);
	mtl_enc_begin_render_pass(&h.e, MTL_DRAWABLE_HANDLE, 0, 0, MTL_LOAD_CLEAR, MTL_STORE_STORE, 0, 0, 0, 0, 0, 1);
	mtl_enc_set_render_pipeline(&h.e, PIPE);
	draw_full(&h);
	mtl_enc_set_scissor(&h.e, 1, 1, 2, 2);
	mtl_enc_draw_primitives(&h.e, MTL_PRIMITIVE_TRIANGLE_STRIP, 0, 6);
	mtl_enc_end_render_pass(&h.e);
	mtl_enc_present_and_commit(&h.e, 1);
	size_t n = h.e.len;
	memcpy(valid, h.buf, n);
	mtl_enc_reset(&h.e);
	replay_destroy(h.eng);
	uint32_t seed = 1;
	for (int round = 0; round < 300; round++) {
		h_init(&h, round % 2 ? "soft" : "null", 0);
		static uint8_t buf[1 << 14];
		memcpy(buf, valid, n);
		for (int k = 0; k < 1 + round % 8; k++) {
			seed = seed * 1664525u + 1013904223u;
			size_t at = (seed >> 8) % n;
			seed = seed * 1664525u + 1013904223u;
			buf[at] = (uint8_t)(seed >> 24);
		}
		size_t len = round % 5 == 0 ? (seed >> 4) % n : n;
		replay_submit(h.eng, buf, len);
		replay_submit(h.eng, buf + len / 2, len - len / 2);
		replay_destroy(h.eng);
	}
}

static void test_bad_config(void **state)
{
	char err[128];
	struct replay_config cfg = { .width = 4, .height = 4, .backend = "vulkan" };
	assert_null(replay_create(&cfg, err, sizeof err));
	assert_non_null(strstr(err, "vulkan"));
	cfg.backend = "null";
	cfg.width = 20000;
	assert_null(replay_create(&cfg, err, sizeof err));
	cfg.width = 4;
	struct replay_engine *e = replay_create(&cfg, err, sizeof err);
	assert_non_null(e);
	assert_int_equal(replay_set_display(e, 0, 5), -1);
	assert_int_equal(replay_set_display(e, 6, 5), 0);
	struct replay_frame f;
	replay_read_frame(e, &f);
	assert_int_equal(f.width, 6);
	assert_int_equal(f.height, 5);
	assert_string_equal(replay_backend_name(e), "null");
	assert_int_equal(replay_write_png("/nonexistent-dir/x.png", &f, err, sizeof err), -1);
	assert_non_null(strstr(err, "/nonexistent-dir/x.png"));
	replay_destroy(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lenient_rules),
		cmocka_unit_test(test_strict_stops),
		cmocka_unit_test(test_short_begin_pass_alpha),
		cmocka_unit_test(test_attachment_fallbacks),
		cmocka_unit_test(test_texture_limits_and_usage),
		cmocka_unit_test(test_texture_memory_budget),
		cmocka_unit_test(test_lifetimes),
		cmocka_unit_test(test_present_with_open_pass),
		cmocka_unit_test(test_bad_shader_reported),
		cmocka_unit_test(test_runtime_shader_error),
		cmocka_unit_test(test_hostile_bytes),
		cmocka_unit_test(test_bad_config),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
