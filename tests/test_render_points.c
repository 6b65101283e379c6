/*
 * test_render_points.c — point sprites in the soft renderer, pixel-exact:
 * a point is a screen-aligned square of [[point_size]] pixels centred on
 * the vertex, covered by the top-left rule at pixel centres (per sample
 * under 4x MSAA); [[point_coord]] runs 0..1 across it from the top-left;
 * a vertex function without [[point_size]] draws 1-pixel points.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../render/src/soft_formats.h"
#include "mtlproto/encode.h"
#include "mtlproto/wire.h"
#include "render/replay.h"

/* The vertex layout is the renderer's fixed one (position, texCoord,
 * color); texCoord.x carries the point size. */
#define MSL_SRC                                                                                   \
	"#include <metal_stdlib>\n"                                                               \
	"using namespace metal;\n"                                                                \
	"struct VertexIn {\n"                                                                     \
	"    float2 position [[attribute(0)]];\n"                                                 \
	"    float2 texCoord [[attribute(1)]];\n"                                                 \
	"    float4 color [[attribute(2)]];\n"                                                    \
	"};\n"                                                                                    \
	"struct PointOut {\n"                                                                     \
	"    float4 position [[position]];\n"                                                     \
	"    float size [[point_size]];\n"                                                        \
	"    float4 color;\n"                                                                     \
	"};\n"                                                                                    \
	"struct PlainOut {\n"                                                                     \
	"    float4 position [[position]];\n"                                                     \
	"    float4 color;\n"                                                                     \
	"};\n"                                                                                    \
	"vertex PointOut vpoint(VertexIn in [[stage_in]]) {\n"                                    \
	"    PointOut out;\n"                                                                     \
	"    out.position = float4(in.position, 0.0, 1.0);\n"                                     \
	"    out.size = in.texCoord.x;\n"                                                         \
	"    out.color = in.color;\n"                                                             \
	"    return out;\n"                                                                       \
	"}\n"                                                                                     \
	"vertex PlainOut vplain(VertexIn in [[stage_in]]) {\n"                                    \
	"    PlainOut out;\n"                                                                     \
	"    out.position = float4(in.position, 0.0, 1.0);\n"                                     \
	"    out.color = in.color;\n"                                                             \
	"    return out;\n"                                                                       \
	"}\n"                                                                                     \
	"fragment float4 fcolor(PlainOut in [[stage_in]]) {\n"                                    \
	"    return in.color;\n"                                                                  \
	"}\n"                                                                                     \
	"fragment float4 fcoord(PlainOut in [[stage_in]], float2 pc [[point_coord]]) {\n"         \
	"    return float4(pc.x, pc.y, 0.0, 1.0);\n"                                              \
	"}\n"

enum { LIB = 1, VPOINT, VPLAIN, FCOLOR, FCOORD, P_POINT, P_PLAIN, P_COORD, P_MSAA, MS };

struct vtx {
	float x, y, u, v, r, g, b, a;
};

struct t {
	uint8_t buf[1 << 14];
	struct mtl_encoder e;
	struct replay_engine *eng;
	struct replay_frame f;
	uint32_t w, h;
};

static void t_begin(struct t *t, uint32_t w, uint32_t h)
{
	struct replay_config cfg;
	memset(&cfg, 0, sizeof cfg);
	cfg.width = w;
	cfg.height = h;
	cfg.backend = "soft";
	cfg.threads = 1;
	cfg.strict = 1;
	char err[256];
	t->eng = replay_create(&cfg, err, sizeof err);
	assert_non_null(t->eng);
	t->w = w;
	t->h = h;
	mtl_enc_init(&t->e, t->buf, sizeof t->buf);
	mtl_enc_compile_library(&t->e, LIB, MSL_SRC, (uint32_t)strlen(MSL_SRC));
	mtl_enc_get_function(&t->e, VPOINT, LIB, "vpoint", 6);
	mtl_enc_get_function(&t->e, VPLAIN, LIB, "vplain", 6);
	mtl_enc_get_function(&t->e, FCOLOR, LIB, "fcolor", 6);
	mtl_enc_get_function(&t->e, FCOORD, LIB, "fcoord", 6);
	mtl_enc_create_render_pipeline(&t->e, P_POINT, VPOINT, FCOLOR, 0, 15, 0, 1, 6);
	mtl_enc_create_render_pipeline(&t->e, P_PLAIN, VPLAIN, FCOLOR, 0, 15, 0, 1, 6);
	mtl_enc_create_render_pipeline(&t->e, P_COORD, VPOINT, FCOORD, 0, 15, 0, 1, 6);
	mtl_enc_create_render_pipeline(&t->e, P_MSAA, VPOINT, FCOLOR, 0, 15, 0, 4, 6);
}

static void t_run(struct t *t)
{
	assert_false(mtl_enc_overflowed(&t->e));
	if (replay_submit(t->eng, t->buf, t->e.len) != REPLAY_OK)
		fail_msg("replay stopped: %s", replay_last_error(t->eng));
	mtl_enc_reset(&t->e);
	replay_read_frame(t->eng, &t->f);
}

/* A point at window position (x, y) (pixels, y down) of the given size. */
static struct vtx point_at(const struct t *t, float x, float y, float size)
{
	struct vtx v = { x / (t->w / 2.0f) - 1, 1 - y / (t->h / 2.0f), size, 0, 1, 1, 1, 1 };
	return v;
}

static void draw_points(struct t *t, const struct vtx *v, uint32_t n)
{
	mtl_enc_set_vertex_bytes(&t->e, 0, v, n * sizeof *v);
	mtl_enc_draw_primitives(&t->e, MTL_PRIMITIVE_POINT, 0, n);
}

static void expect_px(struct t *t, uint32_t x, uint32_t y, int r, int g, int b, int a)
{
	const uint8_t *p = t->f.pixels + y * t->f.stride + x * 4;
	if (p[0] != r || p[1] != g || p[2] != b || p[3] != a)
		fail_msg("pixel %u,%u is %d,%d,%d,%d, expected %d,%d,%d,%d", x, y, p[0], p[1], p[2], p[3], r, g, b,
			 a);
}

/* Is pixel (x, y) inside the inclusive rectangle? */
static int in_rect(uint32_t x, uint32_t y, uint32_t x0, uint32_t y0, uint32_t x1, uint32_t y1)
{
	return x >= x0 && x <= x1 && y >= y0 && y <= y1;
}

/* Sizes 4 and 3, centred on a pixel corner and on a pixel centre: the
 * square [c - s/2, c + s/2) owns the pixel centres inside it, and a centre
 * exactly on its left/top edge (not right/bottom) — so every point covers
 * exactly floor-or-ceil(size)^2 pixels with no gaps. */
static void test_point_squares(void **state)
{
	static struct t t;
	t_begin(&t, 16, 16);
	struct vtx v[4] = {
		point_at(&t, 4.0f, 4.0f, 4.0f),   /* [2,6): pixels 2..5 */
		point_at(&t, 10.5f, 4.5f, 3.0f),  /* [9,12): pixels 9..11 */
		point_at(&t, 4.0f, 12.0f, 3.0f),  /* [2.5,5.5): centres 2.5 (left edge, in) .. 4.5 */
		point_at(&t, 12.5f, 12.5f, 4.0f), /* [10.5,14.5): centres 10.5 .. 13.5 */
	};
	mtl_enc_begin_render_pass(&t.e, MTL_DRAWABLE_HANDLE, 0, 0, MTL_LOAD_CLEAR, MTL_STORE_STORE, 0, 0, 0, 0, 0, 1);
	mtl_enc_set_render_pipeline(&t.e, P_POINT);
	draw_points(&t, v, 4);
	mtl_enc_end_render_pass(&t.e);
	mtl_enc_present_and_commit(&t.e, 1);
	t_run(&t);
	for (uint32_t y = 0; y < 16; y++)
		for (uint32_t x = 0; x < 16; x++) {
			int lit = in_rect(x, y, 2, 2, 5, 5) || in_rect(x, y, 9, 3, 11, 5) || in_rect(x, y, 2, 10, 4, 12) ||
				  in_rect(x, y, 10, 10, 13, 13);
			expect_px(&t, x, y, lit ? 255 : 0, lit ? 255 : 0, lit ? 255 : 0, 255);
		}
	replay_destroy(t.eng);
}

/* Sizes below 1 (and NaN-free zero) draw 1 pixel; a vertex function
 * without [[point_size]] draws 1-pixel points as before. */
static void test_small_and_default_size(void **state)
{
	static struct t t;
	t_begin(&t, 8, 8);
	struct vtx a[2] = { point_at(&t, 1.5f, 1.5f, 0.25f), point_at(&t, 5.5f, 1.5f, 0.0f) };
	struct vtx b[1] = { point_at(&t, 3.5f, 5.5f, 9.0f) }; /* size ignored: vplain has no [[point_size]] */
	mtl_enc_begin_render_pass(&t.e, MTL_DRAWABLE_HANDLE, 0, 0, MTL_LOAD_CLEAR, MTL_STORE_STORE, 0, 0, 0, 0, 0, 1);
	mtl_enc_set_render_pipeline(&t.e, P_POINT);
	draw_points(&t, a, 2);
	mtl_enc_set_render_pipeline(&t.e, P_PLAIN);
	draw_points(&t, b, 1);
	mtl_enc_end_render_pass(&t.e);
	mtl_enc_present_and_commit(&t.e, 1);
	t_run(&t);
	for (uint32_t y = 0; y < 8; y++)
		for (uint32_t x = 0; x < 8; x++) {
			int lit = (x == 1 && y == 1) || (x == 5 && y == 1) || (x == 3 && y == 5);
			expect_px(&t, x, y, lit ? 255 : 0, lit ? 255 : 0, lit ? 255 : 0, 255);
		}
	replay_destroy(t.eng);
}

/* point_coord at each covered pixel centre of a 4-pixel point at (4, 4):
 * ((i + 0.5) / 4, (j + 0.5) / 4) for pixel (2 + i, 2 + j), written as
 * colour to the sRGB drawable. */
static void test_point_coord_values(void **state)
{
	static struct t t;
	t_begin(&t, 8, 8);
	struct vtx v[1] = { point_at(&t, 4.0f, 4.0f, 4.0f) };
	mtl_enc_begin_render_pass(&t.e, MTL_DRAWABLE_HANDLE, 0, 0, MTL_LOAD_CLEAR, MTL_STORE_STORE, 0, 0, 0, 0, 0, 1);
	mtl_enc_set_render_pipeline(&t.e, P_COORD);
	draw_points(&t, v, 1);
	mtl_enc_end_render_pass(&t.e);
	mtl_enc_present_and_commit(&t.e, 1);
	t_run(&t);
	for (uint32_t y = 0; y < 8; y++)
		for (uint32_t x = 0; x < 8; x++) {
			if (in_rect(x, y, 2, 2, 5, 5)) {
				int r = soft_linear_to_srgb8(((float)(x - 2) + 0.5f) / 4.0f);
				int g = soft_linear_to_srgb8(((float)(y - 2) + 0.5f) / 4.0f);
				expect_px(&t, x, y, r, g, 0, 255);
			} else {
				expect_px(&t, x, y, 0, 0, 0, 255);
			}
		}
	/* the top-left pixel reads the smallest coordinates, bottom-right the largest */
	assert_int_equal(soft_linear_to_srgb8(0.125f) < soft_linear_to_srgb8(0.875f), 1);
	replay_destroy(t.eng);
}

/* 4x MSAA: a 2-pixel point at (4.5, 4.5) covers [3.5, 5.5). Sample
 * positions (in 1/16 px) are (6,2) (14,6) (2,10) (10,14): pixel (3,3)
 * has one sample in the square, (4,3) two, (4,4) all four, (5,5) one. */
static void test_point_msaa_coverage(void **state)
{
	static struct t t;
	t_begin(&t, 8, 8);
	mtl_enc_create_texture(&t.e, MS, 8, 8, MTL_PIXEL_BGRA8_UNORM_SRGB, 1, 4, MTL_USAGE_RENDER_TARGET);
	struct vtx v[1] = { point_at(&t, 4.5f, 4.5f, 2.0f) };
	mtl_enc_begin_render_pass(&t.e, MS, MTL_DRAWABLE_HANDLE, 0, MTL_LOAD_CLEAR, MTL_STORE_MULTISAMPLE_RESOLVE, 0,
				  0, 0, 0, 0, 1);
	mtl_enc_set_render_pipeline(&t.e, P_MSAA);
	draw_points(&t, v, 1);
	mtl_enc_end_render_pass(&t.e);
	mtl_enc_present_and_commit(&t.e, 1);
	t_run(&t);
	const int quarter = soft_linear_to_srgb8(0.25f), half = soft_linear_to_srgb8(0.5f);
	expect_px(&t, 3, 3, quarter, quarter, quarter, 255);
	expect_px(&t, 4, 3, half, half, half, 255);
	expect_px(&t, 3, 4, half, half, half, 255);
	expect_px(&t, 4, 4, 255, 255, 255, 255);
	expect_px(&t, 5, 5, quarter, quarter, quarter, 255);
	expect_px(&t, 2, 2, 0, 0, 0, 255);
	expect_px(&t, 6, 6, 0, 0, 0, 255);
	replay_destroy(t.eng);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_point_squares),
		cmocka_unit_test(test_small_and_default_size),
		cmocka_unit_test(test_point_coord_values),
		cmocka_unit_test(test_point_msaa_coverage),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
