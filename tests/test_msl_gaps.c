/*
 * test_msl_gaps.c — MSL that real guest shaders write and the first
 * version of the engine rejected or ran wrongly: sample() lod options and
 * texel offsets, texture2d<half>, more math built-ins. Shaders live in
 * tests/msl/exec/; results are compared with the same math in C.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "msl/exec.h"
#include "msl/ir.h"
#include "msl/msl.h"

#define DIR "tests/msl/exec/"

struct shader {
	char *src;
	struct msl_program *prog;
	msl_exec_module *mod;
};

static void load(struct shader *sh, const char *file)
{
	char path[256];
	snprintf(path, sizeof(path), DIR "%s", file);
	FILE *f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s (run from the top of the tree)", path);
	sh->src = malloc(1 << 20);
	assert_non_null(sh->src);
	size_t n = fread(sh->src, 1, (1 << 20) - 1, f);
	fclose(f);
	struct msl_diag_list d;
	msl_diag_list_init(&d);
	sh->prog = msl_compile(sh->src, n, path, &d);
	if (!sh->prog)
		msl_diag_print(&d, sh->src, n, stderr);
	msl_diag_list_free(&d);
	assert_non_null(sh->prog);
	struct msl_exec_error err;
	sh->mod = msl_exec_module_create(sh->prog, &err);
	if (!sh->mod)
		fail_msg("%s:%u:%u: lowering failed: %s", path, err.line, err.col, err.message);
}

static void unload(struct shader *sh)
{
	msl_exec_module_free(sh->mod);
	msl_program_free(sh->prog);
	free(sh->src);
}

static const msl_exec_entry *entry(struct shader *sh, const char *name)
{
	const msl_exec_entry *e = msl_exec_find_entry(sh->mod, name);
	if (!e)
		fail_msg("no entry point '%s'", name);
	return e;
}

static void near(float got, float want, float tol, const char *what, int i)
{
	if (isnan(got) && isnan(want))
		return;
	if (!(fabsf(got - want) <= tol * fmaxf(1.0f, fabsf(want))))
		fail_msg("%s[%d]: got %.9g, want %.9g", what, i, (double)got, (double)want);
}

/* Compile-only: the first error must be `msg` at line:col. */
static void expect_error(const char *src, unsigned line, unsigned col, const char *msg)
{
	struct msl_diag_list d;
	msl_diag_list_init(&d);
	struct msl_program *p = msl_compile(src, strlen(src), "t.metal", &d);
	if (p) {
		msl_program_free(p);
		msl_diag_list_free(&d);
		fail_msg("compiled, expected \"%s\" at %u:%u", msg, line, col);
	}
	assert_true(d.count > 0);
	if (d.items[0].line != line || d.items[0].col != col || !strstr(d.items[0].message, msg)) {
		fprintf(stderr, "got %u:%u: %s\n", d.items[0].line, d.items[0].col, d.items[0].message);
		msl_diag_list_free(&d);
		fail_msg("expected \"%s\" at %u:%u", msg, line, col);
	}
	msl_diag_list_free(&d);
}

/* A fragment batch of `quads` quads in a row: pixel (x, y) has uv = (x, y)/16
 * (one texel per pixel on a 16x16 texture). Varyings: uv(2) color(4) layer(1). */
static void make_quads(uint32_t quads, float *pos, float *var)
{
	for (uint32_t l = 0; l < quads * 4; l++) {
		float x = (float)(2 * (l / 4) + (l & 1)) + 0.5f;
		float y = (float)((l >> 1) & 1) + 0.5f;
		pos[4 * l + 0] = x;
		pos[4 * l + 1] = y;
		pos[4 * l + 2] = 0.5f;
		pos[4 * l + 3] = 1.0f;
		float *v = &var[7 * l];
		memset(v, 0, 7 * sizeof(float));
		v[0] = x / 16.0f;
		v[1] = y / 16.0f;
	}
}

/* A texture whose sample() returns (u, v, 0, filter): filter is the one
 * the sampler forces (0 nearest, 1 linear), or 0.5 when min and mag differ
 * (the renderer would choose from the quad's derivatives). read() returns
 * (x, y, 1, 0.5). */
static void marker_sample(void *ctx, const struct msl_exec_sampler *s, uint32_t n, const uint8_t *active,
			  const float *u, const float *v, float *out)
{
	int *calls = ctx;
	++*calls;
	for (uint32_t l = 0; l < n; l++)
		if (active[l]) {
			out[0 * n + l] = u[l];
			out[1 * n + l] = v[l];
			out[2 * n + l] = 0.0f;
			out[3 * n + l] = s->min_filter == s->mag_filter ? (float)s->min_filter : 0.5f;
		}
}

static void marker_read(void *ctx, uint32_t n, const uint8_t *active, const uint32_t *x, const uint32_t *y,
			const uint32_t *sample, float *out)
{
	(void)ctx;
	(void)sample;
	for (uint32_t l = 0; l < n; l++)
		if (active[l]) {
			out[0 * n + l] = (float)x[l];
			out[1 * n + l] = (float)y[l];
			out[2 * n + l] = 1.0f;
			out[3 * n + l] = 0.5f;
		}
}

enum { Q = 4, N = Q * 4 };

static void run_fragment(const msl_exec_entry *e, struct msl_exec_bindings *b, float *pos, float *var, float *colors)
{
	make_quads(Q, pos, var);
	struct msl_exec_fragment_batch fb;
	memset(&fb, 0, sizeof(fb));
	fb.quads = Q;
	fb.live_mask = (1ull << N) - 1;
	fb.position = pos;
	fb.varyings = var;
	fb.colors = colors;
	msl_exec_ctx *c = msl_exec_ctx_create();
	struct msl_exec_error err;
	enum msl_exec_status s = msl_exec_run_fragment(c, e, b, &fb, &err);
	msl_exec_ctx_free(c);
	if (s != MSL_EXEC_OK)
		fail_msg("%s at %u:%u: %s", msl_exec_status_name(s), err.line, err.col, err.message);
}

/* With one mip level every lod reads level 0, but the lod still picks the
 * filter: lod > 0 minifies (min_filter), else magnifies (mag_filter),
 * judged before clamping to the texture's mip range. */
static void test_sample_lod_options(void **state)
{
	(void)state;
	struct shader sh;
	load(&sh, "sample_options.metal");
	const msl_exec_entry *e = entry(&sh, "lod_options");
	static const float lods[] = { -2.5f, -1.0f, 0.0f, 0.5f, 2.0f, -1.5f };
	static const uint32_t widths[] = { 16, 64 };
	for (size_t wi = 0; wi < 2; wi++)
		for (size_t li = 0; li < sizeof lods / sizeof lods[0]; li++) {
			int calls = 0;
			uint32_t w = widths[wi];
			struct msl_exec_texture t = { &calls, w, w, 1, marker_sample, marker_read, NULL };
			float lod = lods[li];
			struct msl_exec_bindings b;
			memset(&b, 0, sizeof(b));
			b.textures[0] = &t;
			b.buffers[0].data = &lod;
			b.buffers[0].size = sizeof lod;
			float pos[N * 4], var[N * 7], colors[N * 4 * MSL_EXEC_MAX_COLORS];
			run_fragment(e, &b, pos, var, colors);
			/* implicit lod: uv moves 1/16 per pixel, w/16 texels */
			float base = log2f((float)w / 16.0f);
			float grad = (float)w / 16.0f * fabsf(lod); /* |dPdx| in texels */
			float want[4] = {
				lod > 0.0f ? 0.0f : 1.0f,
				base + lod > 0.0f ? 0.0f : 1.0f,
				fmaxf(base, lod) > 0.0f ? 0.0f : 1.0f,
				grad > 1.0f ? 0.0f : 1.0f,
			};
			for (int l = 0; l < N; l++) {
				const float *o = &colors[l * 4 * MSL_EXEC_MAX_COLORS];
				for (int k = 0; k < 4; k++) {
					if (o[k] != want[k])
						fail_msg("width %u lod %g option %d lane %d: filter %g, want %g", w,
							 (double)lod, k, l, (double)o[k], (double)want[k]);
				}
			}
		}
	unload(&sh);
}

static void test_sample_offsets(void **state)
{
	(void)state;
	struct shader sh;
	load(&sh, "sample_options.metal");
	const msl_exec_entry *e = entry(&sh, "offsets");
	int calls = 0;
	struct msl_exec_texture t = { &calls, 16, 8, 1, marker_sample, marker_read, NULL };
	struct msl_exec_bindings b;
	memset(&b, 0, sizeof(b));
	b.textures[0] = &t;
	float pos[N * 4], var[N * 7], colors[N * 4 * MSL_EXEC_MAX_COLORS];
	run_fragment(e, &b, pos, var, colors);
	assert_int_equal(calls, 2);
	for (int l = 0; l < N; l++) {
		float u = var[7 * l], v = var[7 * l + 1];
		const float *o = &colors[l * 4 * MSL_EXEC_MAX_COLORS];
		/* offsets are texels: 1/16 across, 1/8 down */
		near(o[0], u + 1.0f / 16.0f, 1e-6f, "offset x", l);
		near(o[1], v - 2.0f / 8.0f, 1e-6f, "offset y", l);
		near(o[2], u - 8.0f / 16.0f, 1e-6f, "level+offset x", l);
		near(o[3], v + 7.0f / 8.0f, 1e-6f, "level+offset y", l);
	}
	unload(&sh);
}

static void test_half_texture(void **state)
{
	(void)state;
	struct shader sh;
	load(&sh, "sample_options.metal");
	const msl_exec_entry *e = entry(&sh, "half_texture");
	int calls = 0;
	struct msl_exec_texture t = { &calls, 16, 16, 1, marker_sample, marker_read, NULL };
	struct msl_exec_bindings b;
	memset(&b, 0, sizeof(b));
	b.textures[0] = &t;
	float pos[N * 4], var[N * 7], colors[N * 4 * MSL_EXEC_MAX_COLORS];
	run_fragment(e, &b, pos, var, colors);
	for (int l = 0; l < N; l++) {
		float a[4] = { var[7 * l], var[7 * l + 1], 0.0f, 0.0f }; /* nearest: filter 0 */
		float rd[4] = { floorf(pos[4 * l]), floorf(pos[4 * l + 1]), 1.0f, 0.5f };
		const float *o = &colors[l * 4 * MSL_EXEC_MAX_COLORS];
		for (int k = 0; k < 4; k++) {
			float want = msl_round_half(msl_round_half(a[k]) + msl_round_half(rd[k] * 32.0f));
			near(o[k], want, 0.0f, "half texel", l * 4 + k);
		}
	}
	unload(&sh);
}

#define PRE "#include <metal_stdlib>\nusing namespace metal;\n"

static void test_sample_option_errors(void **state)
{
	(void)state;
	expect_error(PRE "fragment float4 f(texture2d<float> t [[texture(0)]], sampler s [[sampler(0)]]) {\n"
		     "    return t.sample(s, float2(0.5), level(float2(1.0)));\n}\n",
		     4, 43, "argument 1 of level() must be a float");
	expect_error(PRE "fragment float4 f(texture2d<float> t [[texture(0)]], sampler s [[sampler(0)]]) {\n"
		     "    return t.sample(s, float2(0.5), gradient2d(float2(1.0)));\n}\n",
		     4, 37, "gradient2d() takes two float2 derivatives");
	expect_error(PRE "fragment float4 f(texture2d<float> t [[texture(0)]], sampler s [[sampler(0)]]) {\n"
		     "    return t.sample(s, float2(0.5), int2(8, 0));\n}\n",
		     4, 37, "offset of sample() must be a constant int2 with components in -8..7");
	expect_error(PRE "fragment float4 f(texture2d<float> t [[texture(0)]], sampler s [[sampler(0)]], constant int &k [[buffer(0)]]) {\n"
		     "    return t.sample(s, float2(0.5), int2(k, 0));\n}\n",
		     4, 37, "offset of sample() must be a constant int2");
	expect_error(PRE "fragment float4 f(texture2d<float> t [[texture(0)]], sampler s [[sampler(0)]]) {\n"
		     "    return t.sample(s, float2(0.5), level(1.0), bias(1.0));\n}\n",
		     4, 49, "combining them is not supported");
	expect_error(PRE "fragment float4 f(texture2d<float> t [[texture(0)]], sampler s [[sampler(0)]]) {\n"
		     "    return t.sample(s, float2(0.5), int2(0), level(1.0));\n}\n",
		     4, 46, "unexpected argument 4 of sample()");
	expect_error(PRE "fragment float4 f(texture2d<float> t [[texture(0)]]) {\n"
		     "    float x = level(1.0);\n    return float4(x);\n}\n",
		     4, 15, "cannot convert 'void' to 'float'");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sample_lod_options),
		cmocka_unit_test(test_sample_offsets),
		cmocka_unit_test(test_half_texture),
		cmocka_unit_test(test_sample_option_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
