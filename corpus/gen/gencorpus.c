/*
 * gencorpus.c — writes the representative raw command streams in corpus/
 * with the mtlproto encoder.
 *
 * Each stream is what a small guest would put in its virtqueues, back to
 * back: setup commands (libraries, functions, pipelines, textures), then
 * frames that each end with PRESENT_AND_COMMIT frame_id 0, 1, 2, ...
 * Every stream is valid: the generator decodes what it wrote and refuses to
 * write a file with a malformed command.
 *
 * Output is deterministic to the byte (the drift check in mk/codec.mk
 * regenerates and compares): geometry uses only basic IEEE float operations
 * (our own sine, no libm), and the build turns off FMA contraction.
 *
 * Coordinates are NDC, or a 1024x768 layout space mapped to NDC, so scenes
 * work at any drawable size. The only size-bound objects are the MSAA
 * render targets, which must match the default drawable (1024x768).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mtlproto/decode.h"
#include "mtlproto/encode.h"

#define DRAWABLE_W 1024
#define DRAWABLE_H 768
#define STREAM_CAP (4u << 20)

/* ---- shaders (the MSL subset of render/msl) ------------------------------ */

#define MSL_PRELUDE                                                                  \
	"#include <metal_stdlib>\n"                                                  \
	"using namespace metal;\n"                                                   \
	"\n"                                                                         \
	"struct VertexIn {\n"                                                        \
	"    float2 position [[attribute(0)]];\n"                                    \
	"    float2 texCoord [[attribute(1)]];\n"                                    \
	"    float4 color [[attribute(2)]];\n"                                       \
	"};\n"                                                                       \
	"\n"                                                                         \
	"struct VertexOut {\n"                                                       \
	"    float4 position [[position]];\n"                                        \
	"    float2 texCoord;\n"                                                     \
	"    float4 color;\n"                                                        \
	"};\n"                                                                       \
	"\n"                                                                         \
	"vertex VertexOut vertex_main(VertexIn in [[stage_in]]) {\n"                 \
	"    VertexOut out;\n"                                                       \
	"    out.position = float4(in.position, 0.0, 1.0);\n"                       \
	"    out.texCoord = in.texCoord;\n"                                          \
	"    out.color = in.color;\n"                                                \
	"    return out;\n"                                                          \
	"}\n"                                                                        \
	"\n"

#define MSL_FRAGMENT_COLOR                                                           \
	"fragment float4 fragment_color(VertexOut in [[stage_in]]) {\n"              \
	"    return in.color;\n"                                                     \
	"}\n"

#define MSL_FRAGMENT_TEXTURED                                                        \
	"fragment float4 fragment_textured(VertexOut in [[stage_in]],\n"             \
	"                                  texture2d<float, access::sample> tex [[texture(0)]],\n" \
	"                                  sampler smp [[sampler(0)]]) {\n"          \
	"    return tex.sample(smp, in.texCoord) * in.color;\n"                      \
	"}\n"

static const char triangle_msl[] = MSL_PRELUDE MSL_FRAGMENT_COLOR;

static const char textured_msl[] = MSL_PRELUDE MSL_FRAGMENT_TEXTURED;

static const char stencil_msl[] = MSL_PRELUDE MSL_FRAGMENT_COLOR
	"\n"
	"// Vertical gradient from the vertex colours, darkened towards the edges.\n"
	"fragment float4 fragment_vignette(VertexOut in [[stage_in]]) {\n"
	"    float2 d = in.texCoord - float2(0.5, 0.5);\n"
	"    float shade = 1.0 - 0.8 * dot(d, d);\n"
	"    return float4(in.color.rgb * shade, in.color.a);\n"
	"}\n";

static const char compute_msl[] = MSL_PRELUDE MSL_FRAGMENT_TEXTURED
	"\n"
	"struct PlasmaParams {\n"
	"    float time;\n"
	"    float scale;\n"
	"    float2 center;\n"
	"};\n"
	"\n"
	"kernel void plasma(texture2d<float, access::write> output [[texture(0)]],\n"
	"                   constant PlasmaParams &params [[buffer(0)]],\n"
	"                   uint2 gid [[thread_position_in_grid]]) {\n"
	"    if (gid.x >= output.get_width() || gid.y >= output.get_height()) {\n"
	"        return;\n"
	"    }\n"
	"    float2 size = float2(output.get_width(), output.get_height());\n"
	"    float2 uv = float2(gid) / size;\n"
	"    float2 p = (uv - params.center) * params.scale;\n"
	"    float v = sin(p.x + params.time) + sin(p.y * 1.3 - params.time)\n"
	"            + sin(length(p) * 2.0 + params.time * 0.5);\n"
	"    float3 rgb = 0.5 + 0.5 * float3(sin(v), sin(v + 2.094), sin(v + 4.188));\n"
	"    output.write(float4(rgb, 1.0), gid);\n"
	"}\n";

static const char ui_msl[] = MSL_PRELUDE
	"struct RectParams {\n"
	"    float2 halfSize;\n"
	"    float radius;\n"
	"    float softness;\n"
	"};\n"
	"\n"
	"// texCoord carries the offset from the rectangle's centre in layout\n"
	"// pixels; the signed distance to the rounded edge gives the coverage.\n"
	"fragment float4 ui_rounded_rect(VertexOut in [[stage_in]],\n"
	"                                constant RectParams &rect [[buffer(0)]]) {\n"
	"    float2 q = abs(in.texCoord) - rect.halfSize + float2(rect.radius);\n"
	"    float dist = length(max(q, float2(0.0))) + min(max(q.x, q.y), 0.0) - rect.radius;\n"
	"    float coverage = 1.0 - smoothstep(-rect.softness, rect.softness, dist);\n"
	"    return float4(in.color.rgb, in.color.a * coverage);\n"
	"}\n"
	"\n"
	"fragment float4 ui_glyph(VertexOut in [[stage_in]],\n"
	"                         texture2d<float, access::sample> atlas [[texture(0)]],\n"
	"                         sampler atlasSampler [[sampler(0)]]) {\n"
	"    float coverage = atlas.sample(atlasSampler, in.texCoord).r;\n"
	"    return float4(in.color.rgb, in.color.a * coverage);\n"
	"}\n";

/* ---- deterministic math ---------------------------------------------------- */

static const float PI = 3.14159265f;

/* sin(x) from range reduction and a Taylor polynomial: basic float
 * operations only, so the bytes are the same with any libm. */
static float dsin(float x)
{
	const float two_pi = 2.0f * PI;
	int k = (int)(x / two_pi);
	x -= (float)k * two_pi;
	if (x > PI)
		x -= two_pi;
	if (x < -PI)
		x += two_pi;
	if (x > PI / 2)
		x = PI - x;
	if (x < -PI / 2)
		x = -PI - x;
	float x2 = x * x;
	return x * (1.0f - x2 / 6.0f * (1.0f - x2 / 20.0f * (1.0f - x2 / 42.0f * (1.0f - x2 / 72.0f))));
}

static float dcos(float x) { return dsin(x + PI / 2); }

/* ---- vertices ---------------------------------------------------------------- */

struct vtx {
	float x, y, u, v, r, g, b, a;
};

struct rgba {
	float r, g, b, a;
};

#define MAX_VERTS_PER_CALL (MTL_MAX_INLINE_BYTES / MTL_VERTEX_STRIDE)

/* SET_VERTEX_BYTES index 0 with the fixed 32-byte layout, then the draw. */
static void draw_vertices(struct mtl_encoder *e, uint8_t primitive, const struct vtx *v, uint32_t n)
{
	uint8_t bytes[MTL_MAX_INLINE_BYTES];
	if (n > MAX_VERTS_PER_CALL) {
		fprintf(stderr, "mtlcorpus-gen: internal error: %u vertices in one call\n", n);
		exit(1);
	}
	for (uint32_t i = 0; i < n; i++) {
		const float f[8] = { v[i].x, v[i].y, v[i].u, v[i].v, v[i].r, v[i].g, v[i].b, v[i].a };
		for (int j = 0; j < 8; j++) {
			uint32_t bits;
			memcpy(&bits, &f[j], 4);
			mtl_wr32(bytes + i * MTL_VERTEX_STRIDE + (uint32_t)j * 4, bits);
		}
	}
	mtl_enc_set_vertex_bytes(e, 0, bytes, n * MTL_VERTEX_STRIDE);
	mtl_enc_draw_primitives(e, primitive, 0, n);
}

static struct vtx mkv(float x, float y, float u, float v, struct rgba c)
{
	struct vtx r = { x, y, u, v, c.r, c.g, c.b, c.a };
	return r;
}

/* A quad as a 4-vertex triangle strip covering NDC (x0,y0)-(x1,y1). */
static void quad_strip(struct vtx out[4], float x0, float y0, float x1, float y1, struct rgba c)
{
	out[0] = mkv(x0, y1, 0, 0, c);
	out[1] = mkv(x0, y0, 0, 1, c);
	out[2] = mkv(x1, y1, 1, 0, c);
	out[3] = mkv(x1, y0, 1, 1, c);
}

static const struct rgba WHITE = { 1, 1, 1, 1 };

static void compile(struct mtl_encoder *e, uint32_t lib, const char *src)
{
	mtl_enc_compile_library(e, lib, src, (uint32_t)strlen(src));
}

static void function(struct mtl_encoder *e, uint32_t fn, uint32_t lib, const char *name)
{
	mtl_enc_get_function(e, fn, lib, name, (uint32_t)strlen(name));
}

/* ---- handles -------------------------------------------------------------- */

enum {
	LIB = 1,
	FN_VERTEX = 2,
	FN_FRAG_A = 3,
	FN_FRAG_B = 4,
	FN_KERNEL = 5,
	PIPE_A = 10,
	PIPE_B = 11,
	PIPE_COMPUTE = 12,
	TEX_MSAA_COLOR = 20,
	TEX_MSAA_STENCIL = 21,
	TEX_IMAGE = 22,
	TEX_CANVAS = 23,
	TEX_CURSOR = 24,
	SAMPLER = 30,
	DSS_WRITE = 40,
	DSS_TEST = 41
};

/* ---- streams ---------------------------------------------------------------- */

/*
 * triangle.bin — hello triangle with 4x MSAA: a multisampled colour
 * texture resolved into the drawable, the triangle turning a little each
 * frame.
 */
static void gen_triangle(struct mtl_encoder *e)
{
	compile(e, LIB, triangle_msl);
	function(e, FN_VERTEX, LIB, "vertex_main");
	function(e, FN_FRAG_A, LIB, "fragment_color");
	mtl_enc_create_render_pipeline(e, PIPE_A, FN_VERTEX, FN_FRAG_A, 0, MTL_WRITE_ALL, MTL_STENCIL_FORMAT_NONE, 4,
				       MTL_PIXEL_BGRA8_UNORM_SRGB);
	mtl_enc_create_texture(e, TEX_MSAA_COLOR, DRAWABLE_W, DRAWABLE_H, MTL_PIXEL_BGRA8_UNORM_SRGB,
			       MTL_TEXTURE_2D_MULTISAMPLE, 4, MTL_USAGE_RENDER_TARGET);
	static const struct rgba corner[3] = { { 1, 0.1f, 0.1f, 1 }, { 0.1f, 1, 0.1f, 1 }, { 0.1f, 0.2f, 1, 1 } };
	for (uint32_t frame = 0; frame < 3; frame++) {
		struct vtx v[3];
		float turn = (float)frame * 0.15f;
		for (int i = 0; i < 3; i++) {
			float ang = PI / 2 + (float)i * (2 * PI / 3) + turn;
			v[i] = mkv(0.7f * dcos(ang), 0.7f * dsin(ang), 0, 0, corner[i]);
		}
		mtl_enc_begin_render_pass(e, TEX_MSAA_COLOR, MTL_DRAWABLE_HANDLE, 0, MTL_LOAD_CLEAR,
					  MTL_STORE_MULTISAMPLE_RESOLVE, MTL_LOAD_DONT_CARE, MTL_STORE_DONT_CARE,
					  0.05f, 0.05f, 0.08f, 1.0f);
		mtl_enc_set_render_pipeline(e, PIPE_A);
		draw_vertices(e, MTL_PRIMITIVE_TRIANGLE, v, 3);
		mtl_enc_end_render_pass(e);
		mtl_enc_present_and_commit(e, frame);
	}
}

/* A 64x64 BGRA test image: a checkerboard tinted by a diagonal gradient. */
static void make_image(uint8_t *px, int w, int h)
{
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++) {
			uint8_t *p = px + ((size_t)y * (size_t)w + (size_t)x) * 4;
			int check = ((x / 8) + (y / 8)) & 1;
			p[0] = (uint8_t)(check ? 255 - x * 2 : 40);     /* B */
			p[1] = (uint8_t)(check ? 64 + y * 2 : 40);      /* G */
			p[2] = (uint8_t)(check ? 128 + (x + y) : 200);  /* R */
			p[3] = 255;
		}
}

/* Render pipeline + sampler for drawing a texture onto the drawable. */
static void setup_textured(struct mtl_encoder *e, const char *msl)
{
	compile(e, LIB, msl);
	function(e, FN_VERTEX, LIB, "vertex_main");
	function(e, FN_FRAG_A, LIB, "fragment_textured");
	mtl_enc_create_render_pipeline(e, PIPE_A, FN_VERTEX, FN_FRAG_A, 1, MTL_WRITE_ALL, MTL_STENCIL_FORMAT_NONE, 1,
				       MTL_PIXEL_BGRA8_UNORM_SRGB);
	mtl_enc_create_sampler(e, SAMPLER, MTL_FILTER_LINEAR, MTL_FILTER_LINEAR, MTL_ADDRESS_CLAMP_TO_EDGE,
			       MTL_ADDRESS_CLAMP_TO_EDGE);
}

static void draw_textured_quad(struct mtl_encoder *e, uint32_t tex, float x0, float y0, float x1, float y1,
			       struct rgba tint)
{
	struct vtx q[4];
	quad_strip(q, x0, y0, x1, y1, tint);
	mtl_enc_set_render_pipeline(e, PIPE_A);
	mtl_enc_set_fragment_texture(e, tex, 0);
	mtl_enc_set_fragment_sampler(e, SAMPLER, 0);
	draw_vertices(e, MTL_PRIMITIVE_TRIANGLE_STRIP, q, 4);
}

/*
 * textured-quad.bin — upload a texture, create a sampler, draw a quad that
 * samples it in the fragment shader.
 */
static void gen_textured_quad(struct mtl_encoder *e)
{
	enum { W = 64, H = 64 };
	static uint8_t px[W * H * 4];
	setup_textured(e, textured_msl);
	mtl_enc_create_texture(e, TEX_IMAGE, W, H, MTL_PIXEL_BGRA8_UNORM, MTL_TEXTURE_2D, 1, MTL_USAGE_SHADER_READ);
	make_image(px, W, H);
	mtl_enc_upload_texture(e, TEX_IMAGE, 0, 0, W, H, W * 4, px, sizeof px);
	for (uint32_t frame = 0; frame < 2; frame++) {
		float s = 0.6f + 0.1f * (float)frame;
		mtl_enc_begin_render_pass(e, MTL_DRAWABLE_HANDLE, 0, 0, MTL_LOAD_CLEAR, MTL_STORE_STORE,
					  MTL_LOAD_DONT_CARE, MTL_STORE_DONT_CARE, 0.2f, 0.2f, 0.25f, 1.0f);
		draw_textured_quad(e, TEX_IMAGE, -s, -s, s, s, WHITE);
		mtl_enc_end_render_pass(e);
		mtl_enc_present_and_commit(e, frame);
	}
}

/*
 * msaa-stencil.bin — a 4x MSAA colour target with a 4x stencil8
 * attachment: a disc is written into the stencil only (write mask 0), then
 * a full-screen gradient is drawn where the stencil equals the reference.
 */
static void gen_msaa_stencil(struct mtl_encoder *e)
{
	compile(e, LIB, stencil_msl);
	function(e, FN_VERTEX, LIB, "vertex_main");
	function(e, FN_FRAG_A, LIB, "fragment_color");
	function(e, FN_FRAG_B, LIB, "fragment_vignette");
	mtl_enc_create_render_pipeline(e, PIPE_A, FN_VERTEX, FN_FRAG_A, 0, 0, MTL_STENCIL_FORMAT_STENCIL8, 4,
				       MTL_PIXEL_BGRA8_UNORM_SRGB);
	mtl_enc_create_render_pipeline(e, PIPE_B, FN_VERTEX, FN_FRAG_B, 0, MTL_WRITE_ALL, MTL_STENCIL_FORMAT_STENCIL8,
				       4, MTL_PIXEL_BGRA8_UNORM_SRGB);
	mtl_enc_create_texture(e, TEX_MSAA_COLOR, DRAWABLE_W, DRAWABLE_H, MTL_PIXEL_BGRA8_UNORM_SRGB,
			       MTL_TEXTURE_2D_MULTISAMPLE, 4, MTL_USAGE_RENDER_TARGET);
	mtl_enc_create_texture(e, TEX_MSAA_STENCIL, DRAWABLE_W, DRAWABLE_H, MTL_PIXEL_STENCIL8,
			       MTL_TEXTURE_2D_MULTISAMPLE, 4, MTL_USAGE_RENDER_TARGET);
	mtl_enc_create_depth_stencil_state(e, DSS_WRITE, 1, MTL_COMPARE_ALWAYS, MTL_STENCIL_REPLACE, MTL_STENCIL_KEEP);
	mtl_enc_create_depth_stencil_state(e, DSS_TEST, 1, MTL_COMPARE_EQUAL, MTL_STENCIL_KEEP, MTL_STENCIL_KEEP);

	enum { SEGMENTS = 40 };
	for (uint32_t frame = 0; frame < 2; frame++) {
		mtl_enc_begin_render_pass(e, TEX_MSAA_COLOR, MTL_DRAWABLE_HANDLE, TEX_MSAA_STENCIL, MTL_LOAD_CLEAR,
					  MTL_STORE_MULTISAMPLE_RESOLVE, MTL_LOAD_CLEAR, MTL_STORE_DONT_CARE,
					  0.0f, 0.0f, 0.0f, 1.0f);
		/* 1. the disc, stencil only */
		struct vtx fan[SEGMENTS * 3];
		float radius = 0.5f + 0.15f * (float)frame;
		for (int i = 0; i < SEGMENTS; i++) {
			float a0 = 2 * PI * (float)i / SEGMENTS, a1 = 2 * PI * (float)(i + 1) / SEGMENTS;
			fan[i * 3 + 0] = mkv(0, 0, 0, 0, WHITE);
			fan[i * 3 + 1] = mkv(radius * dcos(a0) * 0.75f, radius * dsin(a0), 0, 0, WHITE);
			fan[i * 3 + 2] = mkv(radius * dcos(a1) * 0.75f, radius * dsin(a1), 0, 0, WHITE);
		}
		mtl_enc_set_render_pipeline(e, PIPE_A);
		mtl_enc_set_depth_stencil_state(e, DSS_WRITE);
		mtl_enc_set_stencil_ref(e, 1);
		draw_vertices(e, MTL_PRIMITIVE_TRIANGLE, fan, SEGMENTS * 3);
		/* 2. a gradient where the stencil is 1 */
		struct vtx q[4];
		struct rgba top = { 0.9f, 0.5f, 0.1f, 1 }, bottom = { 0.2f, 0.1f, 0.6f, 1 };
		quad_strip(q, -1, -1, 1, 1, top);
		q[1].r = q[3].r = bottom.r;
		q[1].g = q[3].g = bottom.g;
		q[1].b = q[3].b = bottom.b;
		mtl_enc_set_render_pipeline(e, PIPE_B);
		mtl_enc_set_depth_stencil_state(e, DSS_TEST);
		mtl_enc_set_stencil_ref(e, 1);
		draw_vertices(e, MTL_PRIMITIVE_TRIANGLE_STRIP, q, 4);
		mtl_enc_end_render_pass(e);
		mtl_enc_present_and_commit(e, frame);
	}
}

/*
 * compute.bin — a kernel writes a plasma into a texture, which a render
 * pass then draws onto the drawable.
 */
static void gen_compute(struct mtl_encoder *e)
{
	enum { W = 256, H = 256 };
	setup_textured(e, compute_msl);
	function(e, FN_KERNEL, LIB, "plasma");
	mtl_enc_create_compute_pipeline(e, PIPE_COMPUTE, FN_KERNEL);
	mtl_enc_create_texture(e, TEX_CANVAS, W, H, MTL_PIXEL_RGBA8_UNORM, MTL_TEXTURE_2D, 1,
			       MTL_USAGE_SHADER_READ | MTL_USAGE_SHADER_WRITE);
	for (uint32_t frame = 0; frame < 3; frame++) {
		uint8_t params[16];
		const float f[4] = { 0.4f * (float)frame, 12.0f, 0.5f, 0.5f };
		for (int i = 0; i < 4; i++) {
			uint32_t bits;
			memcpy(&bits, &f[i], 4);
			mtl_wr32(params + i * 4, bits);
		}
		mtl_enc_begin_compute_pass(e);
		mtl_enc_set_compute_pipeline(e, PIPE_COMPUTE);
		mtl_enc_set_compute_texture(e, TEX_CANVAS, 0);
		mtl_enc_set_compute_bytes(e, 0, params, sizeof params);
		mtl_enc_dispatch_threads(e, W, H, 1, 16, 16, 1);
		mtl_enc_end_compute_pass(e);

		mtl_enc_begin_render_pass(e, MTL_DRAWABLE_HANDLE, 0, 0, MTL_LOAD_CLEAR, MTL_STORE_STORE,
					  MTL_LOAD_DONT_CARE, MTL_STORE_DONT_CARE, 0, 0, 0, 1);
		draw_textured_quad(e, TEX_CANVAS, -0.75f, -0.75f, 0.75f, 0.75f, WHITE);
		mtl_enc_end_render_pass(e);
		mtl_enc_present_and_commit(e, frame);
	}
}

/*
 * blit.bin — COPY_TEXTURE_REGION in a blit pass: the uploaded image is
 * tiled into quadrants of a larger canvas, which is then drawn.
 */
static void gen_blit(struct mtl_encoder *e)
{
	enum { W = 64, H = 64 };
	static uint8_t px[W * H * 4];
	setup_textured(e, textured_msl);
	mtl_enc_create_texture(e, TEX_IMAGE, W, H, MTL_PIXEL_BGRA8_UNORM, MTL_TEXTURE_2D, 1, MTL_USAGE_SHADER_READ);
	mtl_enc_create_texture(e, TEX_CANVAS, 2 * W, 2 * H, MTL_PIXEL_BGRA8_UNORM, MTL_TEXTURE_2D, 1,
			       MTL_USAGE_SHADER_READ | MTL_USAGE_RENDER_TARGET);
	make_image(px, W, H);
	mtl_enc_upload_texture(e, TEX_IMAGE, 0, 0, W, H, W * 4, px, sizeof px);

	/* frame 0: clear the canvas, copy the image into two quadrants */
	mtl_enc_begin_render_pass(e, TEX_CANVAS, 0, 0, MTL_LOAD_CLEAR, MTL_STORE_STORE, MTL_LOAD_DONT_CARE,
				  MTL_STORE_DONT_CARE, 0.1f, 0.3f, 0.1f, 1.0f);
	mtl_enc_end_render_pass(e);
	mtl_enc_begin_blit_pass(e);
	mtl_enc_copy_texture_region(e, TEX_IMAGE, TEX_CANVAS, 0, 0, W, H, 0, 0);
	mtl_enc_copy_texture_region(e, TEX_IMAGE, TEX_CANVAS, 0, 0, W, H, W, H);
	mtl_enc_end_blit_pass(e);
	mtl_enc_begin_render_pass(e, MTL_DRAWABLE_HANDLE, 0, 0, MTL_LOAD_CLEAR, MTL_STORE_STORE, MTL_LOAD_DONT_CARE,
				  MTL_STORE_DONT_CARE, 0.15f, 0.15f, 0.15f, 1.0f);
	draw_textured_quad(e, TEX_CANVAS, -0.8f, -0.8f, 0.8f, 0.8f, WHITE);
	mtl_enc_end_render_pass(e);
	mtl_enc_present_and_commit(e, 0);

	/* frame 1: copy a sub-rectangle into the other quadrants, then the
	 * image is no longer needed */
	mtl_enc_begin_blit_pass(e);
	mtl_enc_copy_texture_region(e, TEX_IMAGE, TEX_CANVAS, 16, 16, 32, 32, W + 16, 16);
	mtl_enc_copy_texture_region(e, TEX_IMAGE, TEX_CANVAS, 0, 32, W, 32, 0, H + 16);
	mtl_enc_end_blit_pass(e);
	mtl_enc_destroy_object(e, TEX_IMAGE);
	mtl_enc_begin_render_pass(e, MTL_DRAWABLE_HANDLE, 0, 0, MTL_LOAD_CLEAR, MTL_STORE_STORE, MTL_LOAD_DONT_CARE,
				  MTL_STORE_DONT_CARE, 0.15f, 0.15f, 0.15f, 1.0f);
	draw_textured_quad(e, TEX_CANVAS, -0.8f, -0.8f, 0.8f, 0.8f, WHITE);
	mtl_enc_end_render_pass(e);
	mtl_enc_present_and_commit(e, 1);
}

/* A w x h arrow cursor: premultiplied BGRA, white body, black outline. */
static void make_cursor(uint8_t *px, int w, int h)
{
	memset(px, 0, (size_t)w * (size_t)h * 4);
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++) {
			int body = 2 * x <= y && y < h - 4;                  /* the triangle */
			int stem = x >= y / 4 && x <= y / 4 + 3 && y >= h / 2; /* the tail */
			if (!body && !stem)
				continue;
			int edge = 2 * x == y || 2 * x == y - 1 || x == 0 || y == h - 5;
			uint8_t c = edge ? 0 : 255;
			uint8_t *p = px + ((size_t)y * (size_t)w + (size_t)x) * 4;
			p[0] = p[1] = p[2] = c;
			p[3] = 255;
		}
}

static void clear_frame(struct mtl_encoder *e, uint32_t frame, float r, float g, float b)
{
	mtl_enc_begin_render_pass(e, MTL_DRAWABLE_HANDLE, 0, 0, MTL_LOAD_CLEAR, MTL_STORE_STORE, MTL_LOAD_DONT_CARE,
				  MTL_STORE_DONT_CARE, r, g, b, 1.0f);
	mtl_enc_end_render_pass(e);
	mtl_enc_present_and_commit(e, frame);
}

/*
 * cursor.bin — the cursor plane: an image cursor moved over a few frames,
 * then a cursor taken from a texture, then hidden.
 */
static void gen_cursor(struct mtl_encoder *e)
{
	enum { CW = 32, CH = 32, TW = 24, TH = 24 };
	static uint8_t arrow[CW * CH * 4];
	static uint8_t hand[TW * TH * 4];
	make_cursor(arrow, CW, CH);
	mtl_enc_set_cursor_image(e, CW, CH, 0, 0, arrow, sizeof arrow);
	mtl_enc_set_cursor_visible(e, 1);
	uint32_t frame = 0;
	for (; frame < 3; frame++) {
		mtl_enc_set_cursor_position(e, 100.0f + 150.0f * (float)frame, 80.0f + 60.0f * (float)frame);
		clear_frame(e, frame, 0.25f, 0.3f, 0.35f);
	}
	/* a cursor from a texture: a filled disc, hot spot at its centre */
	for (int y = 0; y < TH; y++)
		for (int x = 0; x < TW; x++) {
			int dx = 2 * x + 1 - TW, dy = 2 * y + 1 - TH;
			uint8_t *p = hand + ((size_t)y * TW + (size_t)x) * 4;
			int in = dx * dx + dy * dy <= TW * TW;
			p[0] = in ? 40 : 0;
			p[1] = in ? 180 : 0;
			p[2] = in ? 240 : 0;
			p[3] = in ? 255 : 0;
		}
	mtl_enc_create_texture(e, TEX_CURSOR, TW, TH, MTL_PIXEL_BGRA8_UNORM, MTL_TEXTURE_2D, 1, MTL_USAGE_SHADER_READ);
	mtl_enc_upload_texture(e, TEX_CURSOR, 0, 0, TW, TH, TW * 4, hand, sizeof hand);
	mtl_enc_set_cursor_from_texture(e, TEX_CURSOR, TW, TH, TW / 2, TH / 2);
	mtl_enc_set_cursor_position(e, 512.0f, 384.0f);
	clear_frame(e, frame++, 0.25f, 0.3f, 0.35f);
	mtl_enc_set_cursor_visible(e, 0);
	clear_frame(e, frame++, 0.25f, 0.3f, 0.35f);
}

/* ---- many-frames.bin: an animated UI --------------------------------------- */

/* A 3x5 pixel font: five rows of three bits, most significant on the left. */
static const struct {
	char ch;
	const char *rows;
} font[] = {
	{ ' ', "000000000000000" }, { '0', "111101101101111" }, { '1', "010110010010111" },
	{ '2', "111001111100111" }, { '3', "111001111001111" }, { '4', "101101111001001" },
	{ '5', "111100111001111" }, { '6', "111100111101111" }, { '7', "111001001001001" },
	{ '8', "111101111101111" }, { '9', "111101111001111" }, { ':', "000010000010000" },
	{ '.', "000000000000010" }, { '%', "101001010100101" }, { '-', "000000111000000" },
	{ 'A', "010101111101101" }, { 'B', "110101110101110" }, { 'C', "011100100100011" },
	{ 'D', "110101101101110" }, { 'E', "111100110100111" }, { 'F', "111100110100100" },
	{ 'G', "011100101101011" }, { 'H', "101101111101101" }, { 'I', "111010010010111" },
	{ 'J', "001001001101010" }, { 'K', "101101110101101" }, { 'L', "100100100100111" },
	{ 'M', "101111111101101" }, { 'N', "110101101101101" }, { 'O', "010101101101010" },
	{ 'P', "110101110100100" }, { 'Q', "010101101110011" }, { 'R', "110101110101101" },
	{ 'S', "011100010001110" }, { 'T', "111010010010010" }, { 'U', "101101101101111" },
	{ 'V', "101101101101010" }, { 'W', "101101111111101" }, { 'X', "101101010101101" },
	{ 'Y', "101101010010010" }, { 'Z', "111001010100111" },
};
#define FONT_COUNT ((int)(sizeof font / sizeof font[0]))
#define ATLAS_COLS 16
#define ATLAS_ROWS 3
#define CELL 16

static int glyph_index(char c)
{
	for (int i = 0; i < FONT_COUNT; i++)
		if (font[i].ch == c)
			return i;
	return 0;
}

/* r8Unorm atlas of 16x16 cells; each font pixel is 3x3 texels. */
static void make_atlas(uint8_t *atlas)
{
	const int w = ATLAS_COLS * CELL;
	memset(atlas, 0, (size_t)w * ATLAS_ROWS * CELL);
	for (int g = 0; g < FONT_COUNT; g++) {
		int ox = (g % ATLAS_COLS) * CELL, oy = (g / ATLAS_COLS) * CELL;
		for (int y = 0; y < 15; y++)
			for (int x = 0; x < 9; x++)
				if (font[g].rows[(y / 3) * 3 + x / 3] == '1')
					atlas[(size_t)(oy + y) * (size_t)w + (size_t)(ox + 3 + x)] = 255;
	}
}

/* Layout space is 1024x768, y down; NDC is y up. */
static float ndc_x(float x) { return x / (DRAWABLE_W / 2.0f) - 1.0f; }
static float ndc_y(float y) { return 1.0f - y / (DRAWABLE_H / 2.0f); }

/* UI colours are picked in sRGB; the pipelines draw into the sRGB drawable,
 * which blends in linear space, so convert (gamma 2 is close enough and
 * needs no libm). */
static struct rgba linear(struct rgba c)
{
	struct rgba r = { c.r * c.r, c.g * c.g, c.b * c.b, c.a };
	return r;
}

/* A rounded rectangle: its SDF parameters as fragment bytes, then two
 * triangles whose texCoord is the offset from the centre in layout pixels. */
static void ui_rect(struct mtl_encoder *e, float x, float y, float w, float h, float radius, struct rgba c)
{
	float hw = w / 2, hh = h / 2;
	uint8_t params[16];
	c = linear(c);
	const float f[4] = { hw, hh, radius, 0.75f };
	for (int i = 0; i < 4; i++) {
		uint32_t bits;
		memcpy(&bits, &f[i], 4);
		mtl_wr32(params + i * 4, bits);
	}
	mtl_enc_set_fragment_bytes(e, 0, params, sizeof params);
	float x0 = ndc_x(x), x1 = ndc_x(x + w), y0 = ndc_y(y), y1 = ndc_y(y + h);
	struct vtx v[6] = {
		mkv(x0, y0, -hw, -hh, c), mkv(x1, y0, hw, -hh, c), mkv(x0, y1, -hw, hh, c),
		mkv(x1, y0, hw, -hh, c),  mkv(x1, y1, hw, hh, c),  mkv(x0, y1, -hw, hh, c),
	};
	draw_vertices(e, MTL_PRIMITIVE_TRIANGLE, v, 6);
}

/* A line of text as glyph quads, up to MAX_VERTS_PER_CALL/6 per draw. */
static void ui_text(struct mtl_encoder *e, float x, float y, float size, const char *s, struct rgba c)
{
	struct vtx v[MAX_VERTS_PER_CALL];
	uint32_t n = 0;
	const float aw = ATLAS_COLS * CELL, ah = ATLAS_ROWS * CELL;
	c = linear(c);
	for (; *s; s++, x += size * 0.75f) {
		if (*s == ' ')
			continue;
		int g = glyph_index(*s);
		float u0 = (float)((g % ATLAS_COLS) * CELL) / aw, v0 = (float)((g / ATLAS_COLS) * CELL) / ah;
		float u1 = u0 + CELL / aw, v1 = v0 + CELL / ah;
		float x0 = ndc_x(x), x1 = ndc_x(x + size), y0 = ndc_y(y), y1 = ndc_y(y + size);
		v[n++] = mkv(x0, y0, u0, v0, c);
		v[n++] = mkv(x1, y0, u1, v0, c);
		v[n++] = mkv(x0, y1, u0, v1, c);
		v[n++] = mkv(x1, y0, u1, v0, c);
		v[n++] = mkv(x1, y1, u1, v1, c);
		v[n++] = mkv(x0, y1, u0, v1, c);
		if (n + 6 > MAX_VERTS_PER_CALL) {
			draw_vertices(e, MTL_PRIMITIVE_TRIANGLE, v, n);
			n = 0;
		}
	}
	if (n)
		draw_vertices(e, MTL_PRIMITIVE_TRIANGLE, v, n);
}

static void gen_many_frames(struct mtl_encoder *e)
{
	enum { FRAMES = 60 };
	static uint8_t atlas[ATLAS_COLS * CELL * ATLAS_ROWS * CELL];
	static uint8_t arrow[16 * 16 * 4];

	compile(e, LIB, ui_msl);
	function(e, FN_VERTEX, LIB, "vertex_main");
	function(e, FN_FRAG_A, LIB, "ui_rounded_rect");
	function(e, FN_FRAG_B, LIB, "ui_glyph");
	mtl_enc_create_render_pipeline(e, PIPE_A, FN_VERTEX, FN_FRAG_A, 1, MTL_WRITE_ALL, MTL_STENCIL_FORMAT_NONE, 1,
				       MTL_PIXEL_BGRA8_UNORM_SRGB);
	mtl_enc_create_render_pipeline(e, PIPE_B, FN_VERTEX, FN_FRAG_B, 1, MTL_WRITE_ALL, MTL_STENCIL_FORMAT_NONE, 1,
				       MTL_PIXEL_BGRA8_UNORM_SRGB);
	mtl_enc_create_sampler(e, SAMPLER, MTL_FILTER_NEAREST, MTL_FILTER_NEAREST, MTL_ADDRESS_CLAMP_TO_EDGE,
			       MTL_ADDRESS_CLAMP_TO_EDGE);
	mtl_enc_create_texture(e, TEX_IMAGE, ATLAS_COLS * CELL, ATLAS_ROWS * CELL, MTL_PIXEL_R8_UNORM, MTL_TEXTURE_2D,
			       1, MTL_USAGE_SHADER_READ);
	make_atlas(atlas);
	mtl_enc_upload_texture(e, TEX_IMAGE, 0, 0, ATLAS_COLS * CELL, ATLAS_ROWS * CELL, ATLAS_COLS * CELL, atlas,
			       sizeof atlas);
	make_cursor(arrow, 16, 16);
	mtl_enc_set_cursor_image(e, 16, 16, 0, 0, arrow, sizeof arrow);
	mtl_enc_set_cursor_visible(e, 1);

	static const struct rgba bar = { 0.16f, 0.17f, 0.2f, 1 }, side = { 0.13f, 0.14f, 0.16f, 1 },
				 card = { 0.2f, 0.22f, 0.26f, 1 }, accent = { 0.25f, 0.55f, 0.95f, 1 },
				 text = { 0.92f, 0.93f, 0.95f, 1 }, dim = { 0.6f, 0.62f, 0.66f, 1 },
				 shadow = { 0, 0, 0, 0.35f };
	static const char *const menu[] = { "FILES", "SEARCH", "HISTORY", "SETTINGS" };
	for (uint32_t frame = 0; frame < FRAMES; frame++) {
		float t = (float)frame / (FRAMES - 1);
		char line[64];
		mtl_enc_set_cursor_position(e, 300.0f + 400.0f * t, 200.0f + 120.0f * dsin(t * 2 * PI));
		mtl_enc_begin_render_pass(e, MTL_DRAWABLE_HANDLE, 0, 0, MTL_LOAD_CLEAR, MTL_STORE_STORE,
					  MTL_LOAD_DONT_CARE, MTL_STORE_DONT_CARE, 0.09f * 0.09f, 0.1f * 0.1f, 0.12f * 0.12f, 1.0f);
		mtl_enc_set_render_pipeline(e, PIPE_A);
		ui_rect(e, 0, 0, 1024, 44, 0, bar);
		ui_rect(e, 0, 44, 220, 724, 0, side);
		/* the selected menu entry follows the frame */
		ui_rect(e, 8, 60.0f + 40.0f * (float)((frame / 15) % 4), 204, 32, 6, accent);
		/* cards with drop shadows, clipped to the content area */
		mtl_enc_set_scissor(e, 220, 44, 804, 724);
		for (int j = 0; j < 2; j++)
			for (int i = 0; i < 3; i++) {
				float cx = 250.0f + (float)i * 250.0f, cy = 80.0f + (float)j * 220.0f;
				ui_rect(e, cx + 3, cy + 5, 230, 200, 14, shadow);
				ui_rect(e, cx, cy, 230, 200, 12, card);
				ui_rect(e, cx + 16, cy + 150, 198 * (0.3f + 0.1f * (float)(i + 3 * j)), 10, 5, accent);
			}
		mtl_enc_set_scissor(e, 0, 0, DRAWABLE_W, DRAWABLE_H);
		/* progress bar and a bouncing indicator */
		ui_rect(e, 250, 560, 730, 16, 8, card);
		ui_rect(e, 250, 560, 16.0f + 714.0f * t, 16, 8, accent);
		ui_rect(e, 600.0f + 300.0f * dsin(t * 4 * PI), 620, 24, 24, 12, text);

		mtl_enc_set_render_pipeline(e, PIPE_B);
		mtl_enc_set_fragment_texture(e, TEX_IMAGE, 0);
		mtl_enc_set_fragment_sampler(e, SAMPLER, 0);
		ui_text(e, 16, 12, 20, "METALVISOR DEMO", text);
		for (int i = 0; i < 4; i++)
			ui_text(e, 24, 68.0f + 40.0f * (float)i, 16, menu[i], i == (int)((frame / 15) % 4) ? text : dim);
		for (int j = 0; j < 2; j++)
			for (int i = 0; i < 3; i++) {
				snprintf(line, sizeof line, "CARD %d", 1 + i + 3 * j);
				ui_text(e, 266.0f + (float)i * 250.0f, 96.0f + (float)j * 220.0f, 16, line, text);
			}
		snprintf(line, sizeof line, "FRAME %02u  PROGRESS %u%%", frame, (unsigned)(100 * frame / (FRAMES - 1)));
		ui_text(e, 250, 590, 16, line, dim);
		mtl_enc_end_render_pass(e);
		mtl_enc_present_and_commit(e, frame);
	}
}

/* ---- driver ------------------------------------------------------------------ */

static const struct stream {
	const char *file;
	void (*gen)(struct mtl_encoder *);
	const char *what;
} streams[] = {
	{ "triangle.bin", gen_triangle, "4x MSAA triangle resolved to the drawable" },
	{ "textured-quad.bin", gen_textured_quad, "texture upload, sampler, textured quad" },
	{ "msaa-stencil.bin", gen_msaa_stencil, "4x MSAA colour + stencil8, stencil write then test" },
	{ "compute.bin", gen_compute, "compute kernel writes a texture, then drawn" },
	{ "blit.bin", gen_blit, "COPY_TEXTURE_REGION into a canvas texture" },
	{ "cursor.bin", gen_cursor, "cursor image, position, from texture, visibility" },
	{ "many-frames.bin", gen_many_frames, "60 frames of an animated UI" },
};

/* Every command must decode cleanly and frames must be numbered 0, 1, ... */
static int self_check(const char *file, const uint8_t *buf, size_t len)
{
	struct mtl_decoder d;
	struct mtl_cmd c;
	uint32_t next_frame = 0;
	enum mtl_status s;
	mtl_decoder_init(&d, buf, len);
	while ((s = mtl_decoder_next(&d, &c)) != MTL_END) {
		if (s != MTL_OK) {
			fprintf(stderr, "mtlcorpus-gen: %s: offset %zu: %s: %s\n", file, c.error_offset,
				mtl_status_name(s), mtl_status_message(s));
			return -1;
		}
		if (c.method == MTL_CMD_PRESENT_AND_COMMIT && c.u.present.frame_id != next_frame++) {
			fprintf(stderr, "mtlcorpus-gen: %s: offset %zu: frame_id out of order\n", file, c.offset);
			return -1;
		}
	}
	if (next_frame == 0) {
		fprintf(stderr, "mtlcorpus-gen: %s: no PRESENT_AND_COMMIT\n", file);
		return -1;
	}
	return 0;
}

static int write_file(const char *path, const uint8_t *buf, size_t len)
{
	FILE *f = fopen(path, "wb");
	if (!f) {
		fprintf(stderr, "mtlcorpus-gen: %s: %s\n", path, strerror(errno));
		return -1;
	}
	size_t n = fwrite(buf, 1, len, f);
	if (fclose(f) != 0 || n != len) {
		fprintf(stderr, "mtlcorpus-gen: %s: write failed: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

static void usage(FILE *out)
{
	fprintf(out,
		"usage: mtlcorpus-gen [-o DIR] [--list]\n"
		"Write the representative raw command streams (default DIR: corpus).\n"
		"  -o, --out DIR   output directory (must exist)\n"
		"  --list          list the streams and exit\n"
		"  -h, --help      this help\n"
		"Exit status: 0 ok, 1 a stream failed its self-check or could not be written,\n"
		"2 usage error.\n");
}

int main(int argc, char **argv)
{
	const char *dir = "corpus";
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(argv[i], "--list")) {
			for (size_t s = 0; s < sizeof streams / sizeof streams[0]; s++)
				printf("%-18s %s\n", streams[s].file, streams[s].what);
			return 0;
		} else if ((!strcmp(argv[i], "-o") || !strcmp(argv[i], "--out")) && i + 1 < argc) {
			dir = argv[++i];
		} else {
			fprintf(stderr, "mtlcorpus-gen: unknown argument '%s'\n", argv[i]);
			usage(stderr);
			return 2;
		}
	}

	uint8_t *buf = malloc(STREAM_CAP);
	if (!buf) {
		fprintf(stderr, "mtlcorpus-gen: out of memory\n");
		return 1;
	}
	int rc = 0;
	for (size_t s = 0; s < sizeof streams / sizeof streams[0]; s++) {
		struct mtl_encoder e;
		char path[4096];
		mtl_enc_init(&e, buf, STREAM_CAP);
		streams[s].gen(&e);
		if (mtl_enc_overflowed(&e)) {
			fprintf(stderr, "mtlcorpus-gen: %s: stream larger than %u bytes\n", streams[s].file, STREAM_CAP);
			rc = 1;
			continue;
		}
		if (self_check(streams[s].file, buf, e.len) != 0) {
			rc = 1;
			continue;
		}
		snprintf(path, sizeof path, "%s/%s", dir, streams[s].file);
		if (write_file(path, buf, e.len) != 0) {
			rc = 1;
			continue;
		}
		printf("%s: %zu bytes\n", path, e.len);
	}
	free(buf);
	return rc;
}
