/*
 * test_msl_gaps.c — MSL that real guest shaders write and the first
 * version of the engine rejected or ran wrongly: sample() lod options and
 * texel offsets, texture2d<half>, more math built-ins. Shaders live in
 * tests/msl/exec/; results are compared with the same math in C.
 */
#include <float.h>
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
#include "common/msl_shader.h"


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

/* ---- math built-ins ----------------------------------------------------- */

static void bind(struct msl_exec_bindings *b, uint32_t i, void *data, size_t size)
{
	b->buffers[i].data = data;
	b->buffers[i].size = size;
}

static void run1d(struct shader *sh, const char *fn, uint32_t n, struct msl_exec_bindings *b)
{
	msl_exec_ctx *c = msl_exec_ctx_create();
	assert_non_null(c);
	struct msl_exec_error err;
	struct msl_exec_compute_group g = { { 0, 0, 0 }, { n, 1, 1 }, { n, 1, 1 }, { 1, 1, 1 } };
	enum msl_exec_status s = msl_exec_run_compute(c, entry(sh, fn), b, &g, &err);
	msl_exec_ctx_free(c);
	if (s != MSL_EXEC_OK)
		fail_msg("%s: %s at %u:%u: %s", fn, msl_exec_status_name(s), err.line, err.col, err.message);
}

/* Bit-exact, with any NaN equal to any NaN. */
static void same(float got, float want, const char *what, int i)
{
	uint32_t a, b;
	memcpy(&a, &got, 4);
	memcpy(&b, &want, 4);
	if (isnan(got) && isnan(want))
		return;
	if (a != b)
		fail_msg("%s[%d]: got %.9g (0x%08x), want %.9g (0x%08x)", what, i, (double)got, a, (double)want, b);
}

static const double PI = 3.14159265358979323846;

static void test_float_math(void **state)
{
	(void)state;
	struct shader sh;
	load(&sh, "gap_math.metal");
	float in[][2] = {
		{ 0.3f, 2.5f }, { -1.7f, 1.0f }, { 2.5f, 10.0f }, { 0.5f, 0.75f }, { -0.0f, NAN },
		{ 3.0f, -2.0f }, { 1.25f, INFINITY }, { -2.5f, 4.0f },
	};
	enum { NT = sizeof(in) / sizeof(in[0]), K = 20 };
	float out[NT * K];
	struct msl_exec_bindings b;
	memset(&b, 0, sizeof(b));
	bind(&b, 0, in, sizeof(in));
	bind(&b, 1, out, sizeof(out));
	run1d(&sh, "float_math", NT, &b);
	for (int t = 0; t < NT; t++) {
		float x = in[t][0], y = in[t][1];
		const float *o = &out[K * t];
		same(o[0], sinhf(x), "sinh", t);
		same(o[1], coshf(x), "cosh", t);
		same(o[2], tanhf(x), "tanh", t);
		same(o[3], asinhf(x), "asinh", t);
		same(o[4], acoshf(y), "acosh", t);
		same(o[5], atanhf(x * 0.25f), "atanh", t);
		same(o[6], log10f(y), "log10", t);
		near(o[7], powf(10.0f, x), 1e-6f, "exp10", t);
		same(o[8], rintf(x), "rint", t);
		near(o[9], (float)sin(PI * x), 1e-6f, "sinpi", t);
		near(o[10], (float)cos(PI * x), 1e-6f, "cospi", t);
		if (fabsf(x - roundf(x)) != 0.5f)
			near(o[11], (float)tan(PI * x), 1e-5f, "tanpi", t);
		near(o[12], (float)(asin(x * 0.25) / PI), 1e-6f, "asinpi", t);
		near(o[13], (float)(acos(x * 0.25) / PI), 1e-6f, "acospi", t);
		near(o[14], (float)(atan(x) / PI), 1e-6f, "atanpi", t);
		near(o[15], (float)(atan2(x, y) / PI), 1e-6f, "atan2pi", t);
		same(o[16], fdimf(x, y), "fdim", t);
		same(o[17], x / y, "divide", t);
		int k = isnan(y) ? 0 : isinf(y) ? INT32_MAX : (int)y; /* int(NaN) = 0, int(inf) saturates */
		same(o[18], ldexpf(x, k), "ldexp", t);
		same(o[19], x / 3.0f, "precise::divide", t);
	}
	/* exact values at integers and halves */
	same(out[K * 3 + 10], 0.0f, "cospi(0.5)", 3);
	same(out[K * 3 + 9], 1.0f, "sinpi(0.5)", 3);
	same(out[K * 5 + 9], 0.0f, "sinpi(3)", 5);
	same(out[K * 5 + 10], -1.0f, "cospi(3)", 5);
	same(out[K * 4 + 9], -0.0f, "sinpi(-0)", 4);
	same(out[K * 2 + 11], INFINITY, "tanpi(2.5)", 2);
	same(out[K * 7 + 11], -INFINITY, "tanpi(-2.5)", 7);
	unload(&sh);
}

static void test_vector_math(void **state)
{
	(void)state;
	struct shader sh;
	load(&sh, "gap_math.metal");
	float in[][4] = {
		{ 0.6f, -0.8f, 0.0f, 0.0f }, { 0.1f, -0.2f, 0.97f, 1.5f }, { 1.0f, 0.5f, -0.25f, 0.25f },
		{ -0.3f, 0.9f, 0.3f, 2.0f },
	};
	enum { NT = sizeof(in) / sizeof(in[0]) };
	float out[NT * 16];
	struct msl_exec_bindings b;
	memset(&b, 0, sizeof(b));
	bind(&b, 0, in, sizeof(in));
	bind(&b, 1, out, sizeof(out));
	run1d(&sh, "vector_math", NT, &b);
	int tir = 0, plain = 0;
	for (int t = 0; t < NT; t++) {
		const float *v = in[t], *o = &out[16 * t];
		float n[3] = { 0.25f, 1.0f, v[3] };
		float nl = 1.0f / sqrtf(n[0] * n[0] + n[1] * n[1] + n[2] * n[2]);
		for (int c = 0; c < 3; c++)
			n[c] *= nl;
		float eta = 0.5f + v[3];
		float d = n[0] * v[0] + n[1] * v[1] + n[2] * v[2];
		float k = 1.0f - eta * eta * (1.0f - d * d);
		for (int c = 0; c < 3; c++) {
			float want = k < 0.0f ? 0.0f : eta * v[c] - (eta * d + sqrtf(k)) * n[c];
			near(o[c], want, 1e-6f, "refract", t * 3 + c);
		}
		tir += k < 0.0f;
		plain += k >= 0.0f;
		near(o[3], v[0] * v[0] + v[1] * v[1] + v[2] * v[2], 1e-6f, "length_squared", t);
		float ff = v[1] < 0.0f ? 1.0f : -1.0f; /* dot((0,1,0), i) < 0 ? n : -n */
		for (int c = 0; c < 3; c++)
			same(o[4 + c], ff * n[c], "faceforward", t * 3 + c);
		float dd = 0.0f;
		for (int c = 0; c < 3; c++)
			dd += (v[c] - n[c]) * (v[c] - n[c]);
		near(o[7], dd, 1e-6f, "distance_squared", t);
		float h[3], hl = 0.0f;
		for (int c = 0; c < 3; c++) {
			h[c] = msl_round_half(v[c]);
			hl += h[c] * h[c];
		}
		for (int c = 0; c < 3; c++)
			near(o[8 + c], h[c] / sqrtf(hl), 2e-3f, "normalize(half3)", t * 3 + c);
		near(o[11], h[0] * h[0] + h[1] * h[1], 2e-3f, "length_squared(half2)", t);
		same(o[12], ldexpf(v[0], 3), "ldexp x", t);
		same(o[13], ldexpf(v[1], -2), "ldexp y", t);
		near(o[14], 1.0f + tanhf(v[0]), 1e-6f, "sinpi(0.5)+tanh", t);
		near(o[15], 0.0f + tanhf(v[1]), 1e-6f, "sinpi(1)+tanh", t);
	}
	assert_true(tir > 0 && plain > 0); /* both branches of refract ran */
	unload(&sh);
}

static uint32_t ref_popcount(uint32_t x, int w)
{
	uint32_t c = 0;
	for (int i = 0; i < w; i++)
		c += (x >> i) & 1;
	return c;
}
static uint32_t ref_clz(uint32_t x, int w)
{
	uint32_t c = 0;
	for (int i = w - 1; i >= 0 && !((x >> i) & 1); i--)
		c++;
	return c;
}
static uint32_t ref_ctz(uint32_t x, int w)
{
	uint32_t c = 0;
	for (int i = 0; i < w && !((x >> i) & 1); i++)
		c++;
	return c;
}
static uint32_t ref_reverse(uint32_t x, int w)
{
	uint32_t r = 0;
	for (int i = 0; i < w; i++)
		if ((x >> i) & 1)
			r |= 1u << (w - 1 - i);
	return r;
}
static uint32_t ref_rotate(uint32_t x, uint32_t k, int w)
{
	uint32_t m = w == 32 ? ~0u : (1u << w) - 1;
	x &= m;
	for (uint32_t i = 0; i < k % (uint32_t)w; i++)
		x = ((x << 1) | (x >> (w - 1))) & m;
	return x;
}

static void test_int_math(void **state)
{
	(void)state;
	struct shader sh;
	load(&sh, "gap_math.metal");
	uint32_t in[][2] = {
		{ 0u, 0u }, { 1u, 1u }, { 0x80000000u, 31u }, { 0xdeadbeefu, 13u }, { 0x00f0u, 40u },
		{ 0xffffffffu, 7u }, { 12345u, 54321u }, { 0x7fff8001u, 0x80000003u },
	};
	enum { NT = sizeof(in) / sizeof(in[0]) };
	uint32_t out[NT * 12];
	int32_t sout[NT * 4];
	struct msl_exec_bindings b;
	memset(&b, 0, sizeof(b));
	bind(&b, 0, in, sizeof(in));
	bind(&b, 1, out, sizeof(out));
	bind(&b, 2, sout, sizeof(sout));
	run1d(&sh, "int_math", NT, &b);
	for (int t = 0; t < NT; t++) {
		uint32_t x = in[t][0], y = in[t][1];
		const uint32_t *o = &out[12 * t];
		assert_int_equal(o[0], ref_popcount(x, 32));
		assert_int_equal(o[1], ref_clz(x, 32));
		assert_int_equal(o[2], ref_ctz(x, 32));
		assert_int_equal(o[3], ref_reverse(x, 32));
		assert_int_equal(o[4], ref_rotate(x, y, 32));
		assert_int_equal(o[5], x > y ? x - y : y - x);
		uint32_t off = y & 31u, nb = off + 5 > 32 ? 32 - off : 5;
		assert_int_equal(o[6], (x >> off) & ((1u << nb) - 1));
		assert_int_equal(o[7], ref_clz(x & 0xffff, 16));
		assert_int_equal(o[8], ref_popcount(x & 0xff, 8));
		assert_int_equal(o[9], ref_reverse(x & 0xffff, 16));
		assert_int_equal(o[10], ref_rotate(x & 0xff, y & 0xff, 8));
		assert_int_equal(o[11], (x & 0xffffu) * (y & 0xffu) + 7u + (x & 0xffu) * 3u);
		int32_t s = (int32_t)x, u = (int32_t)y;
		int64_t ad = (int64_t)s - u;
		assert_int_equal(sout[4 * t + 0], (int32_t)(uint32_t)(ad < 0 ? -ad : ad));
		uint32_t so = (uint32_t)u & 15u;
		int32_t field = (int32_t)((x >> so) & 0xffu);
		if (field & 0x80)
			field -= 0x100; /* signed: bit 7 of the field is the sign */
		assert_int_equal(sout[4 * t + 1], field);
		assert_int_equal(sout[4 * t + 2], (int32_t)ref_ctz(x & 0xffff, 16));
		assert_int_equal(sout[4 * t + 3], (int32_t)(ref_popcount(x, 32) + ref_clz(y, 32)));
	}
	unload(&sh);
}

static void test_math_errors(void **state)
{
	(void)state;
	expect_error("kernel void k(device float *o [[buffer(0)]]) {\n    o[0] = popcount(1.5);\n}\n",
		     2, 12, "popcount() takes integer arguments");
	expect_error("kernel void k(device float *o [[buffer(0)]]) {\n    o[0] = ldexp(1.5, 2.0);\n}\n",
		     2, 23, "exponent of ldexp() must be int");
	expect_error("kernel void k(device float3 *o [[buffer(0)]]) {\n    o[0] = refract(o[0], o[1], float2(1.0));\n}\n",
		     2, 32, "eta of refract() must be a scalar");
	expect_error("kernel void k(device uint *o [[buffer(0)]]) {\n    o[0] = extract_bits(o[1], 1.0, 2u);\n}\n",
		     2, 31, "argument 2 of extract_bits() must be a uint");
	expect_error("kernel void k(device float *o [[buffer(0)]]) {\n    o[0] = tanh(1.0, 2.0);\n}\n",
		     2, 12, "tanh() takes 1 argument, 2 given");
}

/* ---- call depth: check and run agree ----------------------------------- */

/* h0 .. h(n-1), each h(i) calling h(i-1), then `kernel k` calling h(top). */
static char *chain_source(int n, int top)
{
	size_t cap = 64 * (size_t)n + 512, len = 0;
	char *src = malloc(cap);
	assert_non_null(src);
	len += (size_t)snprintf(src + len, cap - len, "static float h0(float x) { return x + 1.0; }\n");
	for (int i = 1; i < n; i++)
		len += (size_t)snprintf(src + len, cap - len, "static float h%d(float x) { return h%d(x) + 1.0; }\n",
					i, i - 1);
	snprintf(src + len, cap - len,
		 "kernel void k(device float *o [[buffer(0)]], uint i [[thread_position_in_grid]]) {\n"
		 "    o[i] = h%d(float(i));\n}\n", top);
	return src;
}

static void test_call_depth_agrees(void **state)
{
	(void)state;
	/* entry + 31 helpers = MSL_MAX_CALL_DEPTH functions: checks and runs */
	char *src = chain_source(40, MSL_MAX_CALL_DEPTH - 2);
	struct msl_diag_list d;
	msl_diag_list_init(&d);
	struct msl_program *p = msl_compile(src, strlen(src), "chain.metal", &d);
	if (!p)
		msl_diag_print(&d, src, strlen(src), stderr);
	assert_non_null(p);
	msl_diag_list_free(&d);
	struct msl_exec_error err;
	msl_exec_module *m = msl_exec_module_create(p, &err);
	if (!m)
		fail_msg("%u:%u: %s", err.line, err.col, err.message);
	float out[4] = { 0 };
	struct msl_exec_bindings b;
	memset(&b, 0, sizeof(b));
	bind(&b, 0, out, sizeof(out));
	msl_exec_ctx *c = msl_exec_ctx_create();
	struct msl_exec_compute_group g = { { 0, 0, 0 }, { 4, 1, 1 }, { 4, 1, 1 }, { 1, 1, 1 } };
	assert_int_equal(msl_exec_run_compute(c, msl_exec_find_entry(m, "k"), &b, &g, &err), MSL_EXEC_OK);
	for (int i = 0; i < 4; i++)
		same(out[i], (float)i + (float)(MSL_MAX_CALL_DEPTH - 1), "chain", i);
	msl_exec_ctx_free(c);
	msl_exec_module_free(m);
	msl_program_free(p);
	free(src);
	/* one more: rejected by the front end at the entry's call */
	src = chain_source(40, MSL_MAX_CALL_DEPTH - 1);
	expect_error(src, 42, 12, "call to 'h31' starts a chain of 32 nested function calls");
	free(src);
	/* helpers deeper than the limit that no entry point calls are fine */
	src = chain_source(40, 0);
	msl_diag_list_init(&d);
	p = msl_compile(src, strlen(src), "chain.metal", &d);
	assert_non_null(p);
	msl_diag_list_free(&d);
	m = msl_exec_module_create(p, &err);
	assert_non_null(m);
	msl_exec_module_free(m);
	msl_program_free(p);
	free(src);
}

/* ---- syntax ---------------------------------------------------------------- */

static int ref_switch_continue(int tid)
{
	int acc = 0, n = tid + 6;
	for (int j = 0; j < n; j++) {
		switch ((j + tid) % 4) {
		case 0:
			continue;
		case 1:
			switch (j) {
			case 5: continue;
			default: acc += 100; break;
			}
			acc += 1000;
			break;
		case 2:
			acc += 1;
			/* fall through */
		default:
			acc += 10;
		}
		acc += 10000;
	}
	int k = 0;
	while (k < 6) {
		k++;
		switch (k & 1) {
		case 1: continue;
		}
		acc += 1000000;
	}
	return acc;
}

static void test_switch_continue(void **state)
{
	(void)state;
	struct shader sh;
	load(&sh, "gap_syntax.metal");
	enum { NT = 8 };
	int32_t out[NT];
	struct msl_exec_bindings b;
	memset(&b, 0, sizeof(b));
	bind(&b, 0, out, sizeof(out));
	run1d(&sh, "switch_continue", NT, &b);
	for (int t = 0; t < NT; t++)
		assert_int_equal(out[t], ref_switch_continue(t));
	unload(&sh);
}

static void test_hex_floats(void **state)
{
	(void)state;
	struct shader sh;
	load(&sh, "gap_syntax.metal");
	enum { NT = 4 };
	float out[NT * 4];
	struct msl_exec_bindings b;
	memset(&b, 0, sizeof(b));
	bind(&b, 0, out, sizeof(out));
	run1d(&sh, "hex_floats", NT, &b);
	for (int t = 0; t < NT; t++) {
		same(out[4 * t + 0], 12.0f, "0x1.8p3", t);
		same(out[4 * t + 1], 16.0625f, "0x.4p-2f + 0X10P0", t);
		same(out[4 * t + 2], 2.0f * (float)t, "0x1p+1h", t);
		same(out[4 * t + 3], FLT_MAX, "0x1.fffffep127f", t);
	}
	unload(&sh);
	expect_error("kernel void k(device float *o [[buffer(0)]]) {\n    o[0] = 0x1.8;\n}\n", 2, 12,
		     "hexadecimal floating literal needs a binary exponent");
}

static void test_static_assert_and_const_sizes(void **state)
{
	(void)state;
	struct shader sh;
	load(&sh, "gap_syntax.metal");
	enum { NT = 4 };
	float out[NT];
	struct msl_exec_bindings b;
	memset(&b, 0, sizeof(b));
	bind(&b, 0, out, sizeof(out));
	run1d(&sh, "const_sizes", NT, &b);
	for (int t = 0; t < NT; t++)
		same(out[t], (3.0f + (float)t) + 1.5f + 36.0f, "const_sizes", t);
	unload(&sh);
	expect_error("constant int N = 4;\nstatic_assert(N == 5, \"need five\");\n", 2, 17,
		     "static assertion failed: need five");
	expect_error("kernel void k(device float *o [[buffer(0)]]) {\n    static_assert(N < 0);\n}\n", 2, 19,
		     "use of undeclared identifier 'N'");
	expect_error("kernel void k(device float *o [[buffer(0)]]) {\n    static_assert(o[0] > 1.0);\n}\n", 2, 24,
		     "static_assert condition is not an integer constant expression");
	expect_error("static_assert(1, 2);\n", 1, 18, "expected a string literal as the static_assert message");
	expect_error("constant uint U = 0xffffffffu;\nstatic_assert(U > 0 && -1 < 0u);\n", 2, 21,
		     "static assertion failed"); /* -1 converts to 0xffffffff: not < 0u */
}

static void test_macros(void **state)
{
	(void)state;
	struct shader sh;
	load(&sh, "gap_macros.metal");
	enum { NT = 4 };
	float out[NT * 4];
	struct msl_exec_bindings b;
	memset(&b, 0, sizeof(b));
	bind(&b, 0, out, sizeof(out));
	run1d(&sh, "macros", NT, &b);
	for (int t = 0; t < NT; t++) {
		same(out[4 * t + 0], 1.0f + 12.0f + 2.0f + 2.0f, "pasted names", t);
		same(out[4 * t + 1], 1.0f + 3.0f + (float)t, "variadic", t);
		same(out[4 * t + 2], 5.0f + 10.0f, "CALL/FIRST", t);
		same(out[4 * t + 3], 0.0f * 100.0f + 10.0f + 2.0f + 15.0f, ", ## __VA_ARGS__", t);
	}
	unload(&sh);
	expect_error("#define BAD(x) # y\n", 1, 16, "'#' is not followed by a macro parameter");
	expect_error("#define BAD(x) ## x\n", 1, 16, "'##' cannot be at either end of a macro body");
	expect_error("#define BAD(x) x ##\n", 1, 18, "'##' cannot be at either end of a macro body");
	expect_error("#define BAD(x) __VA_ARGS__\n", 1, 16, "'__VA_ARGS__' can only be used in a variadic macro");
	expect_error("#define BAD(x, ..., y) x\n", 1, 19, "expected ')' after '...' in macro 'BAD'");
	expect_error("#define P(a, b) a ## b\nint P(., x);\n", 2, 5, "pasting '.' and 'x' does not give a valid token");
	expect_error("#define STR(x) #x\nstatic_assert(false, STR(a  \"q\"   b));\n", 2, 15,
		     "static assertion failed: a \\\"q\\\" b");
	expect_error("#define V(a, b, ...) a\nconstant int x = V(1);\n", 2, 18, "macro 'V' takes 3 arguments, 1 given");
}

/* Regression (fuzz): errors inside macro expansion reaching the error
 * limit used to longjmp out of the expansion and leak its buffers (ASan
 * reports the leak in the SAN=1 run). */
static void test_macro_error_limit(void **state)
{
	(void)state;
	size_t cap = 64 + 40 * 150, len = 0;
	char *src = malloc(cap);
	assert_non_null(src);
	len += (size_t)snprintf(src, cap, "#define P(a, b) a ## b\n#define Q(a) a\n");
	for (int i = 0; i < 150; i++)
		len += (size_t)snprintf(src + len, cap - len, "int x%d = P(., x) Q(1, 2);\n", i);
	struct msl_diag_list d;
	msl_diag_list_init(&d);
	struct msl_program *p = msl_compile(src, len, "limit.metal", &d);
	assert_null(p);
	assert_true(d.count > 0 && d.count <= MSL_MAX_DIAGS + 1);
	int found = 0;
	for (size_t i = 0; i < d.count; i++)
		found |= strstr(d.items[i].message, "too many errors in macro expansions") != NULL;
	assert_true(found);
	msl_diag_list_free(&d);
	free(src);
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
		cmocka_unit_test(test_float_math),
		cmocka_unit_test(test_vector_math),
		cmocka_unit_test(test_int_math),
		cmocka_unit_test(test_math_errors),
		cmocka_unit_test(test_call_depth_agrees),
		cmocka_unit_test(test_switch_continue),
		cmocka_unit_test(test_hex_floats),
		cmocka_unit_test(test_static_assert_and_const_sizes),
		cmocka_unit_test(test_macros),
		cmocka_unit_test(test_macro_error_limit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
