/*
 * test_msl_inspector.c — the validator's shader inspector over the MSL front
 * end (msl/inspector.h), on real MSL.
 *
 * - the description itself: stages, bindings (and which are written),
 *   stage_in attributes with their line:col, compile errors with line:col;
 * - through the validator library, exactly as tools/mtlvalidate and
 *   metalvisor --validate use it: a clean frame gives no finding; a compile
 *   error, a GET_FUNCTION of a missing name, a vertex function used as a
 *   fragment function, a stage_in that does not fit the fixed 32-byte
 *   layout and an unbound fragment buffer each give their shader.* rule at
 *   the right command and byte offset;
 * - the corpus/invalid shader streams give the rule and location their
 *   EXPECTED line records (the same check test_validate makes with a fake
 *   inspector, here with the real one).
 *
 * Run from the top of the tree (corpus/ by relative path).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "msl/inspector.h"
#include "mtlproto/encode.h"
#include "mtlproto/validate.h"

/* A vertex function reading the fixed layout, a fragment function with a
 * constant buffer, in one library. Line numbers matter to the tests below. */
static const char good_src[] =
	"#include <metal_stdlib>\n"                                   /* 1 */
	"using namespace metal;\n"                                    /* 2 */
	"struct VIn {\n"                                              /* 3 */
	"    float2 position [[attribute(0)]];\n"                     /* 4 */
	"    float2 uv [[attribute(1)]];\n"                           /* 5 */
	"    float4 color [[attribute(2)]];\n"                        /* 6 */
	"};\n"                                                        /* 7 */
	"struct VOut {\n"                                             /* 8 */
	"    float4 position [[position]];\n"                         /* 9 */
	"    float4 color;\n"                                         /* 10 */
	"};\n"                                                        /* 11 */
	"vertex VOut vs(VIn in [[stage_in]]) {\n"                     /* 12 */
	"    VOut o;\n"
	"    o.position = float4(in.position, 0.0, 1.0);\n"
	"    o.color = in.color;\n"
	"    return o;\n"
	"}\n"
	"fragment float4 fs(VOut in [[stage_in]], constant float4 &tint [[buffer(0)]]) {\n"
	"    return in.color * tint;\n"
	"}\n";

/* An undeclared identifier: line 4, column 20. */
static const char bad_src[] =
	"#include <metal_stdlib>\n"
	"using namespace metal;\n"
	"fragment float4 fs(float4 p [[position]]) {\n"
	"    float4 c = p * brightness;\n"
	"    return c;\n"
	"}\n";

/* A stage_in with an integer attribute 1 (line 5) and an attribute 3
 * (line 6): neither is in the fixed layout. */
static const char layout_src[] =
	"#include <metal_stdlib>\n"
	"using namespace metal;\n"
	"struct VIn {\n"
	"    float2 position [[attribute(0)]];\n"
	"    int2 uv [[attribute(1)]];\n"
	"    float4 color [[attribute(3)]];\n"
	"};\n"
	"vertex float4 vs(VIn in [[stage_in]]) { return float4(in.position, 0.0, 1.0); }\n"
	"fragment float4 fs() { return float4(1.0); }\n";

/* A kernel with a written texture, a written device buffer, a read-only
 * device buffer and a constant one. */
static const char kernel_src[] =
	"#include <metal_stdlib>\n"
	"using namespace metal;\n"
	"kernel void k(texture2d<float, access::write> out [[texture(0)]],\n"
	"              texture2d<float> src [[texture(1)]],\n"
	"              device float *data [[buffer(0)]],\n"
	"              device const float *ro [[buffer(1)]],\n"
	"              constant uint &n [[buffer(2)]],\n"
	"              uint2 gid [[thread_position_in_grid]]) {\n"
	"    data[gid.x] = ro[gid.x] + float(n);\n"
	"    out.write(src.read(gid), gid);\n"
	"}\n";

/* Sized buffers: a struct by reference (Metal layout: a float3 is 16 bytes
 * and 16-aligned, so the float after it starts at 16, not 12, and the
 * float4 at 32: 48 bytes, where a C-minded guest would send 32), a pointer
 * used as an array, and a vertex function that reads vertices from buffer 0
 * itself (no [[stage_in]]) next to one with [[stage_in]] and a buffer 1. */
static const char sized_src[] =
	"#include <metal_stdlib>\n"
	"using namespace metal;\n"
	"struct VIn {\n"
	"    float2 position [[attribute(0)]];\n"
	"};\n"
	"struct Light {\n"
	"    float3 direction;\n"
	"    float intensity;\n"
	"    float4 color;\n"
	"};\n"
	"struct Vert {\n"
	"    float2 position;\n"
	"    float2 uv;\n"
	"    float4 color;\n"
	"};\n"
	"struct Xform {\n"
	"    float4x4 mvp;\n"
	"};\n"
	"vertex float4 vs_pulled(const device Vert *verts [[buffer(0)]], uint vid [[vertex_id]]) {\n"
	"    return float4(verts[vid].position, 0.0, 1.0);\n"
	"}\n"
	"vertex float4 vs_xform(VIn in [[stage_in]], constant Xform &x [[buffer(1)]]) {\n"
	"    return x.mvp * float4(in.position, 0.0, 1.0);\n"
	"}\n"
	"fragment float4 fs_lit(constant Light &light [[buffer(0)]], constant float4 *palette [[buffer(1)]]) {\n"
	"    return light.color * light.intensity + palette[2];\n"
	"}\n";

/* ---- the description ----------------------------------------------------- */

static const struct mtl_shader_function *find_fn(const struct mtl_shader_library_info *info, const char *name)
{
	for (size_t i = 0; i < info->nfunctions; i++)
		if (!strcmp(info->functions[i].name, name))
			return &info->functions[i];
	return NULL;
}

static const struct mtl_shader_binding *find_bind(const struct mtl_shader_function *f,
						  enum mtl_shader_resource kind, unsigned index)
{
	for (size_t i = 0; i < f->nbindings; i++)
		if (f->bindings[i].kind == kind && f->bindings[i].index == index)
			return &f->bindings[i];
	return NULL;
}

static void test_describes_good_library(void **state)
{
	(void)state;
	const struct mtl_shader_inspector *in = msl_shader_inspector();
	assert_non_null(in);
	assert_ptr_equal(in, msl_shader_inspector());
	struct mtl_shader_library_info info;
	memset(&info, 0, sizeof info);
	void *cookie = in->compile(in->ctx, good_src, strlen(good_src), &info);
	assert_non_null(cookie);
	assert_int_equal(info.nerrors, 0);
	assert_int_equal(info.nfunctions, 2);
	assert_string_equal(info.functions[0].name, "vs"); /* definition order */
	assert_string_equal(info.functions[1].name, "fs");

	const struct mtl_shader_function *vs = find_fn(&info, "vs");
	assert_int_equal(vs->stage, MTL_SHADER_VERTEX);
	assert_true(vs->has_stage_in);
	assert_int_equal(vs->nbindings, 0);
	assert_int_equal(vs->nattributes, 3);
	static const unsigned comps[3] = { 2, 2, 4 };
	static const char *const names[3] = { "position", "uv", "color" };
	for (unsigned i = 0; i < 3; i++) {
		const struct mtl_shader_attribute *a = &vs->attributes[i];
		assert_int_equal(a->index, i);
		assert_int_equal(a->components, comps[i]);
		assert_true(a->is_float);
		assert_int_equal(a->scalar_bytes, 4);
		assert_string_equal(a->name, names[i]);
		assert_int_equal(a->line, 4 + i);
		assert_true(a->col >= 5);
	}

	const struct mtl_shader_function *fs = find_fn(&info, "fs");
	assert_int_equal(fs->stage, MTL_SHADER_FRAGMENT);
	assert_true(fs->has_stage_in);
	assert_int_equal(fs->nattributes, 0); /* a fragment's stage_in is not vertex data */
	assert_int_equal(fs->nbindings, 1);
	const struct mtl_shader_binding *tint = find_bind(fs, MTL_SHADER_BUFFER, 0);
	assert_non_null(tint);
	assert_string_equal(tint->name, "tint");
	assert_false(tint->written);
	assert_int_equal(tint->size, 16); /* constant float4 & */
	in->release(in->ctx, cookie);
}

static void test_describes_kernel_access(void **state)
{
	(void)state;
	const struct mtl_shader_inspector *in = msl_shader_inspector();
	struct mtl_shader_library_info info;
	memset(&info, 0, sizeof info);
	void *cookie = in->compile(in->ctx, kernel_src, strlen(kernel_src), &info);
	assert_non_null(cookie);
	assert_int_equal(info.nerrors, 0);
	assert_int_equal(info.nfunctions, 1);
	const struct mtl_shader_function *k = &info.functions[0];
	assert_int_equal(k->stage, MTL_SHADER_KERNEL);
	assert_false(k->has_stage_in);
	assert_int_equal(k->nbindings, 5);
	assert_true(find_bind(k, MTL_SHADER_TEXTURE, 0)->written);
	assert_false(find_bind(k, MTL_SHADER_TEXTURE, 1)->written);
	assert_true(find_bind(k, MTL_SHADER_BUFFER, 0)->written);
	assert_false(find_bind(k, MTL_SHADER_BUFFER, 1)->written);
	assert_false(find_bind(k, MTL_SHADER_BUFFER, 2)->written);
	assert_string_equal(find_bind(k, MTL_SHADER_TEXTURE, 0)->name, "out");
	/* buffer sizes: one element of a pointer, the referent of a reference;
	 * textures have none */
	assert_int_equal(find_bind(k, MTL_SHADER_BUFFER, 0)->size, 4);
	assert_int_equal(find_bind(k, MTL_SHADER_BUFFER, 1)->size, 4);
	assert_int_equal(find_bind(k, MTL_SHADER_BUFFER, 2)->size, 4);
	assert_int_equal(find_bind(k, MTL_SHADER_TEXTURE, 0)->size, 0);
	in->release(in->ctx, cookie);
}

static void test_describes_buffer_sizes(void **state)
{
	(void)state;
	const struct mtl_shader_inspector *in = msl_shader_inspector();
	struct mtl_shader_library_info info;
	memset(&info, 0, sizeof info);
	void *cookie = in->compile(in->ctx, sized_src, strlen(sized_src), &info);
	assert_non_null(cookie);
	if (info.nerrors)
		fail_msg("sized_src does not compile: %u:%u: %s", info.errors[0].line, info.errors[0].col,
			 info.errors[0].message);
	assert_int_equal(info.nfunctions, 3);
	const struct mtl_shader_function *fs = find_fn(&info, "fs_lit");
	assert_non_null(fs);
	assert_int_equal(find_bind(fs, MTL_SHADER_BUFFER, 0)->size, 48); /* float3 @0, float @16, float4 @32 */
	assert_int_equal(find_bind(fs, MTL_SHADER_BUFFER, 1)->size, 16); /* one float4 element */
	const struct mtl_shader_function *vp = find_fn(&info, "vs_pulled");
	assert_false(vp->has_stage_in);
	assert_int_equal(find_bind(vp, MTL_SHADER_BUFFER, 0)->size, 32);
	const struct mtl_shader_function *vx = find_fn(&info, "vs_xform");
	assert_true(vx->has_stage_in);
	assert_int_equal(find_bind(vx, MTL_SHADER_BUFFER, 1)->size, 64);
	in->release(in->ctx, cookie);
}

static void test_describes_compile_error(void **state)
{
	(void)state;
	const struct mtl_shader_inspector *in = msl_shader_inspector();
	struct mtl_shader_library_info info;
	memset(&info, 0, sizeof info);
	void *cookie = in->compile(in->ctx, bad_src, strlen(bad_src), &info);
	assert_non_null(cookie);
	assert_true(info.nerrors >= 1);
	assert_int_equal(info.errors[0].line, 4);
	assert_int_equal(info.errors[0].col, 20);
	assert_non_null(strstr(info.errors[0].message, "brightness"));
	assert_int_equal(info.nfunctions, 0);
	in->release(in->ctx, cookie);

	/* Bytes that are not MSL at all, and an empty library: never a crash;
	 * the garbage is an error, the empty source a library without
	 * functions. */
	static const char junk[] = "\x01\xff{{{{ vertex ]] [[ \"unterminated";
	memset(&info, 0, sizeof info);
	cookie = in->compile(in->ctx, junk, sizeof junk - 1, &info);
	assert_non_null(cookie);
	assert_true(info.nerrors >= 1);
	assert_true(info.errors[0].line >= 1);
	in->release(in->ctx, cookie);
	memset(&info, 0, sizeof info);
	cookie = in->compile(in->ctx, "", 0, &info);
	assert_non_null(cookie);
	assert_int_equal(info.nerrors, 0);
	assert_int_equal(info.nfunctions, 0);
	in->release(in->ctx, cookie);
}

/* ---- through the validator ----------------------------------------------- */

#define MAX_FINDINGS 16
#define MAX_CMDS 32

struct seen {
	char rule[64];
	uint64_t command;
	size_t offset;
	char message[512];
};

struct collector {
	struct seen f[MAX_FINDINGS];
	size_t n;
};

static void collect(void *user, const struct mtl_finding *f)
{
	struct collector *c = user;
	assert_true(c->n < MAX_FINDINGS);
	struct seen *s = &c->f[c->n++];
	snprintf(s->rule, sizeof s->rule, "%s", f->rule);
	snprintf(s->message, sizeof s->message, "%s", f->message);
	s->command = f->command;
	s->offset = f->offset;
}

/* A stream under construction, remembering where each command starts. */
struct stream {
	uint8_t buf[8192];
	struct mtl_encoder e;
	size_t at[MAX_CMDS];
	size_t n;
};

static void s_init(struct stream *s)
{
	mtl_enc_init(&s->e, s->buf, sizeof s->buf);
	s->n = 0;
}

/* Call before each command: its index is the return value. */
static size_t s_next(struct stream *s)
{
	assert_true(s->n < MAX_CMDS);
	s->at[s->n] = s->e.len;
	return s->n++;
}

static void run(const struct stream *s, struct collector *c, int with_inspector)
{
	assert_false(mtl_enc_overflowed(&s->e));
	memset(c, 0, sizeof *c);
	struct mtl_validate_options o;
	memset(&o, 0, sizeof o);
	o.width = 64;
	o.height = 64;
	o.on_finding = collect;
	o.user = c;
	o.shader = with_inspector ? msl_shader_inspector() : NULL;
	struct mtl_validator *v = mtl_validator_create(&o);
	assert_non_null(v);
	mtl_validator_submit(v, s->buf, s->e.len, MTL_VALIDATE_QUEUE_ANY, 0);
	mtl_validator_finish(v);
	mtl_validator_destroy(v);
}

static void print_findings(const struct collector *c)
{
	for (size_t i = 0; i < c->n; i++)
		print_message("  [%s] command %llu at %zu: %s\n", c->f[i].rule, (unsigned long long)c->f[i].command,
			      c->f[i].offset, c->f[i].message);
}

/* Exactly one finding, of `rule`, at command `cmd` of `s`. */
static const struct seen *expect_one(const struct collector *c, const struct stream *s, const char *rule,
				     size_t cmd)
{
	if (c->n != 1) {
		print_findings(c);
		fail_msg("expected exactly one finding [%s], got %zu", rule, c->n);
	}
	assert_string_equal(c->f[0].rule, rule);
	assert_int_equal(c->f[0].command, cmd);
	assert_int_equal(c->f[0].offset, s->at[cmd]);
	return &c->f[0];
}

enum { LIB = 1, VS = 2, FS = 3, PIPE = 4 };

static void compile_lib(struct stream *s, const char *src)
{
	s_next(s);
	mtl_enc_compile_library(&s->e, LIB, src, (uint32_t)strlen(src));
}

static void get_fn(struct stream *s, uint32_t fn, const char *name)
{
	s_next(s);
	mtl_enc_get_function(&s->e, fn, LIB, name, (uint32_t)strlen(name));
}

static void pipeline(struct stream *s, uint32_t vfn, uint32_t ffn)
{
	s_next(s);
	mtl_enc_create_render_pipeline(&s->e, PIPE, vfn, ffn, 0, MTL_WRITE_ALL, 0, 1, MTL_PIXEL_BGRA8_UNORM_SRGB);
}

/* One frame drawing a triangle into the drawable; with_tint binds the
 * fragment function's [[buffer(0)]]. Returns the draw's command index. */
static size_t frame(struct stream *s, int with_tint)
{
	static const float verts[3 * 8] = { 0 };
	static const float tint[4] = { 1, 1, 1, 1 };
	s_next(s);
	mtl_enc_begin_render_pass(&s->e, MTL_DRAWABLE_HANDLE, 0, 0, MTL_LOAD_CLEAR, MTL_STORE_STORE, 0, 0, 0, 0, 0, 1);
	s_next(s);
	mtl_enc_set_render_pipeline(&s->e, PIPE);
	s_next(s);
	mtl_enc_set_vertex_bytes(&s->e, 0, verts, sizeof verts);
	if (with_tint) {
		s_next(s);
		mtl_enc_set_fragment_bytes(&s->e, 0, tint, sizeof tint);
	}
	size_t draw = s_next(s);
	mtl_enc_draw_primitives(&s->e, MTL_PRIMITIVE_TRIANGLE, 0, 3);
	s_next(s);
	mtl_enc_end_render_pass(&s->e);
	s_next(s);
	mtl_enc_present_and_commit(&s->e, 0);
	return draw;
}

static void test_clean_frame(void **state)
{
	(void)state;
	struct stream s;
	struct collector c;
	s_init(&s);
	compile_lib(&s, good_src);
	get_fn(&s, VS, "vs");
	get_fn(&s, FS, "fs");
	pipeline(&s, VS, FS);
	frame(&s, 1);
	run(&s, &c, 1);
	if (c.n) {
		print_findings(&c);
		fail_msg("a valid frame gave %zu findings", c.n);
	}
}

static void test_compile_error_location(void **state)
{
	(void)state;
	struct stream s;
	struct collector c;
	s_init(&s);
	get_fn(&s, 0x10, "unused"); /* an error before it: GET_FUNCTION of lib 1 before it exists */
	compile_lib(&s, bad_src);
	get_fn(&s, FS, "fs"); /* the library failed: no function-missing on top */
	s_next(&s);
	mtl_enc_present_and_commit(&s.e, 0);
	run(&s, &c, 1);
	/* The first finding is the undefined library handle; then the compile error. */
	assert_int_equal(c.n, 2);
	assert_string_equal(c.f[1].rule, "shader.compile-error");
	assert_int_equal(c.f[1].command, 1);
	assert_int_equal(c.f[1].offset, s.at[1]);
	assert_non_null(strstr(c.f[1].message, "library 0x1: 4:20: "));
	assert_non_null(strstr(c.f[1].message, "brightness"));

	/* The same stream without the inspector: the shader rule is not checked. */
	run(&s, &c, 0);
	assert_int_equal(c.n, 1);
	assert_string_not_equal(c.f[0].rule, "shader.compile-error");
}

static void test_function_missing(void **state)
{
	(void)state;
	struct stream s;
	struct collector c;
	s_init(&s);
	compile_lib(&s, good_src);
	get_fn(&s, VS, "vs");
	get_fn(&s, FS, "main0");
	s_next(&s);
	mtl_enc_present_and_commit(&s.e, 0);
	run(&s, &c, 1);
	const struct seen *f = expect_one(&c, &s, "shader.function-missing", 2);
	assert_non_null(strstr(f->message, "'main0'"));
	assert_non_null(strstr(f->message, "library 0x1"));
}

static void test_vertex_used_as_fragment(void **state)
{
	(void)state;
	struct stream s;
	struct collector c;
	s_init(&s);
	compile_lib(&s, good_src);
	get_fn(&s, VS, "vs");
	get_fn(&s, FS, "fs");
	pipeline(&s, VS, VS);
	s_next(&s);
	mtl_enc_present_and_commit(&s.e, 0);
	run(&s, &c, 1);
	const struct seen *f = expect_one(&c, &s, "shader.stage-mismatch", 3);
	assert_non_null(strstr(f->message, "fragment_fn 0x2 is 'vs', a vertex function"));

	/* And the other way round: the fragment function as the vertex one. */
	s_init(&s);
	compile_lib(&s, good_src);
	get_fn(&s, VS, "vs");
	get_fn(&s, FS, "fs");
	pipeline(&s, FS, FS);
	s_next(&s);
	mtl_enc_present_and_commit(&s.e, 0);
	run(&s, &c, 1);
	f = expect_one(&c, &s, "shader.stage-mismatch", 3);
	assert_non_null(strstr(f->message, "vertex_fn 0x3 is 'fs', a fragment function"));
}

static void test_stage_in_layout(void **state)
{
	(void)state;
	struct stream s;
	struct collector c;
	s_init(&s);
	compile_lib(&s, layout_src);
	get_fn(&s, VS, "vs");
	get_fn(&s, FS, "fs");
	pipeline(&s, VS, FS);
	s_next(&s);
	mtl_enc_present_and_commit(&s.e, 0);
	run(&s, &c, 1);
	if (c.n != 2) {
		print_findings(&c);
		fail_msg("expected two stage-in-layout findings, got %zu", c.n);
	}
	for (size_t i = 0; i < 2; i++) {
		assert_string_equal(c.f[i].rule, "shader.stage-in-layout");
		assert_int_equal(c.f[i].command, 3);
		assert_int_equal(c.f[i].offset, s.at[3]);
	}
	/* Members in declaration order, each with its line. */
	assert_non_null(strstr(c.f[0].message, "member 'uv' (5:"));
	assert_non_null(strstr(c.f[0].message, "integer type"));
	assert_non_null(strstr(c.f[1].message, "member 'color' (6:"));
	assert_non_null(strstr(c.f[1].message, "[[attribute(3)]]"));
}

static void test_unbound_fragment_buffer(void **state)
{
	(void)state;
	struct stream s;
	struct collector c;
	s_init(&s);
	compile_lib(&s, good_src);
	get_fn(&s, VS, "vs");
	get_fn(&s, FS, "fs");
	pipeline(&s, VS, FS);
	size_t draw = frame(&s, 0);
	run(&s, &c, 1);
	const struct seen *f = expect_one(&c, &s, "shader.unbound-slot", draw);
	assert_non_null(strstr(f->message, "'fs' uses [[buffer(0)]] 'tint'"));
}

/* Inline bytes shorter than the parameter: one data.bytes-too-small at the
 * draw naming the index, the function and both sizes; exactly enough bytes
 * (or more) is clean. */
static void test_bytes_too_small(void **state)
{
	(void)state;
	static const float tint[4] = { 1, 1, 1, 1 };
	static const float verts[3 * 8] = { 0 };
	struct stream s;
	struct collector c;
	for (unsigned len = 0; len <= 20; len += 4) {
		s_init(&s);
		compile_lib(&s, good_src);
		get_fn(&s, VS, "vs");
		get_fn(&s, FS, "fs");
		pipeline(&s, VS, FS);
		s_next(&s);
		mtl_enc_begin_render_pass(&s.e, MTL_DRAWABLE_HANDLE, 0, 0, MTL_LOAD_CLEAR, MTL_STORE_STORE, 0, 0, 0, 0,
					  0, 1);
		s_next(&s);
		mtl_enc_set_render_pipeline(&s.e, PIPE);
		s_next(&s);
		mtl_enc_set_vertex_bytes(&s.e, 0, verts, sizeof verts);
		s_next(&s);
		mtl_enc_set_fragment_bytes(&s.e, 0, tint, len > sizeof tint ? sizeof tint : len);
		size_t draw = s_next(&s);
		mtl_enc_draw_primitives(&s.e, MTL_PRIMITIVE_TRIANGLE, 0, 3);
		s_next(&s);
		mtl_enc_end_render_pass(&s.e);
		s_next(&s);
		mtl_enc_present_and_commit(&s.e, 0);
		run(&s, &c, 1);
		if (len >= 16) {
			if (c.n) {
				print_findings(&c);
				fail_msg("%u bytes for a 16-byte float4 gave %zu findings", len, c.n);
			}
			continue;
		}
		const struct seen *f = expect_one(&c, &s, "data.bytes-too-small", draw);
		char want[160];
		snprintf(want, sizeof want,
			 "fragment function 'fs' needs 16 bytes at [[buffer(0)]] 'tint' but only %u bytes are bound "
			 "to fragment buffer 0", len);
		assert_string_equal(f->message, want);
		/* without the inspector the size is unknown: clean */
		run(&s, &c, 0);
		assert_int_equal(c.n, 0);
	}
}

/* A struct by reference, a pointer used as an array (one element is the
 * least it needs), and a vertex function's own buffers: the [[stage_in]]
 * vertex data at buffer 0 stays draw.vertex-overrun's alone. */
static void test_bytes_too_small_sized_types(void **state)
{
	(void)state;
	static const uint8_t zeros[256];
	struct stream s;
	struct collector c;
	enum { VP = 5, VX = 6, FL = 7 };
	struct {
		uint32_t vfn;
		unsigned vb0, vb1, fb0, fb1; /* bytes bound; ~0u = nothing */
		const char *want;            /* NULL = clean */
	} cases[] = {
		{ VX, 96, 64, 48, 16, NULL },
		{ VP, 96, ~0u, 64, 64, NULL }, /* more than needed is fine */
		{ VP, 96, ~0u, 32, 16, "fragment function 'fs_lit' needs 48 bytes at [[buffer(0)]] 'light' but only 32" },
		{ VP, 96, ~0u, 48, 12, "fragment function 'fs_lit' needs 16 bytes at [[buffer(1)]] 'palette' but only 12" },
		{ VP, 16, ~0u, 48, 16, "vertex function 'vs_pulled' needs 32 bytes at [[buffer(0)]] 'verts' but only 16" },
		{ VX, 96, 48, 48, 16, "vertex function 'vs_xform' needs 64 bytes at [[buffer(1)]] 'x' but only 48" },
		/* stage_in at buffer 0: 16 bytes is draw.vertex-overrun's, never also this rule's */
		{ VX, 16, 64, 48, 16, "-" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		s_init(&s);
		compile_lib(&s, sized_src);
		get_fn(&s, VP, "vs_pulled");
		get_fn(&s, VX, "vs_xform");
		get_fn(&s, FL, "fs_lit");
		pipeline(&s, cases[i].vfn, FL);
		s_next(&s);
		mtl_enc_begin_render_pass(&s.e, MTL_DRAWABLE_HANDLE, 0, 0, MTL_LOAD_CLEAR, MTL_STORE_STORE, 0, 0, 0, 0,
					  0, 1);
		s_next(&s);
		mtl_enc_set_render_pipeline(&s.e, PIPE);
		s_next(&s);
		mtl_enc_set_vertex_bytes(&s.e, 0, zeros, cases[i].vb0);
		if (cases[i].vb1 != ~0u) {
			s_next(&s);
			mtl_enc_set_vertex_bytes(&s.e, 1, zeros, cases[i].vb1);
		}
		s_next(&s);
		mtl_enc_set_fragment_bytes(&s.e, 0, zeros, cases[i].fb0);
		s_next(&s);
		mtl_enc_set_fragment_bytes(&s.e, 1, zeros, cases[i].fb1);
		size_t draw = s_next(&s);
		/* a vertex_id draw reads one element per vertex; the rule
		 * checks the one element every reader needs */
		mtl_enc_draw_primitives(&s.e, MTL_PRIMITIVE_TRIANGLE, 0, 3);
		s_next(&s);
		mtl_enc_end_render_pass(&s.e);
		s_next(&s);
		mtl_enc_present_and_commit(&s.e, 0);
		run(&s, &c, 1);
		if (!cases[i].want) {
			if (c.n) {
				print_findings(&c);
				fail_msg("case %zu: expected clean, got %zu findings", i, c.n);
			}
			continue;
		}
		/* vs_pulled with 16 bytes at buffer 0 also overruns the fixed
		 * 32-byte vertex layout (draw.vertex-overrun comes first) */
		const struct seen *f = NULL;
		if (!strcmp(cases[i].want, "-")) {
			for (size_t j = 0; j < c.n; j++)
				assert_string_equal(c.f[j].rule, "draw.vertex-overrun");
			assert_int_equal(c.n, 1);
			continue;
		}
		for (size_t j = 0; j < c.n; j++)
			if (!strcmp(c.f[j].rule, "data.bytes-too-small")) {
				if (f)
					fail_msg("case %zu: two data.bytes-too-small findings", i);
				f = &c.f[j];
			}
		if (!f) {
			print_findings(&c);
			fail_msg("case %zu: no data.bytes-too-small", i);
		}
		assert_int_equal(f->command, draw);
		assert_int_equal(f->offset, s.at[draw]);
		if (!strstr(f->message, cases[i].want))
			fail_msg("case %zu: message '%s' lacks '%s'", i, f->message, cases[i].want);
	}
}

/* A compute kernel's inline bytes are checked at the dispatch. */
static void test_bytes_too_small_kernel(void **state)
{
	(void)state;
	static const uint8_t zeros[64];
	struct stream s;
	struct collector c;
	for (int enough = 0; enough <= 1; enough++) {
		s_init(&s);
		compile_lib(&s, kernel_src);
		get_fn(&s, VS, "k");
		s_next(&s);
		mtl_enc_create_compute_pipeline(&s.e, PIPE, VS);
		s_next(&s);
		mtl_enc_create_texture(&s.e, 20, 8, 8, MTL_PIXEL_RGBA8_UNORM, MTL_TEXTURE_2D, 1,
				       MTL_USAGE_SHADER_READ | MTL_USAGE_SHADER_WRITE);
		s_next(&s);
		mtl_enc_begin_compute_pass(&s.e);
		s_next(&s);
		mtl_enc_set_compute_pipeline(&s.e, PIPE);
		s_next(&s);
		mtl_enc_set_compute_texture(&s.e, 20, 0);
		s_next(&s);
		mtl_enc_set_compute_texture(&s.e, 20, 1);
		s_next(&s);
		mtl_enc_set_compute_bytes(&s.e, 0, zeros, 64);
		s_next(&s);
		mtl_enc_set_compute_bytes(&s.e, 1, zeros, 64);
		s_next(&s);
		mtl_enc_set_compute_bytes(&s.e, 2, zeros, enough ? 4 : 2); /* constant uint &n */
		size_t dispatch = s_next(&s);
		mtl_enc_dispatch_threads(&s.e, 8, 8, 1, 8, 8, 1);
		s_next(&s);
		mtl_enc_end_compute_pass(&s.e);
		s_next(&s);
		mtl_enc_present_and_commit(&s.e, 0);
		run(&s, &c, 1);
		if (enough) {
			if (c.n) {
				print_findings(&c);
				fail_msg("a kernel with its bytes bound gave %zu findings", c.n);
			}
			continue;
		}
		const struct seen *f = expect_one(&c, &s, "data.bytes-too-small", dispatch);
		assert_non_null(strstr(f->message, "kernel function 'k' needs 4 bytes at [[buffer(2)]] 'n' but only 2"));
	}
}

/* ---- the committed corpus ------------------------------------------------- */

static uint8_t *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	uint8_t *b = NULL;
	size_t n = 0, cap = 0;
	for (;;) {
		if (n == cap) {
			cap = cap ? cap * 2 : 4096;
			uint8_t *nb = realloc(b, cap);
			assert_non_null(nb);
			b = nb;
		}
		size_t got = fread(b + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	fclose(f);
	*len = n;
	return b;
}

static void test_corpus_shader_streams(void **state)
{
	(void)state;
	FILE *ex = fopen("corpus/invalid/EXPECTED", "r");
	if (!ex)
		fail_msg("cannot open corpus/invalid/EXPECTED (run from the top of the tree)");
	char line[512];
	unsigned checked = 0;
	while (fgets(line, sizeof line, ex)) {
		char file[128], rule[64], sev[16], off[32], needs[16] = "";
		unsigned long long cmd;
		if (line[0] == '#' || sscanf(line, "%127s %63s %15s %llu %31s %15s", file, rule, sev, &cmd, off, needs) < 5)
			continue;
		if (strcmp(needs, "msl") != 0)
			continue;
		char path[256];
		snprintf(path, sizeof path, "corpus/invalid/%s", file);
		size_t len = 0;
		uint8_t *b = read_all(path, &len);
		if (!b)
			fail_msg("cannot read %s", path);
		struct collector c;
		memset(&c, 0, sizeof c);
		struct mtl_validate_options o;
		memset(&o, 0, sizeof o);
		o.width = 1024;
		o.height = 768;
		o.on_finding = collect;
		o.user = &c;
		o.shader = msl_shader_inspector();
		struct mtl_validator *v = mtl_validator_create(&o);
		assert_non_null(v);
		mtl_validator_submit(v, b, len, MTL_VALIDATE_QUEUE_ANY, 0);
		mtl_validator_finish(v);
		mtl_validator_destroy(v);
		free(b);
		if (c.n == 0)
			fail_msg("%s: no finding, expected %s", file, rule);
		for (size_t i = 0; i < c.n; i++)
			if (strcmp(c.f[i].rule, rule) != 0) {
				print_findings(&c);
				fail_msg("%s: finding of %s, expected %s only", file, c.f[i].rule, rule);
			}
		assert_int_equal(c.f[0].command, cmd);
		assert_int_equal(c.f[0].offset, strtoull(off, NULL, 0));
		checked++;
	}
	fclose(ex);
	assert_true(checked >= 6); /* one per shader.* rule, and data.bytes-too-small */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_describes_good_library),
		cmocka_unit_test(test_describes_kernel_access),
		cmocka_unit_test(test_describes_buffer_sizes),
		cmocka_unit_test(test_describes_compile_error),
		cmocka_unit_test(test_clean_frame),
		cmocka_unit_test(test_compile_error_location),
		cmocka_unit_test(test_function_missing),
		cmocka_unit_test(test_vertex_used_as_fragment),
		cmocka_unit_test(test_stage_in_layout),
		cmocka_unit_test(test_unbound_fragment_buffer),
		cmocka_unit_test(test_bytes_too_small),
		cmocka_unit_test(test_bytes_too_small_sized_types),
		cmocka_unit_test(test_bytes_too_small_kernel),
		cmocka_unit_test(test_corpus_shader_streams),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
