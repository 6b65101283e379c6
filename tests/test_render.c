/*
 * test_render.c — the soft backend's rules, pixel-exact, on small
 * hand-built streams: fill rule on shared edges, top-left ownership of
 * pixel centres, 4x MSAA sample positions and resolve, blend arithmetic in
 * linear space, sRGB round trip, stencil ops and faces, scissor, sampler
 * address modes and filters, the pixel formats, load actions, flat
 * interpolation, compute, blits, the cursor plane, and thread-count
 * independence. Expected values were computed by hand from the sRGB
 * transfer function (IEC 61966-2-1) and DESIGN.md §3's blend equations.
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

#define MSL_SRC                                                                                   \
	"#include <metal_stdlib>\n"                                                               \
	"using namespace metal;\n"                                                                \
	"struct VertexIn {\n"                                                                     \
	"    float2 position [[attribute(0)]];\n"                                                 \
	"    float2 texCoord [[attribute(1)]];\n"                                                 \
	"    float4 color [[attribute(2)]];\n"                                                    \
	"};\n"                                                                                    \
	"struct VertexOut {\n"                                                                    \
	"    float4 position [[position]];\n"                                                     \
	"    float2 texCoord;\n"                                                                  \
	"    float4 color;\n"                                                                     \
	"};\n"                                                                                    \
	"vertex VertexOut vmain(VertexIn in [[stage_in]]) {\n"                                    \
	"    VertexOut out;\n"                                                                    \
	"    out.position = float4(in.position, 0.0, 1.0);\n"                                     \
	"    out.texCoord = in.texCoord;\n"                                                       \
	"    out.color = in.color;\n"                                                             \
	"    return out;\n"                                                                       \
	"}\n"                                                                                     \
	"fragment float4 fcolor(VertexOut in [[stage_in]]) {\n"                                   \
	"    return in.color;\n"                                                                  \
	"}\n"                                                                                     \
	"fragment float4 ftex(VertexOut in [[stage_in]],\n"                                       \
	"                     texture2d<float, access::sample> tex [[texture(0)]],\n"            \
	"                     sampler smp [[sampler(0)]]) {\n"                                    \
	"    return tex.sample(smp, in.texCoord);\n"                                              \
	"}\n"                                                                                     \
	"struct FlatOut {\n"                                                                      \
	"    float4 position [[position]];\n"                                                     \
	"    float4 color [[flat]];\n"                                                            \
	"};\n"                                                                                    \
	"vertex FlatOut vflat(VertexIn in [[stage_in]]) {\n"                                      \
	"    FlatOut out;\n"                                                                      \
	"    out.position = float4(in.position, 0.0, 1.0);\n"                                     \
	"    out.color = in.color;\n"                                                             \
	"    return out;\n"                                                                       \
	"}\n"                                                                                     \
	"fragment float4 fflat(FlatOut in [[stage_in]]) {\n"                                      \
	"    return in.color;\n"                                                                  \
	"}\n"                                                                                     \
	"vertex VertexOut vpersp(VertexIn in [[stage_in]]) {\n"                                   \
	"    VertexOut out;\n"                                                                    \
	"    float w = in.texCoord.x;\n"                                                          \
	"    out.position = float4(in.position * w, 0.0, w);\n"                                   \
	"    out.texCoord = in.texCoord;\n"                                                       \
	"    out.color = in.color;\n"                                                             \
	"    return out;\n"                                                                       \
	"}\n"                                                                                     \
	"fragment float4 fdiscard(VertexOut in [[stage_in]]) {\n"                                 \
	"    if (in.color.r < 0.5) {\n"                                                           \
	"        discard_fragment();\n"                                                           \
	"    }\n"                                                                                 \
	"    return in.color;\n"                                                                  \
	"}\n"                                                                                     \
	"fragment float4 fderiv(VertexOut in [[stage_in]]) {\n"                                   \
	"    return float4(dfdx(in.texCoord.x) * 4.0, dfdy(in.texCoord.y) * 2.0, 0.0, 1.0);\n"   \
	"}\n"                                                                                     \
	"vertex VertexOut vstrip(uint vid [[vertex_id]]) {\n"                                    \
	"    VertexOut out;\n"                                                                    \
	"    float col = float(vid / 2u) / 3499.0;\n"                                             \
	"    float y = (vid % 2u == 0u) ? 1.0 : -1.0;\n"                                          \
	"    out.position = float4(-1.0 + 2.0 * col, y, 0.0, 1.0);\n"                              \
	"    out.texCoord = float2(0.0, 0.0);\n"                                                  \
	"    out.color = float4(1.0, 1.0, 1.0, 0.25);\n"                                          \
	"    return out;\n"                                                                       \
	"}\n"                                                                                     \
	"kernel void fill(texture2d<float, access::write> out [[texture(0)]],\n"                  \
	"                 uint2 gid [[thread_position_in_grid]]) {\n"                              \
	"    out.write(float4(float(gid.x) / 255.0, float(gid.y) / 255.0, 1.0, 1.0), gid);\n"    \
	"}\n"

enum { LIB = 1, VMAIN, FCOLOR, FTEX, VFLAT, FFLAT, KFILL, P_COLOR, P_BLEND, P_TEX, P_FLAT, P_MASKED, P_MSAA,
       P_COMPUTE, SAMP, TEX, TEX2, STENCIL, DS, DS2, P_STENCIL_ONLY, VPERSP, FDISCARD, FDERIV, P_PERSP, P_DISCARD,
       P_DERIV, VSTRIP, P_STRIP };

struct vtx {
	float x, y, u, v, r, g, b, a;
};

struct t {
	uint8_t buf[1 << 16];
	struct mtl_encoder e;
	struct replay_engine *eng;
	struct replay_frame f;
};

static void t_begin(struct t *t, uint32_t w, uint32_t h, unsigned threads)
{
	struct replay_config cfg;
	memset(&cfg, 0, sizeof cfg);
	cfg.width = w;
	cfg.height = h;
	cfg.backend = "soft";
	cfg.threads = threads;
	cfg.strict = 1; /* every stream here is valid: any misuse is a test failure */
	char err[256];
	t->eng = replay_create(&cfg, err, sizeof err);
	assert_non_null(t->eng);
	mtl_enc_init(&t->e, t->buf, sizeof t->buf);
	mtl_enc_compile_library(&t->e, LIB, MSL_SRC, (uint32_t)strlen(MSL_SRC));
	mtl_enc_get_function(&t->e, VMAIN, LIB, "vmain", 5);
	mtl_enc_get_function(&t->e, FCOLOR, LIB, "fcolor", 6);
	mtl_enc_get_function(&t->e, FTEX, LIB, "ftex", 4);
	mtl_enc_get_function(&t->e, VFLAT, LIB, "vflat", 5);
	mtl_enc_get_function(&t->e, FFLAT, LIB, "fflat", 5);
	mtl_enc_get_function(&t->e, KFILL, LIB, "fill", 4);
	mtl_enc_create_render_pipeline(&t->e, P_COLOR, VMAIN, FCOLOR, 0, 15, 0, 1, 6);
	mtl_enc_create_render_pipeline(&t->e, P_BLEND, VMAIN, FCOLOR, 1, 15, 0, 1, 6);
	mtl_enc_create_render_pipeline(&t->e, P_TEX, VMAIN, FTEX, 0, 15, 0, 1, 6);
	mtl_enc_create_render_pipeline(&t->e, P_FLAT, VFLAT, FFLAT, 0, 15, 0, 1, 6);
	mtl_enc_create_render_pipeline(&t->e, P_MASKED, VMAIN, FCOLOR, 0, MTL_WRITE_R | MTL_WRITE_A, 0, 1, 6);
	mtl_enc_create_render_pipeline(&t->e, P_MSAA, VMAIN, FCOLOR, 0, 15, 0, 4, 6);
	mtl_enc_create_render_pipeline(&t->e, P_STENCIL_ONLY, VMAIN, FCOLOR, 0, 0, 1, 1, 6);
	mtl_enc_create_compute_pipeline(&t->e, P_COMPUTE, KFILL);
	mtl_enc_get_function(&t->e, VPERSP, LIB, "vpersp", 6);
	mtl_enc_get_function(&t->e, FDISCARD, LIB, "fdiscard", 8);
	mtl_enc_get_function(&t->e, FDERIV, LIB, "fderiv", 6);
	mtl_enc_create_render_pipeline(&t->e, P_PERSP, VPERSP, FCOLOR, 0, 15, 0, 1, 6);
	mtl_enc_create_render_pipeline(&t->e, P_DISCARD, VMAIN, FDISCARD, 0, 15, 0, 1, 6);
	mtl_enc_create_render_pipeline(&t->e, P_DERIV, VMAIN, FDERIV, 0, 15, 0, 1, 6);
	mtl_enc_get_function(&t->e, VSTRIP, LIB, "vstrip", 6);
	mtl_enc_create_render_pipeline(&t->e, P_STRIP, VSTRIP, FCOLOR, 1, 15, 0, 1, 6);
}

/* Submit everything encoded so far and read the last presented frame. */
static void t_run(struct t *t)
{
	assert_false(mtl_enc_overflowed(&t->e));
	enum replay_result r = replay_submit(t->eng, t->buf, t->e.len);
	if (r != REPLAY_OK)
		fail_msg("replay stopped: %s", replay_last_error(t->eng));
	mtl_enc_reset(&t->e);
	replay_read_frame(t->eng, &t->f);
}

static void t_end(struct t *t)
{
	replay_destroy(t->eng);
}

static const uint8_t *px(struct t *t, uint32_t x, uint32_t y)
{
	return t->f.pixels + y * t->f.stride + x * 4;
}

static void expect_px(struct t *t, uint32_t x, uint32_t y, int r, int g, int b, int a)
{
	const uint8_t *p = px(t, x, y);
	if (p[0] != r || p[1] != g || p[2] != b || p[3] != a)
		fail_msg("pixel %u,%u is %d,%d,%d,%d, expected %d,%d,%d,%d", x, y, p[0], p[1], p[2], p[3], r, g, b,
			 a);
}

/* NDC from pixel coordinates of a W x H target. */
static float nx(float x, float w) { return x / (w / 2) - 1; }
static float ny(float y, float h) { return 1 - y / (h / 2); }

/* Two triangles (6 vertices) covering pixel rect [x0,x1) x [y0,y1). */
static void quad(struct vtx *v, float w, float h, float x0, float y0, float x1, float y1, float u0, float v0,
		 float u1, float v1, const float c[4])
{
	struct vtx a = { nx(x0, w), ny(y0, h), u0, v0, c[0], c[1], c[2], c[3] };
	struct vtx b = { nx(x1, w), ny(y0, h), u1, v0, c[0], c[1], c[2], c[3] };
	struct vtx cc = { nx(x1, w), ny(y1, h), u1, v1, c[0], c[1], c[2], c[3] };
	struct vtx d = { nx(x0, w), ny(y1, h), u0, v1, c[0], c[1], c[2], c[3] };
	v[0] = a; v[1] = b; v[2] = cc;
	v[3] = a; v[4] = cc; v[5] = d;
}

static void draw_quad(struct t *t, float w, float h, float x0, float y0, float x1, float y1, const float c[4])
{
	struct vtx v[6];
	quad(v, w, h, x0, y0, x1, y1, 0, 0, 1, 1, c);
	mtl_enc_set_vertex_bytes(&t->e, 0, v, sizeof v);
	mtl_enc_draw_primitives(&t->e, MTL_PRIMITIVE_TRIANGLE, 0, 6);
}

static const float RED[4] = { 1, 0, 0, 1 }, WHITE[4] = { 1, 1, 1, 1 };

/* A full-target quad split on its diagonal, blended at alpha 0.25: a pixel
 * covered twice would read 177, a gap 0; exactly-once gives 137 everywhere
 * (encode(0.25) = 137), including the pixel centres on the diagonal. */
static void test_fill_rule_shared_edge(void **state)
{
	static struct t t;
	t_begin(&t, 8, 8, 1);
	mtl_enc_begin_render_pass(&t.e, MTL_DRAWABLE_HANDLE, 0, 0, MTL_LOAD_CLEAR, MTL_STORE_STORE, 0, 0, 0, 0, 0, 1);
	mtl_enc_set_render_pipeline(&t.e, P_BLEND);
	const float c[4] = { 1, 0, 0, 0.25f };
	draw_quad(&t, 8, 8, 0, 0, 8, 8, c);
	/* and a strip over the same area: strips share edges too */
	mtl_enc_end_render_pass(&t.e);
	mtl_enc_present_and_commit(&t.e, 1);
	t_run(&t);
	for (uint32_t y = 0; y < 8; y++)
		for (uint32_t x = 0; x < 8; x++)
			expect_px(&t, x, y, 137, 0, 0, 255);
	t_end(&t);
}

/* Edges through pixel centres: the left and top edges own them, the right
 * and bottom ones do not. Rect from centre 1.5 to centre 5.5 (x) and 2.5
 * to 4.5 (y) covers pixels x 1..4, y 2..3. */
static void test_top_left_rule(void **state)
{
	static struct t t;
	t_begin(&t, 8, 8, 1);
	mtl_enc_begin_render_pass(&t.e, MTL_DRAWABLE_HANDLE, 0, 0, MTL_LOAD_CLEAR, MTL_STORE_STORE, 0, 0, 0, 0, 0, 1);
	mtl_enc_set_render_pipeline(&t.e, P_COLOR);
	draw_quad(&t, 8, 8, 1.5f, 2.5f, 5.5f, 4.5f, RED);
	mtl_enc_end_render_pass(&t.e);
	mtl_enc_present_and_commit(&t.e, 1);
	t_run(&t);
	for (uint32_t y = 0; y < 8; y++)
		for (uint32_t x = 0; x < 8; x++) {
			int in = x >= 1 && x <= 4 && y >= 2 && y <= 3;
			expect_px(&t, x, y, in ? 255 : 0, 0, 0, 255);
		}
	t_end(&t);
}

/* Metal's standard 4x positions are (6,2) (14,6) (2,10) (10,14) / 16. A
 * white rect covering x in [0, 0.75) of each pixel column 0 holds samples
 * 0, 2, 3 -> 3/4 -> encode(0.75) = 225; [0, 0.25) holds sample 2 only ->
 * 137; a rect covering y in [0, 0.5) holds samples 0, 1 -> 188. */
static void test_msaa_sample_positions_and_resolve(void **state)
{
	static struct t t;
	t_begin(&t, 8, 8, 1);
	enum { MS = 100 };
	mtl_enc_create_texture(&t.e, MS, 8, 8, MTL_PIXEL_BGRA8_UNORM_SRGB, 1, 4, MTL_USAGE_RENDER_TARGET);
	mtl_enc_begin_render_pass(&t.e, MS, MTL_DRAWABLE_HANDLE, 0, MTL_LOAD_CLEAR, MTL_STORE_MULTISAMPLE_RESOLVE, 0,
				  0, 0, 0, 0, 1);
	mtl_enc_set_render_pipeline(&t.e, P_MSAA);
	draw_quad(&t, 8, 8, 0, 0, 0.75f, 4, WHITE);
	draw_quad(&t, 8, 8, 2, 0, 2.25f, 4, WHITE);
	draw_quad(&t, 8, 8, 4, 4, 8, 4.5f, WHITE);
	mtl_enc_end_render_pass(&t.e);
	mtl_enc_present_and_commit(&t.e, 1);
	t_run(&t);
	for (uint32_t y = 0; y < 4; y++) {
		expect_px(&t, 0, y, 225, 225, 225, 255);
		expect_px(&t, 1, y, 0, 0, 0, 255);
		expect_px(&t, 2, y, 137, 137, 137, 255);
	}
	for (uint32_t x = 4; x < 8; x++) {
		expect_px(&t, x, 4, 188, 188, 188, 255);
		expect_px(&t, x, 5, 0, 0, 0, 255);
	}
	t_end(&t);
}

/* Clear (0.2, 0.4, 0.6, 1) in linear light stores sRGB 124, 170, 203.
 * Blending (1, 0, 0, 0.5) decodes dst, computes src*a + dst*(1-a) and
 * re-encodes: 204, 124, 149; alpha 0.5 + 1*0.5 = 1. */
static void test_blend_arithmetic_linear(void **state)
{
	static struct t t;
	t_begin(&t, 4, 4, 1);
	mtl_enc_begin_render_pass(&t.e, MTL_DRAWABLE_HANDLE, 0, 0, MTL_LOAD_CLEAR, MTL_STORE_STORE, 0, 0, 0.2f, 0.4f,
				  0.6f, 1);
	mtl_enc_set_render_pipeline(&t.e, P_BLEND);
	const float c[4] = { 1, 0, 0, 0.5f };
	draw_quad(&t, 4, 4, 0, 0, 2, 4, c);
	mtl_enc_end_render_pass(&t.e);
	mtl_enc_present_and_commit(&t.e, 1);
	t_run(&t);
	expect_px(&t, 0, 0, 204, 124, 149, 255);
	expect_px(&t, 3, 3, 124, 170, 203, 255);
	/* Alpha: (1,1,1,0.5) over a clear alpha of 0 leaves 0.5 -> 128. */
	mtl_enc_begin_render_pass(&t.e, MTL_DRAWABLE_HANDLE, 0, 0, MTL_LOAD_CLEAR, MTL_STORE_STORE, 0, 0, 0, 0, 0, 0);
	mtl_enc_set_render_pipeline(&t.e, P_BLEND);
	const float w[4] = { 1, 1, 1, 0.5f };
	draw_quad(&t, 4, 4, 0, 0, 4, 4, w);
	mtl_enc_end_render_pass(&t.e);
	mtl_enc_present_and_commit(&t.e, 2);
	t_run(&t);
	expect_px(&t, 1, 1, 188, 188, 188, 128);
	t_end(&t);
}

/* Every 8-bit sRGB value through a bgra8Unorm_srgb texture, sampled
 * (decoded to linear) and stored into the sRGB drawable (encoded) comes
 * back unchanged. */
static void test_srgb_round_trip(void **state)
{
	static struct t t;
	t_begin(&t, 16, 16, 1);
	static uint8_t pix[16 * 16 * 4];
	for (int i = 0; i < 256; i++) {
		pix[i * 4 + 0] = (uint8_t)i;         /* B */
		pix[i * 4 + 1] = (uint8_t)(255 - i); /* G */
		pix[i * 4 + 2] = (uint8_t)(i * 7);   /* R */
		pix[i * 4 + 3] = 255;
	}
	mtl_enc_create_texture(&t.e, TEX, 16, 16, MTL_PIXEL_BGRA8_UNORM_SRGB, 0, 1, MTL_USAGE_SHADER_READ);
	mtl_enc_upload_texture(&t.e, TEX, 0, 0, 16, 16, 64, pix, sizeof pix);
	mtl_enc_create_sampler(&t.e, SAMP, 0, 0, 0, 0);
	t_run(&t);
	mtl_enc_begin_render_pass(&t.e, MTL_DRAWABLE_HANDLE, 0, 0, MTL_LOAD_CLEAR, MTL_STORE_STORE, 0, 0, 0, 0, 0, 1);
	mtl_enc_set_render_pipeline(&t.e, P_TEX);
	mtl_enc_set_fragment_texture(&t.e, TEX, 0);
	mtl_enc_set_fragment_sampler(&t.e, SAMP, 0);
	draw_quad(&t, 16, 16, 0, 0, 16, 16, WHITE);
	mtl_enc_end_render_pass(&t.e);
	mtl_enc_present_and_commit(&t.e, 1);
	t_run(&t);
	for (int i = 0; i < 256; i++)
		expect_px(&t, (uint32_t)i % 16, (uint32_t)i / 16, (uint8_t)(i * 7), 255 - i, i, 255);
	/* and the transfer function itself */
	for (int v = 0; v < 256; v++)
		assert_int_equal(soft_linear_to_srgb8(soft_srgb_to_linear((uint8_t)v)), v);
	assert_int_equal(soft_linear_to_srgb8(0.5f), 188);
	assert_int_equal(soft_linear_to_srgb8(0.0031308f * 0.5f), 5); /* linear segment: 12.92 * l * 255 = 5.16 */
	t_end(&t);
}

/* Stencil: replace, incrementClamp, decrementWrap, invert and the equal
 * test, with front (clockwise on screen) and back faces using the
 * 12-byte state's separate ops. */
static void test_stencil_ops(void **state)
{
	static struct t t;
	t_begin(&t, 8, 8, 1);
	enum { DS_REPLACE = 200, DS_INCR, DS_DECWRAP, DS_INVERT, DS_EQ, DS_FACES, DS_NEVER_ZERO };
	mtl_enc_create_texture(&t.e, STENCIL, 8, 8, MTL_PIXEL_STENCIL8, 0, 1, MTL_USAGE_RENDER_TARGET);
	mtl_enc_create_depth_stencil_state(&t.e, DS_REPLACE, 1, MTL_COMPARE_ALWAYS, MTL_STENCIL_REPLACE, MTL_STENCIL_KEEP);
	mtl_enc_create_depth_stencil_state(&t.e, DS_INCR, 1, MTL_COMPARE_ALWAYS, MTL_STENCIL_INCREMENT_CLAMP,
					   MTL_STENCIL_KEEP);
	mtl_enc_create_depth_stencil_state(&t.e, DS_DECWRAP, 1, MTL_COMPARE_ALWAYS, MTL_STENCIL_DECREMENT_WRAP,
					   MTL_STENCIL_KEEP);
	mtl_enc_create_depth_stencil_state(&t.e, DS_INVERT, 1, MTL_COMPARE_ALWAYS, MTL_STENCIL_INVERT, MTL_STENCIL_KEEP);
	mtl_enc_create_depth_stencil_state(&t.e, DS_EQ, 1, MTL_COMPARE_EQUAL, MTL_STENCIL_KEEP, MTL_STENCIL_KEEP);
	/* front faces: replace; back faces: incrementWrap */
	mtl_enc_create_depth_stencil_state2(&t.e, DS_FACES, 1, MTL_COMPARE_ALWAYS, MTL_STENCIL_REPLACE, MTL_STENCIL_KEEP,
					    MTL_COMPARE_ALWAYS, MTL_STENCIL_INCREMENT_WRAP, MTL_STENCIL_KEEP);
	/* a failing test applies the fail op */
	mtl_enc_create_depth_stencil_state(&t.e, DS_NEVER_ZERO, 1, MTL_COMPARE_NEVER, MTL_STENCIL_KEEP, MTL_STENCIL_ZERO);
	mtl_enc_begin_render_pass(&t.e, MTL_DRAWABLE_HANDLE, 0, STENCIL, MTL_LOAD_CLEAR, MTL_STORE_STORE, 0, 0, 0, 0, 0,
				  1);
	mtl_enc_set_render_pipeline(&t.e, P_STENCIL_ONLY);
	/* columns: 0-1 ref 5 then incrementClamp -> 6; 2-3 stays 0 then decrementWrap -> 255;
	 * 4-5 ref 5 then invert -> 250; 6-7 ref 5 then never/zero -> 0 */
	mtl_enc_set_stencil_ref(&t.e, 5);
	mtl_enc_set_depth_stencil_state(&t.e, DS_REPLACE);
	draw_quad(&t, 8, 8, 0, 0, 2, 4, WHITE);
	draw_quad(&t, 8, 8, 4, 0, 8, 4, WHITE);
	mtl_enc_set_depth_stencil_state(&t.e, DS_INCR);
	draw_quad(&t, 8, 8, 0, 0, 2, 4, WHITE);
	mtl_enc_set_depth_stencil_state(&t.e, DS_DECWRAP);
	draw_quad(&t, 8, 8, 2, 0, 4, 4, WHITE);
	mtl_enc_set_depth_stencil_state(&t.e, DS_INVERT);
	draw_quad(&t, 8, 8, 4, 0, 6, 4, WHITE);
	mtl_enc_set_depth_stencil_state(&t.e, DS_NEVER_ZERO);
	draw_quad(&t, 8, 8, 6, 0, 8, 4, WHITE);
	/* rows 4-7: a front-facing quad (clockwise on screen, as quad() emits)
	 * on the left, the same quad with reversed winding on the right */
	mtl_enc_set_stencil_ref(&t.e, 9);
	mtl_enc_set_depth_stencil_state(&t.e, DS_FACES);
	draw_quad(&t, 8, 8, 0, 4, 4, 8, WHITE);
	{
		struct vtx v[6];
		quad(v, 8, 8, 4, 4, 8, 8, 0, 0, 1, 1, WHITE);
		struct vtx tmp = v[1];
		v[1] = v[2];
		v[2] = tmp;
		tmp = v[4];
		v[4] = v[5];
		v[5] = tmp;
		mtl_enc_set_vertex_bytes(&t.e, 0, v, sizeof v);
		mtl_enc_draw_primitives(&t.e, MTL_PRIMITIVE_TRIANGLE, 0, 6);
	}
	/* now colour where the stencil equals each expected value */
	static const struct { uint32_t ref; float x0, y0, x1, y1; } checks[] = {
		{ 6, 0, 0, 2, 4 }, { 255, 2, 0, 4, 4 }, { 250, 4, 0, 6, 4 }, { 0, 6, 0, 8, 4 },
		{ 9, 0, 4, 4, 8 }, { 1, 4, 4, 8, 8 },
	};
	mtl_enc_set_render_pipeline(&t.e, P_COLOR);
	mtl_enc_set_depth_stencil_state(&t.e, DS_EQ);
	for (size_t i = 0; i < sizeof checks / sizeof checks[0]; i++) {
		mtl_enc_set_stencil_ref(&t.e, checks[i].ref);
		draw_quad(&t, 8, 8, 0, 0, 8, 8, RED); /* the whole target: only the right region passes */
	}
	mtl_enc_end_render_pass(&t.e);
	mtl_enc_present_and_commit(&t.e, 1);
	t_run(&t);
	for (uint32_t y = 0; y < 8; y++)
		for (uint32_t x = 0; x < 8; x++)
			expect_px(&t, x, y, 255, 0, 0, 255);
	/* the stencil is cleared at the next pass: ref 6 equal now matches nothing */
	mtl_enc_begin_render_pass(&t.e, MTL_DRAWABLE_HANDLE, 0, STENCIL, MTL_LOAD_CLEAR, MTL_STORE_STORE, 1, 1, 0, 0, 0,
				  1);
	mtl_enc_set_render_pipeline(&t.e, P_COLOR);
	mtl_enc_set_depth_stencil_state(&t.e, DS_EQ);
	mtl_enc_set_stencil_ref(&t.e, 6);
	draw_quad(&t, 8, 8, 0, 0, 8, 8, RED);
	mtl_enc_end_render_pass(&t.e);
	mtl_enc_present_and_commit(&t.e, 2);
	t_run(&t);
	expect_px(&t, 0, 0, 0, 0, 0, 255);
	t_end(&t);
}

static void test_scissor_and_write_mask(void **state)
{
	static struct t t;
	t_begin(&t, 8, 8, 1);
	mtl_enc_begin_render_pass(&t.e, MTL_DRAWABLE_HANDLE, 0, 0, MTL_LOAD_CLEAR, MTL_STORE_STORE, 0, 0, 0, 1, 0, 1);
	mtl_enc_set_render_pipeline(&t.e, P_COLOR);
	mtl_enc_set_scissor(&t.e, 2, 3, 3, 2);
	draw_quad(&t, 8, 8, 0, 0, 8, 8, RED);
	mtl_enc_set_render_pipeline(&t.e, P_MASKED); /* writes R and A only */
	mtl_enc_set_scissor(&t.e, 6, 6, 100, 100); /* clamped to the target */
	draw_quad(&t, 8, 8, 0, 0, 8, 8, WHITE);
	mtl_enc_end_render_pass(&t.e);
	mtl_enc_present_and_commit(&t.e, 1);
	t_run(&t);
	for (uint32_t y = 0; y < 8; y++)
		for (uint32_t x = 0; x < 8; x++) {
			if (x >= 2 && x < 5 && y >= 3 && y < 5)
				expect_px(&t, x, y, 255, 0, 0, 255);
			else if (x >= 6 && y >= 6)
				expect_px(&t, x, y, 255, 255, 0, 255); /* green kept, red written */
			else
				expect_px(&t, x, y, 0, 255, 0, 255);
		}
	t_end(&t);
}

/* A 2x1 texture [red, green] over 6 pixels with u from -1 to 2: pixel
 * centres sample u = -0.75 .. 1.75, texel indices -2 .. 3. */
static void run_address_mode(uint8_t mode, const char *expect)
{
	static struct t t;
	t_begin(&t, 6, 1, 1);
	static const uint8_t pix[8] = { 0, 0, 255, 255, 0, 255, 0, 255 }; /* BGRA red, green */
	mtl_enc_create_texture(&t.e, TEX, 2, 1, MTL_PIXEL_BGRA8_UNORM, 0, 1, MTL_USAGE_SHADER_READ);
	mtl_enc_upload_texture(&t.e, TEX, 0, 0, 2, 1, 8, pix, sizeof pix);
	mtl_enc_create_sampler(&t.e, SAMP, 0, 0, mode, mode);
	mtl_enc_begin_render_pass(&t.e, MTL_DRAWABLE_HANDLE, 0, 0, MTL_LOAD_CLEAR, MTL_STORE_STORE, 0, 0, 0, 0, 1, 1);
	mtl_enc_set_render_pipeline(&t.e, P_TEX);
	mtl_enc_set_fragment_texture(&t.e, TEX, 0);
	mtl_enc_set_fragment_sampler(&t.e, SAMP, 0);
	struct vtx v[6];
	quad(v, 6, 1, 0, 0, 6, 1, -1, 0.5f, 2, 0.5f, WHITE);
	mtl_enc_set_vertex_bytes(&t.e, 0, v, sizeof v);
	mtl_enc_draw_primitives(&t.e, MTL_PRIMITIVE_TRIANGLE, 0, 6);
	mtl_enc_end_render_pass(&t.e);
	mtl_enc_present_and_commit(&t.e, 1);
	t_run(&t);
	for (uint32_t x = 0; x < 6; x++) {
		if (expect[x] == 'R')
			expect_px(&t, x, 0, 255, 0, 0, 255);
		else if (expect[x] == 'G')
			expect_px(&t, x, 0, 0, 255, 0, 255);
		else
			expect_px(&t, x, 0, 0, 0, 0, 0); /* clampToZero: transparent black written */
	}
	t_end(&t);
}

static void test_address_modes(void **state)
{
	run_address_mode(MTL_ADDRESS_CLAMP_TO_EDGE, "RRRGGG");
	run_address_mode(MTL_ADDRESS_REPEAT, "RGRGRG");
	run_address_mode(MTL_ADDRESS_MIRROR_REPEAT, "GRRGGR");
	run_address_mode(MTL_ADDRESS_CLAMP_TO_ZERO, "00RG00");
}

/* Linear filtering between two texels: a 2x1 r8Unorm texture [0, 255]
 * sampled at u = 0.5 (exactly between the texel centres) gives 0.5 in
 * linear light -> sRGB 188. Through the sampler directly as well. */
static void test_linear_filter(void **state)
{
	static struct t t;
	t_begin(&t, 2, 1, 1);
	static const uint8_t pix[2] = { 0, 255 };
	mtl_enc_create_texture(&t.e, TEX, 2, 1, MTL_PIXEL_R8_UNORM, 0, 1, MTL_USAGE_SHADER_READ);
	mtl_enc_upload_texture(&t.e, TEX, 0, 0, 2, 1, 2, pix, sizeof pix);
	mtl_enc_create_sampler(&t.e, SAMP, 1, 1, 0, 0);
	mtl_enc_begin_render_pass(&t.e, MTL_DRAWABLE_HANDLE, 0, 0, MTL_LOAD_CLEAR, MTL_STORE_STORE, 0, 0, 0, 0, 0, 1);
	mtl_enc_set_render_pipeline(&t.e, P_TEX);
	mtl_enc_set_fragment_texture(&t.e, TEX, 0);
	mtl_enc_set_fragment_sampler(&t.e, SAMP, 0);
	struct vtx v[6];
	quad(v, 2, 1, 0, 0, 2, 1, 0.5f, 0.5f, 0.5f, 0.5f, WHITE); /* constant u = 0.5 */
	mtl_enc_set_vertex_bytes(&t.e, 0, v, sizeof v);
	mtl_enc_draw_primitives(&t.e, MTL_PRIMITIVE_TRIANGLE, 0, 6);
	mtl_enc_end_render_pass(&t.e);
	mtl_enc_present_and_commit(&t.e, 1);
	t_run(&t);
	expect_px(&t, 0, 0, 188, 0, 0, 255);
	expect_px(&t, 1, 0, 188, 0, 0, 255);
	t_end(&t);
}

/* Formats: pack/unpack of each, half floats exactly. */
static void test_formats(void **state)
{
	uint8_t b[8];
	float c[4], in[4] = { 1.0f, 0.5f, 0.25f, 0.0f };
	soft_texel_store(MTL_PIXEL_BGRA8_UNORM, b, in);
	assert_int_equal(b[0], 64); /* B = round(0.25 * 255) = 63.75 -> 64 */
	assert_int_equal(b[1], 128);
	assert_int_equal(b[2], 255);
	assert_int_equal(b[3], 0);
	soft_texel_store(MTL_PIXEL_RGBA8_UNORM, b, in);
	assert_int_equal(b[0], 255);
	assert_int_equal(b[2], 64);
	soft_texel_store(MTL_PIXEL_R8_UNORM, b, in);
	assert_int_equal(b[0], 255);
	soft_texel_load(MTL_PIXEL_R8_UNORM, b, c);
	assert_true(c[0] == 1.0f && c[1] == 0.0f && c[2] == 0.0f && c[3] == 1.0f);
	soft_texel_store(MTL_PIXEL_BGRA8_UNORM_SRGB, b, in);
	assert_int_equal(b[2], 255);
	assert_int_equal(b[1], 188);
	assert_int_equal(b[0], 137);
	assert_int_equal(b[3], 0); /* alpha is linear */
	/* half floats: exact values, rounding to nearest even, specials */
	assert_int_equal(soft_float_to_half(1.0f), 0x3C00);
	assert_int_equal(soft_float_to_half(-2.0f), 0xC000);
	assert_int_equal(soft_float_to_half(65504.0f), 0x7BFF);
	assert_int_equal(soft_float_to_half(65520.0f), 0x7C00);       /* rounds up to infinity */
	assert_int_equal(soft_float_to_half(1.0f + 1.0f / 2048), 0x3C00); /* tie -> even */
	assert_int_equal(soft_float_to_half(1.0f + 3.0f / 2048), 0x3C02); /* tie -> even (up) */
	assert_int_equal(soft_float_to_half(5.9604645e-8f), 0x0001);  /* smallest subnormal */
	assert_true(soft_half_to_float(0x0001) == 5.9604645e-8f);
	assert_true(soft_half_to_float(0x3555) == 0.333251953125f);
	for (uint32_t h = 0; h < 0x7C00; h++) /* every finite positive half round-trips */
		assert_int_equal(soft_float_to_half(soft_half_to_float((uint16_t)h)), h);
	float hf[4] = { 0.5f, -1.0f, 2.0f, 1.0f };
	soft_texel_store(MTL_PIXEL_RGBA16_FLOAT, b, hf);
	soft_texel_load(MTL_PIXEL_RGBA16_FLOAT, b, c);
	assert_true(c[0] == 0.5f && c[1] == -1.0f && c[2] == 2.0f && c[3] == 1.0f);
}

/* Render into textures of each colour format, then show them through the
 * cursor plane (an opaque cursor shows its texels unchanged). */
static void test_render_to_formats(void **state)
{
	static const struct { uint8_t fmt; uint8_t expect[4]; } cases[] = {
		{ MTL_PIXEL_BGRA8_UNORM, { 128, 64, 255, 255 } },
		{ MTL_PIXEL_RGBA8_UNORM, { 128, 64, 255, 255 } },
		{ MTL_PIXEL_R8_UNORM, { 128, 0, 0, 255 } },
		{ MTL_PIXEL_RGBA16_FLOAT, { 128, 64, 255, 255 } },
		{ MTL_PIXEL_BGRA8_UNORM_SRGB, { 188, 137, 255, 255 } },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		static struct t t;
		t_begin(&t, 4, 4, 1);
		enum { P_FMT = 300 };
		mtl_enc_create_texture(&t.e, TEX2, 4, 4, cases[i].fmt, 0, 1, MTL_USAGE_RENDER_TARGET | MTL_USAGE_SHADER_READ);
		mtl_enc_create_render_pipeline(&t.e, P_FMT, VMAIN, FCOLOR, 0, 15, 0, 1, cases[i].fmt);
		mtl_enc_begin_render_pass(&t.e, TEX2, 0, 0, MTL_LOAD_CLEAR, MTL_STORE_STORE, 0, 0, 0, 0, 0, 1);
		mtl_enc_set_render_pipeline(&t.e, P_FMT);
		const float c[4] = { 0.5f, 0.25f, 1.0f, 1.0f };
		draw_quad(&t, 4, 4, 0, 0, 2, 2, c);
		mtl_enc_end_render_pass(&t.e);
		mtl_enc_set_cursor_from_texture(&t.e, TEX2, 4, 4, 0, 0);
		mtl_enc_set_cursor_position(&t.e, 0, 0);
		mtl_enc_set_cursor_visible(&t.e, 1);
		mtl_enc_begin_render_pass(&t.e, MTL_DRAWABLE_HANDLE, 0, 0, MTL_LOAD_CLEAR, MTL_STORE_STORE, 0, 0, 0, 0, 0, 1);
		mtl_enc_end_render_pass(&t.e);
		mtl_enc_present_and_commit(&t.e, 1);
		t_run(&t);
		const uint8_t *e = cases[i].expect;
		expect_px(&t, 1, 1, e[0], e[1], e[2], e[3]);
		expect_px(&t, 3, 3, 0, 0, 0, 255); /* the clear, opaque black */
		t_end(&t);
	}
}

/* [[flat]] takes the provoking (first) vertex's value. */
static void test_flat_interpolation(void **state)
{
	static struct t t;
	t_begin(&t, 4, 4, 1);
	struct vtx v[3] = {
		{ -1, 1, 0, 0, 1, 0, 0, 1 },
		{ 3, 1, 0, 0, 0, 1, 0, 1 },
		{ -1, -3, 0, 0, 0, 0, 1, 1 },
	};
	mtl_enc_begin_render_pass(&t.e, MTL_DRAWABLE_HANDLE, 0, 0, MTL_LOAD_CLEAR, MTL_STORE_STORE, 0, 0, 0, 0, 0, 1);
	mtl_enc_set_render_pipeline(&t.e, P_FLAT);
	mtl_enc_set_vertex_bytes(&t.e, 0, v, sizeof v);
	mtl_enc_draw_primitives(&t.e, MTL_PRIMITIVE_TRIANGLE, 0, 3);
	mtl_enc_end_render_pass(&t.e);
	mtl_enc_present_and_commit(&t.e, 1);
	t_run(&t);
	for (uint32_t y = 0; y < 4; y++)
		for (uint32_t x = 0; x < 4; x++)
			expect_px(&t, x, y, 255, 0, 0, 255);
	t_end(&t);
}

/* Load actions: load keeps, dontCare keeps (deterministically), clear
 * clears, blitRetained copies the last presented frame. */
static void test_load_actions(void **state)
{
	static struct t t;
	t_begin(&t, 4, 4, 1);
	mtl_enc_begin_render_pass(&t.e, MTL_DRAWABLE_HANDLE, 0, 0, MTL_LOAD_CLEAR, MTL_STORE_STORE, 0, 0, 0, 0, 1, 1);
	mtl_enc_end_render_pass(&t.e);
	mtl_enc_present_and_commit(&t.e, 1);
	/* frame 2: clear red, then a load pass drawing white at the top-left */
	mtl_enc_begin_render_pass(&t.e, MTL_DRAWABLE_HANDLE, 0, 0, MTL_LOAD_CLEAR, MTL_STORE_STORE, 0, 0, 1, 0, 0, 1);
	mtl_enc_end_render_pass(&t.e);
	mtl_enc_begin_render_pass(&t.e, MTL_DRAWABLE_HANDLE, 0, 0, MTL_LOAD_LOAD, MTL_STORE_STORE, 0, 0, 0, 0, 0, 1);
	mtl_enc_set_render_pipeline(&t.e, P_COLOR);
	draw_quad(&t, 4, 4, 0, 0, 1, 1, WHITE);
	mtl_enc_end_render_pass(&t.e);
	mtl_enc_present_and_commit(&t.e, 2);
	t_run(&t);
	expect_px(&t, 0, 0, 255, 255, 255, 255);
	expect_px(&t, 1, 1, 255, 0, 0, 255);
	/* frame 3: scribble over the drawable with a clear to green, then a
	 * blitRetained pass brings back frame 2 */
	mtl_enc_begin_render_pass(&t.e, MTL_DRAWABLE_HANDLE, 0, 0, MTL_LOAD_CLEAR, MTL_STORE_STORE, 0, 0, 0, 1, 0, 1);
	mtl_enc_end_render_pass(&t.e);
	mtl_enc_begin_render_pass(&t.e, MTL_DRAWABLE_HANDLE, 0, 0, MTL_LOAD_BLIT_RETAINED, MTL_STORE_STORE, 0, 0, 0, 0,
				  0, 1);
	mtl_enc_end_render_pass(&t.e);
	mtl_enc_present_and_commit(&t.e, 3);
	t_run(&t);
	expect_px(&t, 0, 0, 255, 255, 255, 255);
	expect_px(&t, 1, 1, 255, 0, 0, 255);
	assert_int_equal(t.f.frame_id, 3);
	t_end(&t);
}

/* Compute writes a texture; a blit copies a region of it into the drawable. */
static void test_compute_and_blit(void **state)
{
	static struct t t;
	t_begin(&t, 8, 8, 2);
	enum { OUT = 400, DST = 401 };
	mtl_enc_create_texture(&t.e, OUT, 8, 8, MTL_PIXEL_BGRA8_UNORM_SRGB, 0, 1,
			       MTL_USAGE_SHADER_WRITE | MTL_USAGE_SHADER_READ);
	mtl_enc_begin_compute_pass(&t.e);
	mtl_enc_set_compute_pipeline(&t.e, P_COMPUTE);
	mtl_enc_set_compute_texture(&t.e, OUT, 0);
	mtl_enc_dispatch_threads(&t.e, 8, 8, 1, 3, 3, 1); /* partial threadgroups at the edges */
	mtl_enc_end_compute_pass(&t.e);
	mtl_enc_begin_render_pass(&t.e, MTL_DRAWABLE_HANDLE, 0, 0, MTL_LOAD_CLEAR, MTL_STORE_STORE, 0, 0, 0, 0, 0, 1);
	mtl_enc_end_render_pass(&t.e);
	mtl_enc_begin_blit_pass(&t.e);
	mtl_enc_copy_texture_region(&t.e, OUT, MTL_DRAWABLE_HANDLE, 2, 3, 4, 4, 1, 1);
	mtl_enc_end_blit_pass(&t.e);
	mtl_enc_present_and_commit(&t.e, 1);
	t_run(&t);
	/* pixel (1,1) holds source texel (2,3): linear (2/255, 3/255, 1) -> sRGB 22, 28, 255
	 * (1.055 * l^(1/2.4) - 0.055 = 21.7 and 28.2 of 255) */
	expect_px(&t, 1, 1, 22, 28, 255, 255);
	expect_px(&t, 0, 0, 0, 0, 0, 255);
	expect_px(&t, 5, 5, 0, 0, 0, 255);
	expect_px(&t, 4, 4, 38, 42, 255, 255); /* texel (5,6): 38.3 and 42.4 of 255 */
	t_end(&t);
}

static uint8_t *render_scene(unsigned threads, uint32_t *w, uint32_t *h)
{
	static struct t t;
	t_begin(&t, 200, 150, threads);
	mtl_enc_begin_render_pass(&t.e, MTL_DRAWABLE_HANDLE, 0, 0, MTL_LOAD_CLEAR, MTL_STORE_STORE, 0, 0, 0.1f, 0.1f,
				  0.1f, 1);
	mtl_enc_set_render_pipeline(&t.e, P_BLEND);
	struct vtx v[120];
	uint32_t seed = 12345;
	for (int i = 0; i < 120; i++) {
		seed = seed * 1103515245u + 12345u;
		float a = (float)((seed >> 8) & 0xFFFF) / 32768.0f - 1.0f;
		seed = seed * 1103515245u + 12345u;
		float b = (float)((seed >> 8) & 0xFFFF) / 32768.0f - 1.0f;
		v[i] = (struct vtx){ a * 1.2f, b * 1.2f, 0, 0, (float)(i % 3 == 0), (float)(i % 3 == 1),
				     (float)(i % 3 == 2), 0.4f };
	}
	mtl_enc_set_vertex_bytes(&t.e, 0, v, sizeof v);
	mtl_enc_draw_primitives(&t.e, MTL_PRIMITIVE_TRIANGLE, 0, 120);
	mtl_enc_draw_primitives(&t.e, MTL_PRIMITIVE_TRIANGLE_STRIP, 0, 40);
	mtl_enc_draw_primitives(&t.e, MTL_PRIMITIVE_LINE, 40, 40);
	mtl_enc_draw_primitives(&t.e, MTL_PRIMITIVE_POINT, 80, 40);
	mtl_enc_end_render_pass(&t.e);
	mtl_enc_present_and_commit(&t.e, 1);
	t_run(&t);
	*w = t.f.width;
	*h = t.f.height;
	size_t n = t.f.stride * t.f.height;
	uint8_t *copy = malloc(n);
	memcpy(copy, t.f.pixels, n);
	t_end(&t);
	return copy;
}

static void test_threads_identical(void **state)
{
	uint32_t w, h;
	uint8_t *one = render_scene(1, &w, &h);
	uint8_t *two = render_scene(2, &w, &h);
	uint8_t *eight = render_scene(8, &w, &h);
	assert_memory_equal(one, two, (size_t)w * h * 4);
	assert_memory_equal(one, eight, (size_t)w * h * 4);
	/* and the scene is not empty */
	size_t lit = 0;
	for (size_t i = 0; i < (size_t)w * h; i++)
		lit += one[i * 4] != one[0] || one[i * 4 + 1] != one[1];
	assert_true(lit > 1000);
	free(one);
	free(two);
	free(eight);
}

/* Cursor: premultiplied, hot spot, composited into the capture. */
static void test_cursor_plane(void **state)
{
	static struct t t;
	t_begin(&t, 8, 8, 1);
	uint8_t img[2 * 2 * 4];
	for (int i = 0; i < 4; i++) { /* BGRA: opaque blue, and a half-transparent premultiplied white */
		img[i * 4 + 0] = i == 3 ? 128 : 255;
		img[i * 4 + 1] = i == 3 ? 128 : 0;
		img[i * 4 + 2] = i == 3 ? 128 : 0;
		img[i * 4 + 3] = i == 3 ? 128 : 255;
	}
	mtl_enc_set_cursor_image(&t.e, 2, 2, 1, 1, img, sizeof img);
	mtl_enc_set_cursor_position(&t.e, 4.0f, 4.0f);
	mtl_enc_set_cursor_visible(&t.e, 1);
	mtl_enc_begin_render_pass(&t.e, MTL_DRAWABLE_HANDLE, 0, 0, MTL_LOAD_CLEAR, MTL_STORE_STORE, 0, 0, 0, 0, 0, 1);
	mtl_enc_end_render_pass(&t.e);
	mtl_enc_present_and_commit(&t.e, 1);
	t_run(&t);
	expect_px(&t, 3, 3, 0, 0, 255, 255); /* hot spot (1,1) at (4,4): image starts at (3,3) */
	expect_px(&t, 4, 3, 0, 0, 255, 255);
	/* premultiplied sRGB 128 over black: decode(128) + 0 -> 128 again */
	expect_px(&t, 4, 4, 128, 128, 128, 255);
	expect_px(&t, 5, 5, 0, 0, 0, 255);
	t_end(&t);
}

/* Perspective-correct interpolation: w = 1 on the left edge, 3 on the
 * right, red 0 -> 1. At screen fraction s the value is s / (3 - 2s), not s:
 * pixel centres s = 1/8, 3/8, 5/8, 7/8 give linear 0.0455, 0.1667, 0.3571,
 * 0.7 -> sRGB 60, 113, 161, 218 (affine interpolation would give 99, 165,
 * 207, 240). */
static void test_perspective_correct(void **state)
{
	static struct t t;
	t_begin(&t, 4, 1, 1);
	struct vtx l0 = { -1, 1, 1, 0, 0, 0, 0, 1 }, l1 = { -1, -1, 1, 0, 0, 0, 0, 1 };
	struct vtx r0 = { 1, 1, 3, 0, 1, 0, 0, 1 }, r1 = { 1, -1, 3, 0, 1, 0, 0, 1 };
	struct vtx v[6] = { l0, r0, r1, l0, r1, l1 };
	mtl_enc_begin_render_pass(&t.e, MTL_DRAWABLE_HANDLE, 0, 0, MTL_LOAD_CLEAR, MTL_STORE_STORE, 0, 0, 0, 0, 0, 1);
	mtl_enc_set_render_pipeline(&t.e, P_PERSP);
	mtl_enc_set_vertex_bytes(&t.e, 0, v, sizeof v);
	mtl_enc_draw_primitives(&t.e, MTL_PRIMITIVE_TRIANGLE, 0, 6);
	mtl_enc_end_render_pass(&t.e);
	mtl_enc_present_and_commit(&t.e, 1);
	t_run(&t);
	expect_px(&t, 0, 0, 60, 0, 0, 255);
	expect_px(&t, 1, 0, 113, 0, 0, 255);
	expect_px(&t, 2, 0, 161, 0, 0, 255);
	expect_px(&t, 3, 0, 218, 0, 0, 255);
	t_end(&t);
}

/* Lines are one pixel wide with the same fill rule; points cover the pixel
 * their centre falls in; a strip's two triangles cover a quad exactly once. */
static void test_lines_points_strips(void **state)
{
	static struct t t;
	t_begin(&t, 8, 8, 1);
	struct vtx line[2] = { { nx(0.5f, 8), ny(2.5f, 8), 0, 0, 1, 0, 0, 1 }, { nx(6.5f, 8), ny(2.5f, 8), 0, 0, 1, 0, 0, 1 } };
	struct vtx vline[2] = { { nx(7.5f, 8), ny(0.5f, 8), 0, 0, 0, 1, 0, 1 }, { nx(7.5f, 8), ny(4.5f, 8), 0, 0, 0, 1, 0, 1 } };
	struct vtx point[1] = { { nx(3.5f, 8), ny(5.5f, 8), 0, 0, 0, 0, 1, 1 } };
	const float half[4] = { 1, 1, 1, 0.25f };
	struct vtx strip[4] = {
		{ nx(0, 8), ny(6, 8), 0, 0, half[0], half[1], half[2], half[3] },
		{ nx(3, 8), ny(6, 8), 0, 0, half[0], half[1], half[2], half[3] },
		{ nx(0, 8), ny(8, 8), 0, 0, half[0], half[1], half[2], half[3] },
		{ nx(3, 8), ny(8, 8), 0, 0, half[0], half[1], half[2], half[3] },
	};
	mtl_enc_begin_render_pass(&t.e, MTL_DRAWABLE_HANDLE, 0, 0, MTL_LOAD_CLEAR, MTL_STORE_STORE, 0, 0, 0, 0, 0, 1);
	mtl_enc_set_render_pipeline(&t.e, P_COLOR);
	mtl_enc_set_vertex_bytes(&t.e, 0, line, sizeof line);
	mtl_enc_draw_primitives(&t.e, MTL_PRIMITIVE_LINE, 0, 2);
	mtl_enc_set_vertex_bytes(&t.e, 0, vline, sizeof vline);
	mtl_enc_draw_primitives(&t.e, MTL_PRIMITIVE_LINE, 0, 2);
	mtl_enc_set_vertex_bytes(&t.e, 0, point, sizeof point);
	mtl_enc_draw_primitives(&t.e, MTL_PRIMITIVE_POINT, 0, 1);
	mtl_enc_set_render_pipeline(&t.e, P_BLEND);
	mtl_enc_set_vertex_bytes(&t.e, 0, strip, sizeof strip);
	mtl_enc_draw_primitives(&t.e, MTL_PRIMITIVE_TRIANGLE_STRIP, 0, 4);
	mtl_enc_end_render_pass(&t.e);
	mtl_enc_present_and_commit(&t.e, 1);
	t_run(&t);
	for (uint32_t y = 0; y < 8; y++)
		for (uint32_t x = 0; x < 8; x++) {
			if (y == 2 && x <= 5)
				expect_px(&t, x, y, 255, 0, 0, 255);
			else if (x == 7 && y <= 3)
				expect_px(&t, x, y, 0, 255, 0, 255);
			else if (x == 3 && y == 5)
				expect_px(&t, x, y, 0, 0, 255, 255);
			else if (x < 3 && y >= 6)
				expect_px(&t, x, y, 137, 137, 137, 255); /* 0.25 blended once */
			else
				expect_px(&t, x, y, 0, 0, 0, 255);
		}
	t_end(&t);
}

/* discard_fragment drops the fragment; derivatives come from the 2x2 quad:
 * u = x / 4 across a 4-pixel-wide target has dfdx(u) = 1/4 (output 1.0 ->
 * 255), v = y / 8 over 4 rows spanning 0..0.5 has dfdy(v) = 1/8 (output
 * 0.25 -> 137). */
static void test_discard_and_derivatives(void **state)
{
	static struct t t;
	t_begin(&t, 4, 4, 1);
	mtl_enc_begin_render_pass(&t.e, MTL_DRAWABLE_HANDLE, 0, 0, MTL_LOAD_CLEAR, MTL_STORE_STORE, 0, 0, 0, 0, 0, 1);
	mtl_enc_set_render_pipeline(&t.e, P_DERIV);
	struct vtx v[6];
	quad(v, 4, 4, 0, 0, 4, 4, 0, 0, 1, 0.5f, WHITE);
	mtl_enc_set_vertex_bytes(&t.e, 0, v, sizeof v);
	mtl_enc_draw_primitives(&t.e, MTL_PRIMITIVE_TRIANGLE, 0, 6);
	/* red on the left half (r = 1), dark on the right (r = 0.2, discarded) */
	mtl_enc_set_render_pipeline(&t.e, P_DISCARD);
	draw_quad(&t, 4, 4, 0, 0, 2, 2, RED);
	const float dark[4] = { 0.2f, 0, 0, 1 };
	draw_quad(&t, 4, 4, 2, 0, 4, 2, dark);
	mtl_enc_end_render_pass(&t.e);
	mtl_enc_present_and_commit(&t.e, 1);
	t_run(&t);
	expect_px(&t, 0, 0, 255, 0, 0, 255);       /* red, not discarded */
	expect_px(&t, 3, 1, 255, 137, 0, 255);     /* discarded: derivative pass shows */
	expect_px(&t, 2, 3, 255, 137, 0, 255);
	t_end(&t);
}

/* A 7000-vertex strip (positions from [[vertex_id]]) spans three setup
 * chunks: blended at alpha 0.25 every pixel must read 137, i.e. covered
 * exactly once, with no gap or overlap at the chunk boundaries. */
static void test_long_strip_chunks(void **state)
{
	static struct t t;
	t_begin(&t, 64, 8, 2);
	mtl_enc_begin_render_pass(&t.e, MTL_DRAWABLE_HANDLE, 0, 0, MTL_LOAD_CLEAR, MTL_STORE_STORE, 0, 0, 0, 0, 0, 1);
	mtl_enc_set_render_pipeline(&t.e, P_STRIP);
	mtl_enc_draw_primitives(&t.e, MTL_PRIMITIVE_TRIANGLE_STRIP, 0, 7000);
	mtl_enc_end_render_pass(&t.e);
	mtl_enc_present_and_commit(&t.e, 1);
	t_run(&t);
	for (uint32_t y = 0; y < 8; y++)
		for (uint32_t x = 0; x < 64; x++)
			expect_px(&t, x, y, 137, 137, 137, 255);
	struct replay_stats st;
	replay_get_stats(t.eng, &st);
	assert_int_equal(st.primitives, 6998);
	t_end(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fill_rule_shared_edge),
		cmocka_unit_test(test_top_left_rule),
		cmocka_unit_test(test_msaa_sample_positions_and_resolve),
		cmocka_unit_test(test_blend_arithmetic_linear),
		cmocka_unit_test(test_srgb_round_trip),
		cmocka_unit_test(test_stencil_ops),
		cmocka_unit_test(test_scissor_and_write_mask),
		cmocka_unit_test(test_address_modes),
		cmocka_unit_test(test_linear_filter),
		cmocka_unit_test(test_formats),
		cmocka_unit_test(test_render_to_formats),
		cmocka_unit_test(test_flat_interpolation),
		cmocka_unit_test(test_load_actions),
		cmocka_unit_test(test_compute_and_blit),
		cmocka_unit_test(test_threads_identical),
		cmocka_unit_test(test_cursor_plane),
		cmocka_unit_test(test_perspective_correct),
		cmocka_unit_test(test_lines_points_strips),
		cmocka_unit_test(test_discard_and_derivatives),
		cmocka_unit_test(test_long_strip_chunks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
