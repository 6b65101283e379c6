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
		if (strncmp(rule, "shader.", 7) != 0)
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
	assert_true(checked >= 5); /* one per shader.* rule */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_describes_good_library),
		cmocka_unit_test(test_describes_kernel_access),
		cmocka_unit_test(test_describes_compile_error),
		cmocka_unit_test(test_clean_frame),
		cmocka_unit_test(test_compile_error_location),
		cmocka_unit_test(test_function_missing),
		cmocka_unit_test(test_vertex_used_as_fragment),
		cmocka_unit_test(test_stage_in_layout),
		cmocka_unit_test(test_unbound_fragment_buffer),
		cmocka_unit_test(test_corpus_shader_streams),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
