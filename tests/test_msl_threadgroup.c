/*
 * test_msl_threadgroup.c — threadgroup memory and barriers through the
 * whole pipeline: tests/msl/exec/threadgroup_kernels.metal compiled,
 * lowered and run by the executor, compared bit for bit with the same
 * algorithms written in C (tree reduction, tiled 1D blur, prefix sum),
 * plus divergent barriers (an error, not a hang) and determinism.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "msl/exec.h"
#include "msl/msl.h"

#define FILE_NAME "tests/msl/exec/threadgroup_kernels.metal"

struct shader {
	char *src;
	struct msl_program *prog;
	msl_exec_module *mod;
};

static struct shader sh;

static int setup(void **state)
{
	(void)state;
	FILE *f = fopen(FILE_NAME, "rb");
	if (!f) {
		fprintf(stderr, "cannot open %s (run from the top of the tree)\n", FILE_NAME);
		return -1;
	}
	sh.src = malloc(1 << 16);
	size_t n = sh.src ? fread(sh.src, 1, (1 << 16) - 1, f) : 0;
	fclose(f);
	struct msl_diag_list d;
	msl_diag_list_init(&d);
	sh.prog = msl_compile(sh.src, n, FILE_NAME, &d);
	if (!sh.prog)
		msl_diag_print(&d, sh.src, n, stderr);
	msl_diag_list_free(&d);
	if (!sh.prog)
		return -1;
	struct msl_exec_error err;
	sh.mod = msl_exec_module_create(sh.prog, &err);
	if (!sh.mod)
		fprintf(stderr, "%s:%u:%u: %s\n", FILE_NAME, err.line, err.col, err.message);
	return sh.mod ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	msl_exec_module_free(sh.mod);
	msl_program_free(sh.prog);
	free(sh.src);
	return 0;
}

static const msl_exec_entry *entry(const char *name)
{
	const msl_exec_entry *e = msl_exec_find_entry(sh.mod, name);
	if (!e)
		fail_msg("no entry point '%s'", name);
	return e;
}

/* A 1D dispatch of `grid` threads in groups of `tg`; returns the first
 * failing status (err filled) or OK. */
static enum msl_exec_status dispatch(const char *fn, struct msl_exec_bindings *b, uint32_t grid,
				     uint32_t tg, struct msl_exec_error *err)
{
	msl_exec_ctx *c = msl_exec_ctx_create();
	assert_non_null(c);
	uint32_t groups = (grid + tg - 1) / tg;
	enum msl_exec_status s = MSL_EXEC_OK;
	for (uint32_t g = 0; g < groups && s == MSL_EXEC_OK; g++) {
		struct msl_exec_compute_group grp = { { g, 0, 0 }, { tg, 1, 1 }, { grid, 1, 1 }, { groups, 1, 1 } };
		s = msl_exec_run_compute(c, entry(fn), b, &grp, err);
	}
	msl_exec_ctx_free(c);
	return s;
}

static void run_ok(const char *fn, struct msl_exec_bindings *b, uint32_t grid, uint32_t tg)
{
	struct msl_exec_error err;
	enum msl_exec_status s = dispatch(fn, b, grid, tg, &err);
	if (s != MSL_EXEC_OK)
		fail_msg("%s: %s at %u:%u: %s", fn, msl_exec_status_name(s), err.line, err.col, err.message);
}

static void bind(struct msl_exec_bindings *b, uint32_t i, void *data, size_t size)
{
	b->buffers[i].data = data;
	b->buffers[i].size = size;
}

/* Inputs whose sums round: the reduction order matters to the bit. */
static float input(uint32_t i)
{
	uint32_t h = i * 2654435761u;
	return (float)(h >> 8) / 16777216.0f * 10.0f - 3.0f;
}

static void assert_same_bits(const float *got, const float *want, size_t n, const char *what)
{
	for (size_t i = 0; i < n; i++)
		if (memcmp(&got[i], &want[i], 4) != 0)
			fail_msg("%s[%zu]: got %.9g, want %.9g", what, i, (double)got[i], (double)want[i]);
}

/* The tree reduction with barriers, over 4 groups of 256. */
static void test_reduce_sum(void **state)
{
	(void)state;
	enum { N = 1024, TG = 256 };
	float in[N], out[N / TG], want[N / TG];
	for (uint32_t i = 0; i < N; i++)
		in[i] = input(i);
	memset(out, 0, sizeof(out));
	for (uint32_t g = 0; g < N / TG; g++) {
		float p[TG];
		memcpy(p, in + g * TG, sizeof(p));
		for (uint32_t s = TG / 2; s > 0; s >>= 1)
			for (uint32_t t = 0; t < s; t++)
				p[t] += p[t + s];
		want[g] = p[0];
	}
	struct msl_exec_bindings b;
	memset(&b, 0, sizeof(b));
	bind(&b, 0, in, sizeof(in));
	bind(&b, 1, out, sizeof(out));
	run_ok("reduce_sum", &b, N, TG);
	assert_same_bits(out, want, N / TG, "reduce_sum");
	/* one group that fits in a single batch takes the no-chunk path */
	float small_out[N / 32];
	float small_want[N / 32];
	memset(small_out, 0, sizeof(small_out));
	for (uint32_t g = 0; g < N / 32; g++) {
		float p[32];
		memcpy(p, in + g * 32, sizeof(p));
		for (uint32_t s = 16; s > 0; s >>= 1)
			for (uint32_t t = 0; t < s; t++)
				p[t] += p[t + s];
		small_want[g] = p[0];
	}
	bind(&b, 1, small_out, sizeof(small_out));
	run_ok("reduce_sum", &b, N, 32);
	assert_same_bits(small_out, small_want, N / 32, "reduce_sum (groups of 32)");
}

/* Tiled blur: the tile and its apron in threadgroup memory. */
static void test_blur_1d(void **state)
{
	(void)state;
	enum { N = 256, TG = 64, R = 2 };
	float in[N], out[N], want[N];
	uint32_t n = N;
	for (uint32_t i = 0; i < N; i++)
		in[i] = input(i + 7);
	for (int i = 0; i < N; i++) {
		float acc = 0.0f;
		for (int k = -R; k <= R; k++) {
			int j = i + k < 0 ? 0 : i + k > N - 1 ? N - 1 : i + k;
			acc += in[j];
		}
		want[i] = acc / (float)(2 * R + 1);
	}
	memset(out, 0, sizeof(out));
	struct msl_exec_bindings b;
	memset(&b, 0, sizeof(b));
	bind(&b, 0, in, sizeof(in));
	bind(&b, 1, out, sizeof(out));
	bind(&b, 2, &n, sizeof(n));
	run_ok("blur_1d", &b, N, TG);
	assert_same_bits(out, want, N, "blur_1d");
}

/* Hillis-Steele scan over a group of 1000 threads: 16 chunks, the last
 * partial, meeting at ten barriers inside a loop. */
static void test_prefix_sum(void **state)
{
	(void)state;
	enum { N = 1000 };
	uint32_t in[N], out[N], want[N];
	uint32_t acc = 0;
	for (uint32_t i = 0; i < N; i++) {
		in[i] = (i * 7919u) % 1000u;
		acc += in[i];
		want[i] = acc;
	}
	memset(out, 0, sizeof(out));
	struct msl_exec_bindings b;
	memset(&b, 0, sizeof(b));
	bind(&b, 0, in, sizeof(in));
	bind(&b, 1, out, sizeof(out));
	run_ok("prefix_sum", &b, N, N);
	assert_memory_equal(out, want, sizeof(out));
}

/* A barrier inside a branch half of the group takes: an error naming the
 * barrier's line, whether the halves are in one batch or in several. */
static void test_divergent_barrier(void **state)
{
	(void)state;
	float out[1024];
	struct msl_exec_bindings b;
	memset(&b, 0, sizeof(b));
	bind(&b, 0, out, sizeof(out));
	uint32_t sizes[] = { 32, 256, 1024 };
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		struct msl_exec_error err;
		memset(out, 0, sizeof(out));
		enum msl_exec_status s = dispatch("divergent", &b, sizes[i], sizes[i], &err);
		assert_int_equal(s, MSL_EXEC_ERR_BARRIER);
		assert_int_equal(err.status, MSL_EXEC_ERR_BARRIER);
		assert_int_equal(err.line, 81);
		assert_int_equal(err.col, 9);
		assert_non_null(strstr(err.message, "divergent"));
	}
}

/* A barrier in a helper, simdgroup_barrier, and the same result on every
 * run of a reused context (threadgroup memory starts zeroed each group). */
static void test_reverse_deterministic(void **state)
{
	(void)state;
	enum { N = 200 };
	float data[N], first[N];
	for (uint32_t i = 0; i < N; i++)
		data[i] = input(i);
	struct msl_exec_bindings b;
	memset(&b, 0, sizeof(b));
	bind(&b, 0, data, sizeof(data));
	run_ok("reverse", &b, N, N);
	for (uint32_t i = 0; i < N; i++)
		assert_memory_equal(&data[i], &(float){ input(N - 1 - i) }, 4);
	memcpy(first, data, sizeof(first));
	run_ok("reverse", &b, N, N);
	run_ok("reverse", &b, N, N);
	assert_memory_equal(first, data, sizeof(data));
}

/* Threads outside the grid do not exist, so they take no part in barriers:
 * a reduction over a partial last group still meets every barrier. */
static void test_partial_group(void **state)
{
	(void)state;
	enum { N = 300, TG = 256 };
	float in[512], out[2], want[2];
	for (uint32_t i = 0; i < 512; i++)
		in[i] = i < N ? input(i) : 0.0f;
	/* threads past the grid never store, so their slots keep 0 */
	for (uint32_t g = 0; g < 2; g++) {
		float p[TG];
		for (uint32_t t = 0; t < TG; t++)
			p[t] = g * TG + t < N ? in[g * TG + t] : 0.0f;
		for (uint32_t s = TG / 2; s > 0; s >>= 1)
			for (uint32_t t = 0; t < s; t++)
				p[t] += p[t + s];
		want[g] = p[0];
	}
	memset(out, 0, sizeof(out));
	struct msl_exec_bindings b;
	memset(&b, 0, sizeof(b));
	bind(&b, 0, in, sizeof(in));
	bind(&b, 1, out, sizeof(out));
	run_ok("reduce_sum", &b, N, TG);
	assert_same_bits(out, want, 2, "reduce_sum (partial group)");
}

/* 2D groups and [[thread_index_in_threadgroup]]: each 16x16 tile of a
 * 32x32 image is transposed in place through threadgroup memory. */
static void test_transpose_tile(void **state)
{
	(void)state;
	enum { W = 32, T = 16 };
	float in[W * W], out[W * W];
	uint32_t width = W;
	for (uint32_t i = 0; i < W * W; i++)
		in[i] = (float)i;
	memset(out, 0, sizeof(out));
	struct msl_exec_bindings b;
	memset(&b, 0, sizeof(b));
	bind(&b, 0, in, sizeof(in));
	bind(&b, 1, out, sizeof(out));
	bind(&b, 2, &width, sizeof(width));
	msl_exec_ctx *c = msl_exec_ctx_create();
	assert_non_null(c);
	for (uint32_t gy = 0; gy < W / T; gy++)
		for (uint32_t gx = 0; gx < W / T; gx++) {
			struct msl_exec_compute_group g = { { gx, gy, 0 }, { T, T, 1 }, { W, W, 1 }, { W / T, W / T, 1 } };
			struct msl_exec_error err;
			enum msl_exec_status s = msl_exec_run_compute(c, entry("transpose_tile"), &b, &g, &err);
			if (s)
				fail_msg("transpose_tile: %s at %u:%u: %s", msl_exec_status_name(s), err.line, err.col,
					 err.message);
		}
	msl_exec_ctx_free(c);
	for (uint32_t y = 0; y < W; y++)
		for (uint32_t x = 0; x < W; x++) {
			uint32_t tx = x / T * T, ty = y / T * T, lx = x % T, ly = y % T;
			float want = in[(ty + lx) * W + tx + ly];
			if (out[y * W + x] != want)
				fail_msg("transpose_tile (%u,%u): got %g, want %g", x, y, (double)out[y * W + x],
					 (double)want);
		}
}

/* &slots[i] is a threadgroup pointer; stores through it reach the group. */
static void test_through_pointer(void **state)
{
	(void)state;
	enum { N = 100 };
	float out[N];
	memset(out, 0, sizeof(out));
	struct msl_exec_bindings b;
	memset(&b, 0, sizeof(b));
	bind(&b, 0, out, sizeof(out));
	run_ok("through_pointer", &b, N, N);
	for (uint32_t i = 0; i < N; i++)
		assert_true(out[i] == (float)((i + N - 1) % N) * 2.0f);
}

/* Both branches have a barrier, but not the same one: an error naming
 * both, not a silent merge of two different barriers. */
static void test_different_barriers(void **state)
{
	(void)state;
	float out[128];
	struct msl_exec_bindings b;
	memset(&b, 0, sizeof(b));
	bind(&b, 0, out, sizeof(out));
	struct msl_exec_error err;
	assert_int_equal(dispatch("two_barriers", &b, 128, 128, &err), MSL_EXEC_ERR_BARRIER);
	assert_int_equal(err.line, 144);
	assert_non_null(strstr(err.message, "at the one at line 146:9"));
}

/* A barrier inside an endless loop: the context's loop limit ends it, with
 * every chunk having waited at the barrier on each trip. */
static void test_barrier_loop_limit(void **state)
{
	(void)state;
	float out[1];
	struct msl_exec_bindings b;
	memset(&b, 0, sizeof(b));
	bind(&b, 0, out, sizeof(out));
	msl_exec_ctx *c = msl_exec_ctx_create();
	assert_non_null(c);
	msl_exec_ctx_set_loop_limit(c, 100);
	struct msl_exec_compute_group g = { { 0, 0, 0 }, { 256, 1, 1 }, { 256, 1, 1 }, { 1, 1, 1 } };
	struct msl_exec_error err;
	assert_int_equal(msl_exec_run_compute(c, entry("spin"), &b, &g, &err), MSL_EXEC_ERR_LOOP_LIMIT);
	assert_non_null(strstr(err.message, "100 iterations"));
	msl_exec_ctx_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reduce_sum),
		cmocka_unit_test(test_blur_1d),
		cmocka_unit_test(test_prefix_sum),
		cmocka_unit_test(test_divergent_barrier),
		cmocka_unit_test(test_reverse_deterministic),
		cmocka_unit_test(test_partial_group),
		cmocka_unit_test(test_transpose_tile),
		cmocka_unit_test(test_through_pointer),
		cmocka_unit_test(test_different_barriers),
		cmocka_unit_test(test_barrier_loop_limit),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
