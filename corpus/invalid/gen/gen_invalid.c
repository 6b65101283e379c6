/*
 * gen_invalid.c — writes corpus/invalid/: one minimal raw stream per
 * validator rule, RULE-ID.bin, each triggering exactly that rule at a known
 * command, and the table corpus/invalid/EXPECTED that says where.
 *
 * Every stream is otherwise clean: it creates what it uses, closes its
 * passes and presents, so the one finding is the rule's. The shader.* streams
 * and data.bytes-too-small need a shader inspector (the MSL front end) to
 * trigger; EXPECTED marks them "msl" and they are clean without one.
 *
 * Usage: mtlinvalid-gen -o DIR     (writes DIR/RULE-ID.bin and DIR/EXPECTED)
 * The display the expectations assume is 1024x768 (the tools' default).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mtlproto/decode.h"
#include "mtlproto/encode.h"
#include "mtlproto/validate.h"

#define CAP 16384u
#define DRAWABLE MTL_DRAWABLE_HANDLE

/* One library for every stream: valid MSL in the front end's subset. */
static const char lib_src[] =
	"#include <metal_stdlib>\n"
	"using namespace metal;\n"
	"\n"
	"struct VertexIn {\n"
	"    float2 position [[attribute(0)]];\n"
	"    float2 texCoord [[attribute(1)]];\n"
	"    float4 color [[attribute(2)]];\n"
	"};\n"
	"\n"
	"struct VertexOut {\n"
	"    float4 position [[position]];\n"
	"    float4 color;\n"
	"};\n"
	"\n"
	"struct BadIn {\n"
	"    float2 position [[attribute(0)]];\n"
	"    float4 extra [[attribute(3)]];\n"
	"};\n"
	"\n"
	"vertex VertexOut vs(VertexIn in [[stage_in]]) {\n"
	"    VertexOut out;\n"
	"    out.position = float4(in.position, 0.0, 1.0);\n"
	"    out.color = in.color;\n"
	"    return out;\n"
	"}\n"
	"\n"
	"fragment float4 fs(VertexOut in [[stage_in]]) {\n"
	"    return in.color;\n"
	"}\n"
	"\n"
	"kernel void k(texture2d<float, access::write> out [[texture(0)]],\n"
	"              uint2 gid [[thread_position_in_grid]]) {\n"
	"    out.write(float4(1.0, 0.0, 0.0, 1.0), gid);\n"
	"}\n"
	"\n"
	"fragment float4 fs_uniform(VertexOut in [[stage_in]], constant float4 &tint [[buffer(0)]]) {\n"
	"    return in.color * tint;\n"
	"}\n"
	"\n"
	"vertex VertexOut vs_bad(BadIn in [[stage_in]]) {\n"
	"    VertexOut out;\n"
	"    out.position = float4(in.position, 0.0, 1.0);\n"
	"    out.color = in.extra;\n"
	"    return out;\n"
	"}\n";

/* Handles the helpers use. */
enum { LIB = 1, FN_VS = 2, FN_FS = 3, FN_K = 4, FN_FS_UNIFORM = 5, FN_VS_BAD = 6, PIPE = 10, CPIPE = 11 };

struct gen {
	struct mtl_encoder e;
	uint8_t buf[CAP];
	int marked;
	unsigned want_cmd;
	size_t want_off;
	int at_end; /* the finding is at end of stream (after the last command) */
};

static unsigned count_commands(const uint8_t *buf, size_t len)
{
	struct mtl_decoder d;
	struct mtl_cmd c;
	unsigned n = 0;
	mtl_decoder_init(&d, buf, len);
	while (mtl_decoder_next(&d, &c) != MTL_END)
		n++;
	return n;
}

/* The next command is the one the finding is about. */
static void want(struct gen *g)
{
	g->marked = 1;
	g->want_cmd = count_commands(g->buf, g->e.len);
	g->want_off = g->e.len;
}

static void want_end(struct gen *g)
{
	g->at_end = 1;
}

static void lib(struct gen *g)
{
	struct mtl_encoder *e = &g->e;
	mtl_enc_compile_library(e, LIB, lib_src, (uint32_t)strlen(lib_src));
	mtl_enc_get_function(e, FN_VS, LIB, "vs", 2);
	mtl_enc_get_function(e, FN_FS, LIB, "fs", 2);
	mtl_enc_get_function(e, FN_K, LIB, "k", 1);
}

static void rpipe(struct gen *g, uint32_t h, uint8_t samples, uint8_t format, uint8_t stencil)
{
	mtl_enc_create_render_pipeline(&g->e, h, FN_VS, FN_FS, 0, MTL_WRITE_ALL, stencil, samples, format);
}

static void tex(struct gen *g, uint32_t h, uint16_t w, uint16_t hh, uint8_t format, uint8_t samples, uint8_t usage)
{
	mtl_enc_create_texture(&g->e, h, w, hh, format, samples > 1 ? MTL_TEXTURE_2D_MULTISAMPLE : MTL_TEXTURE_2D,
			       samples, usage);
}

static void begin_drawable(struct gen *g)
{
	mtl_enc_begin_render_pass(&g->e, DRAWABLE, 0, 0, MTL_LOAD_CLEAR, MTL_STORE_STORE, 0, 0, 0, 0, 0, 1);
}

static void begin(struct gen *g, uint32_t color, uint32_t resolve, uint32_t stencil, uint8_t store)
{
	mtl_enc_begin_render_pass(&g->e, color, resolve, stencil, MTL_LOAD_CLEAR, store, MTL_LOAD_CLEAR,
				  MTL_STORE_DONT_CARE, 0, 0, 0, 1);
}

static void vertices(struct gen *g, unsigned n)
{
	static const uint8_t zeros[32 * 8];
	mtl_enc_set_vertex_bytes(&g->e, 0, zeros, n * 32u);
}

static void end_present(struct gen *g)
{
	mtl_enc_end_render_pass(&g->e);
	mtl_enc_present_and_commit(&g->e, 0);
}

static void raw(struct gen *g, uint16_t method, uint16_t flags, const void *payload, uint32_t n)
{
	mtl_enc_raw(&g->e, method, flags, payload, n);
}

/* A draw setup with the default pipeline, up to the draw. */
static void draw_setup(struct gen *g, uint8_t samples, uint8_t format, uint8_t stencil)
{
	lib(g);
	rpipe(g, PIPE, samples, format, stencil);
	begin_drawable(g);
	mtl_enc_set_render_pipeline(&g->e, PIPE);
	vertices(g, 3);
}

static void compute_setup(struct gen *g)
{
	lib(g);
	mtl_enc_create_compute_pipeline(&g->e, CPIPE, FN_K);
	tex(g, 20, 64, 64, MTL_PIXEL_RGBA8_UNORM, 1, MTL_USAGE_SHADER_WRITE);
	mtl_enc_begin_compute_pass(&g->e);
	mtl_enc_set_compute_pipeline(&g->e, CPIPE);
	mtl_enc_set_compute_texture(&g->e, 20, 0);
}

static void compute_end(struct gen *g)
{
	mtl_enc_end_compute_pass(&g->e);
	mtl_enc_present_and_commit(&g->e, 0);
}

/* ---- one function per rule ----------------------------------------------- */
#define E (&g->e)

static void g_frame_flags(struct gen *g)
{
	uint8_t p[4] = { 0 };
	want(g);
	raw(g, MTL_CMD_PRESENT_AND_COMMIT, 1, p, 4);
}

static void g_frame_unknown_method(struct gen *g)
{
	want(g);
	raw(g, 0x0777, 0, NULL, 0);
}

static void g_frame_payload_size(struct gen *g)
{
	uint8_t p[2] = { 0 };
	want(g);
	raw(g, MTL_CMD_PRESENT_AND_COMMIT, 0, p, 2);
}

static void g_frame_inner_length(struct gen *g)
{
	uint8_t p[12] = { 1, 0, 0, 0, 100, 0, 0, 0, 'a', 'b', 'c', 'd' }; /* len 100, 4 bytes follow */
	want(g);
	raw(g, MTL_CMD_COMPILE_LIBRARY, 0, p, sizeof p);
}

static void g_frame_truncated(struct gen *g)
{
	mtl_enc_present_and_commit(E, 0);
	want(g);
	/* five bytes: not even a header */
	g->buf[g->e.len++] = 0x00;
	g->buf[g->e.len++] = 0x0F;
	g->buf[g->e.len++] = 0;
	g->buf[g->e.len++] = 0;
	g->buf[g->e.len++] = 4;
}

static void g_enum_out_of_range(struct gen *g)
{
	want(g);
	mtl_enc_create_sampler(E, 1, 2, 0, 0, 0);
}

static void g_handle_reserved(struct gen *g)
{
	want(g);
	mtl_enc_create_sampler(E, 0x80000001u, 0, 0, 0, 0);
}

static void g_handle_drawable_not_allowed(struct gen *g)
{
	want(g);
	mtl_enc_destroy_object(E, DRAWABLE);
}

static void g_handle_undefined(struct gen *g)
{
	begin_drawable(g);
	want(g);
	mtl_enc_set_render_pipeline(E, 5);
	end_present(g);
}

static void g_handle_wrong_kind(struct gen *g)
{
	mtl_enc_create_sampler(E, 5, 0, 0, 0, 0);
	begin_drawable(g);
	want(g);
	mtl_enc_set_render_pipeline(E, 5);
	end_present(g);
}

static void g_handle_recreate(struct gen *g)
{
	mtl_enc_create_sampler(E, 5, 0, 0, 0, 0);
	want(g);
	mtl_enc_create_sampler(E, 5, 1, 1, 0, 0);
}

static void g_handle_destroy_unknown(struct gen *g)
{
	want(g);
	mtl_enc_destroy_object(E, 7);
}

static void g_handle_use_after_destroy(struct gen *g)
{
	mtl_enc_create_sampler(E, 5, 0, 0, 0, 0);
	mtl_enc_destroy_object(E, 5);
	begin_drawable(g);
	want(g);
	mtl_enc_set_fragment_sampler(E, 5, 0);
	end_present(g);
}

static void g_handle_bind_not_host(struct gen *g)
{
	want(g);
	mtl_enc_bind_host_texture(E, 1, 0x1234);
}

static void g_pass_draw_outside(struct gen *g)
{
	want(g);
	mtl_enc_draw_primitives(E, MTL_PRIMITIVE_TRIANGLE, 0, 3);
}

static void g_pass_render_outside(struct gen *g)
{
	want(g);
	mtl_enc_set_stencil_ref(E, 0);
}

static void g_pass_compute_outside(struct gen *g)
{
	want(g);
	mtl_enc_dispatch_threads(E, 1, 1, 1, 1, 1, 1);
}

static void g_pass_blit_outside(struct gen *g)
{
	tex(g, 1, 16, 16, MTL_PIXEL_BGRA8_UNORM, 1, MTL_USAGE_SHADER_READ);
	tex(g, 2, 16, 16, MTL_PIXEL_BGRA8_UNORM, 1, MTL_USAGE_SHADER_READ);
	want(g);
	mtl_enc_copy_texture_region(E, 1, 2, 0, 0, 16, 16, 0, 0);
}

static void g_pass_nested(struct gen *g)
{
	begin_drawable(g);
	want(g);
	mtl_enc_begin_compute_pass(E);
	mtl_enc_end_compute_pass(E);
	mtl_enc_present_and_commit(E, 0);
}

static void g_pass_end_without_begin(struct gen *g)
{
	want(g);
	mtl_enc_end_render_pass(E);
}

static void g_pass_open_at_present(struct gen *g)
{
	begin_drawable(g);
	want(g);
	mtl_enc_present_and_commit(E, 0);
}

static void g_pass_open_at_end(struct gen *g)
{
	begin_drawable(g);
	want_end(g);
}

static void g_rpass_short_form(struct gen *g)
{
	want(g);
	mtl_enc_begin_render_pass_short(E, DRAWABLE, 0, 0, MTL_LOAD_CLEAR, MTL_STORE_STORE, 0, 0, 0, 0, 0);
	end_present(g);
}

static void g_rpass_no_color(struct gen *g)
{
	want(g);
	begin(g, 0, 0, 0, MTL_STORE_STORE);
	end_present(g);
}

static void g_rpass_not_render_target(struct gen *g)
{
	tex(g, 1, 64, 64, MTL_PIXEL_BGRA8_UNORM, 1, MTL_USAGE_SHADER_READ);
	want(g);
	begin(g, 1, 0, 0, MTL_STORE_STORE);
	end_present(g);
}

static void g_rpass_color_format(struct gen *g)
{
	tex(g, 1, 64, 64, MTL_PIXEL_STENCIL8, 1, MTL_USAGE_RENDER_TARGET);
	want(g);
	begin(g, 1, 0, 0, MTL_STORE_STORE);
	end_present(g);
}

static void g_rpass_stencil_format(struct gen *g)
{
	tex(g, 1, 64, 64, MTL_PIXEL_BGRA8_UNORM, 1, MTL_USAGE_RENDER_TARGET);
	tex(g, 2, 64, 64, MTL_PIXEL_BGRA8_UNORM, 1, MTL_USAGE_RENDER_TARGET);
	want(g);
	begin(g, 1, 0, 2, MTL_STORE_STORE);
	end_present(g);
}

static void g_rpass_stencil_size(struct gen *g)
{
	tex(g, 1, 64, 64, MTL_PIXEL_BGRA8_UNORM, 1, MTL_USAGE_RENDER_TARGET);
	tex(g, 2, 32, 32, MTL_PIXEL_STENCIL8, 1, MTL_USAGE_RENDER_TARGET);
	want(g);
	begin(g, 1, 0, 2, MTL_STORE_STORE);
	end_present(g);
}

static void g_rpass_stencil_sample_count(struct gen *g)
{
	tex(g, 1, 64, 64, MTL_PIXEL_BGRA8_UNORM, 4, MTL_USAGE_RENDER_TARGET);
	tex(g, 2, 64, 64, MTL_PIXEL_STENCIL8, 1, MTL_USAGE_RENDER_TARGET);
	want(g);
	begin(g, 1, 0, 2, MTL_STORE_STORE);
	end_present(g);
}

static void g_rpass_resolve_size(struct gen *g)
{
	tex(g, 1, 64, 64, MTL_PIXEL_BGRA8_UNORM, 4, MTL_USAGE_RENDER_TARGET);
	tex(g, 2, 32, 32, MTL_PIXEL_BGRA8_UNORM, 1, MTL_USAGE_RENDER_TARGET);
	want(g);
	begin(g, 1, 2, 0, MTL_STORE_MULTISAMPLE_RESOLVE);
	end_present(g);
}

static void g_rpass_resolve_not_msaa(struct gen *g)
{
	tex(g, 1, 64, 64, MTL_PIXEL_BGRA8_UNORM, 1, MTL_USAGE_RENDER_TARGET);
	tex(g, 2, 64, 64, MTL_PIXEL_BGRA8_UNORM, 1, MTL_USAGE_RENDER_TARGET);
	want(g);
	begin(g, 1, 2, 0, MTL_STORE_MULTISAMPLE_RESOLVE);
	end_present(g);
}

static void g_rpass_resolve_missing(struct gen *g)
{
	tex(g, 1, 64, 64, MTL_PIXEL_BGRA8_UNORM, 4, MTL_USAGE_RENDER_TARGET);
	want(g);
	begin(g, 1, 0, 0, MTL_STORE_MULTISAMPLE_RESOLVE);
	end_present(g);
}

static void g_rpass_resolve_unused(struct gen *g)
{
	tex(g, 1, 64, 64, MTL_PIXEL_BGRA8_UNORM, 4, MTL_USAGE_RENDER_TARGET);
	tex(g, 2, 64, 64, MTL_PIXEL_BGRA8_UNORM, 1, MTL_USAGE_RENDER_TARGET);
	want(g);
	begin(g, 1, 2, 0, MTL_STORE_STORE);
	end_present(g);
}

static void g_rpass_resolve_format(struct gen *g)
{
	tex(g, 1, 64, 64, MTL_PIXEL_BGRA8_UNORM, 4, MTL_USAGE_RENDER_TARGET);
	tex(g, 2, 64, 64, MTL_PIXEL_RGBA8_UNORM, 1, MTL_USAGE_RENDER_TARGET);
	want(g);
	begin(g, 1, 2, 0, MTL_STORE_MULTISAMPLE_RESOLVE);
	end_present(g);
}

static void g_rpass_stencil_action_ignored(struct gen *g)
{
	tex(g, 1, 64, 64, MTL_PIXEL_BGRA8_UNORM, 1, MTL_USAGE_RENDER_TARGET);
	tex(g, 2, 64, 64, MTL_PIXEL_STENCIL8, 1, MTL_USAGE_RENDER_TARGET);
	want(g);
	mtl_enc_begin_render_pass(E, 1, 0, 2, MTL_LOAD_CLEAR, MTL_STORE_STORE, MTL_LOAD_LOAD, MTL_STORE_STORE, 0, 0,
				  0, 1);
	end_present(g);
}

static void g_rpass_blit_retained_mismatch(struct gen *g)
{
	want(g);
	mtl_enc_begin_render_pass(E, DRAWABLE, 0, 0, MTL_LOAD_BLIT_RETAINED, MTL_STORE_STORE, 0, 0, 0, 0, 0, 1);
	end_present(g);
}

static void g_rpass_scissor_outside(struct gen *g)
{
	begin_drawable(g);
	want(g);
	mtl_enc_set_scissor(E, 0, 0, 2000, 10);
	end_present(g);
}

static void g_draw_no_pipeline(struct gen *g)
{
	begin_drawable(g);
	vertices(g, 3);
	want(g);
	mtl_enc_draw_primitives(E, MTL_PRIMITIVE_TRIANGLE, 0, 3);
	end_present(g);
}

static void draw_then_end(struct gen *g, uint32_t count)
{
	want(g);
	mtl_enc_draw_primitives(E, MTL_PRIMITIVE_TRIANGLE, 0, count);
	end_present(g);
}

static void g_draw_sample_count_mismatch(struct gen *g)
{
	draw_setup(g, 4, MTL_PIXEL_BGRA8_UNORM_SRGB, 0);
	draw_then_end(g, 3);
}

static void g_draw_format_mismatch(struct gen *g)
{
	draw_setup(g, 1, MTL_PIXEL_BGRA8_UNORM, 0);
	draw_then_end(g, 3);
}

static void g_draw_stencil_format_mismatch(struct gen *g)
{
	draw_setup(g, 1, MTL_PIXEL_BGRA8_UNORM_SRGB, MTL_STENCIL_FORMAT_STENCIL8);
	draw_then_end(g, 3);
}

static void g_draw_stencil_without_attachment(struct gen *g)
{
	mtl_enc_create_depth_stencil_state(E, 30, 1, MTL_COMPARE_ALWAYS, MTL_STENCIL_REPLACE, MTL_STENCIL_KEEP);
	draw_setup(g, 1, MTL_PIXEL_BGRA8_UNORM_SRGB, 0);
	mtl_enc_set_depth_stencil_state(E, 30);
	draw_then_end(g, 3);
}

static void g_draw_vertex_overrun(struct gen *g)
{
	draw_setup(g, 1, MTL_PIXEL_BGRA8_UNORM_SRGB, 0);
	draw_then_end(g, 6);
}

static void g_draw_triangle_count(struct gen *g)
{
	draw_setup(g, 1, MTL_PIXEL_BGRA8_UNORM_SRGB, 0);
	vertices(g, 4);
	draw_then_end(g, 4);
}

static void g_data_bytes_too_large(struct gen *g)
{
	static const uint8_t big[4100];
	begin_drawable(g);
	want(g);
	mtl_enc_set_fragment_bytes(E, 0, big, sizeof big);
	end_present(g);
}

/* fs_uniform reads `constant float4 &tint [[buffer(0)]]`: 16 bytes; 8 are
 * bound. Found at the draw, when the bytes and the pipeline meet. */
static void g_data_bytes_too_small(struct gen *g)
{
	static const float half_tint[2] = { 1.0f, 1.0f };
	lib(g);
	mtl_enc_get_function(E, FN_FS_UNIFORM, LIB, "fs_uniform", 10);
	mtl_enc_create_render_pipeline(E, PIPE, FN_VS, FN_FS_UNIFORM, 0, MTL_WRITE_ALL, 0, 1,
				       MTL_PIXEL_BGRA8_UNORM_SRGB);
	begin_drawable(g);
	mtl_enc_set_render_pipeline(E, PIPE);
	vertices(g, 3);
	mtl_enc_set_fragment_bytes(E, 0, half_tint, sizeof half_tint);
	draw_then_end(g, 3);
}

static void g_data_buffer_index(struct gen *g)
{
	static const uint8_t small[16];
	begin_drawable(g);
	want(g);
	mtl_enc_set_fragment_bytes(E, 31, small, sizeof small);
	end_present(g);
}

static void g_data_texture_index(struct gen *g)
{
	tex(g, 1, 16, 16, MTL_PIXEL_BGRA8_UNORM, 1, MTL_USAGE_SHADER_READ);
	begin_drawable(g);
	want(g);
	mtl_enc_set_fragment_texture(E, 1, 31);
	end_present(g);
}

static void g_data_sampler_index(struct gen *g)
{
	mtl_enc_create_sampler(E, 1, 0, 0, 0, 0);
	begin_drawable(g);
	want(g);
	mtl_enc_set_fragment_sampler(E, 1, 16);
	end_present(g);
}

static void g_texture_size_zero(struct gen *g)
{
	want(g);
	tex(g, 1, 0, 64, MTL_PIXEL_BGRA8_UNORM, 1, MTL_USAGE_SHADER_READ);
}

static void g_texture_too_large(struct gen *g)
{
	want(g);
	tex(g, 1, 20000, 16, MTL_PIXEL_BGRA8_UNORM, 1, MTL_USAGE_SHADER_READ);
}

static void g_texture_host_too_large(struct gen *g)
{
	want(g);
	tex(g, 1, 9000, 16, MTL_PIXEL_BGRA8_UNORM, 1, MTL_USAGE_SHADER_READ);
}

static void g_texture_sample_count(struct gen *g)
{
	want(g);
	tex(g, 1, 64, 64, MTL_PIXEL_BGRA8_UNORM, 2, MTL_USAGE_RENDER_TARGET);
}

static void g_texture_type_mismatch(struct gen *g)
{
	want(g);
	mtl_enc_create_texture(E, 1, 64, 64, MTL_PIXEL_BGRA8_UNORM, MTL_TEXTURE_2D_MULTISAMPLE, 1,
			       MTL_USAGE_RENDER_TARGET);
}

static void g_texture_usage_zero(struct gen *g)
{
	want(g);
	tex(g, 1, 64, 64, MTL_PIXEL_BGRA8_UNORM, 1, 0);
}

static void upload(struct gen *g, uint16_t x, uint16_t y, uint16_t w, uint16_t h, uint32_t bpr, uint32_t n)
{
	static const uint8_t pixels[256];
	mtl_enc_upload_texture(E, 1, x, y, w, h, bpr, pixels, n);
}

static void g_texture_upload_outside(struct gen *g)
{
	tex(g, 1, 16, 16, MTL_PIXEL_BGRA8_UNORM, 1, MTL_USAGE_SHADER_READ);
	want(g);
	upload(g, 8, 0, 16, 1, 64, 64);
}

static void g_texture_upload_row_short(struct gen *g)
{
	tex(g, 1, 16, 16, MTL_PIXEL_BGRA8_UNORM, 1, MTL_USAGE_SHADER_READ);
	want(g);
	upload(g, 0, 0, 16, 1, 32, 64);
}

static void g_texture_upload_size(struct gen *g)
{
	tex(g, 1, 16, 16, MTL_PIXEL_BGRA8_UNORM, 1, MTL_USAGE_SHADER_READ);
	want(g);
	upload(g, 0, 0, 16, 2, 64, 64);
}

static void g_texture_upload_msaa(struct gen *g)
{
	tex(g, 1, 16, 16, MTL_PIXEL_BGRA8_UNORM, 4, MTL_USAGE_RENDER_TARGET);
	want(g);
	upload(g, 0, 0, 1, 1, 4, 4);
}

static void g_texture_not_readable(struct gen *g)
{
	tex(g, 1, 16, 16, MTL_PIXEL_BGRA8_UNORM, 1, MTL_USAGE_RENDER_TARGET);
	begin_drawable(g);
	want(g);
	mtl_enc_set_fragment_texture(E, 1, 0);
	end_present(g);
}

static void g_texture_not_writable(struct gen *g)
{
	tex(g, 1, 16, 16, MTL_PIXEL_RGBA8_UNORM, 1, MTL_USAGE_RENDER_TARGET);
	mtl_enc_begin_compute_pass(E);
	want(g);
	mtl_enc_set_compute_texture(E, 1, 0);
	compute_end(g);
}

static void g_copy_out_of_bounds(struct gen *g)
{
	tex(g, 1, 16, 16, MTL_PIXEL_BGRA8_UNORM, 1, MTL_USAGE_SHADER_READ);
	tex(g, 2, 16, 16, MTL_PIXEL_BGRA8_UNORM, 1, MTL_USAGE_SHADER_READ);
	mtl_enc_begin_blit_pass(E);
	want(g);
	mtl_enc_copy_texture_region(E, 1, 2, 8, 8, 16, 16, 0, 0);
	mtl_enc_end_blit_pass(E);
	mtl_enc_present_and_commit(E, 0);
}

static void g_copy_format_mismatch(struct gen *g)
{
	tex(g, 1, 16, 16, MTL_PIXEL_BGRA8_UNORM, 1, MTL_USAGE_SHADER_READ);
	tex(g, 2, 16, 16, MTL_PIXEL_RGBA8_UNORM, 1, MTL_USAGE_SHADER_READ);
	mtl_enc_begin_blit_pass(E);
	want(g);
	mtl_enc_copy_texture_region(E, 1, 2, 0, 0, 16, 16, 0, 0);
	mtl_enc_end_blit_pass(E);
	mtl_enc_present_and_commit(E, 0);
}

static void g_compute_no_pipeline(struct gen *g)
{
	mtl_enc_begin_compute_pass(E);
	want(g);
	mtl_enc_dispatch_threads(E, 1, 1, 1, 1, 1, 1);
	compute_end(g);
}

static void g_compute_zero_grid(struct gen *g)
{
	compute_setup(g);
	want(g);
	mtl_enc_dispatch_threads(E, 0, 1, 1, 1, 1, 1);
	compute_end(g);
}

static void g_compute_threadgroup_too_large(struct gen *g)
{
	compute_setup(g);
	want(g);
	mtl_enc_dispatch_threads(E, 64, 64, 1, 64, 32, 1);
	compute_end(g);
}

static void g_cursor_too_large(struct gen *g)
{
	static const uint8_t px[300 * 4];
	want(g);
	mtl_enc_set_cursor_image(E, 300, 1, 0, 0, px, sizeof px);
}

static void g_cursor_data_size(struct gen *g)
{
	static const uint8_t px[8];
	want(g);
	mtl_enc_set_cursor_image(E, 2, 2, 0, 0, px, sizeof px);
}

static void g_cursor_texture_format(struct gen *g)
{
	tex(g, 1, 16, 16, MTL_PIXEL_RGBA8_UNORM, 1, MTL_USAGE_SHADER_READ);
	want(g);
	mtl_enc_set_cursor_from_texture(E, 1, 16, 16, 0, 0);
}

static void g_cursor_texture_region(struct gen *g)
{
	tex(g, 1, 16, 16, MTL_PIXEL_BGRA8_UNORM, 1, MTL_USAGE_SHADER_READ);
	want(g);
	mtl_enc_set_cursor_from_texture(E, 1, 32, 32, 0, 0);
}

static void g_sampler_address_mode_differs(struct gen *g)
{
	want(g);
	mtl_enc_create_sampler(E, 1, 1, 1, MTL_ADDRESS_REPEAT, MTL_ADDRESS_REPEAT);
}

static void g_pipeline_sample_count(struct gen *g)
{
	lib(g);
	want(g);
	rpipe(g, PIPE, 2, MTL_PIXEL_BGRA8_UNORM_SRGB, 0);
}

static void g_pipeline_color_format(struct gen *g)
{
	lib(g);
	want(g);
	rpipe(g, PIPE, 1, MTL_PIXEL_STENCIL8, 0);
}

static void g_shader_compile_error(struct gen *g)
{
	static const char bad[] = "#include <metal_stdlib>\nusing namespace metal;\n"
				  "fragment float4 broken() {\n    return float4(1.0, 0.0, 0.0, 1.0)\n}\n";
	want(g);
	mtl_enc_compile_library(E, LIB, bad, (uint32_t)strlen(bad));
}

static void g_shader_function_missing(struct gen *g)
{
	mtl_enc_compile_library(E, LIB, lib_src, (uint32_t)strlen(lib_src));
	want(g);
	mtl_enc_get_function(E, FN_VS, LIB, "vertex_main", 11);
}

static void g_shader_stage_mismatch(struct gen *g)
{
	lib(g);
	want(g);
	mtl_enc_create_render_pipeline(E, PIPE, FN_VS, FN_VS, 0, MTL_WRITE_ALL, 0, 1, MTL_PIXEL_BGRA8_UNORM_SRGB);
}

static void g_shader_unbound_slot(struct gen *g)
{
	lib(g);
	mtl_enc_get_function(E, FN_FS_UNIFORM, LIB, "fs_uniform", 10);
	mtl_enc_create_render_pipeline(E, PIPE, FN_VS, FN_FS_UNIFORM, 0, MTL_WRITE_ALL, 0, 1,
				       MTL_PIXEL_BGRA8_UNORM_SRGB);
	begin_drawable(g);
	mtl_enc_set_render_pipeline(E, PIPE);
	vertices(g, 3);
	draw_then_end(g, 3);
}

static void g_shader_stage_in_layout(struct gen *g)
{
	lib(g);
	mtl_enc_get_function(E, FN_VS_BAD, LIB, "vs_bad", 6);
	want(g);
	mtl_enc_create_render_pipeline(E, PIPE, FN_VS_BAD, FN_FS, 0, MTL_WRITE_ALL, 0, 1, MTL_PIXEL_BGRA8_UNORM_SRGB);
}

static void g_stream_uncommitted(struct gen *g)
{
	begin_drawable(g);
	mtl_enc_end_render_pass(E);
	want_end(g);
}

#undef E

struct gen_case {
	const char *rule;
	void (*fn)(struct gen *);
	const char *needs; /* "-" or "msl" */
};

static const struct gen_case cases[] = {
	{ "frame.flags", g_frame_flags, "-" },
	{ "frame.unknown-method", g_frame_unknown_method, "-" },
	{ "frame.payload-size", g_frame_payload_size, "-" },
	{ "frame.inner-length", g_frame_inner_length, "-" },
	{ "frame.truncated", g_frame_truncated, "-" },
	{ "enum.out-of-range", g_enum_out_of_range, "-" },
	{ "handle.reserved", g_handle_reserved, "-" },
	{ "handle.drawable-not-allowed", g_handle_drawable_not_allowed, "-" },
	{ "handle.undefined", g_handle_undefined, "-" },
	{ "handle.wrong-kind", g_handle_wrong_kind, "-" },
	{ "handle.recreate", g_handle_recreate, "-" },
	{ "handle.destroy-unknown", g_handle_destroy_unknown, "-" },
	{ "handle.use-after-destroy", g_handle_use_after_destroy, "-" },
	{ "handle.bind-not-host", g_handle_bind_not_host, "-" },
	{ "pass.draw-outside", g_pass_draw_outside, "-" },
	{ "pass.render-outside", g_pass_render_outside, "-" },
	{ "pass.compute-outside", g_pass_compute_outside, "-" },
	{ "pass.blit-outside", g_pass_blit_outside, "-" },
	{ "pass.nested", g_pass_nested, "-" },
	{ "pass.end-without-begin", g_pass_end_without_begin, "-" },
	{ "pass.open-at-present", g_pass_open_at_present, "-" },
	{ "pass.open-at-end", g_pass_open_at_end, "-" },
	{ "rpass.short-form", g_rpass_short_form, "-" },
	{ "rpass.no-color", g_rpass_no_color, "-" },
	{ "rpass.not-render-target", g_rpass_not_render_target, "-" },
	{ "rpass.color-format", g_rpass_color_format, "-" },
	{ "rpass.stencil-format", g_rpass_stencil_format, "-" },
	{ "rpass.stencil-size", g_rpass_stencil_size, "-" },
	{ "rpass.stencil-sample-count", g_rpass_stencil_sample_count, "-" },
	{ "rpass.resolve-size", g_rpass_resolve_size, "-" },
	{ "rpass.resolve-not-msaa", g_rpass_resolve_not_msaa, "-" },
	{ "rpass.resolve-missing", g_rpass_resolve_missing, "-" },
	{ "rpass.resolve-unused", g_rpass_resolve_unused, "-" },
	{ "rpass.resolve-format", g_rpass_resolve_format, "-" },
	{ "rpass.stencil-action-ignored", g_rpass_stencil_action_ignored, "-" },
	{ "rpass.blit-retained-mismatch", g_rpass_blit_retained_mismatch, "-" },
	{ "rpass.scissor-outside", g_rpass_scissor_outside, "-" },
	{ "draw.no-pipeline", g_draw_no_pipeline, "-" },
	{ "draw.sample-count-mismatch", g_draw_sample_count_mismatch, "-" },
	{ "draw.format-mismatch", g_draw_format_mismatch, "-" },
	{ "draw.stencil-format-mismatch", g_draw_stencil_format_mismatch, "-" },
	{ "draw.stencil-without-attachment", g_draw_stencil_without_attachment, "-" },
	{ "draw.vertex-overrun", g_draw_vertex_overrun, "-" },
	{ "draw.triangle-count", g_draw_triangle_count, "-" },
	{ "data.bytes-too-large", g_data_bytes_too_large, "-" },
	{ "data.buffer-index", g_data_buffer_index, "-" },
	{ "data.texture-index", g_data_texture_index, "-" },
	{ "data.sampler-index", g_data_sampler_index, "-" },
	{ "texture.size-zero", g_texture_size_zero, "-" },
	{ "texture.too-large", g_texture_too_large, "-" },
	{ "texture.host-too-large", g_texture_host_too_large, "-" },
	{ "texture.sample-count", g_texture_sample_count, "-" },
	{ "texture.type-mismatch", g_texture_type_mismatch, "-" },
	{ "texture.usage-zero", g_texture_usage_zero, "-" },
	{ "texture.upload-outside", g_texture_upload_outside, "-" },
	{ "texture.upload-row-short", g_texture_upload_row_short, "-" },
	{ "texture.upload-size", g_texture_upload_size, "-" },
	{ "texture.upload-msaa", g_texture_upload_msaa, "-" },
	{ "texture.not-readable", g_texture_not_readable, "-" },
	{ "texture.not-writable", g_texture_not_writable, "-" },
	{ "copy.out-of-bounds", g_copy_out_of_bounds, "-" },
	{ "copy.format-mismatch", g_copy_format_mismatch, "-" },
	{ "compute.no-pipeline", g_compute_no_pipeline, "-" },
	{ "compute.zero-grid", g_compute_zero_grid, "-" },
	{ "compute.threadgroup-too-large", g_compute_threadgroup_too_large, "-" },
	{ "cursor.too-large", g_cursor_too_large, "-" },
	{ "cursor.data-size", g_cursor_data_size, "-" },
	{ "cursor.texture-format", g_cursor_texture_format, "-" },
	{ "cursor.texture-region", g_cursor_texture_region, "-" },
	{ "sampler.address-mode-differs", g_sampler_address_mode_differs, "-" },
	{ "pipeline.sample-count", g_pipeline_sample_count, "-" },
	{ "pipeline.color-format", g_pipeline_color_format, "-" },
	{ "stream.uncommitted", g_stream_uncommitted, "-" },
	{ "shader.compile-error", g_shader_compile_error, "msl" },
	{ "shader.function-missing", g_shader_function_missing, "msl" },
	{ "shader.stage-mismatch", g_shader_stage_mismatch, "msl" },
	{ "shader.unbound-slot", g_shader_unbound_slot, "msl" },
	{ "shader.stage-in-layout", g_shader_stage_in_layout, "msl" },
	{ "data.bytes-too-small", g_data_bytes_too_small, "msl" },
};

static int write_file(const char *path, const void *data, size_t n)
{
	FILE *f = fopen(path, "wb");
	if (!f) {
		fprintf(stderr, "mtlinvalid-gen: %s: %s\n", path, strerror(errno));
		return -1;
	}
	int bad = fwrite(data, 1, n, f) != n;
	bad |= fclose(f) != 0;
	if (bad) {
		fprintf(stderr, "mtlinvalid-gen: %s: write failed\n", path);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *dir = NULL;
	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		printf("usage: mtlinvalid-gen -o DIR\n"
		       "Write one minimal stream per validator rule (DIR/RULE-ID.bin) and DIR/EXPECTED.\n");
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "-o"))
		dir = argv[2];
	if (!dir) {
		fprintf(stderr, "usage: mtlinvalid-gen -o DIR\n");
		return 2;
	}
	char path[4096];
	snprintf(path, sizeof path, "%s/EXPECTED", dir);
	FILE *ex = fopen(path, "w");
	if (!ex) {
		fprintf(stderr, "mtlinvalid-gen: %s: %s\n", path, strerror(errno));
		return 2;
	}
	fprintf(ex, "# corpus/invalid/EXPECTED: written by corpus/invalid/gen/gen_invalid.c (make corpus-invalid).\n"
		    "# Each FILE, validated as a raw stream at 1024x768, gives findings of RULE only, the first\n"
		    "# at COMMAND (0-based over the stream) and OFFSET (of its header; \"end\" findings are after\n"
		    "# the last command: COMMAND = command count, OFFSET = file size). NEEDS \"msl\": the rule needs\n"
		    "# the shader inspector (the MSL front end); without it the stream is clean.\n"
		    "# FILE RULE SEVERITY COMMAND OFFSET NEEDS\n");
	static struct gen g;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		memset(&g, 0, sizeof g);
		mtl_enc_init(&g.e, g.buf, sizeof g.buf);
		cases[i].fn(&g);
		if (mtl_enc_overflowed(&g.e) || (!g.marked && !g.at_end)) {
			fprintf(stderr, "mtlinvalid-gen: %s: generator bug (%s)\n", cases[i].rule,
				mtl_enc_overflowed(&g.e) ? "buffer overflow" : "no command marked");
			fclose(ex);
			return 1;
		}
		unsigned cmd = g.at_end ? count_commands(g.buf, g.e.len) : g.want_cmd;
		size_t off = g.at_end ? g.e.len : g.want_off;
		snprintf(path, sizeof path, "%s/%s.bin", dir, cases[i].rule);
		if (write_file(path, g.buf, g.e.len) < 0) {
			fclose(ex);
			return 2;
		}
		/* the severity is the rule table's: a change there shows as drift here */
		const struct mtl_rule *r = mtl_rule_find(cases[i].rule);
		if (!r) {
			fprintf(stderr, "mtlinvalid-gen: %s: not a rule of the validator\n", cases[i].rule);
			fclose(ex);
			return 1;
		}
		fprintf(ex, "%s.bin %s %s %u 0x%zX %s\n", cases[i].rule, cases[i].rule, mtl_severity_name(r->severity),
			cmd, off, cases[i].needs);
	}
	if (fclose(ex) != 0) {
		fprintf(stderr, "mtlinvalid-gen: EXPECTED: write failed\n");
		return 2;
	}
	printf("mtlinvalid-gen: wrote %zu streams and EXPECTED to %s\n", sizeof cases / sizeof cases[0], dir);
	return 0;
}
