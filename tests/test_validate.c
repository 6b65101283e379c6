/*
 * test_validate.c — the validator library (mtlproto/validate.h).
 *
 * - the rule table: unique, well-formed IDs; every rule has its stream in
 *   corpus/invalid/ and a line in EXPECTED;
 * - every corpus/invalid stream gives findings of its rule only, the first at
 *   the command and offset EXPECTED records (MSL-aware ones through a fake
 *   shader inspector defined here, and clean without one);
 * - every valid stream in corpus/ gives no finding at all;
 * - the live API: state across submissions, per-submission offsets, frames,
 *   --disable, max_errors, display changes, finish;
 * - buffer sizes through the inspector hook (data.bytes-too-small);
 * - hostile input: pseudo-random bytes never crash (run under ASan/UBSan
 *   by make check).
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

#include "mtlproto/decode.h"
#include "mtlproto/encode.h"
#include "mtlproto/validate.h"

#include "common/files.h"

#define MAX_FINDINGS 64

struct seen {
	char rule[64];
	enum mtl_severity severity;
	uint64_t frame, command, submission;
	size_t offset;
	int has_command;
	char message[256];
};

struct collector {
	struct seen f[MAX_FINDINGS];
	size_t n;   /* kept */
	size_t all; /* delivered */
};

static void collect(void *user, const struct mtl_finding *f)
{
	struct collector *c = user;
	assert_non_null(f->rule);
	assert_non_null(f->message);
	assert_non_null(f->method_name);
	assert_non_null(mtl_rule_find(f->rule));
	assert_int_equal(mtl_rule_find(f->rule)->severity, f->severity);
	c->all++;
	if (c->n == MAX_FINDINGS)
		return;
	struct seen *s = &c->f[c->n++];
	snprintf(s->rule, sizeof s->rule, "%s", f->rule);
	snprintf(s->message, sizeof s->message, "%s", f->message);
	s->severity = f->severity;
	s->frame = f->frame;
	s->command = f->command;
	s->submission = f->submission;
	s->offset = f->offset;
	s->has_command = f->has_command;
}

/* ---- a fake shader inspector ----------------------------------------------
 * Describes the library corpus/invalid/gen uses (vs, fs, k, fs_uniform,
 * vs_bad), two more for the buffer-size checks (vs_sized, fs_unsized), and
 * reports a compile error for a source containing "broken".
 * This tests the validator's side of the hook without the MSL front end.
 */
static const struct mtl_shader_binding k_bind[] = { { MTL_SHADER_TEXTURE, 0, 1, "out", 0 } };
static const struct mtl_shader_binding fsu_bind[] = { { MTL_SHADER_BUFFER, 0, 0, "tint", 16 } };
/* vs_sized: [[stage_in]] plus a 64-byte buffer 0 (the vertex data: never
 * size-checked, draw.vertex-overrun's) and a 48-byte buffer 1; fs_unsized:
 * a buffer whose size the inspector does not know. */
static const struct mtl_shader_binding vss_bind[] = { { MTL_SHADER_BUFFER, 0, 0, "vin", 64 },
						      { MTL_SHADER_BUFFER, 1, 0, "xform", 48 } };
static const struct mtl_shader_binding fsx_bind[] = { { MTL_SHADER_BUFFER, 2, 0, "blob", 0 } };
static const struct mtl_shader_attribute vs_attr[] = {
	{ 0, 2, 1, 4, "position", 5, 12 }, { 1, 2, 1, 4, "texCoord", 6, 12 }, { 2, 4, 1, 4, "color", 7, 12 } };
static const struct mtl_shader_attribute bad_attr[] = { { 0, 2, 1, 4, "position", 16, 12 },
							{ 3, 4, 1, 4, "extra", 17, 12 } };
static const struct mtl_shader_function fake_fns[] = {
	{ "vs", MTL_SHADER_VERTEX, NULL, 0, 1, vs_attr, 3 },
	{ "fs", MTL_SHADER_FRAGMENT, NULL, 0, 1, NULL, 0 },
	{ "k", MTL_SHADER_KERNEL, k_bind, 1, 0, NULL, 0 },
	{ "fs_uniform", MTL_SHADER_FRAGMENT, fsu_bind, 1, 1, NULL, 0 },
	{ "vs_bad", MTL_SHADER_VERTEX, NULL, 0, 1, bad_attr, 2 },
	{ "vs_sized", MTL_SHADER_VERTEX, vss_bind, 2, 1, vs_attr, 3 },
	{ "fs_unsized", MTL_SHADER_FRAGMENT, fsx_bind, 1, 1, NULL, 0 },
};
static const struct mtl_shader_diag fake_err[] = { { 5, 1, "expected ';' after return statement" } };
static int fake_live;

static void *fake_compile(void *ctx, const char *src, size_t len, struct mtl_shader_library_info *out)
{
	(void)ctx;
	int broken = 0;
	for (size_t i = 0; i + 6 <= len; i++)
		if (!memcmp(src + i, "broken", 6))
			broken = 1;
	if (broken) {
		out->errors = fake_err;
		out->nerrors = 1;
	} else {
		out->functions = fake_fns;
		out->nfunctions = sizeof fake_fns / sizeof fake_fns[0];
	}
	fake_live++;
	return &fake_live;
}

static void fake_release(void *ctx, void *cookie)
{
	(void)ctx;
	assert_ptr_equal(cookie, &fake_live);
	fake_live--;
}

static const struct mtl_shader_inspector fake_inspector = { NULL, fake_compile, fake_release };

static struct mtl_validator *make(struct collector *c, int with_inspector)
{
	memset(c, 0, sizeof *c);
	struct mtl_validate_options o;
	memset(&o, 0, sizeof o);
	o.width = 1024;
	o.height = 768;
	o.on_finding = collect;
	o.user = c;
	o.shader = with_inspector ? &fake_inspector : NULL;
	struct mtl_validator *v = mtl_validator_create(&o);
	assert_non_null(v);
	return v;
}

static void validate_file(const char *path, struct collector *c, int with_inspector)
{
	size_t len;
	uint8_t *b = test_read_file(path, &len);
	struct mtl_validator *v = make(c, with_inspector);
	mtl_validator_submit(v, b, len, MTL_VALIDATE_QUEUE_ANY, 0);
	mtl_validator_finish(v);
	mtl_validator_destroy(v);
	free(b);
	assert_int_equal(fake_live, 0);
}

/* ---- the rule table ------------------------------------------------------ */
static void test_rule_table(void **state)
{
	(void)state;
	size_t n = mtl_rule_count();
	assert_true(n >= 70);
	assert_null(mtl_rule_at(n));
	for (size_t i = 0; i < n; i++) {
		const struct mtl_rule *r = mtl_rule_at(i);
		assert_non_null(r);
		assert_ptr_equal(mtl_rule_find(r->id), r);
		assert_true(r->severity == MTL_SEV_ERROR || r->severity == MTL_SEV_WARNING);
		assert_true(strlen(r->summary) > 10);
		/* area.name in lower case, digits and '-' */
		const char *dot = strchr(r->id, '.');
		assert_non_null(dot);
		assert_true(dot > r->id && dot[1]);
		for (const char *p = r->id; *p; p++)
			assert_true((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' || *p == '.');
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(mtl_rule_at(j)->id, r->id);
	}
	assert_null(mtl_rule_find("no.such-rule"));
	assert_null(mtl_rule_find(NULL));
	assert_string_equal(mtl_severity_name(MTL_SEV_ERROR), "error");
	assert_string_equal(mtl_severity_name(MTL_SEV_WARNING), "warning");
}

/* Every rule has its section in docs/VALIDATION.md, with a bad and a good example. */
static void test_every_rule_is_documented(void **state)
{
	(void)state;
	size_t len;
	uint8_t *doc = test_read_file("docs/VALIDATION.md", &len);
	char *text = malloc(len + 1);
	assert_non_null(text);
	memcpy(text, doc, len);
	text[len] = 0;
	for (size_t i = 0; i < mtl_rule_count(); i++) {
		const struct mtl_rule *r = mtl_rule_at(i);
		char heading[128];
		snprintf(heading, sizeof heading, "### `%s`\n**%s.**", r->id, mtl_severity_name(r->severity));
		const char *at = strstr(text, heading);
		if (!at)
			fail_msg("docs/VALIDATION.md has no section \"### `%s`\" starting with **%s.**", r->id,
				 mtl_severity_name(r->severity));
		const char *next = strstr(at + 4, "\n### ");
		const char *bad = strstr(at, "- Bad:"), *good = strstr(at, "- Good:");
		if (!bad || !good || (next && (bad > next || good > next)))
			fail_msg("docs/VALIDATION.md: %s lacks a Bad and a Good example", r->id);
	}
	free(text);
	free(doc);
}

/* ---- corpus/invalid ------------------------------------------------------- */
struct expected {
	char file[96], rule[64], severity[16], needs[8];
	unsigned long long command;
	unsigned long long offset;
};

static size_t read_expected(struct expected *out, size_t max)
{
	FILE *f = fopen("corpus/invalid/EXPECTED", "r");
	if (!f)
		fail_msg("cannot read corpus/invalid/EXPECTED (run from the top of the tree)");
	char line[512];
	size_t n = 0;
	while (fgets(line, sizeof line, f)) {
		if (line[0] == '#' || line[0] == '\n')
			continue;
		assert_true(n < max);
		struct expected *e = &out[n];
		int k = sscanf(line, "%95s %63s %15s %llu %llx %7s", e->file, e->rule, e->severity, &e->command,
			       &e->offset, e->needs);
		if (k != 6)
			fail_msg("EXPECTED: malformed line: %s", line);
		n++;
	}
	fclose(f);
	return n;
}

static void test_every_rule_has_a_stream(void **state)
{
	(void)state;
	static struct expected ex[256];
	size_t n = read_expected(ex, 256);
	for (size_t i = 0; i < mtl_rule_count(); i++) {
		const struct mtl_rule *r = mtl_rule_at(i);
		if (!strncmp(r->id, "internal.", 9))
			continue; /* out of memory cannot be written as a stream */
		int found = 0;
		for (size_t j = 0; j < n; j++)
			if (!strcmp(ex[j].rule, r->id)) {
				found = 1;
				assert_string_equal(ex[j].severity, mtl_severity_name(r->severity));
				char want[128];
				snprintf(want, sizeof want, "%s.bin", r->id);
				assert_string_equal(ex[j].file, want);
			}
		if (!found)
			fail_msg("rule %s has no stream in corpus/invalid/EXPECTED", r->id);
	}
}

static void check_against_expected(const struct expected *e, const struct collector *c)
{
	if (c->n == 0)
		fail_msg("%s: no finding, expected %s", e->file, e->rule);
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->f[i].rule, e->rule))
			fail_msg("%s: unexpected finding %s (command %llu: %s), expected only %s", e->file, c->f[i].rule,
				 (unsigned long long)c->f[i].command, c->f[i].message, e->rule);
	if (c->f[0].command != e->command || c->f[0].offset != e->offset)
		fail_msg("%s: %s at command %llu offset 0x%zX, expected command %llu offset 0x%llX", e->file, e->rule,
			 (unsigned long long)c->f[0].command, c->f[0].offset, e->command, e->offset);
	assert_string_equal(mtl_severity_name(c->f[0].severity), e->severity);
}

static void test_invalid_corpus(void **state)
{
	(void)state;
	static struct expected ex[256];
	size_t n = read_expected(ex, 256);
	assert_true(n >= 70);
	for (size_t i = 0; i < n; i++) {
		char path[256];
		struct collector c;
		snprintf(path, sizeof path, "corpus/invalid/%.200s", ex[i].file);
		int msl = !strcmp(ex[i].needs, "msl");
		validate_file(path, &c, 1);
		check_against_expected(&ex[i], &c);
		if (msl) {
			/* without a shader inspector the MSL rules are not checked */
			validate_file(path, &c, 0);
			if (c.n)
				fail_msg("%s: without an inspector expected no finding, got %s: %s", ex[i].file, c.f[0].rule,
					 c.f[0].message);
		} else {
			validate_file(path, &c, 0);
			check_against_expected(&ex[i], &c);
		}
	}
}

static const char *const valid_streams[] = { "triangle", "textured-quad", "msaa-stencil", "compute",
					      "blit", "cursor", "many-frames" };

static void test_valid_corpus_is_clean(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof valid_streams / sizeof valid_streams[0]; i++) {
		char path[256];
		struct collector c;
		snprintf(path, sizeof path, "corpus/%s.bin", valid_streams[i]);
		validate_file(path, &c, 0);
		if (c.n)
			fail_msg("%s: %s at command %llu: %s", path, c.f[0].rule, (unsigned long long)c.f[0].command,
				 c.f[0].message);
	}
}

/* ---- the live API --------------------------------------------------------- */
static uint8_t sbuf[8192];

static void test_state_across_submissions(void **state)
{
	(void)state;
	struct collector c;
	struct mtl_validator *v = make(&c, 0);
	struct mtl_encoder e;

	/* submission 0 (setup): a texture */
	mtl_enc_init(&e, sbuf, sizeof sbuf);
	mtl_enc_create_texture(&e, 7, 64, 64, MTL_PIXEL_BGRA8_UNORM, 0, 1, MTL_USAGE_RENDER_TARGET);
	assert_int_equal(mtl_validator_submit(v, sbuf, e.len, MTL_QUEUE_SETUP, 0), 0);

	/* submission 1 (render): a pass on it, left open, then a draw outside
	 * nothing — the pass persists into submission 2 */
	mtl_enc_init(&e, sbuf, sizeof sbuf);
	mtl_enc_begin_render_pass(&e, 7, 0, 0, MTL_LOAD_CLEAR, MTL_STORE_STORE, 0, 0, 0, 0, 0, 1);
	assert_int_equal(mtl_validator_submit(v, sbuf, e.len, MTL_QUEUE_RENDER, 1), 0);

	mtl_enc_init(&e, sbuf, sizeof sbuf);
	mtl_enc_set_scissor(&e, 0, 0, 32, 32);
	mtl_enc_set_scissor(&e, 60, 0, 8, 8); /* outside the 64x64 attachment */
	mtl_enc_end_render_pass(&e);
	mtl_enc_present_and_commit(&e, 0);
	mtl_enc_end_render_pass(&e); /* no pass any more */
	assert_int_equal(mtl_validator_submit(v, sbuf, e.len, MTL_QUEUE_RENDER, 2), 2);
	mtl_validator_finish(v);

	assert_int_equal(c.n, 2);
	assert_string_equal(c.f[0].rule, "rpass.scissor-outside");
	assert_int_equal(c.f[0].command, 3);      /* over the whole stream */
	assert_int_equal(c.f[0].offset, 16);      /* within submission 2 */
	assert_int_equal(c.f[0].submission, 2);
	assert_int_equal(c.f[0].frame, 0);
	assert_string_equal(c.f[1].rule, "pass.end-without-begin");
	assert_int_equal(c.f[1].command, 6);
	assert_int_equal(c.f[1].frame, 1);        /* after the present */
	assert_int_equal(mtl_validator_commands(v), 7);
	assert_int_equal(mtl_validator_frames(v), 1);
	assert_int_equal(mtl_validator_errors(v), 2);
	assert_int_equal(mtl_validator_warnings(v), 0);
	mtl_validator_destroy(v);
}

/* data.bytes-too-small through the hook: checked at each draw against the
 * bytes bound then; the stage_in vertex buffer and unsized parameters are
 * not checked; no inspector, no check; --disable silences it. */
static size_t bytes_stream(size_t *draw1, size_t *draw1_off)
{
	static const uint8_t zeros[64];
	struct mtl_encoder e;
	mtl_enc_init(&e, sbuf, sizeof sbuf);
	mtl_enc_compile_library(&e, 1, "lib", 3);
	mtl_enc_get_function(&e, 2, 1, "vs_sized", 8);
	mtl_enc_get_function(&e, 3, 1, "fs_unsized", 10);
	mtl_enc_create_render_pipeline(&e, 4, 2, 3, 0, MTL_WRITE_ALL, 0, 1, MTL_PIXEL_BGRA8_UNORM_SRGB);
	mtl_enc_begin_render_pass(&e, MTL_DRAWABLE_HANDLE, 0, 0, MTL_LOAD_CLEAR, MTL_STORE_STORE, 0, 0, 0, 0, 0, 1);
	mtl_enc_set_render_pipeline(&e, 4);
	mtl_enc_set_vertex_bytes(&e, 0, zeros, 32);  /* one vertex: under vin's 64, not checked */
	mtl_enc_set_vertex_bytes(&e, 1, zeros, 40);  /* xform needs 48 */
	mtl_enc_set_fragment_bytes(&e, 2, zeros, 1); /* unsized: any length */
	*draw1 = 9;
	*draw1_off = e.len;
	mtl_enc_draw_primitives(&e, MTL_PRIMITIVE_POINT, 0, 1);
	mtl_enc_set_vertex_bytes(&e, 1, zeros, 48);
	mtl_enc_draw_primitives(&e, MTL_PRIMITIVE_POINT, 0, 1);
	mtl_enc_end_render_pass(&e);
	mtl_enc_present_and_commit(&e, 0);
	return e.len;
}

static void test_bytes_too_small(void **state)
{
	(void)state;
	struct collector c;
	size_t draw1, draw1_off;
	size_t len = bytes_stream(&draw1, &draw1_off);

	/* the second draw, after xform got its 48 bytes, is clean */
	struct mtl_validator *v = make(&c, 1);
	assert_int_equal(mtl_validator_submit(v, sbuf, len, MTL_VALIDATE_QUEUE_ANY, 0), 1);
	assert_int_equal(mtl_validator_commands(v), 14);
	mtl_validator_destroy(v);
	assert_int_equal(fake_live, 0);
	assert_int_equal(c.n, 1);
	assert_string_equal(c.f[0].rule, "data.bytes-too-small");
	assert_int_equal(c.f[0].severity, MTL_SEV_ERROR);
	assert_int_equal(c.f[0].command, draw1);
	assert_int_equal(c.f[0].offset, draw1_off);
	assert_string_equal(c.f[0].message, "vertex function 'vs_sized' needs 48 bytes at [[buffer(1)]] 'xform' but "
					    "only 40 bytes are bound to vertex buffer 1");

	v = make(&c, 0);
	assert_int_equal(mtl_validator_submit(v, sbuf, len, MTL_VALIDATE_QUEUE_ANY, 0), 0);
	mtl_validator_destroy(v);
	assert_int_equal(c.n, 0);

	v = make(&c, 1);
	assert_int_equal(mtl_validator_disable(v, "data.bytes-too-small"), 1);
	assert_int_equal(mtl_validator_submit(v, sbuf, len, MTL_VALIDATE_QUEUE_ANY, 0), 0);
	mtl_validator_destroy(v);
	assert_int_equal(c.n, 0);
}

static size_t many_errors(void)
{
	struct mtl_encoder e;
	mtl_enc_init(&e, sbuf, sizeof sbuf);
	for (int i = 0; i < 10; i++)
		mtl_enc_draw_primitives(&e, 0, 0, 3);   /* pass.draw-outside */
	mtl_enc_create_texture(&e, 1, 64, 64, 1, 0, 1, 0); /* texture.usage-zero */
	return e.len;
}

static void test_max_errors(void **state)
{
	(void)state;
	struct collector c;
	memset(&c, 0, sizeof c);
	struct mtl_validate_options o = { 1024, 768, 3, collect, &c, NULL };
	struct mtl_validator *v = mtl_validator_create(&o);
	size_t len = many_errors();
	assert_int_equal(mtl_validator_submit(v, sbuf, len, MTL_VALIDATE_QUEUE_ANY, 0), 3);
	assert_int_equal(c.n, 3);
	assert_int_equal(mtl_validator_errors(v), 3);
	assert_true(mtl_validator_limit_reached(v));
	assert_int_equal(mtl_validator_warnings(v), 0); /* nothing reported after the limit */
	mtl_validator_destroy(v);
}

static void test_disable(void **state)
{
	(void)state;
	struct collector c;
	struct mtl_validator *v = make(&c, 0);
	assert_int_equal(mtl_validator_disable(v, "pass.draw-outside"), 1);
	assert_int_equal(mtl_validator_disable(v, "no.such-rule"), 0);
	assert_int_equal(mtl_validator_disable(v, ""), 0);
	size_t len = many_errors();
	assert_int_equal(mtl_validator_submit(v, sbuf, len, MTL_VALIDATE_QUEUE_ANY, 0), 0);
	assert_int_equal(c.n, 1);
	assert_string_equal(c.f[0].rule, "texture.usage-zero");
	assert_int_equal(c.f[0].severity, MTL_SEV_WARNING);
	mtl_validator_destroy(v);

	/* an area prefix turns off every rule of that area */
	v = make(&c, 0);
	assert_true(mtl_validator_disable(v, "texture.") >= 10);
	assert_int_equal(mtl_validator_disable(v, "pass."), 8);
	mtl_validator_submit(v, sbuf, len, MTL_VALIDATE_QUEUE_ANY, 0);
	assert_int_equal(c.n, 0);
	mtl_validator_destroy(v);
}

static void test_display_size(void **state)
{
	(void)state;
	struct collector c;
	struct mtl_validator *v = make(&c, 0);
	struct mtl_encoder e;
	mtl_enc_init(&e, sbuf, sizeof sbuf);
	mtl_enc_begin_render_pass(&e, MTL_DRAWABLE_HANDLE, 0, 0, MTL_LOAD_CLEAR, MTL_STORE_STORE, 0, 0, 0, 0, 0, 1);
	mtl_enc_set_scissor(&e, 0, 0, 1920, 1080);
	mtl_enc_end_render_pass(&e);
	mtl_validator_submit(v, sbuf, e.len, MTL_QUEUE_RENDER, 0);
	assert_int_equal(c.n, 1); /* 1024x768 drawable */
	assert_string_equal(c.f[0].rule, "rpass.scissor-outside");
	mtl_validator_set_display(v, 1920, 1080);
	mtl_validator_submit(v, sbuf, e.len, MTL_QUEUE_RENDER, 1);
	assert_int_equal(c.n, 1); /* fits now */
	mtl_validator_set_display(v, 0, 0);
	mtl_validator_submit(v, sbuf, e.len, MTL_QUEUE_RENDER, 2);
	assert_int_equal(c.n, 1); /* unknown size: not checked */
	mtl_validator_destroy(v);
}

/* blitRetained: fine on the drawable after a present; not before the first
 * present, nor into a texture unlike the drawable. */
static void test_blit_retained(void **state)
{
	(void)state;
	struct collector c;
	struct mtl_validator *v = make(&c, 0);
	struct mtl_encoder e;
	mtl_enc_init(&e, sbuf, sizeof sbuf);
	mtl_enc_create_texture(&e, 3, 64, 64, MTL_PIXEL_BGRA8_UNORM_SRGB, 0, 1, MTL_USAGE_RENDER_TARGET);
	mtl_enc_present_and_commit(&e, 0);
	mtl_enc_begin_render_pass(&e, MTL_DRAWABLE_HANDLE, 0, 0, MTL_LOAD_BLIT_RETAINED, MTL_STORE_STORE, 0, 0, 0, 0,
				  0, 1);
	mtl_enc_end_render_pass(&e);
	mtl_enc_begin_render_pass(&e, 3, 0, 0, MTL_LOAD_BLIT_RETAINED, MTL_STORE_STORE, 0, 0, 0, 0, 0, 1);
	mtl_enc_end_render_pass(&e);
	mtl_validator_submit(v, sbuf, e.len, MTL_VALIDATE_QUEUE_ANY, 0);
	assert_int_equal(c.n, 1);
	assert_string_equal(c.f[0].rule, "rpass.blit-retained-mismatch");
	assert_int_equal(c.f[0].command, 4);
	assert_non_null(strstr(c.f[0].message, "1024x768"));
	assert_non_null(strstr(c.f[0].message, "64x64"));
	mtl_validator_destroy(v);
}

static void test_finish(void **state)
{
	(void)state;
	struct collector c;
	struct mtl_validator *v = make(&c, 0);
	mtl_validator_finish(v); /* empty stream: nothing */
	assert_int_equal(c.n, 0);
	struct mtl_encoder e;
	mtl_enc_init(&e, sbuf, sizeof sbuf);
	mtl_enc_begin_compute_pass(&e);
	mtl_validator_submit(v, sbuf, e.len, MTL_QUEUE_RENDER, 0);
	mtl_validator_finish(v);
	assert_int_equal(c.n, 1);
	assert_string_equal(c.f[0].rule, "pass.open-at-end");
	assert_false(c.f[0].has_command);
	assert_int_equal(c.f[0].command, 1);
	mtl_validator_finish(v); /* the pass was closed by the first finish */
	assert_int_equal(c.n, 1);
	mtl_validator_destroy(v);
}

static void test_no_callback_counts(void **state)
{
	(void)state;
	struct mtl_validator *v = mtl_validator_create(NULL);
	assert_non_null(v);
	size_t len = many_errors();
	assert_int_equal(mtl_validator_submit(v, sbuf, len, 0, 0), 10);
	assert_int_equal(mtl_validator_errors(v), 10);
	assert_int_equal(mtl_validator_warnings(v), 1);
	mtl_validator_submit(v, NULL, 0, 0, 1); /* empty submission */
	mtl_validator_destroy(v);
	mtl_validator_destroy(NULL);
}

/* Handles: re-creation after destroy is fine; many objects grow the table. */
static void test_handles(void **state)
{
	(void)state;
	struct collector c;
	struct mtl_validator *v = make(&c, 0);
	static uint8_t big[1 << 17];
	struct mtl_encoder e;
	mtl_enc_init(&e, big, sizeof big);
	for (uint32_t h = 1; h <= 3000; h++)
		mtl_enc_create_sampler(&e, h, 0, 0, 0, 0);
	for (uint32_t h = 1; h <= 3000; h += 2)
		mtl_enc_destroy_object(&e, h);
	mtl_enc_create_sampler(&e, 1, 0, 0, 0, 0); /* re-create after destroy: fine */
	mtl_enc_create_sampler(&e, 2, 0, 0, 0, 0); /* live: handle.recreate */
	assert_false(mtl_enc_overflowed(&e));
	mtl_validator_submit(v, big, e.len, 0, 0);
	assert_int_equal(c.n, 1);
	assert_string_equal(c.f[0].rule, "handle.recreate");
	assert_int_equal(c.f[0].command, 3000 + 1500 + 1);
	mtl_validator_destroy(v);
}

/* Pseudo-random bytes, and random mutations of a valid stream, never crash. */
static void test_hostile_bytes(void **state)
{
	(void)state;
	size_t len;
	uint8_t *valid = test_read_file("corpus/msaa-stencil.bin", &len);
	uint8_t *buf = malloc(len);
	assert_non_null(buf);
	uint32_t x = 12345;
	for (int round = 0; round < 300; round++) {
		memcpy(buf, valid, len);
		for (int k = 0; k < 8; k++) {
			x = x * 1103515245u + 12345u;
			size_t at = (x >> 8) % len;
			x = x * 1103515245u + 12345u;
			buf[at] = (uint8_t)(x >> 16);
		}
		x = x * 1103515245u + 12345u;
		size_t cut = round % 3 == 0 ? (x >> 8) % len : len;
		struct mtl_validator *v = mtl_validator_create(NULL);
		assert_non_null(v);
		mtl_validator_submit(v, buf, cut, 1, 0);
		mtl_validator_submit(v, buf, len, 1, 1);
		mtl_validator_finish(v);
		mtl_validator_destroy(v);
	}
	for (int round = 0; round < 200; round++) {
		for (size_t i = 0; i < len; i++) {
			x = x * 1103515245u + 12345u;
			buf[i] = (uint8_t)(x >> 24);
		}
		struct mtl_validator *v = mtl_validator_create(NULL);
		mtl_validator_submit(v, buf, len, 0, 0);
		mtl_validator_finish(v);
		mtl_validator_destroy(v);
	}
	free(buf);
	free(valid);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rule_table),
		cmocka_unit_test(test_every_rule_has_a_stream),
		cmocka_unit_test(test_every_rule_is_documented),
		cmocka_unit_test(test_invalid_corpus),
		cmocka_unit_test(test_valid_corpus_is_clean),
		cmocka_unit_test(test_state_across_submissions),
		cmocka_unit_test(test_max_errors),
		cmocka_unit_test(test_disable),
		cmocka_unit_test(test_display_size),
		cmocka_unit_test(test_blit_retained),
		cmocka_unit_test(test_finish),
		cmocka_unit_test(test_no_callback_counts),
		cmocka_unit_test(test_handles),
		cmocka_unit_test(test_hostile_bytes),
		cmocka_unit_test(test_bytes_too_small),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
