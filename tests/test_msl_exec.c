/*
 * test_msl_exec.c — MSL shaders (tests/msl/exec/NAME.metal) compiled by the
 * front end, lowered and run by the executor; results compared with the
 * same math written in C.
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
#include "common/msl_shader.h"


static void bind(struct msl_exec_bindings *b, uint32_t i, void *data, size_t size)
{
	b->buffers[i].data = data;
	b->buffers[i].size = size;
}

/* Run a kernel over a w x h grid in threadgroups of tw x th. */
static enum msl_exec_status dispatch(const msl_exec_entry *e, const struct msl_exec_bindings *b,
				     uint32_t w, uint32_t h, uint32_t tw, uint32_t th,
				     struct msl_exec_error *err)
{
	msl_exec_ctx *c = msl_exec_ctx_create();
	assert_non_null(c);
	enum msl_exec_status s = MSL_EXEC_OK;
	uint32_t gx = (w + tw - 1) / tw, gy = (h + th - 1) / th;
	for (uint32_t y = 0; y < gy && s == MSL_EXEC_OK; y++)
		for (uint32_t x = 0; x < gx && s == MSL_EXEC_OK; x++) {
			struct msl_exec_compute_group g = {
				{ x, y, 0 }, { tw, th, 1 }, { w, h, 1 }, { gx, gy, 1 }
			};
			s = msl_exec_run_compute(c, e, b, &g, err);
		}
	msl_exec_ctx_free(c);
	return s;
}

static void run1d(struct shader *sh, const char *fn, uint32_t n, struct msl_exec_bindings *b)
{
	struct msl_exec_error err;
	enum msl_exec_status s = dispatch(entry(sh, fn), b, n, 1, 32, 1, &err);
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
		fail_msg("%s[%d]: got %.9g (0x%08x), want %.9g (0x%08x)", what, i, (double)got, a,
			 (double)want, b);
}

static const float edge[] = {
	0.0f, -0.0f, 1.0f, -1.0f, 0.5f, -2.5f, 2.5f, 3.7f, -3.7f, 1e-40f, -1e-40f,
	INFINITY, -INFINITY, NAN, 100.0f, 1e30f, 0.1f, -0.75f,
};
#define N_EDGE (sizeof(edge) / sizeof(edge[0]))

/* ---- math ------------------------------------------------------------------- */

static float ref_saturate(float x) { return msl_fmin(msl_fmax(x, 0.0f), 1.0f); }

static void test_math_unary(void **state)
{
	(void)state;
	struct shader sh;
	load(&sh, "math.metal");
	float out[N_EDGE * 20];
	struct msl_exec_bindings b;
	memset(&b, 0, sizeof(b));
	bind(&b, 0, (void *)edge, sizeof(edge));
	bind(&b, 1, out, sizeof(out));
	run1d(&sh, "unary", N_EDGE, &b);
	for (int i = 0; i < (int)N_EDGE; i++) {
		float x = edge[i];
		const float *o = &out[i * 20];
		float want[20] = {
			floorf(x), ceilf(x), msl_fract(x), roundf(x), truncf(x), sqrtf(x),
			1.0f / sqrtf(x), expf(x), exp2f(x), logf(x), log2f(x), sinf(x), cosf(x),
			tanf(x), asinf(x), acosf(x), atanf(x), fabsf(x), msl_fsign(x), ref_saturate(x),
		};
		for (int k = 0; k < 20; k++)
			same(o[k], want[k], "unary", i * 20 + k);
	}
	/* spot checks of the Metal definitions themselves */
	assert_true(signbit(out[1 * 20 + 17]) == 0);     /* abs(-0) = +0 */
	assert_true(out[1 * 20 + 2] == 0.0f);            /* fract(-0) */
	assert_true(out[5 * 20 + 3] == -3.0f);           /* round(-2.5) away from zero */
	assert_true(out[9 * 20 + 0] == 0.0f);            /* floor(denormal) */
	assert_true(out[13 * 20 + 18] == 0.0f);          /* sign(NaN) */
	assert_true(out[13 * 20 + 19] == 0.0f);          /* saturate(NaN) */
	assert_true(isinf(out[0 * 20 + 6]));             /* rsqrt(0) */
	unload(&sh);
}

static void test_math_binary(void **state)
{
	(void)state;
	struct shader sh;
	load(&sh, "math.metal");
	float in[N_EDGE * N_EDGE * 2];
	float out[N_EDGE * N_EDGE * 6];
	int n = 0;
	for (size_t i = 0; i < N_EDGE; i++)
		for (size_t j = 0; j < N_EDGE; j++) {
			in[2 * n] = edge[i];
			in[2 * n + 1] = edge[j];
			n++;
		}
	struct msl_exec_bindings b;
	memset(&b, 0, sizeof(b));
	bind(&b, 0, in, sizeof(in));
	bind(&b, 1, out, sizeof(out));
	run1d(&sh, "binary", (uint32_t)n, &b);
	for (int i = 0; i < n; i++) {
		float a = in[2 * i], c = in[2 * i + 1];
		float want[6] = { msl_fmin(a, c), msl_fmax(a, c), fmodf(a, c), powf(a, c), atan2f(a, c),
				  c < a ? 0.0f : 1.0f };
		for (int k = 0; k < 6; k++)
			same(out[i * 6 + k], want[k], "binary", i * 6 + k);
	}
	unload(&sh);
}

static void test_math_ternary(void **state)
{
	(void)state;
	struct shader sh;
	load(&sh, "math.metal");
	enum { N = 64 };
	float in[N * 4], out[N * 4];
	uint32_t seed = 12345;
	for (int i = 0; i < N * 4; i++) {
		seed = seed * 1103515245u + 12345u;
		in[i] = (float)((int32_t)(seed >> 8) % 4000) / 1000.0f - 2.0f;
	}
	in[0] = NAN;
	in[5] = INFINITY;
	struct msl_exec_bindings b;
	memset(&b, 0, sizeof(b));
	bind(&b, 0, in, sizeof(in));
	bind(&b, 1, out, sizeof(out));
	run1d(&sh, "ternary", N, &b);
	for (int i = 0; i < N; i++) {
		float x = in[4 * i], y = in[4 * i + 1], z = in[4 * i + 2], w = in[4 * i + 3];
		float t = ref_saturate((x - y) / (z - y));
		float want[4] = {
			msl_fmin(msl_fmax(x, y), z),
			x + (y - x) * w,
			t * t * (3.0f - 2.0f * t),
			fmaf(x, y, z),
		};
		for (int k = 0; k < 4; k++)
			same(out[4 * i + k], want[k], "ternary", 4 * i + k);
	}
	unload(&sh);
}

static void test_geometry(void **state)
{
	(void)state;
	struct shader sh;
	load(&sh, "geometry.metal");
	enum { N = 16 };
	float in[N * 2 * 4], out[N * 12];
	for (int i = 0; i < N * 2; i++) {
		in[4 * i + 0] = (float)(i % 5) - 2.0f;
		in[4 * i + 1] = (float)(i % 3) * 0.5f + 0.25f;
		in[4 * i + 2] = (float)i * 0.125f - 1.0f;
		in[4 * i + 3] = 99.0f; /* float3 padding in a buffer */
	}
	struct msl_exec_bindings b;
	memset(&b, 0, sizeof(b));
	bind(&b, 0, in, sizeof(in));
	bind(&b, 1, out, sizeof(out));
	run1d(&sh, "geometry", N, &b);
	for (int i = 0; i < N; i++) {
		const float *a = &in[8 * i], *c = &in[8 * i + 4];
		float d = a[0] * c[0] + a[1] * c[1] + a[2] * c[2];
		float la = sqrtf(a[0] * a[0] + a[1] * a[1] + a[2] * a[2]);
		float dx = a[0] - c[0], dy = a[1] - c[1], dz = a[2] - c[2];
		float lc = sqrtf(c[0] * c[0] + c[1] * c[1] + c[2] * c[2]);
		float nb[3] = { c[0] / lc, c[1] / lc, c[2] / lc };
		float dn = nb[0] * a[0] + nb[1] * a[1] + nb[2] * a[2];
		float want[12] = {
			d, la, sqrtf(dx * dx + dy * dy + dz * dz),
			a[1] * c[2] - a[2] * c[1], a[2] * c[0] - a[0] * c[2], a[0] * c[1] - a[1] * c[0],
			a[0] / la, a[1] / la, a[2] / la,
			a[0] - 2 * dn * nb[0], a[1] - 2 * dn * nb[1], a[2] - 2 * dn * nb[2],
		};
		for (int k = 0; k < 12; k++)
			near(out[12 * i + k], want[k], 1e-6f, "geometry", 12 * i + k);
	}
	unload(&sh);
}

static void test_relational(void **state)
{
	(void)state;
	struct shader sh;
	load(&sh, "geometry.metal");
	float in[] = {
		1.0f, -0.5f, 2.0f, 3.0f,
		NAN, 1.0f, INFINITY, -2.0f,
		-INFINITY, 0.0f, 0.5f, NAN,
		0.25f, 0.5f, 0.75f, 1.0f,
	};
	uint32_t out[4 * 5];
	struct msl_exec_bindings b;
	memset(&b, 0, sizeof(b));
	bind(&b, 0, in, sizeof(in));
	bind(&b, 1, out, sizeof(out));
	run1d(&sh, "relational", 4, &b);
	for (int i = 0; i < 4; i++) {
		const float *v = &in[4 * i];
		uint32_t any_nan = 0, all_gt = 1, infm = 0, sel = 0, nanm = 0;
		for (int k = 0; k < 4; k++) {
			any_nan |= isnan(v[k]) ? 1u : 0u;
			all_gt &= v[k] > -1.0f ? 1u : 0u;
			infm |= isinf(v[k]) ? 1u << k : 0u;
			sel += (v[k] > 0.0f ? 2u : 1u) << k;
		}
		nanm = (isnan(v[0]) ? 1u : 0u) | (isnan(v[3]) ? 8u : 0u);
		assert_int_equal(out[5 * i + 0], any_nan);
		assert_int_equal(out[5 * i + 1], all_gt);
		assert_int_equal(out[5 * i + 2], infm);
		assert_int_equal(out[5 * i + 3], sel);
		assert_int_equal(out[5 * i + 4], nanm);
	}
	unload(&sh);
}

/* ---- vectors, matrices, integers --------------------------------------------- */

static void test_swizzles(void **state)
{
	(void)state;
	struct shader sh;
	load(&sh, "vectors.metal");
	enum { N = 8 };
	float out[N * 16];
	struct msl_exec_bindings b;
	memset(&b, 0, sizeof(b));
	bind(&b, 0, out, sizeof(out));
	run1d(&sh, "swizzles", N, &b);
	for (int i = 0; i < N; i++) {
		float t = (float)i;
		float v[4] = { t + 1, t, t + 2, t + 3 };
		float w[4] = { t + 3, t + 2, 10 * t, 20 * t };
		float c[3] = { v[0], v[1], 8.0f };
		float q[4] = { 1, 2, 2, 1 };
		const float *o = &out[16 * i];
		for (int k = 0; k < 4; k++) {
			same(o[k], v[k], "v", i);
			same(o[4 + k], w[k], "w", i);
		}
		same(o[8], c[0], "c", i);
		same(o[9], c[1], "c", i);
		same(o[10], c[2], "c", i);
		same(o[11], c[0] + c[1] + c[2], "dot", i);
		float bgra[4] = { w[2], w[1], w[0], w[3] };
		for (int k = 0; k < 4; k++)
			same(o[12 + k], q[k] * 2.0f + v[k] - bgra[k], "mix", i);
	}
	unload(&sh);
}

static void test_matrices(void **state)
{
	(void)state;
	struct shader sh;
	load(&sh, "vectors.metal");
	enum { N = 4 };
	float out[N * 8];
	struct msl_exec_bindings b;
	memset(&b, 0, sizeof(b));
	bind(&b, 0, out, sizeof(out));
	run1d(&sh, "matrices", N, &b);
	for (int i = 0; i < N; i++) {
		float a = (float)i;
		/* columns (1, a) and (2, 3) */
		float want[8] = {
			1 * 1 + 2 * 2, a * 1 + 3 * 2,   /* m * (1,2) */
			1 * 1 + 2 * a, 1 * 2 + 2 * 3,   /* (1,2) * m */
			a, 2 * a, 3, 2,
		};
		for (int k = 0; k < 8; k++)
			same(out[8 * i + k], want[k], "matrix", 8 * i + k);
	}
	unload(&sh);
}

static void test_int_edges(void **state)
{
	(void)state;
	struct shader sh;
	load(&sh, "integers.metal");
	int32_t in[] = {
		INT32_MIN, -1, 7, 0, -7, 2, 1, 33, -8, 1, INT32_MAX, 2, -1, 31, 5, -3,
		INT32_MIN, 0, 0, 32,
	};
	enum { N = sizeof(in) / sizeof(in[0]) / 2 };
	int32_t out[N * 10];
	struct msl_exec_bindings b;
	memset(&b, 0, sizeof(b));
	bind(&b, 0, in, sizeof(in));
	bind(&b, 1, out, sizeof(out));
	run1d(&sh, "int_edges", N, &b);
	for (int i = 0; i < N; i++) {
		int32_t a = in[2 * i], c = in[2 * i + 1];
		uint32_t ua = (uint32_t)a, uc = (uint32_t)c, sh5 = uc & 31;
		int32_t want[10] = {
			msl_sdiv(a, c), msl_srem(a, c), (int32_t)msl_udiv(ua, uc), (int32_t)msl_urem(ua, uc),
			(int32_t)(ua << sh5),
			a < 0 ? (int32_t)~(~ua >> sh5) : (int32_t)(ua >> sh5),
			(int32_t)(ua >> sh5),
			(int32_t)(ua * uc), (int32_t)(ua + uc), (int32_t)(0u - ua),
		};
		for (int k = 0; k < 10; k++)
			if (out[10 * i + k] != want[k])
				fail_msg("int_edges[%d][%d] (a=%d b=%d): got %d want %d", i, k, a, c,
					 out[10 * i + k], want[k]);
	}
	/* the documented choices */
	assert_int_equal(out[0], INT32_MIN);   /* INT_MIN / -1 */
	assert_int_equal(out[1], 0);           /* INT_MIN % -1 */
	assert_int_equal(out[10 + 0], -1);     /* 7 / 0 */
	assert_int_equal(out[10 + 1], 7);      /* 7 % 0 */
	assert_int_equal(out[30 + 4], 2);      /* 1 << 33 == 1 << 1 */
	unload(&sh);
}

static void test_narrow_ints(void **state)
{
	(void)state;
	struct shader sh;
	load(&sh, "integers.metal");
	int32_t out[8];
	struct msl_exec_bindings b;
	memset(&b, 0, sizeof(b));
	bind(&b, 0, out, sizeof(out));
	run1d(&sh, "narrow_ints", 1, &b);
	assert_int_equal(out[0], -126);
	assert_int_equal(out[1], 4);
	assert_int_equal(out[2], -32768);
	assert_int_equal(out[3], 65535);
	assert_int_equal(out[4], 3);
	assert_int_equal(out[5], -3);
	assert_int_equal(out[6], 1);
	assert_int_equal(out[7], 0); /* tid 0 */
	unload(&sh);
}

/* ---- control flow ---------------------------------------------------------------- */

static int ref_collatz(int n)
{
	int steps = 0;
	while (n != 1) {
		n = n % 2 == 0 ? n / 2 : 3 * n + 1;
		if (++steps > 500)
			return -1;
	}
	return steps;
}

static void test_divergent_control(void **state)
{
	(void)state;
	struct shader sh;
	load(&sh, "control.metal");
	enum { N = 50 };
	int32_t out[N * 4];
	struct msl_exec_bindings b;
	memset(&b, 0, sizeof(b));
	bind(&b, 0, out, sizeof(out));
	run1d(&sh, "divergent", N, &b);
	for (int t = 0; t < N; t++) {
		int n = t + 1;
		int r = n % 3 == 0 ? 300 : n % 3 == 1 ? 100 + n : -n;
		int d = n;
		for (int k = 2; k < n; k++)
			if (n % k == 0) {
				d = k;
				break;
			}
		int acc = 0;
		for (int i = 0; i < 10; i++) {
			if (i == n)
				break;
			if (i & 1)
				continue;
			for (int j = 0; j < 4 && j <= i; j++)
				acc += j;
			acc += 100;
		}
		assert_int_equal(out[4 * t + 0], r);
		assert_int_equal(out[4 * t + 1], ref_collatz(n));
		assert_int_equal(out[4 * t + 2], d);
		assert_int_equal(out[4 * t + 3], acc);
	}
	unload(&sh);
}

static void test_loops_and_early_return(void **state)
{
	(void)state;
	struct shader sh;
	load(&sh, "control.metal");
	enum { N = 30 };
	int32_t out[N * 3];
	struct msl_exec_bindings b;
	memset(&b, 0, sizeof(b));
	bind(&b, 0, out, sizeof(out));
	run1d(&sh, "loops", N, &b);
	for (int n = 0; n < N; n++) {
		if (n > 20) {
			assert_int_equal(out[3 * n], -1);
			continue;
		}
		int a = 0;
		do
			a += 2;
		while (a < n);
		int c = 0;
		for (int x = n; x > 0; x -= 3)
			c++;
		assert_int_equal(out[3 * n + 0], a);
		assert_int_equal(out[3 * n + 1], c);
		assert_int_equal(out[3 * n + 2], 5 + (n > 10 ? n : 0));
	}
	unload(&sh);
}

static void test_side_effects_short_circuit(void **state)
{
	(void)state;
	struct shader sh;
	load(&sh, "control.metal");
	enum { N = 12 };
	int32_t out[N * 5];
	struct msl_exec_bindings b;
	memset(&b, 0, sizeof(b));
	bind(&b, 0, out, sizeof(out));
	run1d(&sh, "side_effects", N, &b);
	for (int n = 0; n < N; n++) {
		int counter = 0;
		int a = (n % 2 == 0) && (++counter > 0);
		int bb = (n % 3 == 0) || (++counter > 100);
		int t = n > 4 ? ++counter : counter;
		int x = n;
		int y = n + (n + 2);
		x = n + 2;
		x *= 2;
		x -= 1;
		x <<= 1;
		x |= 1;
		assert_int_equal(out[5 * n + 0], counter);
		assert_int_equal(out[5 * n + 1], a + 2 * bb);
		assert_int_equal(out[5 * n + 2], t);
		assert_int_equal(out[5 * n + 3], y);
		assert_int_equal(out[5 * n + 4], x);
	}
	unload(&sh);
}

static void test_runaway_loop_stops(void **state)
{
	(void)state;
	struct shader sh;
	load(&sh, "control.metal");
	int32_t out[4];
	struct msl_exec_bindings b;
	memset(&b, 0, sizeof(b));
	bind(&b, 0, out, sizeof(out));
	msl_exec_ctx *c = msl_exec_ctx_create();
	msl_exec_ctx_set_loop_limit(c, 5000);
	struct msl_exec_compute_group g = { { 0, 0, 0 }, { 4, 1, 1 }, { 4, 1, 1 }, { 1, 1, 1 } };
	struct msl_exec_error err;
	assert_int_equal(msl_exec_run_compute(c, entry(&sh, "runaway"), &b, &g, &err),
			 MSL_EXEC_ERR_LOOP_LIMIT);
	/* the error points at the `while (true)` line */
	const char *p = strstr(sh.src, "while (true)");
	assert_non_null(p);
	uint32_t line = 1;
	for (const char *q = sh.src; q < p; q++)
		line += *q == '\n';
	assert_int_equal(err.line, line);
	/* nested loops each under the per-loop limit hit the batch budget */
	msl_exec_ctx_set_loop_limit(c, MSL_EXEC_DEFAULT_LOOP_LIMIT);
	assert_int_equal(msl_exec_run_compute(c, entry(&sh, "nested_runaway"), &b, &g, &err),
			 MSL_EXEC_ERR_LOOP_LIMIT);
	assert_non_null(strstr(err.message, "in one batch"));
	msl_exec_ctx_free(c);
	unload(&sh);
}

/* ---- data: structs, arrays, buffers, half ---------------------------------------- */

struct uniforms { float color[4]; float size[2]; uint32_t count; float radius; };

static void test_structs_and_constant_buffer(void **state)
{
	(void)state;
	struct shader sh;
	load(&sh, "data.metal");
	struct uniforms u = { { 0.5f, 0.25f, 1.0f, 2.0f }, { 3.0f, 4.0f }, 7, 2.0f };
	enum { N = 4 };
	float out[N * 12];
	struct msl_exec_bindings b;
	memset(&b, 0, sizeof(b));
	bind(&b, 0, &u, sizeof(u));
	bind(&b, 1, out, sizeof(out));
	run1d(&sh, "structs", N, &b);
	for (int i = 0; i < N; i++) {
		float t = (float)i;
		const float *o = &out[12 * i];
		float w0[4] = { t, -t, 4, 2 };
		int idx = i % 2;
		float q[2] = { idx ? 1.0f : t, idx ? 9.0f : -t };
		float w1[4] = { q[0], q[1], idx ? 4.0f : 3.0f, 0.5f };
		float w2[4] = { 0.5f * 2 + 3, 0.25f * 2 + 4, 1.0f * 2 + 7, 2.0f * 2 + 0 };
		for (int k = 0; k < 4; k++) {
			same(o[k], w0[k], "outer", i);
			same(o[4 + k], w1[k], "copy", i);
			same(o[8 + k], w2[k], "uniforms", i);
		}
	}
	/* Resource reflection of the entry point */
	const struct msl_exec_interface *it = msl_exec_entry_interface(entry(&sh, "structs"));
	assert_int_equal(it->n_resources, 2);
	assert_int_equal(it->resources[0].kind, MSL_EXEC_RES_BUFFER);
	assert_int_equal(it->resources[0].min_size, sizeof(struct uniforms));
	assert_false(it->resources[0].writable);
	assert_true(it->resources[1].writable);
	/* a too-small constant buffer is an error, not a wild read */
	bind(&b, 0, &u, 20);
	struct msl_exec_error err;
	assert_int_equal(dispatch(entry(&sh, "structs"), &b, N, 1, 4, 1, &err), MSL_EXEC_ERR_BOUNDS);
	/* an unbound one too */
	bind(&b, 0, NULL, 0);
	assert_int_equal(dispatch(entry(&sh, "structs"), &b, N, 1, 4, 1, &err), MSL_EXEC_ERR_BINDING);
	assert_non_null(strstr(err.message, "buffer 0"));
	unload(&sh);
}

static void test_arrays_dynamic_index(void **state)
{
	(void)state;
	struct shader sh;
	load(&sh, "data.metal");
	enum { N = 8 };
	static const float w[5] = { 0.1f, 0.2f, 0.4f, 0.2f, 0.1f };
	int32_t idx[N] = { 0, 1, 2, 3, 3, 2, 1, 0 };
	float out[N * 2];
	struct msl_exec_bindings b;
	memset(&b, 0, sizeof(b));
	bind(&b, 0, out, sizeof(out));
	bind(&b, 1, idx, sizeof(idx));
	run1d(&sh, "arrays", N, &b);
	for (int t = 0; t < N; t++) {
		float acc[4] = { 0, 0, 0, 0 };
		for (int i = 0; i < 5; i++)
			acc[(i + t) % 4] += w[i];
		same(out[2 * t], acc[idx[t]] * 10.0f, "acc", t);
		same(out[2 * t + 1], w[idx[t]], "weights", t);
	}
	/* an index past the array is reported, with its value */
	idx[5] = 7;
	struct msl_exec_error err;
	assert_int_equal(dispatch(entry(&sh, "arrays"), &b, N, 1, 8, 1, &err), MSL_EXEC_ERR_BOUNDS);
	assert_non_null(strstr(err.message, "index 7"));
	idx[5] = -1;
	assert_int_equal(dispatch(entry(&sh, "arrays"), &b, N, 1, 8, 1, &err), MSL_EXEC_ERR_BOUNDS);
	unload(&sh);
}

static void test_half_precision(void **state)
{
	(void)state;
	struct shader sh;
	load(&sh, "data.metal");
	float in[] = { 1.0f, 0.333333f, 1000.0f, 65504.0f, -2.5f, 3e-5f, 70000.0f, 0.1f };
	enum { N = sizeof(in) / sizeof(in[0]) };
	float out[N * 4];
	uint16_t hout[N];
	struct msl_exec_bindings b;
	memset(&b, 0, sizeof(b));
	bind(&b, 0, in, sizeof(in));
	bind(&b, 1, out, sizeof(out));
	bind(&b, 2, hout, sizeof(hout));
	run1d(&sh, "halves", N, &b);
	float hb = msl_round_half((float)0.0001);
	for (int i = 0; i < N; i++) {
		float a = msl_round_half(in[i]);
		float c = msl_round_half(a + hb);
		float d = msl_round_half(a * 3.0f);
		float vw = msl_round_half(d * 2.0f);
		same(out[4 * i + 0], a, "a", i);
		same(out[4 * i + 1], c, "c", i);
		same(out[4 * i + 2], d, "d", i);
		same(out[4 * i + 3], vw, "v.w", i);
		assert_int_equal(hout[i], msl_float_to_half_bits(c));
	}
	assert_true(out[0 * 4 + 1] == 1.0f);     /* 1 + 0.0001 rounds back to 1 in half */
	assert_true(isinf(out[3 * 4 + 2]));      /* 65504 * 3 overflows half */
	assert_true(isinf(out[6 * 4 + 0]));      /* 70000 is past half's range */
	unload(&sh);
}

/* ---- render stages ------------------------------------------------------------------ */

struct vp { float size[2], origin[2]; };

static void test_vertex_stage_in(void **state)
{
	(void)state;
	struct shader sh;
	load(&sh, "ui.metal");
	const msl_exec_entry *e = entry(&sh, "quad_vertex");
	const struct msl_exec_interface *it = msl_exec_entry_interface(e);
	assert_int_equal(it->stage, MSL_EXEC_VERTEX);
	assert_int_equal(it->n_attributes, 3);
	assert_int_equal(it->attribute_floats, 8);
	assert_int_equal(it->attributes[2].index, 2);
	assert_int_equal(it->attributes[2].offset, 4);
	assert_int_equal(it->attributes[2].components, 4);
	assert_int_equal(it->n_varyings, 3);
	assert_string_equal(it->varyings[0].name, "uv");
	assert_int_equal(it->varyings[2].interp, MSL_EXEC_INTERP_FLAT);
	assert_int_equal(it->varyings[2].scalar, MSL_EXEC_UINT);
	assert_int_equal(it->varying_floats, 7);
	assert_true(it->uses_vertex_id);

	enum { N = 6 };
	float attrs[N * 8];
	uint32_t vid[N];
	for (int i = 0; i < N; i++) {
		vid[i] = 0xf0000001u + (uint32_t)i * 3; /* vid / 4 needs 30 bits: exact only as bits */
		float *a = &attrs[8 * i];
		a[0] = (float)(i * 10);
		a[1] = (float)(i * 5);
		a[2] = 0.1f * (float)i;
		a[3] = 1.0f - 0.1f * (float)i;
		a[4] = 1.0f; a[5] = 0.5f; a[6] = 0.25f; a[7] = (float)i;
	}
	struct vp v = { { 200.0f, 100.0f }, { 10.0f, 0.0f } };
	float pos[N * 4], var[N * 7];
	struct msl_exec_bindings b;
	memset(&b, 0, sizeof(b));
	bind(&b, 1, &v, sizeof(v));
	struct msl_exec_vertex_batch batch = { N, vid, NULL, attrs, pos, var };
	msl_exec_ctx *c = msl_exec_ctx_create();
	struct msl_exec_error err;
	assert_int_equal(msl_exec_run_vertex(c, e, &b, &batch, &err), MSL_EXEC_OK);
	for (int i = 0; i < N; i++) {
		const float *a = &attrs[8 * i];
		float nx = (a[0] - 10.0f) / 200.0f * 2.0f - 1.0f;
		float ny = (a[1] - 0.0f) / 100.0f * 2.0f - 1.0f;
		same(pos[4 * i + 0], nx, "x", i);
		same(pos[4 * i + 1], -ny, "y", i);
		same(pos[4 * i + 3], 1.0f, "w", i);
		for (int k = 0; k < 6; k++)
			same(var[7 * i + k], a[2 + k], "varying", i);
		/* a uint varying travels as its bit pattern */
		uint32_t layer;
		memcpy(&layer, &var[7 * i + 6], 4);
		assert_int_equal(layer, vid[i] / 4);
	}
	/* a bad batch size is refused */
	batch.count = 65;
	assert_int_equal(msl_exec_run_vertex(c, e, &b, &batch, &err), MSL_EXEC_ERR_ARGUMENT);
	/* a vertex function is not a fragment function */
	struct msl_exec_fragment_batch fb;
	memset(&fb, 0, sizeof(fb));
	fb.quads = 1;
	assert_int_equal(msl_exec_run_fragment(c, e, &b, &fb, &err), MSL_EXEC_ERR_ARGUMENT);
	msl_exec_ctx_free(c);
	unload(&sh);
}

/* A test texture: sample returns (u, v, u*v, saturate(u)) and records the
 * sampler state it was given. */
struct stex { struct msl_exec_sampler last; int calls; };

static void st_sample(void *ctx, const struct msl_exec_sampler *s, uint32_t n, const uint8_t *active,
		      const float *u, const float *v, float *out)
{
	struct stex *t = ctx;
	t->last = *s;
	t->calls++;
	for (uint32_t l = 0; l < n; l++)
		if (active[l]) {
			out[0 * n + l] = u[l];
			out[1 * n + l] = v[l];
			out[2 * n + l] = u[l] * v[l];
			out[3 * n + l] = fminf(fmaxf(u[l], 0.0f), 1.0f);
		}
}

/* Fill a fragment batch of `quads` quads in a row starting at pixel (x0, y0).
 * Varyings (VertexOut minus position): uv(2) color(4) layer(1). */
static void make_quads(uint32_t quads, float x0, float y0, float *pos, float *var)
{
	for (uint32_t l = 0; l < quads * 4; l++) {
		float x = x0 + (float)(2 * (l / 4) + (l & 1)) + 0.5f;
		float y = y0 + (float)((l >> 1) & 1) + 0.5f;
		pos[4 * l + 0] = x;
		pos[4 * l + 1] = y;
		pos[4 * l + 2] = 0.5f;
		pos[4 * l + 3] = 1.0f;
		float *v = &var[7 * l];
		v[0] = x / 16.0f;
		v[1] = y / 16.0f;
		v[2] = 1.0f; v[3] = 0.5f; v[4] = 0.25f;
		v[5] = (float)(l % 3) * 0.4f; /* alpha: 0, 0.4, 0.8 */
		uint32_t layer = 2;           /* flat uint: its bit pattern */
		memcpy(&v[6], &layer, 4);
	}
}

struct rect { float center[2], half_size[2], radius, softness; };

static float ref_sdf(float px, float py, const struct rect *r)
{
	float qx = fabsf(px - r->center[0]) - r->half_size[0] + r->radius;
	float qy = fabsf(py - r->center[1]) - r->half_size[1] + r->radius;
	float mx = msl_fmax(qx, 0.0f), my = msl_fmax(qy, 0.0f);
	return sqrtf(mx * mx + my * my) + msl_fmin(msl_fmax(qx, qy), 0.0f) - r->radius;
}

static void test_fragment_rounded_rect(void **state)
{
	(void)state;
	struct shader sh;
	load(&sh, "ui.metal");
	const msl_exec_entry *e = entry(&sh, "rounded_rect");
	const struct msl_exec_interface *it = msl_exec_entry_interface(e);
	assert_int_equal(it->n_colors, 1);
	assert_int_equal(it->n_resources, 3);
	assert_int_equal(it->resources[0].min_size, sizeof(struct rect));
	assert_int_equal(it->resources[1].kind, MSL_EXEC_RES_TEXTURE);
	assert_int_equal(it->resources[2].kind, MSL_EXEC_RES_SAMPLER);
	/* fragment inputs line up with the vertex outputs by name */
	const struct msl_exec_interface *vs = msl_exec_entry_interface(entry(&sh, "quad_vertex"));
	uint32_t map[8];
	struct msl_exec_error err;
	assert_int_equal(msl_exec_link_varyings(vs, it, map, &err), MSL_EXEC_OK);
	assert_int_equal(map[0], 0);
	assert_int_equal(map[1], 2);

	struct rect r = { { 8.0f, 2.0f }, { 6.0f, 1.5f }, 1.0f, 0.5f };
	struct stex tex;
	memset(&tex, 0, sizeof(tex));
	struct msl_exec_texture t = { &tex, 16, 16, 1, st_sample, NULL, NULL };
	struct msl_exec_sampler smp = { 1, 1, 0, 0, 0, 0, 0 };
	struct msl_exec_bindings b;
	memset(&b, 0, sizeof(b));
	bind(&b, 0, &r, sizeof(r));
	b.textures[0] = &t;
	b.samplers[0] = &smp;
	enum { Q = 8, N = Q * 4 };
	float pos[N * 4], var[N * 7], colors[N * 4 * MSL_EXEC_MAX_COLORS];
	make_quads(Q, 0.0f, 0.0f, pos, var);
	struct msl_exec_fragment_batch fb;
	memset(&fb, 0, sizeof(fb));
	fb.quads = Q;
	fb.live_mask = (1ull << N) - 1;
	fb.position = pos;
	fb.varyings = var;
	fb.colors = colors;
	msl_exec_ctx *c = msl_exec_ctx_create();
	assert_int_equal(msl_exec_run_fragment(c, e, &b, &fb, &err), MSL_EXEC_OK);
	assert_int_equal(fb.discard_mask, 0);
	assert_int_equal(tex.calls, 1); /* one batched callback for all lanes */
	for (int l = 0; l < N; l++) {
		const float *v = &var[7 * l];
		float d = ref_sdf(pos[4 * l], pos[4 * l + 1], &r);
		float tt = msl_fmin(msl_fmax((d - -r.softness) / (r.softness - -r.softness), 0.0f), 1.0f);
		float cov = 1.0f - tt * tt * (3.0f - 2.0f * tt);
		float ga = msl_fmin(msl_fmax(v[0], 0.0f), 1.0f);
		const float *o = &colors[l * 4 * MSL_EXEC_MAX_COLORS];
		for (int k = 0; k < 3; k++)
			same(o[k], v[2 + k] * ga * cov, "rgb", l);
		same(o[3], v[5] * ga * cov, "a", l);
	}
	/* missing sampler binding */
	b.samplers[0] = NULL;
	assert_int_equal(msl_exec_run_fragment(c, e, &b, &fb, &err), MSL_EXEC_ERR_BINDING);
	msl_exec_ctx_free(c);
	unload(&sh);
}

static void test_fragment_derivatives(void **state)
{
	(void)state;
	struct shader sh;
	load(&sh, "ui.metal");
	const msl_exec_entry *e = entry(&sh, "derivatives");
	assert_true(msl_exec_entry_interface(e)->uses_derivatives);
	enum { Q = 4, N = Q * 4 };
	float pos[N * 4], var[N * 7], colors[N * 4 * MSL_EXEC_MAX_COLORS];
	make_quads(Q, 4.0f, 6.0f, pos, var);
	struct msl_exec_fragment_batch fb;
	memset(&fb, 0, sizeof(fb));
	fb.quads = Q;
	fb.live_mask = 0x7fff; /* lane 15 is a helper lane: it still feeds its quad */
	fb.position = pos;
	fb.varyings = var;
	fb.colors = colors;
	struct msl_exec_bindings b;
	memset(&b, 0, sizeof(b));
	msl_exec_ctx *c = msl_exec_ctx_create();
	struct msl_exec_error err;
	assert_int_equal(msl_exec_run_fragment(c, e, &b, &fb, &err), MSL_EXEC_OK);
	for (int l = 0; l < N - 1; l++) {
		int q = l / 4 * 4;
		float f[4];
		for (int k = 0; k < 4; k++) {
			const float *v = &var[7 * (q + k)];
			f[k] = v[0] * v[0] + 3.0f * v[1];
		}
		float dx = f[1] - f[0], dy = f[2] - f[0];
		const float *o = &colors[l * 4 * MSL_EXEC_MAX_COLORS];
		same(o[0], dx, "dfdx", l);
		same(o[1], dy, "dfdy", l);
		same(o[2], fabsf(dx) + fabsf(dy), "fwidth", l);
		same(o[3], 2.0f, "flat", l);
	}
	msl_exec_ctx_free(c);
	unload(&sh);
}

static void test_fragment_discard_mask(void **state)
{
	(void)state;
	struct shader sh;
	load(&sh, "ui.metal");
	const msl_exec_entry *e = entry(&sh, "cutout");
	assert_true(msl_exec_entry_interface(e)->uses_discard);
	enum { Q = 16, N = Q * 4 };
	float pos[N * 4], var[N * 7], colors[N * 4 * MSL_EXEC_MAX_COLORS];
	make_quads(Q, 0.0f, 0.0f, pos, var);
	memset(colors, 0, sizeof(colors));
	struct msl_exec_fragment_batch fb;
	memset(&fb, 0, sizeof(fb));
	fb.quads = Q;
	fb.live_mask = ~0ull & ~(1ull << 7);
	fb.position = pos;
	fb.varyings = var;
	fb.colors = colors;
	struct msl_exec_bindings b;
	memset(&b, 0, sizeof(b));
	msl_exec_ctx *c = msl_exec_ctx_create();
	struct msl_exec_error err;
	assert_int_equal(msl_exec_run_fragment(c, e, &b, &fb, &err), MSL_EXEC_OK);
	uint64_t want = 0;
	for (int l = 0; l < N; l++)
		if (var[7 * l + 5] < 0.5f && l != 7)
			want |= 1ull << l;
	assert_true(fb.discard_mask == want);
	for (int l = 0; l < N; l++) {
		const float *o = &colors[l * 4 * MSL_EXEC_MAX_COLORS];
		if ((want >> l) & 1 || l == 7)
			same(o[3], 0.0f, "untouched", l);
		else
			same(o[3], var[7 * l + 5], "alpha", l);
	}
	msl_exec_ctx_free(c);
	unload(&sh);
}

static void test_fragment_two_targets(void **state)
{
	(void)state;
	struct shader sh;
	load(&sh, "ui.metal");
	const msl_exec_entry *e = entry(&sh, "two_targets");
	const struct msl_exec_interface *it = msl_exec_entry_interface(e);
	assert_int_equal(it->n_colors, 2);
	assert_int_equal(it->colors[1].index, 1);
	assert_true(it->uses_front_facing);
	enum { Q = 2, N = Q * 4 };
	float pos[N * 4], var[N * 7], colors[N * 4 * MSL_EXEC_MAX_COLORS];
	uint8_t ff[N] = { 1, 0, 1, 0, 0, 0, 1, 1 };
	make_quads(Q, 0.0f, 0.0f, pos, var);
	struct msl_exec_fragment_batch fb;
	memset(&fb, 0, sizeof(fb));
	fb.quads = Q;
	fb.live_mask = 0xff;
	fb.position = pos;
	fb.varyings = var;
	fb.front_facing = ff;
	fb.colors = colors;
	struct msl_exec_bindings b;
	memset(&b, 0, sizeof(b));
	msl_exec_ctx *c = msl_exec_ctx_create();
	struct msl_exec_error err;
	assert_int_equal(msl_exec_run_fragment(c, e, &b, &fb, &err), MSL_EXEC_OK);
	for (int l = 0; l < N; l++) {
		const float *o = &colors[l * 4 * MSL_EXEC_MAX_COLORS];
		for (int k = 0; k < 4; k++)
			same(o[k], var[7 * l + 2 + k], "color0", l);
		same(o[4], var[7 * l], "glow.x", l);
		same(o[6], ff[l] ? 1.0f : 0.0f, "front", l);
	}
	msl_exec_ctx_free(c);
	unload(&sh);
}

static void test_constexpr_sampler(void **state)
{
	(void)state;
	struct shader sh;
	load(&sh, "ui.metal");
	const msl_exec_entry *e = entry(&sh, "nearest_repeat");
	struct stex tex;
	memset(&tex, 0, sizeof(tex));
	struct msl_exec_texture t = { &tex, 16, 16, 1, st_sample, NULL, NULL };
	struct msl_exec_bindings b;
	memset(&b, 0, sizeof(b));
	b.textures[0] = &t;
	enum { Q = 1, N = 4 };
	float pos[N * 4], var[N * 7], colors[N * 4 * MSL_EXEC_MAX_COLORS];
	make_quads(Q, 0.0f, 0.0f, pos, var);
	struct msl_exec_fragment_batch fb;
	memset(&fb, 0, sizeof(fb));
	fb.quads = Q;
	fb.live_mask = 0xf;
	fb.position = pos;
	fb.varyings = var;
	fb.colors = colors;
	msl_exec_ctx *c = msl_exec_ctx_create();
	struct msl_exec_error err;
	assert_int_equal(msl_exec_run_fragment(c, e, &b, &fb, &err), MSL_EXEC_OK);
	assert_int_equal(tex.calls, 1);
	assert_int_equal(tex.last.s_address, MSL_EXEC_ADDR_REPEAT);
	assert_int_equal(tex.last.t_address, MSL_EXEC_ADDR_REPEAT);
	assert_int_equal(tex.last.mag_filter, MSL_EXEC_FILTER_LINEAR);
	assert_int_equal(tex.last.min_filter, MSL_EXEC_FILTER_LINEAR);
	assert_int_equal(tex.last.coord, MSL_EXEC_COORD_NORMALIZED);
	for (int l = 0; l < N; l++)
		same(colors[l * 4 * MSL_EXEC_MAX_COLORS + 2], var[7 * l] * var[7 * l + 1], "u*v", l);
	msl_exec_ctx_free(c);
	unload(&sh);
}

/* An 8x8 float texture written by a kernel. */
struct wtex { float px[64][4]; int writes; };

static void wt_write(void *ctx, uint32_t n, const uint8_t *active, const uint32_t *x,
		     const uint32_t *y, const float *in)
{
	struct wtex *t = ctx;
	for (uint32_t l = 0; l < n; l++) {
		if (!active[l])
			continue;
		assert_true(x[l] < 8 && y[l] < 8);
		for (int c = 0; c < 4; c++)
			t->px[y[l] * 8 + x[l]][c] = in[c * n + l];
		t->writes++;
	}
}

static void test_compute_path_coverage(void **state)
{
	(void)state;
	struct shader sh;
	load(&sh, "ui.metal");
	const msl_exec_entry *e = entry(&sh, "path_coverage");
	const struct msl_exec_interface *it = msl_exec_entry_interface(e);
	assert_int_equal(it->n_resources, 1);
	assert_int_equal(it->resources[0].access, MSL_EXEC_ACCESS_WRITE);
	struct wtex tex;
	memset(&tex, 0, sizeof(tex));
	struct msl_exec_texture t = { &tex, 8, 8, 1, NULL, NULL, wt_write };
	struct msl_exec_bindings b;
	memset(&b, 0, sizeof(b));
	b.textures[0] = &t;
	struct msl_exec_error err;
	/* a 10x10 grid over an 8x8 texture: the kernel's bounds check returns early */
	assert_int_equal(dispatch(e, &b, 10, 10, 4, 4, &err), MSL_EXEC_OK);
	assert_int_equal(tex.writes, 64);
	for (int y = 0; y < 8; y++)
		for (int x = 0; x < 8; x++) {
			int inside = 0;
			for (int sy = 0; sy < 4; sy++)
				for (int sx = 0; sx < 4; sx++) {
					float fx = (float)x + (0.5f + (float)sx) / 4.0f;
					float fy = (float)y + (0.5f + (float)sy) / 4.0f;
					float px = fx / 8.0f, py = fy / 8.0f;
					inside += py < px * px;
				}
			same(tex.px[y * 8 + x][0], (float)inside / 16.0f, "coverage", y * 8 + x);
			same(tex.px[y * 8 + x][3], 1.0f, "alpha", y * 8 + x);
		}
	unload(&sh);
}

static void test_link_mismatch(void **state)
{
	(void)state;
	struct shader sh;
	load(&sh, "ui.metal");
	const struct msl_exec_interface *vs = msl_exec_entry_interface(entry(&sh, "quad_vertex"));
	struct msl_exec_slot bad = { "tint", 0, MSL_EXEC_FLOAT, 4, MSL_EXEC_INTERP_PERSPECTIVE, 0 };
	struct msl_exec_interface fs;
	memset(&fs, 0, sizeof(fs));
	fs.name = "fake";
	fs.n_varyings = 1;
	fs.varyings = &bad;
	uint32_t map[1];
	struct msl_exec_error err;
	assert_int_equal(msl_exec_link_varyings(vs, &fs, map, &err), MSL_EXEC_ERR_ARGUMENT);
	assert_non_null(strstr(err.message, "tint"));
	/* same name, integer in one stage and float in the other */
	struct msl_exec_slot layer = { "layer", 0, MSL_EXEC_FLOAT, 1, MSL_EXEC_INTERP_FLAT, 0 };
	fs.varyings = &layer;
	assert_int_equal(msl_exec_link_varyings(vs, &fs, map, &err), MSL_EXEC_ERR_ARGUMENT);
	assert_non_null(strstr(err.message, "integer"));
	layer.scalar = MSL_EXEC_UINT;
	assert_int_equal(msl_exec_link_varyings(vs, &fs, map, &err), MSL_EXEC_OK);
	assert_int_equal(map[0], 6);
	unload(&sh);
}

/* Same inputs, different batch shapes and a dirty context: same bits. */
static void test_deterministic_across_batches(void **state)
{
	(void)state;
	struct shader sh;
	load(&sh, "ui.metal");
	const msl_exec_entry *e = entry(&sh, "derivatives");
	enum { Q = 16, N = Q * 4 };
	float pos[N * 4], var[N * 7], big[N * 4 * MSL_EXEC_MAX_COLORS], small[N * 4 * MSL_EXEC_MAX_COLORS];
	make_quads(Q, 0.0f, 0.0f, pos, var);
	memset(big, 0, sizeof(big));
	memset(small, 0, sizeof(small));
	struct msl_exec_bindings b;
	memset(&b, 0, sizeof(b));
	msl_exec_ctx *c = msl_exec_ctx_create();
	struct msl_exec_error err;
	struct msl_exec_fragment_batch fb;
	memset(&fb, 0, sizeof(fb));
	fb.quads = Q;
	fb.live_mask = ~0ull;
	fb.position = pos;
	fb.varyings = var;
	fb.colors = big;
	assert_int_equal(msl_exec_run_fragment(c, e, &b, &fb, &err), MSL_EXEC_OK);
	for (int q = Q - 1; q >= 0; q--) { /* one quad at a time, backwards */
		fb.quads = 1;
		fb.live_mask = 0xf;
		fb.position = pos + q * 16;
		fb.varyings = var + q * 28;
		fb.colors = small + q * 4 * 4 * MSL_EXEC_MAX_COLORS;
		assert_int_equal(msl_exec_run_fragment(c, e, &b, &fb, &err), MSL_EXEC_OK);
	}
	assert_memory_equal(big, small, sizeof(big));
	msl_exec_ctx_free(c);
	unload(&sh);
}


/* ---- UI effects ------------------------------------------------------------------ */

/* Fragment batch for FragIn { position; float2 uv }: quads in a row from
 * (x0, y0), uv = pixel centre / 16. */
static void run_effect(struct shader *sh, const char *fn, const struct msl_exec_bindings *b,
		       uint32_t quads, float x0, float y0, float *pos, float *var, float *colors)
{
	for (uint32_t l = 0; l < quads * 4; l++) {
		float x = x0 + (float)(2 * (l / 4) + (l & 1)) + 0.5f;
		float y = y0 + (float)((l >> 1) & 1) + 0.5f;
		pos[4 * l + 0] = x;
		pos[4 * l + 1] = y;
		pos[4 * l + 2] = 0.0f;
		pos[4 * l + 3] = 1.0f;
		var[2 * l] = x / 16.0f;
		var[2 * l + 1] = y / 16.0f;
	}
	const msl_exec_entry *e = entry(sh, fn);
	assert_int_equal(msl_exec_entry_interface(e)->varying_floats, 2);
	struct msl_exec_fragment_batch fb;
	memset(&fb, 0, sizeof(fb));
	fb.quads = quads;
	fb.live_mask = quads == 16 ? ~0ull : (1ull << (quads * 4)) - 1;
	fb.position = pos;
	fb.varyings = var;
	fb.colors = colors;
	msl_exec_ctx *c = msl_exec_ctx_create();
	struct msl_exec_error err;
	enum msl_exec_status s = msl_exec_run_fragment(c, e, b, &fb, &err);
	if (s != MSL_EXEC_OK)
		fail_msg("%s: %s at %u:%u: %s", fn, msl_exec_status_name(s), err.line, err.col, err.message);
	msl_exec_ctx_free(c);
}

struct gradient {
	float start_color[4], end_color[4];
	float start[2], end[2], center[2];
	float radius;
	uint32_t kind;
};

static void test_fragment_gradients(void **state)
{
	(void)state;
	struct shader sh;
	load(&sh, "effects.metal");
	struct gradient g = { { 1, 0, 0, 1 }, { 0, 0, 1, 0.5f }, { 2, 0 }, { 26, 1 }, { 8, 1 }, 6.0f, 0 };
	struct msl_exec_bindings b;
	memset(&b, 0, sizeof(b));
	bind(&b, 0, &g, sizeof(g));
	enum { Q = 16, N = Q * 4 };
	float pos[N * 4], var[N * 2], colors[N * 4 * MSL_EXEC_MAX_COLORS];
	for (uint32_t kind = 0; kind < 2; kind++) {
		g.kind = kind;
		run_effect(&sh, "gradient", &b, Q, 0.0f, 0.0f, pos, var, colors);
		for (int l = 0; l < N; l++) {
			float px = pos[4 * l], py = pos[4 * l + 1], t;
			if (kind == 0) {
				float dx = g.end[0] - g.start[0], dy = g.end[1] - g.start[1];
				t = ((px - g.start[0]) * dx + (py - g.start[1]) * dy) / (dx * dx + dy * dy);
			} else {
				float dx = px - g.center[0], dy = py - g.center[1];
				t = sqrtf(dx * dx + dy * dy) / g.radius;
			}
			t = msl_fmin(msl_fmax(t, 0.0f), 1.0f);
			for (int k = 0; k < 4; k++) {
				float want = g.start_color[k] + (g.end_color[k] - g.start_color[k]) * t;
				same(colors[l * 4 * MSL_EXEC_MAX_COLORS + k], want, kind ? "radial" : "linear", l);
			}
		}
	}
	unload(&sh);
}

static float ref_erf(float x)
{
	float s = msl_fsign(x), a = fabsf(x);
	float t = 1.0f / (1.0f + 0.3275911f * a);
	float y = 1.0f - (((((1.061405429f * t - 1.453152027f) * t) + 1.421413741f) * t - 0.284496736f) * t +
			  0.254829592f) * t * expf(-a * a);
	return s * y;
}

struct shadow { float color[4]; float lo[2], hi[2]; float sigma; float pad[3]; };

static void test_fragment_drop_shadow(void **state)
{
	(void)state;
	struct shader sh;
	load(&sh, "effects.metal");
	struct shadow s = { { 0, 0, 0, 0.6f }, { 4, -2 }, { 24, 6 }, 3.0f, { 0, 0, 0 } };
	struct msl_exec_bindings b;
	memset(&b, 0, sizeof(b));
	bind(&b, 0, &s, sizeof(s));
	enum { Q = 16, N = Q * 4 };
	float pos[N * 4], var[N * 2], colors[N * 4 * MSL_EXEC_MAX_COLORS];
	run_effect(&sh, "drop_shadow", &b, Q, 0.0f, 0.0f, pos, var, colors);
	float k = 1.0f / (sqrtf(2.0f) * s.sigma);
	for (int l = 0; l < N; l++) {
		float ax = (pos[4 * l] - s.lo[0]) * k, ay = (pos[4 * l + 1] - s.lo[1]) * k;
		float bx = (pos[4 * l] - s.hi[0]) * k, by = (pos[4 * l + 1] - s.hi[1]) * k;
		float ex = 0.5f * (ref_erf(ax) - ref_erf(bx)), ey = 0.5f * (ref_erf(ay) - ref_erf(by));
		near(colors[l * 4 * MSL_EXEC_MAX_COLORS + 3], 0.6f * ex * ey, 1e-6f, "shadow alpha", l);
	}
	/* erf itself: odd, saturating, accurate to the approximation's 1.5e-7 */
	for (float x = -3.0f; x <= 3.0f; x += 0.25f)
		near(ref_erf(x), erff(x), 1e-6f, "erf", (int)(x * 4));
	unload(&sh);
}

static void test_fragment_blur_loop(void **state)
{
	(void)state;
	struct shader sh;
	load(&sh, "effects.metal");
	static const float w[9] = { 0.0162f, 0.0540f, 0.1216f, 0.1945f, 0.2270f, 0.1945f, 0.1216f, 0.0540f, 0.0162f };
	float texel[2] = { 1.0f / 16.0f, 0.0f };
	struct stex tex;
	memset(&tex, 0, sizeof(tex));
	struct msl_exec_texture t = { &tex, 16, 16, 1, st_sample, NULL, NULL };
	struct msl_exec_sampler smp = { 1, 1, 0, 0, 0, 0, 0 };
	struct msl_exec_bindings b;
	memset(&b, 0, sizeof(b));
	bind(&b, 0, texel, sizeof(texel));
	b.textures[0] = &t;
	b.samplers[0] = &smp;
	enum { Q = 8, N = Q * 4 };
	float pos[N * 4], var[N * 2], colors[N * 4 * MSL_EXEC_MAX_COLORS];
	run_effect(&sh, "blur", &b, Q, 0.0f, 0.0f, pos, var, colors);
	assert_int_equal(tex.calls, 9); /* one batched sample per tap */
	for (int l = 0; l < N; l++) {
		float acc[4] = { 0, 0, 0, 0 };
		for (int i = -4; i <= 4; i++) {
			float u = var[2 * l] + texel[0] * (float)i, v = var[2 * l + 1] + texel[1] * (float)i;
			float smpl[4] = { u, v, u * v, msl_fmin(msl_fmax(u, 0.0f), 1.0f) };
			for (int k = 0; k < 4; k++)
				acc[k] += smpl[k] * w[i + 4];
		}
		for (int k = 0; k < 4; k++)
			same(colors[l * 4 * MSL_EXEC_MAX_COLORS + k], acc[k], "blur", l * 4 + k);
	}
	unload(&sh);
}

struct particle { float pos[3]; float life; float vel[2]; };

static void test_compute_particles_device_structs(void **state)
{
	(void)state;
	struct shader sh;
	load(&sh, "effects.metal");
	enum { N = 40 };
	struct particle ps[N], want[N];
	float weights[4] = { 0.125f, 0.25f, 0.5f, 1.0f };
	uint32_t count = N - 3; /* the last three are past `count` and untouched */
	for (int i = 0; i < N; i++) {
		ps[i] = (struct particle){ { (float)i, 2.0f * (float)i, 10.0f }, (float)(i % 5), { 1.0f, -0.5f } };
		want[i] = ps[i];
		if ((uint32_t)i >= count)
			continue;
		want[i].pos[0] += 1.0f * 0.5f;
		want[i].pos[1] += -0.5f * 0.5f;
		want[i].pos[2] -= 1.0f;
		want[i].life -= 0.125f + 0.25f + 0.5f + 1.0f;
		if (want[i].life < 0.0f)
			want[i].vel[0] = want[i].vel[1] = 0.0f;
	}
	struct msl_exec_bindings b;
	memset(&b, 0, sizeof(b));
	bind(&b, 0, ps, sizeof(ps));
	bind(&b, 1, weights, sizeof(weights));
	bind(&b, 2, &count, sizeof(count));
	run1d(&sh, "particles", N, &b);
	assert_memory_equal(ps, want, sizeof(ps));
	const struct msl_exec_interface *it = msl_exec_entry_interface(entry(&sh, "particles"));
	assert_int_equal(it->resources[0].min_size, sizeof(struct particle));
	unload(&sh);
}


struct acc { float sum; uint32_t count; };

static void test_references_and_pointers(void **state)
{
	(void)state;
	struct shader sh;
	load(&sh, "pointers.metal");
	enum { N = 6 };
	float data[N * 4], orig[N * 4];
	struct acc accs[N];
	for (int i = 0; i < N * 4; i++)
		orig[i] = data[i] = (float)((i * 7) % 11) - 3.0f;
	memset(accs, 0xff, sizeof(accs));
	struct msl_exec_bindings b;
	memset(&b, 0, sizeof(b));
	bind(&b, 0, data, sizeof(data));
	bind(&b, 1, accs, sizeof(accs));
	run1d(&sh, "refs", N, &b);
	for (int g = 0; g < N; g++) {
		float sum = 0.0f;
		for (int i = 0; i < 4; i++)
			sum += orig[g * 4 + i];
		float lo = orig[g * 4], hi = sum / 4.0f;
		if (lo > hi) {
			float t = lo;
			lo = hi;
			hi = t;
		}
		lo += 1.0f;
		same(accs[g].sum, hi + 4.0f + 8.0f, "acc.sum", g);
		assert_int_equal(accs[g].count, 4);
		same(data[g * 4], lo, "lo", g);
		for (int i = 1; i < 4; i++)
			same(data[g * 4 + i], orig[g * 4 + i], "untouched", g);
	}
	unload(&sh);
}


static void test_fragment_narrow_color(void **state)
{
	(void)state;
	struct shader sh;
	load(&sh, "ui.metal");
	const msl_exec_entry *e = entry(&sh, "coverage_only");
	const struct msl_exec_interface *it = msl_exec_entry_interface(e);
	assert_int_equal(it->n_colors, 1);
	assert_int_equal(it->colors[0].components, 1);
	enum { Q = 1, N = 4 };
	float pos[N * 4], var[N * 7], colors[N * 4 * MSL_EXEC_MAX_COLORS];
	make_quads(Q, 0.0f, 0.0f, pos, var);
	for (size_t i = 0; i < sizeof(colors) / sizeof(colors[0]); i++)
		colors[i] = 42.0f; /* stale values from an earlier batch */
	struct msl_exec_fragment_batch fb;
	memset(&fb, 0, sizeof(fb));
	fb.quads = Q;
	fb.live_mask = 0xf;
	fb.position = pos;
	fb.varyings = var;
	fb.colors = colors;
	struct msl_exec_bindings b;
	memset(&b, 0, sizeof(b));
	msl_exec_ctx *c = msl_exec_ctx_create();
	struct msl_exec_error err;
	assert_int_equal(msl_exec_run_fragment(c, e, &b, &fb, &err), MSL_EXEC_OK);
	for (int l = 0; l < N; l++) {
		const float *o = &colors[l * 4 * MSL_EXEC_MAX_COLORS];
		same(o[0], var[7 * l] * 2.0f, "r", l);
		same(o[1], 0.0f, "g", l);
		same(o[2], 0.0f, "b", l);
		same(o[3], 1.0f, "a", l);
		same(o[4], 42.0f, "color(1) untouched", l);
	}
	msl_exec_ctx_free(c);
	unload(&sh);
}


static void test_bool_bytes_in_buffers(void **state)
{
	(void)state;
	struct shader sh;
	load(&sh, "data.metal");
	/* struct Flags { bool enabled; bool2 pair; }: bytes 0, 2, 3 (bool2 is 2-aligned) */
	uint8_t flags[4][4] = {
		{ 0, 0, 0, 0 }, { 1, 0, 1, 1 }, { 2, 0, 0, 0x80 }, { 0xff, 0, 7, 0 },
	};
	uint32_t out[4];
	struct msl_exec_bindings b;
	memset(&b, 0, sizeof(b));
	bind(&b, 0, flags, sizeof(flags));
	bind(&b, 1, out, sizeof(out));
	run1d(&sh, "bools", 4, &b);
	assert_int_equal(out[0], 0);
	assert_int_equal(out[1], 1 | 2 | 4);
	assert_int_equal(out[2], 1 | 2);
	assert_int_equal(out[3], 1);
	unload(&sh);
}


/* Out-of-range accesses in helper lanes are not errors; in live lanes they are. */
static void test_helper_lanes_out_of_range(void **state)
{
	(void)state;
	struct shader sh;
	load(&sh, "ui.metal");
	const msl_exec_entry *e = entry(&sh, "palette_lookup");
	enum { Q = 1, N = 4 };
	float pos[N * 4], var[N * 7], colors[N * 4 * MSL_EXEC_MAX_COLORS];
	float lut[4][4] = { { 0.5f, 0, 0, 0 }, { 0, 0.5f, 0, 0 }, { 0, 0, 0.5f, 0 }, { 0, 0, 0, 0.5f } };
	make_quads(Q, 0.0f, 0.0f, pos, var);
	for (int l = 0; l < N; l++)
		var[7 * l] = (float)l + 0.25f;  /* indices 0, 1, 2, 3 */
	var[7 * 3] = 9.5f;                   /* lane 3: out of range */
	struct msl_exec_fragment_batch fb;
	memset(&fb, 0, sizeof(fb));
	fb.quads = Q;
	fb.live_mask = 0x7; /* lane 3 is a helper lane */
	fb.position = pos;
	fb.varyings = var;
	fb.colors = colors;
	struct msl_exec_bindings b;
	memset(&b, 0, sizeof(b));
	bind(&b, 0, lut, sizeof(lut));
	msl_exec_ctx *c = msl_exec_ctx_create();
	struct msl_exec_error err;
	assert_int_equal(msl_exec_run_fragment(c, e, &b, &fb, &err), MSL_EXEC_OK);
	same(colors[0 * 4 * MSL_EXEC_MAX_COLORS + 0], 1.5f, "r", 0);
	same(colors[1 * 4 * MSL_EXEC_MAX_COLORS + 1], 1.5f, "g", 1);
	same(colors[2 * 4 * MSL_EXEC_MAX_COLORS + 2], 1.5f, "b", 2);
	/* the same lane live: a real error */
	fb.live_mask = 0xf;
	assert_int_equal(msl_exec_run_fragment(c, e, &b, &fb, &err), MSL_EXEC_ERR_BOUNDS);
	assert_non_null(strstr(err.message, "lane 3"));
	msl_exec_ctx_free(c);
	unload(&sh);
}


static int32_t imin(int32_t a, int32_t b) { return a < b ? a : b; }
static int32_t imax(int32_t a, int32_t b) { return a > b ? a : b; }

static void test_int_builtins(void **state)
{
	(void)state;
	struct shader sh;
	load(&sh, "integers.metal");
	int32_t in[] = { 0, -1, 7, -8, INT32_MIN, INT32_MAX, 3, -3, 100, -100, 5, 6 };
	enum { N = sizeof(in) / sizeof(in[0]) / 4 };
	int32_t out[N * 24];
	struct msl_exec_bindings b;
	memset(&b, 0, sizeof(b));
	bind(&b, 0, in, sizeof(in));
	bind(&b, 1, out, sizeof(out));
	run1d(&sh, "int_builtins", N, &b);
	for (int t = 0; t < N; t++)
		for (int k = 0; k < 4; k++) {
			int32_t v = in[4 * t + k];
			uint32_t u = (uint32_t)v;
			const int32_t *o = &out[24 * t + k];
			assert_int_equal(o[0], v < 0 ? (int32_t)(0u - u) : v);
			assert_int_equal(o[4], (int32_t)((uint32_t)imin(v, 3) + (uint32_t)imax(v, -3)));
			assert_int_equal(o[8], imin(imax(v, -5), 5));
			assert_int_equal(o[12], (int32_t)(u < 7u ? u : 7u));
			assert_int_equal(o[16], v > 0 ? (int32_t)(u * 2u) : 0);
			assert_int_equal(o[20], (int32_t)msl_f2u((float)v * 1.5f));
		}
	assert_int_equal(out[0 * 24 + 0 + 2], 7);
	assert_int_equal(out[1 * 24 + 0 + 0], INT32_MIN); /* abs(INT_MIN) */
	assert_int_equal(out[1 * 24 + 20 + 0], 0);       /* uint(negative float) saturates to 0 */
	assert_int_equal((uint32_t)out[1 * 24 + 20 + 1], 0xc0000000u); /* uint(INT_MAX * 1.5f) */
	unload(&sh);
}


struct camera { float mvp[16]; float nm[12]; float off[6]; float pad[2]; };

static void test_matrices_in_buffers(void **state)
{
	(void)state;
	struct shader sh;
	load(&sh, "vectors.metal");
	struct camera cam;
	memset(&cam, 0, sizeof(cam));
	for (int i = 0; i < 16; i++)
		cam.mvp[i] = (float)(i + 1) * 0.5f;
	for (int c = 0; c < 3; c++)
		for (int r = 0; r < 3; r++)
			cam.nm[c * 4 + r] = (float)(c * 3 + r) - 4.0f;
	for (int i = 0; i < 6; i++)
		cam.off[i] = (float)i * 10.0f;
	enum { N = 5 };
	float out[N * 12];
	struct msl_exec_bindings b;
	memset(&b, 0, sizeof(b));
	bind(&b, 0, &cam, sizeof(cam));
	bind(&b, 1, out, sizeof(out));
	run1d(&sh, "transforms", N, &b);
	const struct msl_exec_interface *it = msl_exec_entry_interface(entry(&sh, "transforms"));
	assert_int_equal(it->resources[0].min_size, sizeof(struct camera));
	for (int t = 0; t < N; t++) {
		float p[4] = { (float)t, 1, 2, 1 }, v[3] = { 0, 1, (float)t };
		const float *o = &out[12 * t];
		for (int r = 0; r < 4; r++) {
			float acc = cam.mvp[0 * 4 + r] * p[0];
			for (int c = 1; c < 4; c++)
				acc = acc + cam.mvp[c * 4 + r] * p[c];
			same(o[r], acc, "mvp*p", t);
		}
		for (int r = 0; r < 3; r++) {
			float acc = cam.nm[0 * 4 + r] * v[0];
			for (int c = 1; c < 3; c++)
				acc = acc + cam.nm[c * 4 + r] * v[c];
			same(o[4 + r], acc, "normal", t);
		}
		same(o[7], cam.nm[2 * 4 + 1], "m[2][1]", t);
		same(o[8], cam.off[2 * (t % 3)], "offset.x", t);
		same(o[9], cam.off[2 * (t % 3) + 1], "offset.y", t);
		same(o[10], cam.mvp[12] + 1.0f, "mvp[3].x", t);
		same(o[11], cam.mvp[13] + 1.0f, "mvp[3].y", t);
	}
	unload(&sh);
}


static void test_helper_lane_runaway_loop(void **state)
{
	(void)state;
	struct shader sh;
	load(&sh, "ui.metal");
	const msl_exec_entry *e = entry(&sh, "varying_loop");
	enum { Q = 1, N = 4 };
	float pos[N * 4], var[N * 7], colors[N * 4 * MSL_EXEC_MAX_COLORS];
	make_quads(Q, 0.0f, 0.0f, pos, var);
	for (int l = 0; l < N; l++)
		var[7 * l] = (float)(l + 1);
	var[7 * 3] = 1e9f; /* lane 3 would loop a billion times */
	struct msl_exec_fragment_batch fb;
	memset(&fb, 0, sizeof(fb));
	fb.quads = Q;
	fb.live_mask = 0x7;
	fb.position = pos;
	fb.varyings = var;
	fb.colors = colors;
	struct msl_exec_bindings b;
	memset(&b, 0, sizeof(b));
	msl_exec_ctx *c = msl_exec_ctx_create();
	msl_exec_ctx_set_loop_limit(c, 1000);
	struct msl_exec_error err;
	assert_int_equal(msl_exec_run_fragment(c, e, &b, &fb, &err), MSL_EXEC_OK);
	for (int l = 0; l < 3; l++)
		same(colors[l * 4 * MSL_EXEC_MAX_COLORS], (float)(l + 1), "count", l);
	fb.live_mask = 0xf;
	assert_int_equal(msl_exec_run_fragment(c, e, &b, &fb, &err), MSL_EXEC_ERR_LOOP_LIMIT);
	msl_exec_ctx_free(c);
	unload(&sh);
}


/* Regression: `(int(tid) + i)` and `(float(x) + y)` were taken for C casts
 * and failed with "expected ')'"; real casts keep working next to them. */
static void test_paren_expressions_vs_casts(void **state)
{
	(void)state;
	struct shader sh;
	load(&sh, "paren_casts.metal");
	float in[] = { 1.5f, 7.75f, 0.25f };
	enum { N = sizeof(in) / sizeof(in[0]) };
	float out[N * 12];
	struct msl_exec_bindings b;
	memset(&b, 0, sizeof(b));
	bind(&b, 0, in, sizeof(in));
	bind(&b, 1, out, sizeof(out));
	run1d(&sh, "paren_casts", N, &b);
	for (int t = 0; t < N; t++) {
		float x = in[t], y = 2.0f;
		const float *o = &out[12 * t];
		same(o[0], (float)(t + 3), "int(tid)+i", t);
		same(o[1], x + y, "float(x)+y", t);
		same(o[2], x * 2.0f, "(float2(a.x,y)*c).x", t);
		same(o[3], y * 4.0f, "(metal::float2(a.x,y)*c).y", t);
		same(o[4], (float)(uint32_t)x, "(uint)x", t);
		same(o[5], x + y, "(float)(x+y)", t);
		same(o[6], x, "((half4)v).x", t); /* inputs exact in half */
		same(o[7], -x, "-(float3(x)).x", t);
		same(o[8], (float)(int)x * 2.0f, "(float)(int)x*2", t);
		same(o[9], (float)((uint32_t)x + (uint32_t)((int)x * 2)), "(unsigned int)(x)+...", t);
		same(o[10], 2.0f, "(float4(a,c).zw/(float2)(2)).y", t);
		same(o[11], x, "(const float)(x)-...", t);
	}
	unload(&sh);
}


/* A 4x4 texture whose texel (x, y) holds (x, y, 0, 1), sampled nearest
 * with the sampler's own address modes (normalized coordinates). */
static int addr_wrap(int i, int n, uint8_t mode)
{
	switch (mode) {
	case MSL_EXEC_ADDR_REPEAT: return ((i % n) + n) % n;
	case MSL_EXEC_ADDR_MIRRORED_REPEAT: {
		int p = ((i % (2 * n)) + 2 * n) % (2 * n);
		return p < n ? p : 2 * n - 1 - p;
	}
	case MSL_EXEC_ADDR_CLAMP_TO_ZERO: return i < 0 || i >= n ? -1 : i;
	default: return i < 0 ? 0 : i >= n ? n - 1 : i;
	}
}

static void grid_texel(const struct msl_exec_sampler *s, float u, float v, float o[4])
{
	int x = addr_wrap((int)floorf(u * 4.0f), 4, s->s_address);
	int y = addr_wrap((int)floorf(v * 4.0f), 4, s->t_address);
	if (x < 0 || y < 0) {
		o[0] = o[1] = o[2] = o[3] = 0.0f;
		return;
	}
	o[0] = (float)x;
	o[1] = (float)y;
	o[2] = 0.0f;
	o[3] = 1.0f;
}

static void grid_sample(void *ctx, const struct msl_exec_sampler *s, uint32_t n, const uint8_t *active,
			const float *u, const float *v, float *out)
{
	(void)ctx;
	assert_int_equal(s->coord, MSL_EXEC_COORD_NORMALIZED);
	for (uint32_t l = 0; l < n; l++)
		if (active[l]) {
			float o[4];
			grid_texel(s, u[l], v[l], o);
			for (int c = 0; c < 4; c++)
				out[c * n + l] = o[c];
		}
}

/* Regression: block-scope constexpr samplers all had slot 0 in the AST;
 * each must now keep its own address mode through lowering. */
static void test_block_scope_samplers(void **state)
{
	(void)state;
	struct shader sh;
	load(&sh, "samplers.metal");
	const msl_exec_entry *e = entry(&sh, "two_samplers");
	struct msl_exec_texture t = { NULL, 4, 4, 1, grid_sample, NULL, NULL };
	struct msl_exec_bindings b;
	memset(&b, 0, sizeof(b));
	b.textures[0] = &t;
	enum { Q = 8, N = Q * 4 };
	float pos[N * 4], var[N * 7], colors[N * 4 * MSL_EXEC_MAX_COLORS];
	make_quads(Q, 0.0f, 0.0f, pos, var);
	struct msl_exec_fragment_batch fb;
	memset(&fb, 0, sizeof(fb));
	fb.quads = Q;
	fb.live_mask = (1ull << N) - 1;
	fb.position = pos;
	fb.varyings = var;
	fb.colors = colors;
	msl_exec_ctx *c = msl_exec_ctx_create();
	struct msl_exec_error err;
	assert_int_equal(msl_exec_run_fragment(c, e, &b, &fb, &err), MSL_EXEC_OK);
	static const struct msl_exec_sampler clamp = { .s_address = MSL_EXEC_ADDR_CLAMP_TO_EDGE, .t_address = MSL_EXEC_ADDR_CLAMP_TO_EDGE };
	static const struct msl_exec_sampler repeat = { .s_address = MSL_EXEC_ADDR_REPEAT, .t_address = MSL_EXEC_ADDR_REPEAT };
	static const struct msl_exec_sampler zero = { .s_address = MSL_EXEC_ADDR_CLAMP_TO_ZERO, .t_address = MSL_EXEC_ADDR_CLAMP_TO_ZERO };
	static const struct msl_exec_sampler mirror = { .s_address = MSL_EXEC_ADDR_MIRRORED_REPEAT, .t_address = MSL_EXEC_ADDR_MIRRORED_REPEAT };
	int differ = 0;
	for (int l = 0; l < N; l++) {
		float u = var[7 * l] * 4.0f - 0.75f, v = var[7 * l + 1] * 4.0f - 0.75f;
		float tc[4], tr[4], tz[4], tm[4], tm1[4];
		grid_texel(&clamp, u, v, tc);
		grid_texel(&repeat, u, v, tr);
		grid_texel(&zero, u, v, tz);
		grid_texel(&mirror, u, v, tm);
		grid_texel(&mirror, u + 1.0f, v + 1.0f, tm1);
		const float *o = &colors[l * 4 * MSL_EXEC_MAX_COLORS];
		same(o[0], tc[0], "clamped", l);
		same(o[1], tr[0], "repeated", l);
		same(o[2], tr[1] * 10.0f + tz[1], "sibling blocks", l);
		same(o[3], tm[0] + tm1[0] * 10.0f, "helper", l);
		differ += o[0] != o[1];
	}
	assert_true(differ > 0); /* the clamp and repeat samplers really disagree */
	msl_exec_ctx_free(c);
	unload(&sh);
}


/* [[user(NAME)]] is the link key of a varying (SPIRV-Cross writes
 * out_var_X / in_var_X or different names on the two sides); values cross
 * the link unchanged, and [[center_no_perspective]] reaches the interface. */
static void test_user_locn_linking(void **state)
{
	(void)state;
	struct shader sh;
	load(&sh, "user_locn.metal");
	const msl_exec_entry *ve = entry(&sh, "vs_main"), *fe = entry(&sh, "fs_main");
	const struct msl_exec_interface *vs = msl_exec_entry_interface(ve);
	const struct msl_exec_interface *fs = msl_exec_entry_interface(fe);
	assert_int_equal(vs->n_varyings, 3);
	assert_int_equal(fs->n_varyings, 3);
	assert_string_equal(vs->varyings[0].name, "locn1");
	assert_string_equal(fs->varyings[0].name, "locn0");
	assert_int_equal(vs->varyings[2].interp, MSL_EXEC_INTERP_NO_PERSPECTIVE);
	assert_int_equal(fs->varyings[1].interp, MSL_EXEC_INTERP_PERSPECTIVE);
	assert_int_equal(fs->varyings[2].interp, MSL_EXEC_INTERP_NO_PERSPECTIVE);
	uint32_t map[3];
	struct msl_exec_error err;
	assert_int_equal(msl_exec_link_varyings(vs, fs, map, &err), MSL_EXEC_OK);
	assert_int_equal(map[0], vs->varyings[1].offset); /* uv <- out_var_TEXCOORD0 */
	assert_int_equal(map[1], vs->varyings[0].offset); /* tint <- out_var_COLOR0 */
	assert_int_equal(map[2], vs->varyings[2].offset); /* depth <- out_var_DEPTH */

	/* run 4 vertices, hand their varyings to one quad through the map */
	enum { N = 4 };
	float attrs[N * 4], pos[N * 4], vary[N * 8];
	uint32_t vid[N] = { 0, 1, 2, 3 };
	assert_int_equal(vs->attribute_floats, 4);
	for (int i = 0; i < N; i++) {
		attrs[4 * i + 0] = 0.25f * (float)i;
		attrs[4 * i + 1] = -0.5f;
		attrs[4 * i + 2] = 0.125f * (float)(i + 1);
		attrs[4 * i + 3] = 0.75f;
	}
	assert_true(vs->varying_floats <= 8);
	struct msl_exec_vertex_batch vb = { N, vid, NULL, attrs, pos, vary };
	struct msl_exec_bindings b0;
	memset(&b0, 0, sizeof(b0));
	msl_exec_ctx *c = msl_exec_ctx_create();
	assert_int_equal(msl_exec_run_vertex(c, ve, &b0, &vb, &err), MSL_EXEC_OK);
	float fvar[N * 8], fpos[N * 4], colors[N * 4 * MSL_EXEC_MAX_COLORS];
	for (int l = 0; l < N; l++) {
		for (uint32_t k = 0; k < fs->n_varyings; k++)
			for (uint32_t q = 0; q < fs->varyings[k].components; q++)
				fvar[l * fs->varying_floats + fs->varyings[k].offset + q] =
					vary[l * vs->varying_floats + map[k] + q];
		fpos[4 * l + 0] = (float)(l & 1) + 0.5f;
		fpos[4 * l + 1] = (float)(l >> 1) + 0.5f;
		fpos[4 * l + 2] = 0.5f;
		fpos[4 * l + 3] = 1.0f;
	}
	struct msl_exec_fragment_batch fb;
	memset(&fb, 0, sizeof(fb));
	fb.quads = 1;
	fb.live_mask = 0xf;
	fb.position = fpos;
	fb.varyings = fvar;
	fb.colors = colors;
	assert_int_equal(msl_exec_run_fragment(c, fe, &b0, &fb, &err), MSL_EXEC_OK);
	for (int l = 0; l < N; l++) {
		const float *o = &colors[l * 4 * MSL_EXEC_MAX_COLORS];
		float u = attrs[4 * l + 2], v = attrs[4 * l + 3];
		same(o[0], u * u, "uv.x*tint.x", l);
		same(o[1], v * v, "uv.y*tint.y", l);
		same(o[2], attrs[4 * l + 0], "depth", l);
		same(o[3], 1.0f, "tint.w", l);
	}
	msl_exec_ctx_free(c);
	unload(&sh);
}


/* `T name[] = { ... }` takes its size from the initializer, at program
 * scope (weight tables, 2-D tables, trailing comma) and at block scope. */
static void test_unsized_arrays(void **state)
{
	(void)state;
	struct shader sh;
	load(&sh, "unsized_arrays.metal");
	static const float w[] = { 0.227027f, 0.1945946f, 0.1216216f, 0.054054f, 0.016216f };
	static const float taps[3][2] = { { -1.0f, 0.5f }, { 1.0f, -0.5f }, { 0.0f, 2.0f } };
	static const int rows[3][2] = { { 1, 2 }, { 3, 4 }, { 5, 6 } };
	float in[] = { 1.0f, 2.0f, 1.5f, -0.25f };
	enum { N = sizeof(in) / sizeof(in[0]) };
	float out[N * 6];
	struct msl_exec_bindings b;
	memset(&b, 0, sizeof(b));
	bind(&b, 0, in, sizeof(in));
	bind(&b, 1, out, sizeof(out));
	run1d(&sh, "unsized", N, &b);
	for (int t = 0; t < N; t++) {
		const float *o = &out[6 * t];
		float s = 0.0f;
		for (int i = 0; i < 5; i++)
			s += w[i] * in[t];
		near(o[0], s, 1e-6f, "weights", t);
		same(o[1], taps[t % 3][0] + taps[2][1], "taps", t);
		same(o[2], (float)(rows[2][1] + rows[t % 3][0]), "rows", t);
		same(o[3], in[t] + in[t] * 2.0f + 3.0f, "local", t);
		same(o[4], w[4] + 1.0f, "last weight", t);
	}
	unload(&sh);
}


static uint32_t f2bits(float f)
{
	uint32_t u;
	memcpy(&u, &f, 4);
	return u;
}

static float bits2f(uint32_t u)
{
	float f;
	memcpy(&f, &u, 4);
	return f;
}

/* as_type<T>(x) keeps the bits: float <-> uint/int, vectors, through a
 * helper, with the metal:: prefix. */
static void test_as_type_bitcasts(void **state)
{
	(void)state;
	struct shader sh;
	load(&sh, "as_type.metal");
	float in[] = { 1.5f, -2.5f, 0.0f, -0.0f, INFINITY, 3.0e-39f };
	enum { N = sizeof(in) / sizeof(in[0]) };
	uint32_t out[N * 8];
	struct msl_exec_bindings b;
	memset(&b, 0, sizeof(b));
	bind(&b, 0, in, sizeof(in));
	bind(&b, 1, out, sizeof(out));
	run1d(&sh, "bitcasts", N, &b);
	for (int t = 0; t < N; t++) {
		uint32_t bits = f2bits(in[t]);
		const uint32_t *o = &out[8 * t];
		assert_int_equal(o[0], bits);
		assert_int_equal(o[1], (int32_t)bits < 0);
		assert_int_equal(o[2], bits ^ 0x80000000u);
		assert_int_equal(o[3], bits + 0x3f800000u);
		assert_int_equal(o[4], f2bits(1.0f + bits2f(bits)));
		assert_int_equal(o[5], 1);
		uint32_t h = bits;
		h ^= h >> 16;
		h *= 0x7feb352du;
		assert_int_equal(o[6], h);
		assert_int_equal(o[7], f2bits(-in[t]));
	}
	unload(&sh);
}


/* Helper overloads are picked by argument types (float3 vs half3, scalar
 * vs vector, arity, int vs float). */
static void test_overloads(void **state)
{
	(void)state;
	struct shader sh;
	load(&sh, "overloads.metal");
	float in[] = { 1.5f, -2.5f, 0.25f };
	enum { N = sizeof(in) / sizeof(in[0]) };
	float out[N * 6];
	struct msl_exec_bindings b;
	memset(&b, 0, sizeof(b));
	bind(&b, 0, in, sizeof(in));
	bind(&b, 1, out, sizeof(out));
	run1d(&sh, "overloads", N, &b);
	for (int t = 0; t < N; t++) {
		float x = in[t];
		const float *o = &out[6 * t];
		float lum = 0.2126f * x + 0.7152f * 0.5f + 0.0722f * 0.25f;
		near(o[0], lum, 1e-6f, "luminance(float3)", t);
		near(o[1], 100.0f + lum, 1e-3f, "luminance(half3)", t); /* +100 marks the half overload */
		same(o[2], x * 2.0f, "scale(float)", t);
		same(o[3], 3.0f, "scale(float2).y", t);
		same(o[4], x * 4.0f, "scale(float, float)", t);
		same(o[5], (float)(t * 10), "scale(int)", t);
	}
	unload(&sh);
}


/* `auto` locals take their initializer's type: a float stays float (x / 3
 * is not integer division), integer counters stay integers. */
static void test_auto_locals(void **state)
{
	(void)state;
	struct shader sh;
	load(&sh, "auto_locals.metal");
	float in[] = { 1.5f, -2.5f, 0.75f };
	enum { N = sizeof(in) / sizeof(in[0]) };
	float light[8] = { 0.0f, 1.0f, 0.0f, 0.0f, 2.0f, 0.0f, 0.0f, 0.0f };
	float out[N * 5];
	struct msl_exec_bindings b;
	memset(&b, 0, sizeof(b));
	bind(&b, 0, in, sizeof(in));
	bind(&b, 1, light, sizeof(light));
	bind(&b, 2, out, sizeof(out));
	run1d(&sh, "auto_locals", N, &b);
	for (int t = 0; t < N; t++) {
		float x = in[t];
		const float *o = &out[5 * t];
		near(o[0], 2.0f / sqrtf(x * x + 1.0f), 1e-6f, "dot*intensity", t);
		same(o[1], x + 2.0f, "float2x2 * float2", t);
		same(o[2], (float)(6 * t), "auto loop counter", t);
		same(o[3], x * 2.0f, "half", t); /* inputs exact in half */
		same(o[4], x / 3.0f, "x / 3", t);
	}
	unload(&sh);
}


/* Reference determinant of an n x n column-major matrix, in double. */
static double ref_det(const double *m, int n)
{
	if (n == 1)
		return m[0];
	double acc = 0.0;
	for (int i = 0; i < n; i++) {
		double sub[9];
		int k = 0;
		for (int c = 1; c < n; c++)
			for (int r = 0; r < n; r++)
				if (r != i)
					sub[k++] = m[c * n + r];
		acc += ((i & 1) ? -1.0 : 1.0) * m[i] * ref_det(sub, n - 1);
	}
	return acc;
}

/* transpose() and determinant() (2x2, 3x3, 4x4, non-square transpose). */
static void test_matrix_builtins(void **state)
{
	(void)state;
	struct shader sh;
	load(&sh, "matrix_builtins.metal");
	float in[3][16] = {
		{ 2, 1, 0, 3, -1, 4, 2, 0, 0.5f, 0, 3, 1, 1, 2, -1, 5 },
		{ 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1 },
		{ 0.25f, -3, 7, 1.5f, 2, 2, -1, 0, 4, 0.5f, 0, -2, -6, 1, 1, 1 },
	};
	enum { N = 3 };
	float out[N * 24];
	struct msl_exec_bindings b;
	memset(&b, 0, sizeof(b));
	bind(&b, 0, in, sizeof(in));
	bind(&b, 1, out, sizeof(out));
	run1d(&sh, "matrix_builtins", N, &b);
	for (int t = 0; t < N; t++) {
		const float *m = in[t];
		const float *o = &out[24 * t];
		for (int c = 0; c < 4; c++)
			for (int k = 0; k < 4; k++)
				same(o[c * 4 + k], m[k * 4 + c], "transpose(float4x4)", t);
		double d4[16], d3[9], d2[4];
		for (int i = 0; i < 16; i++)
			d4[i] = m[i];
		for (int c = 0; c < 3; c++)
			for (int r = 0; r < 3; r++)
				d3[c * 3 + r] = m[c * 4 + r];
		for (int c = 0; c < 2; c++)
			for (int r = 0; r < 2; r++)
				d2[c * 2 + r] = m[c * 4 + r];
		near(o[16], (float)ref_det(d4, 4), 1e-5f, "determinant(float4x4)", t);
		near(o[17], (float)ref_det(d3, 3), 1e-5f, "determinant(float3x3)", t);
		near(o[18], (float)ref_det(d2, 2), 1e-6f, "determinant(float2x2)", t);
		same(o[19], m[0 * 4 + 2], "transpose(float2x3)[2][0]", t);
		same(o[20], m[1 * 4 + 0], "transpose(float2x3)[0][1]", t);
		near(o[21], m[4] * 1.0f + m[5] * 2.0f + m[6] * 3.0f, 1e-6f, "transpose(n) * v", t);
		near(o[22], 0.0f, 1e-5f, "det(transpose(n)) - det(n)", t);
		same(o[23], 1.0f, "determinant(identity)", t);
	}
	same(out[16], 89.0f, "determinant of the first matrix", 0); /* worked by hand */
	unload(&sh);
}


/* Enums: enumerators as constants (implicit values continue from the last
 * one), Enum::Name for scoped and unscoped enums, enum-typed parameters,
 * enumerators as [[buffer(n)]] indices and array sizes. */
static void test_enums(void **state)
{
	(void)state;
	struct shader sh;
	load(&sh, "enums.metal");
	float in[] = { 1.5f, -2.5f, 0.75f, 4.0f };
	enum { N = sizeof(in) / sizeof(in[0]) };
	float out[N * 6];
	struct msl_exec_bindings b;
	memset(&b, 0, sizeof(b));
	bind(&b, 0, in, sizeof(in));
	bind(&b, 1, out, sizeof(out));
	run1d(&sh, "enums", N, &b);
	for (int t = 0; t < N; t++) {
		float x = in[t];
		const float *o = &out[6 * t];
		float want = t % 3 == 0 ? x * 0.5f : t % 3 == 1 ? x + 0.5f - x * 0.5f : 0.5f;
		same(o[0], want, "blend by mode", t);
		same(o[1], 8.0f, "kOverlay = kScreen + 3", t);
		same(o[2], 15.0f, "Channel::Blue + Channel::Alpha", t);
		same(o[3], 2.0f * x, "kScale[BufferIndexOutput]", t);
		same(o[4], 2.0f, "BufferIndexCount", t);
		same(o[5], 1.0f, "Channel::Green == Channel(1)", t);
	}
	unload(&sh);
}


/* fmax/fmin (a NaN argument yields the other), mad (as fma), powr (NaN
 * below 0), copysign, min3/max3/median3 (float and int), isfinite, signbit. */
static void test_more_math(void **state)
{
	(void)state;
	struct shader sh;
	load(&sh, "more_math.metal");
	float in[][2] = {
		{ 1.5f, -2.0f }, { NAN, 3.0f }, { -0.0f, NAN }, { INFINITY, -0.0f }, { -3.0f, 0.25f },
		{ 0.75f, 0.5f },
	};
	enum { N = sizeof(in) / sizeof(in[0]) };
	float out[N * 9];
	int32_t iout[N * 3];
	struct msl_exec_bindings b;
	memset(&b, 0, sizeof(b));
	bind(&b, 0, in, sizeof(in));
	bind(&b, 1, out, sizeof(out));
	bind(&b, 2, iout, sizeof(iout));
	run1d(&sh, "more_math", N, &b);
	for (int t = 0; t < N; t++) {
		float x = in[t][0], y = in[t][1];
		const float *o = &out[9 * t];
		same(o[0], fmaxf(x, y), "fmax", t);
		same(o[1], fminf(x, y), "fmin", t);
		same(o[2], fmaf(x, y, 1.0f), "mad", t);
		same(o[3], x < 0.0f ? NAN : powf(x, 2.0f), "powr", t);
		same(o[4], copysignf(2.5f, y), "copysign", t);
		same(o[5], msl_fmin(msl_fmin(x, y), 0.5f), "min3", t);
		same(o[6], msl_fmax(msl_fmax(x, y), 0.5f), "max3", t);
		same(o[7], msl_fmax(msl_fmin(x, y), msl_fmin(msl_fmax(x, y), 0.5f)), "median3", t);
		same(o[8], (float)(isfinite(x) ? 1 : 0) + 2.0f * (float)(signbit(y) ? 1 : 0), "isfinite/signbit", t);
		int i = t - 2;
		int lo = i < 1 ? i : 1, hi = i > 1 ? i : 1;
		assert_int_equal(iout[3 * t + 0], lo < -1 ? lo : -1);
		assert_int_equal(iout[3 * t + 1], lo > (hi < -1 ? hi : -1) ? lo : (hi < -1 ? hi : -1));
		assert_int_equal(iout[3 * t + 2], isfinite(x) && isfinite(y));
	}
	same(out[9 * 1 + 0], 3.0f, "fmax(NaN, 3)", 1);
	same(out[9 * 2 + 4], 2.5f, "copysign(2.5, +NaN)", 2);
	unload(&sh);
}


static uint16_t f2h(float f) /* exact halves only: the test's inputs */
{
	uint32_t u;
	memcpy(&u, &f, 4);
	if ((u & 0x7fffffffu) == 0)
		return (uint16_t)(u >> 16);
	uint32_t sign = (u >> 16) & 0x8000u;
	int e = (int)((u >> 23) & 0xff) - 127 + 15;
	return (uint16_t)(sign | (uint32_t)e << 10 | (u >> 13 & 0x3ffu));
}

/* SkSL-style generated code: `(void)_out;`, a helper taking the output
 * struct by thread reference, half uniforms, a `?:` between half4 values. */
static void test_sksl_style_fragment(void **state)
{
	(void)state;
	struct shader sh;
	load(&sh, "sksl_style.metal");
	const msl_exec_entry *e = entry(&sh, "fragmentMain");
	struct { uint16_t green[4], red[4]; float unknown; float pad; } u = {
		{ f2h(0.0f), f2h(1.0f), f2h(0.25f), f2h(1.0f) },
		{ f2h(1.0f), f2h(0.0f), f2h(0.0f), f2h(1.0f) }, 0.0f, 0.0f,
	};
	struct msl_exec_bindings b;
	memset(&b, 0, sizeof(b));
	bind(&b, 0, &u, sizeof(u));
	enum { N = 4 };
	float pos[N * 4], var[N * 2], colors[N * 4 * MSL_EXEC_MAX_COLORS];
	for (int l = 0; l < N; l++) {
		pos[4 * l + 0] = (float)(l & 1) + 0.5f;
		pos[4 * l + 1] = (float)(l >> 1) + 0.5f;
		pos[4 * l + 2] = 0.5f;
		pos[4 * l + 3] = 1.0f;
		var[2 * l] = var[2 * l + 1] = 0.5f;
	}
	assert_int_equal(msl_exec_entry_interface(e)->varying_floats, 2);
	struct msl_exec_fragment_batch fb;
	memset(&fb, 0, sizeof(fb));
	fb.quads = 1;
	fb.live_mask = 0xf;
	fb.position = pos;
	fb.varyings = var;
	fb.colors = colors;
	msl_exec_ctx *c = msl_exec_ctx_create();
	struct msl_exec_error err;
	assert_int_equal(msl_exec_run_fragment(c, e, &b, &fb, &err), MSL_EXEC_OK);
	for (int l = 0; l < N; l++) { /* ok: colorGreen.yxzw */
		const float *o = &colors[l * 4 * MSL_EXEC_MAX_COLORS];
		same(o[0], 1.0f, "g.y", l);
		same(o[1], 0.0f, "g.x", l);
		same(o[2], 0.25f, "g.z", l);
		same(o[3], 1.0f, "g.w", l);
	}
	u.unknown = -1.0f; /* not ok: colorRed */
	assert_int_equal(msl_exec_run_fragment(c, e, &b, &fb, &err), MSL_EXEC_OK);
	same(colors[0], 1.0f, "red.x", 0);
	same(colors[1], 0.0f, "red.y", 0);
	msl_exec_ctx_free(c);
	unload(&sh);
}


/* SPIRV-Cross-shaped vertex shader: an always_inline helper taking thread
 * const references, gl_Position's Y flip and depth remap done in place. */
static void test_spirv_cross_vertex(void **state)
{
	(void)state;
	struct shader sh;
	load(&sh, "spirv_cross.metal");
	const msl_exec_entry *e = entry(&sh, "main0");
	const struct msl_exec_interface *in = msl_exec_entry_interface(e);
	assert_int_equal(in->attribute_floats, 8);
	struct { float proj[16], model[16], light[4]; } ubo;
	memset(&ubo, 0, sizeof(ubo));
	for (int i = 0; i < 4; i++)
		ubo.proj[i * 5] = 1.0f;
	ubo.proj[0] = 2.0f;                /* x scale */
	for (int i = 0; i < 4; i++)
		ubo.model[i * 5] = 1.0f;
	ubo.model[12] = 0.5f;              /* x translation */
	struct msl_exec_bindings b;
	memset(&b, 0, sizeof(b));
	bind(&b, 0, &ubo, sizeof(ubo));
	enum { N = 4 };
	float attrs[N * 8], pos[N * 4], vary[N * 8];
	uint32_t vid[N] = { 0, 1, 2, 3 };
	for (int v = 0; v < N; v++) {
		float *a = &attrs[v * 8];
		a[0] = (float)v; a[1] = 1.0f; a[2] = 0.5f;   /* inPos */
		a[3] = 0.0f; a[4] = 3.0f; a[5] = 4.0f;       /* inNormal */
		a[6] = 0.25f; a[7] = 0.75f;                  /* inUV */
	}
	struct msl_exec_vertex_batch vb = { N, vid, NULL, attrs, pos, vary };
	msl_exec_ctx *c = msl_exec_ctx_create();
	struct msl_exec_error err;
	assert_int_equal(msl_exec_run_vertex(c, e, &b, &vb, &err), MSL_EXEC_OK);
	assert_int_equal(in->n_varyings, 2);
	assert_string_equal(in->varyings[0].name, "locn0");
	for (int v = 0; v < N; v++) {
		same(pos[4 * v + 0], 2.0f * ((float)v + 0.5f), "x", v);
		same(pos[4 * v + 1], -1.0f, "flipped y", v);
		same(pos[4 * v + 2], (0.5f + 1.0f) * 0.5f, "remapped z", v);
		same(pos[4 * v + 3], 1.0f, "w", v);
		const float *n = &vary[v * in->varying_floats + in->varyings[0].offset];
		near(n[1], 0.6f, 1e-6f, "normal.y", v);
		near(n[2], 0.8f, 1e-6f, "normal.z", v);
		const float *uv = &vary[v * in->varying_floats + in->varyings[1].offset];
		same(uv[0], (v & 1) ? 0.25f : 0.0f, "uv.x", v);
	}
	msl_exec_ctx_free(c);
	unload(&sh);
}


/* switch: grouped labels, fallthrough, default in the middle falling into
 * a case, break inside a loop, enum labels, a helper returning from every
 * case (accepted without a trailing return). */
static void test_switches(void **state)
{
	(void)state;
	struct shader sh;
	load(&sh, "switches.metal");
	int32_t in[] = { 0, 1, 2, 3, 7, 9, -4, 5 };
	enum { N = sizeof(in) / sizeof(in[0]) };
	float out[N * 3];
	struct msl_exec_bindings b;
	memset(&b, 0, sizeof(b));
	bind(&b, 0, in, sizeof(in));
	bind(&b, 1, out, sizeof(out));
	run1d(&sh, "switches", N, &b);
	for (int t = 0; t < N; t++) {
		int v = in[t];
		float r = 0.0f;
		switch (v) {
		case 0: case 1: r = 10.0f; break;
		case 2: r = 20.0f; /* fall through */
		case 3: r += 1.0f; break;
		default: r = -1.0f; /* fall through */
		case 7: r += 100.0f;
		}
		float loops = 0.0f;
		for (int i = 0; i < 4; i++)
			loops += (((uint32_t)(i + v)) & 1u) == 0 ? 1.0f : 10.0f;
		float a = 0.5f, c = 0.25f, bl;
		switch (v & 3) {
		case 1: bl = a * c; break;
		case 2: bl = a + c - a * c; break;
		case 3: bl = fminf(a + c, 1.0f); break;
		default: bl = c;
		}
		same(out[3 * t + 0], r, "switch", t);
		same(out[3 * t + 1], loops, "switch in a loop", t);
		same(out[3 * t + 2], bl, "blend", t);
	}
	unload(&sh);
}


/* RGBA8 colours in a uint: unpack (byte / 255, x from the low byte) and
 * pack (clamp, * 255, round to nearest even; NaN -> 0). */
static void test_pack_unorm(void **state)
{
	(void)state;
	struct shader sh;
	load(&sh, "pack_unorm.metal");
	uint32_t packed[] = { 0xff000000u, 0x80402010u, 0x00ff7f01u, 0xdeadbeefu };
	float colors[][4] = {
		{ 0.0f, 1.0f, 0.5f, 2.0f },                       /* 127.5 -> 128 (even) */
		{ -1.0f, NAN, 0.25f, 1.5f / 255.0f },            /* 63.75 -> 64; 1.5 -> 2 */
		{ 2.5f / 255.0f, 0.5f / 255.0f, 1.0f, 0.999f },  /* 2.5 -> 2, 0.5 -> 0 */
		{ 0.1f, 0.2f, 0.3f, 0.4f },
	};
	enum { N = 4 };
	float unpacked[N * 4];
	uint32_t repacked[N * 2];
	struct msl_exec_bindings b;
	memset(&b, 0, sizeof(b));
	bind(&b, 0, packed, sizeof(packed));
	bind(&b, 1, colors, sizeof(colors));
	bind(&b, 2, unpacked, sizeof(unpacked));
	bind(&b, 3, repacked, sizeof(repacked));
	run1d(&sh, "pack_unorm", N, &b);
	for (int t = 0; t < N; t++) {
		uint32_t want = 0;
		for (int c = 0; c < 4; c++) {
			same(unpacked[t * 4 + c], (float)((packed[t] >> (8 * c)) & 0xffu) / 255.0f, "unpack", t);
			float v = colors[t][c];
			v = isnan(v) ? 0.0f : v < 0.0f ? 0.0f : v > 1.0f ? 1.0f : v;
			want |= (uint32_t)rintf(v * 255.0f) << (8 * c); /* default mode: nearest even */
		}
		assert_int_equal(repacked[t * 2 + 0], want);
		assert_int_equal(repacked[t * 2 + 1], packed[t]); /* round trip through half */
	}
	assert_int_equal(repacked[0], 0xff80ff00u);
	assert_int_equal(repacked[2], 0x02400000u); /* x: NaN and negative -> 0 */
	unload(&sh);
}


/* sizeof(type) and sizeof(expr): Metal layout sizes as uint constants. */
static void test_sizeof(void **state)
{
	(void)state;
	struct shader sh;
	load(&sh, "sizeof.metal");
	uint32_t out[8];
	struct msl_exec_bindings b;
	memset(&b, 0, sizeof(b));
	bind(&b, 0, out, sizeof(out));
	run1d(&sh, "sizes", 1, &b);
	static const uint32_t want[8] = { 4, 4, 16, 12, 48, 32, 20, 7 };
	for (int i = 0; i < 8; i++)
		assert_int_equal(out[i], want[i]);
	unload(&sh);
}


/* Function-like macros: nested calls, arguments with commas in
 * parentheses and spanning lines, a macro passed to another macro, a
 * zero-parameter macro, the macro's name used as a plain variable. */
static void test_function_like_macros(void **state)
{
	(void)state;
	struct shader sh;
	load(&sh, "macros.metal");
	float in[] = { 1.5f, -0.5f, 3.0f };
	enum { N = sizeof(in) / sizeof(in[0]) };
	float out[N * 4];
	struct msl_exec_bindings b;
	memset(&b, 0, sizeof(b));
	bind(&b, 0, in, sizeof(in));
	bind(&b, 1, out, sizeof(out));
	run1d(&sh, "macros", N, &b);
	for (int t = 0; t < N; t++) {
		float x = in[t];
		const float *o = &out[4 * t];
		same(o[0], (x + 1.0f) * (x + 1.0f) + 3.0f, "SQUARE(x + 1) + SQUARE", t);
		float m = msl_fmax(x, 2.0f);
		float l = x + (m - x) * 0.5f;
		same(o[1], msl_fmin(msl_fmax(l, 0.0f), 1.0f), "SATURATE(LERP(...))", t);
		same(o[2], (x * x) * (x * x) + 0.0f, "TWICE(SQUARE, x)", t);
		near(o[3], 0.2126f * x + 0.7152f * x * x + 0.0722f, 1e-6f, "LUMA", t);
	}
	unload(&sh);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_math_unary),
		cmocka_unit_test(test_math_binary),
		cmocka_unit_test(test_math_ternary),
		cmocka_unit_test(test_geometry),
		cmocka_unit_test(test_relational),
		cmocka_unit_test(test_swizzles),
		cmocka_unit_test(test_matrices),
		cmocka_unit_test(test_int_edges),
		cmocka_unit_test(test_narrow_ints),
		cmocka_unit_test(test_divergent_control),
		cmocka_unit_test(test_loops_and_early_return),
		cmocka_unit_test(test_side_effects_short_circuit),
		cmocka_unit_test(test_runaway_loop_stops),
		cmocka_unit_test(test_structs_and_constant_buffer),
		cmocka_unit_test(test_arrays_dynamic_index),
		cmocka_unit_test(test_half_precision),
		cmocka_unit_test(test_vertex_stage_in),
		cmocka_unit_test(test_fragment_rounded_rect),
		cmocka_unit_test(test_fragment_derivatives),
		cmocka_unit_test(test_fragment_discard_mask),
		cmocka_unit_test(test_fragment_two_targets),
		cmocka_unit_test(test_constexpr_sampler),
		cmocka_unit_test(test_compute_path_coverage),
		cmocka_unit_test(test_link_mismatch),
		cmocka_unit_test(test_deterministic_across_batches),
		cmocka_unit_test(test_fragment_gradients),
		cmocka_unit_test(test_fragment_drop_shadow),
		cmocka_unit_test(test_fragment_blur_loop),
		cmocka_unit_test(test_compute_particles_device_structs),
		cmocka_unit_test(test_references_and_pointers),
		cmocka_unit_test(test_fragment_narrow_color),
		cmocka_unit_test(test_bool_bytes_in_buffers),
		cmocka_unit_test(test_helper_lanes_out_of_range),
		cmocka_unit_test(test_int_builtins),
		cmocka_unit_test(test_matrices_in_buffers),
		cmocka_unit_test(test_helper_lane_runaway_loop),
		cmocka_unit_test(test_paren_expressions_vs_casts),
		cmocka_unit_test(test_block_scope_samplers),
		cmocka_unit_test(test_user_locn_linking),
		cmocka_unit_test(test_unsized_arrays),
		cmocka_unit_test(test_as_type_bitcasts),
		cmocka_unit_test(test_overloads),
		cmocka_unit_test(test_auto_locals),
		cmocka_unit_test(test_matrix_builtins),
		cmocka_unit_test(test_enums),
		cmocka_unit_test(test_more_math),
		cmocka_unit_test(test_sksl_style_fragment),
		cmocka_unit_test(test_spirv_cross_vertex),
		cmocka_unit_test(test_switches),
		cmocka_unit_test(test_pack_unorm),
		cmocka_unit_test(test_sizeof),
		cmocka_unit_test(test_function_like_macros),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
