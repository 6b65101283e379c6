/*
 * gen_qa_sem — small streams that probe one Metal rule each, with the pixel
 * values Metal gives (written to OUTDIR/PIXELS as "STREAM X,Y R G B A TOL
 * # why"). Drawable 64x64. tests/qa/sem.sh replays them and compares.
 *
 *   gen_qa_sem OUTDIR   (run from the top of the tree)
 */
#include <stdio.h>

#include "qa_streams.h"

#define SW 64
#define SH 64
static const char *g_dir;
static FILE *g_px;
static char *g_src;
static int g_rc;

static void emit(const char *name, struct qa_buf *b)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s.bin", g_dir, name);
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(b->p, 1, b->len, f) != b->len || fclose(f) != 0)
		g_rc = 1;
	free(b->p);
	memset(b, 0, sizeof *b);
}

static void expect(const char *name, int x, int y, int r, int g, int bl, int a, int tol, const char *why)
{
	fprintf(g_px, "%s %d,%d %d %d %d %d %d # %s\n", name, x, y, r, g, bl, a, tol, why);
}

enum { L = 1, VS = 2, FCOLOR, FTEX, FALPHA, FFACING, P_COLOR = 10, P_TEX, P_FACING, P_MASK,
       P_OFF_BLEND, P_ALPHA, P_MSAA, P_STENCIL, T_A = 20, T_B, T_C, S_NEAREST = 30, S_REPEAT,
       S_MIRROR, S_ZERO, D_WRITE = 40, D_TEST };

static void prelude(struct qa_buf *b)
{
	qa_compile_library(b, L, g_src);
	qa_get_function(b, VS, L, "vs");
	qa_get_function(b, FCOLOR, L, "fs_color");
	qa_get_function(b, FTEX, L, "fs_tex");
	qa_get_function(b, FALPHA, L, "fs_alpha");
	qa_get_function(b, FFACING, L, "fs_facing");
	qa_render_pipeline(b, P_COLOR, VS, FCOLOR, 0, 15, 0, 1, 6);
	qa_render_pipeline(b, P_TEX, VS, FTEX, 0, 15, 0, 1, 6);
	qa_render_pipeline(b, P_FACING, VS, FFACING, 0, 15, 0, 1, 6);
}

/* NDC quad from pixel rect (y down pixels). */
static void pquad(struct qa_vertex *v, float x0, float y0, float x1, float y1, float u0, float v0,
		  float u1, float v1, const float c[4])
{
	/* top-left, top-right, bottom-left / top-right, bottom-right, bottom-left: clockwise on screen */
	float X0 = x0 / SW * 2 - 1, X1 = x1 / SW * 2 - 1, Y0 = 1 - y0 / SH * 2, Y1 = 1 - y1 / SH * 2;
	struct qa_vertex q[6] = {
		{ X0, Y0, u0, v0, c[0], c[1], c[2], c[3] }, { X1, Y0, u1, v0, c[0], c[1], c[2], c[3] },
		{ X0, Y1, u0, v1, c[0], c[1], c[2], c[3] }, { X1, Y0, u1, v0, c[0], c[1], c[2], c[3] },
		{ X1, Y1, u1, v1, c[0], c[1], c[2], c[3] }, { X0, Y1, u0, v1, c[0], c[1], c[2], c[3] },
	};
	memcpy(v, q, sizeof q);
}

static void pass_drawable(struct qa_buf *b, unsigned load, float r, float g, float bl)
{
	qa_begin_render_pass(b, QA_DRAWABLE, 0, 0, load, 1, 0, 0, r, g, bl, 1, 0);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: gen_qa_sem OUTDIR\n");
		return 2;
	}
	g_dir = argv[1];
	g_src = qa_read_text("tests/qa/shaders/sem.metal");
	char p[4096];
	snprintf(p, sizeof p, "%s/PIXELS", g_dir);
	g_px = fopen(p, "w");
	if (!g_src || !g_px) {
		fprintf(stderr, "gen_qa_sem: cannot read tests/qa/shaders/sem.metal or write %s\n", p);
		return 2;
	}
	static struct qa_buf b;
	struct qa_vertex v[12];
	const float white[4] = { 1, 1, 1, 1 }, red[4] = { 1, 0, 0, 1 }, green[4] = { 0, 1, 0, 1 };

	/* write mask R8 G4 B2 A1: only red over a blue clear -> magenta */
	prelude(&b);
	qa_render_pipeline(&b, P_MASK, VS, FCOLOR, 0, 8 | 1, 0, 1, 6);
	pass_drawable(&b, 2, 0, 0, 1);
	qa_handle_cmd(&b, QA_SET_RENDER_PIPELINE, P_MASK);
	pquad(v, 0, 0, 32, 64, 0, 0, 1, 1, white);
	qa_vertices(&b, v, 6);
	qa_draw(&b, 0, 0, 6);
	qa_empty_cmd(&b, QA_END_RENDER_PASS);
	qa_present(&b, 0);
	emit("writemask", &b);
	expect("writemask", 10, 10, 255, 0, 255, 255, 0, "write_mask R|A over blue: red written, green/blue kept");
	expect("writemask", 50, 10, 0, 0, 255, 255, 0, "outside the quad: the clear");

	/* front_facing with Metal's default clockwise front winding */
	prelude(&b);
	pass_drawable(&b, 2, 0, 0, 0);
	qa_handle_cmd(&b, QA_SET_RENDER_PIPELINE, P_FACING);
	pquad(v, 0, 0, 32, 64, 0, 0, 1, 1, white);          /* clockwise on screen */
	{
		/* the same quad, counter-clockwise on screen, on the right half */
		struct qa_vertex w[6];
		pquad(w, 32, 0, 64, 64, 0, 0, 1, 1, white);
		struct qa_vertex t = w[1]; w[1] = w[2]; w[2] = t;
		t = w[4]; w[4] = w[5]; w[5] = t;
		memcpy(&v[6], w, sizeof w);
	}
	qa_vertices(&b, v, 12);
	qa_draw(&b, 0, 0, 12);
	qa_empty_cmd(&b, QA_END_RENDER_PASS);
	qa_present(&b, 0);
	emit("facing", &b);
	expect("facing", 10, 30, 0, 255, 0, 255, 0, "clockwise in window coordinates is front-facing (MTLWindingClockwise default)");
	expect("facing", 50, 30, 255, 0, 0, 255, 0, "counter-clockwise is back-facing");

	/* scissor does not carry over into the next render pass (new encoder) */
	prelude(&b);
	pass_drawable(&b, 2, 0, 0, 0);
	qa_handle_cmd(&b, QA_SET_RENDER_PIPELINE, P_COLOR);
	qa_scissor(&b, 0, 0, 8, 8);
	pquad(v, 0, 0, 64, 64, 0, 0, 1, 1, red);
	qa_vertices(&b, v, 6);
	qa_draw(&b, 0, 0, 6);
	qa_empty_cmd(&b, QA_END_RENDER_PASS);
	pass_drawable(&b, 1, 0, 0, 0);
	qa_handle_cmd(&b, QA_SET_RENDER_PIPELINE, P_COLOR);
	pquad(v, 32, 32, 64, 64, 0, 0, 1, 1, green);
	qa_vertices(&b, v, 6);
	qa_draw(&b, 0, 0, 6);
	qa_empty_cmd(&b, QA_END_RENDER_PASS);
	qa_present(&b, 0);
	emit("scissor-reset", &b);
	expect("scissor-reset", 4, 4, 255, 0, 0, 255, 0, "inside the first pass's scissor");
	expect("scissor-reset", 20, 20, 0, 0, 0, 255, 0, "outside the first pass's scissor");
	expect("scissor-reset", 50, 50, 0, 255, 0, 255, 0, "second pass: scissor is the whole attachment again");

	/* blitRetained: the last presented frame is copied in first */
	prelude(&b);
	pass_drawable(&b, 2, 1, 0, 0);
	qa_empty_cmd(&b, QA_END_RENDER_PASS);
	qa_present(&b, 0);
	pass_drawable(&b, 3, 0, 0, 0);
	qa_handle_cmd(&b, QA_SET_RENDER_PIPELINE, P_COLOR);
	pquad(v, 0, 0, 16, 16, 0, 0, 1, 1, green);
	qa_vertices(&b, v, 6);
	qa_draw(&b, 0, 0, 6);
	qa_empty_cmd(&b, QA_END_RENDER_PASS);
	qa_present(&b, 1);
	emit("blit-retained", &b);
	expect("blit-retained", 40, 40, 255, 0, 0, 255, 0, "frame 1 keeps frame 0's red");
	expect("blit-retained", 8, 8, 0, 255, 0, 255, 0, "and draws on it");

	/* bgra8Unorm texture: bytes are B,G,R,A; nearest sampling of a 2x2
	 * texture uploaded into a padded region at (1,1) of a 4x4 texture;
	 * repeat and mirrorRepeat address modes over uv 0..2 */
	prelude(&b);
	qa_texture(&b, T_A, 4, 4, 1, 0, 1, 1);
	{
		/* row 0: red, green; row 1: blue, white (BGRA bytes), bytes_per_row 12 */
		uint8_t px[24] = { 0, 0, 255, 255, 0, 255, 0, 255, 9, 9, 9, 9,
				   255, 0, 0, 255, 255, 255, 255, 255, 9, 9, 9, 9 };
		uint8_t black[64];
		memset(black, 0, sizeof black);
		for (int i = 3; i < 64; i += 4)
			black[i] = 255; /* opaque black */
		qa_upload(&b, T_A, 0, 0, 4, 4, 16, black, 64);
		qa_upload(&b, T_A, 1, 1, 2, 2, 12, px, 20);
	}
	qa_sampler(&b, S_NEAREST, 0, 0, 0, 0);
	pass_drawable(&b, 2, 0, 0, 0);
	qa_handle_cmd(&b, QA_SET_RENDER_PIPELINE, P_TEX);
	qa_set_slot(&b, QA_SET_FRAGMENT_TEXTURE, T_A, 0);
	qa_set_slot(&b, QA_SET_FRAGMENT_SAMPLER, S_NEAREST, 0);
	pquad(v, 0, 0, 64, 64, 0, 0, 1, 1, white);
	qa_vertices(&b, v, 6);
	qa_draw(&b, 0, 0, 6);
	qa_empty_cmd(&b, QA_END_RENDER_PASS);
	qa_present(&b, 0);
	emit("bgra-upload", &b);
	expect("bgra-upload", 24, 24, 255, 0, 0, 255, 0, "texel (1,1): BGRA bytes 0,0,255,255 = red; uv (0,0) is the top-left texel");
	expect("bgra-upload", 40, 24, 0, 255, 0, 255, 0, "texel (2,1) green");
	expect("bgra-upload", 24, 40, 0, 0, 255, 255, 0, "texel (1,2) blue");
	expect("bgra-upload", 40, 40, 255, 255, 255, 255, 0, "texel (2,2) white");
	expect("bgra-upload", 4, 4, 0, 0, 0, 255, 0, "texel (0,0) untouched by the region upload");

	prelude(&b);
	qa_texture(&b, T_A, 2, 1, 2, 0, 1, 1);
	{
		uint8_t px[8] = { 255, 0, 0, 255, 0, 255, 0, 255 }; /* rgba: red, green */
		qa_upload(&b, T_A, 0, 0, 2, 1, 8, px, 8);
	}
	qa_sampler(&b, S_REPEAT, 0, 0, 1, 1);
	qa_sampler(&b, S_MIRROR, 0, 0, 2, 2);
	pass_drawable(&b, 2, 0, 0, 0);
	qa_handle_cmd(&b, QA_SET_RENDER_PIPELINE, P_TEX);
	qa_set_slot(&b, QA_SET_FRAGMENT_TEXTURE, T_A, 0);
	qa_set_slot(&b, QA_SET_FRAGMENT_SAMPLER, S_REPEAT, 0);
	pquad(v, 0, 0, 64, 32, 0, 0, 2, 1, white);   /* top half: u 0..2 repeat */
	qa_vertices(&b, v, 6);
	qa_draw(&b, 0, 0, 6);
	qa_set_slot(&b, QA_SET_FRAGMENT_SAMPLER, S_MIRROR, 0);
	pquad(v, 0, 32, 64, 48, 0, 0, 2, 1, white);  /* lower band: mirror */
	qa_vertices(&b, v, 6);
	qa_draw(&b, 0, 0, 6);
	qa_sampler(&b, S_ZERO, 0, 0, 3, 3);
	qa_set_slot(&b, QA_SET_FRAGMENT_SAMPLER, S_ZERO, 0);
	pquad(v, 0, 48, 64, 64, 0, 0, 2, 1, white);  /* bottom band: clampToZero */
	qa_vertices(&b, v, 6);
	qa_draw(&b, 0, 0, 6);
	qa_empty_cmd(&b, QA_END_RENDER_PASS);
	qa_present(&b, 0);
	emit("address-modes", &b);
	expect("address-modes", 8, 16, 255, 0, 0, 255, 0, "repeat u 0.25: red");
	expect("address-modes", 24, 16, 0, 255, 0, 255, 0, "repeat u 0.75: green");
	expect("address-modes", 40, 16, 255, 0, 0, 255, 0, "repeat u 1.25: red again");
	expect("address-modes", 56, 16, 0, 255, 0, 255, 0, "repeat u 1.75: green");
	expect("address-modes", 40, 40, 0, 255, 0, 255, 0, "mirrorRepeat u 1.25: mirrored, green");
	expect("address-modes", 56, 40, 255, 0, 0, 255, 0, "mirrorRepeat u 1.75: red");
	expect("address-modes", 8, 56, 255, 0, 0, 255, 0, "clampToZero u 0.25: red");
	expect("address-modes", 40, 56, 0, 0, 0, 0, 0, "clampToZero u 1.25: transparent black (the format has alpha)");

	/* alpha blending: dst alpha = src.a + dst.a * (1 - src.a) in an rgba8 layer */
	prelude(&b);
	qa_render_pipeline(&b, P_OFF_BLEND, VS, FCOLOR, 1, 15, 0, 1, 2);
	qa_render_pipeline(&b, P_ALPHA, VS, FALPHA, 0, 15, 0, 1, 6);
	qa_texture(&b, T_B, SW, SH, 2, 0, 1, 5);
	qa_sampler(&b, S_NEAREST, 0, 0, 0, 0);
	qa_begin_render_pass(&b, T_B, 0, 0, 2, 1, 0, 0, 0, 0, 0, 0.5f, 0);
	qa_handle_cmd(&b, QA_SET_RENDER_PIPELINE, P_OFF_BLEND);
	{
		const float half_white[4] = { 1, 1, 1, 0.5f };
		pquad(v, 0, 0, 32, 64, 0, 0, 1, 1, half_white);
	}
	qa_vertices(&b, v, 6);
	qa_draw(&b, 0, 0, 6);
	qa_empty_cmd(&b, QA_END_RENDER_PASS);
	pass_drawable(&b, 2, 0, 0, 0);
	qa_handle_cmd(&b, QA_SET_RENDER_PIPELINE, P_ALPHA);
	qa_set_slot(&b, QA_SET_FRAGMENT_TEXTURE, T_B, 0);
	qa_set_slot(&b, QA_SET_FRAGMENT_SAMPLER, S_NEAREST, 0);
	pquad(v, 0, 0, 64, 64, 0, 0, 1, 1, white);
	qa_vertices(&b, v, 6);
	qa_draw(&b, 0, 0, 6);
	qa_empty_cmd(&b, QA_END_RENDER_PASS);
	qa_present(&b, 0);
	emit("blend-alpha", &b);
	/* 0.75 stored as 191/255 in rgba8Unorm, sampled 0.749, sRGB-encoded 225 */
	expect("blend-alpha", 10, 10, 225, 225, 225, 255, 1, "alpha 0.5 + 0.5*(1-0.5) = 0.75, shown as sRGB gray");
	expect("blend-alpha", 50, 10, 188, 188, 188, 255, 1, "the cleared alpha 0.5");

	/* 4x MSAA: a vertical edge at x = 10.7 px covers 3 of Metal's standard
	 * sample positions (x offsets .375 .875 .125 .625) of pixel 10 */
	prelude(&b);
	qa_render_pipeline(&b, P_MSAA, VS, FCOLOR, 0, 15, 0, 4, 6);
	qa_texture(&b, T_C, SW, SH, 6, 1, 4, 4);
	qa_begin_render_pass(&b, T_C, QA_DRAWABLE, 0, 2, 2, 0, 0, 0, 0, 0, 1, 0);
	qa_handle_cmd(&b, QA_SET_RENDER_PIPELINE, P_MSAA);
	pquad(v, 0, 0, 10.7f, 64, 0, 0, 1, 1, white);
	qa_vertices(&b, v, 6);
	qa_draw(&b, 0, 0, 6);
	pquad(v, 20, 0, 30.2f, 64, 0, 0, 1, 1, white);
	qa_vertices(&b, v, 6);
	qa_draw(&b, 0, 0, 6);
	qa_empty_cmd(&b, QA_END_RENDER_PASS);
	qa_present(&b, 0);
	emit("msaa-pattern", &b);
	/* resolve averages linear values: 0.75 -> sRGB 225, 0.25 -> 137 */
	expect("msaa-pattern", 10, 30, 225, 225, 225, 255, 2, "3 of 4 samples left of x=10.7");
	expect("msaa-pattern", 30, 30, 137, 137, 137, 255, 2, "1 of 4 samples left of x=30.2");
	expect("msaa-pattern", 5, 30, 255, 255, 255, 255, 0, "fully covered");

	/* 12-byte depth-stencil form: back-facing triangles use the back ops */
	prelude(&b);
	qa_render_pipeline(&b, P_STENCIL, VS, FCOLOR, 0, 15, 1, 1, 6);
	qa_texture(&b, T_A, SW, SH, 4, 0, 1, 4);
	/* front: always/replace, back: always/keep */
	qa_depth_stencil12(&b, D_WRITE, 1, 1, 2, 0, 1, 0, 0);
	qa_depth_stencil8(&b, D_TEST, 1, 2, 0, 0);
	qa_begin_render_pass(&b, QA_DRAWABLE, 0, T_A, 2, 1, 2, 0, 0, 0, 0, 1, 0);
	qa_handle_cmd(&b, QA_SET_RENDER_PIPELINE, P_STENCIL);
	qa_handle_cmd(&b, QA_SET_DEPTH_STENCIL_STATE, D_WRITE);
	qa_stencil_ref(&b, 1);
	pquad(v, 0, 0, 32, 64, 0, 0, 1, 1, red);          /* front-facing: stencil := 1 */
	{
		struct qa_vertex w[6];
		pquad(w, 32, 0, 64, 64, 0, 0, 1, 1, red);     /* back-facing: kept at 0 */
		struct qa_vertex t = w[1]; w[1] = w[2]; w[2] = t;
		t = w[4]; w[4] = w[5]; w[5] = t;
		memcpy(&v[6], w, sizeof w);
	}
	qa_vertices(&b, v, 12);
	qa_draw(&b, 0, 0, 12);
	qa_handle_cmd(&b, QA_SET_DEPTH_STENCIL_STATE, D_TEST);
	pquad(v, 0, 0, 64, 64, 0, 0, 1, 1, green);
	qa_vertices(&b, v, 6);
	qa_draw(&b, 0, 0, 6);
	qa_empty_cmd(&b, QA_END_RENDER_PASS);
	qa_present(&b, 0);
	emit("stencil-back", &b);
	expect("stencil-back", 10, 30, 0, 255, 0, 255, 0, "front face replaced stencil with 1: green passes equal 1");
	expect("stencil-back", 50, 30, 255, 0, 0, 255, 0, "back face kept 0: green fails, red stays");

	/* bgra8Unorm_srgb textures are decoded to linear when sampled: texel
	 * 188 (0.5 linear) with alpha 128, blended over black into the sRGB
	 * drawable, gives linear 0.25 -> 137 (163 if sampling skipped decoding) */
	prelude(&b);
	qa_render_pipeline(&b, P_OFF_BLEND, VS, FTEX, 1, 15, 0, 1, 6);
	qa_texture(&b, T_A, 2, 2, 6, 0, 1, 1);
	{
		uint8_t px[16];
		for (int i = 0; i < 4; i++) {
			px[i * 4 + 0] = px[i * 4 + 1] = px[i * 4 + 2] = 188;
			px[i * 4 + 3] = 128;
		}
		qa_upload(&b, T_A, 0, 0, 2, 2, 8, px, 16);
	}
	qa_sampler(&b, S_NEAREST, 0, 0, 0, 0);
	pass_drawable(&b, 2, 0, 0, 0);
	qa_handle_cmd(&b, QA_SET_RENDER_PIPELINE, P_OFF_BLEND);
	qa_set_slot(&b, QA_SET_FRAGMENT_TEXTURE, T_A, 0);
	qa_set_slot(&b, QA_SET_FRAGMENT_SAMPLER, S_NEAREST, 0);
	pquad(v, 0, 0, 64, 64, 0, 0, 1, 1, white);
	qa_vertices(&b, v, 6);
	qa_draw(&b, 0, 0, 6);
	qa_empty_cmd(&b, QA_END_RENDER_PASS);
	qa_present(&b, 0);
	emit("srgb-sample", &b);
	expect("srgb-sample", 32, 32, 137, 137, 137, 255, 2, "sRGB texel decoded to linear before blending");

	/* the viewport is the attachment's size: NDC -1..0 of a 16x16 offscreen
	 * texture is its left half, whatever the drawable's size */
	prelude(&b);
	qa_render_pipeline(&b, P_OFF_BLEND, VS, FCOLOR, 0, 15, 0, 1, 2);
	qa_texture(&b, T_B, 16, 16, 2, 0, 1, 5);
	qa_sampler(&b, S_NEAREST, 0, 0, 0, 0);
	qa_begin_render_pass(&b, T_B, 0, 0, 2, 1, 0, 0, 1, 0, 0, 1, 0);
	qa_handle_cmd(&b, QA_SET_RENDER_PIPELINE, P_OFF_BLEND);
	qa_quad(v, -1, -1, 0, 1, 0, 0, 1, 1, green);
	qa_vertices(&b, v, 6);
	qa_draw(&b, 0, 0, 6);
	qa_empty_cmd(&b, QA_END_RENDER_PASS);
	pass_drawable(&b, 2, 0, 0, 0);
	qa_handle_cmd(&b, QA_SET_RENDER_PIPELINE, P_TEX);
	qa_set_slot(&b, QA_SET_FRAGMENT_TEXTURE, T_B, 0);
	qa_set_slot(&b, QA_SET_FRAGMENT_SAMPLER, S_NEAREST, 0);
	pquad(v, 0, 0, 64, 64, 0, 0, 1, 1, white);
	qa_vertices(&b, v, 6);
	qa_draw(&b, 0, 0, 6);
	qa_empty_cmd(&b, QA_END_RENDER_PASS);
	qa_present(&b, 0);
	emit("viewport-offscreen", &b);
	expect("viewport-offscreen", 16, 32, 0, 255, 0, 255, 0, "left half of the 16x16 target is green");
	expect("viewport-offscreen", 48, 32, 255, 0, 0, 255, 0, "right half keeps the red clear");

	/* formats: a kernel writes (1, 0.5, 0.25, 1) into bgra8Unorm,
	 * rgba16Float and r8Unorm textures (and a grid larger than the texture
	 * is clipped by the kernel's own bounds check); each is shown in a band */
	{
		static const unsigned fmts[3] = { 1, 5, 3 };
		prelude(&b);
		qa_get_function(&b, 9, L, "k_fill");
		qa_compute_pipeline(&b, 19, 9);
		qa_sampler(&b, S_NEAREST, 0, 0, 0, 0);
		for (unsigned i = 0; i < 3; i++)
			qa_texture(&b, T_A + i, 8, 8, fmts[i], 0, 1, 3);
		qa_empty_cmd(&b, QA_BEGIN_COMPUTE_PASS);
		qa_handle_cmd(&b, QA_SET_COMPUTE_PIPELINE, 19);
		const float col[4] = { 1, 0.5f, 0.25f, 1 };
		qa_fbytes_f32(&b, QA_SET_COMPUTE_BYTES, 0, col, 4);
		for (unsigned i = 0; i < 3; i++) {
			qa_set_slot(&b, QA_SET_COMPUTE_TEXTURE, T_A + i, 0);
			qa_dispatch(&b, 13, 9, 1, 4, 4, 1);
		}
		qa_empty_cmd(&b, QA_END_COMPUTE_PASS);
		pass_drawable(&b, 2, 0, 0, 0);
		qa_handle_cmd(&b, QA_SET_RENDER_PIPELINE, P_TEX);
		qa_set_slot(&b, QA_SET_FRAGMENT_SAMPLER, S_NEAREST, 0);
		for (unsigned i = 0; i < 3; i++) {
			qa_set_slot(&b, QA_SET_FRAGMENT_TEXTURE, T_A + i, 0);
			pquad(v, 0, (float)i * 20, 64, (float)i * 20 + 20, 0, 0, 1, 1, white);
			qa_vertices(&b, v, 6);
			qa_draw(&b, 0, 0, 6);
		}
		qa_empty_cmd(&b, QA_END_RENDER_PASS);
		qa_present(&b, 0);
		emit("formats", &b);
		/* into the sRGB drawable: 0.5 -> 188, 0.25 -> 137 */
		expect("formats", 32, 10, 255, 188, 137, 255, 1, "bgra8Unorm written by a kernel, sampled as rgba");
		expect("formats", 32, 30, 255, 188, 137, 255, 1, "rgba16Float");
		expect("formats", 32, 50, 255, 0, 0, 255, 0, "r8Unorm keeps red only: sampled (r, 0, 0, 1)");
	}

	fclose(g_px);
	free(g_src);
	return g_rc;
}
