/*
 * test_msl_pointers.c — pointer arithmetic in MSL (tests/msl/exec/pointer_arith.metal):
 * p + i, p - i, p++, p += n, *(p + 1), p[-1], p < end, &arr[i], p - q and
 * p + k passed to helpers, run by the executor and compared with the same
 * loops in C; moving a pointer out of its buffer is a bounds error; forms
 * the executor cannot run exactly fail lowering at their line:col.
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
#include "common/msl_shader.h"


static void bind(struct msl_exec_bindings *b, uint32_t i, void *data, size_t size)
{
	b->buffers[i].data = data;
	b->buffers[i].size = size;
}

/* One threadgroup of n threads in x. */
static enum msl_exec_status run(struct shader *sh, const char *fn, uint32_t n,
				const struct msl_exec_bindings *b, struct msl_exec_error *err)
{
	const msl_exec_entry *e = msl_exec_find_entry(sh->mod, fn);
	if (!e)
		fail_msg("no entry point '%s'", fn);
	msl_exec_ctx *c = msl_exec_ctx_create();
	assert_non_null(c);
	struct msl_exec_compute_group g = { { 0, 0, 0 }, { n, 1, 1 }, { n, 1, 1 }, { 1, 1, 1 } };
	enum msl_exec_status s = msl_exec_run_compute(c, e, b, &g, err);
	msl_exec_ctx_free(c);
	return s;
}

static void run_ok(struct shader *sh, const char *fn, uint32_t n, const struct msl_exec_bindings *b)
{
	struct msl_exec_error err;
	enum msl_exec_status s = run(sh, fn, n, b, &err);
	if (s != MSL_EXEC_OK)
		fail_msg("%s: %s at %u:%u: %s", fn, msl_exec_status_name(s), err.line, err.col, err.message);
}

static void same(float got, float want, const char *what, int i)
{
	if (memcmp(&got, &want, sizeof(got)) != 0)
		fail_msg("%s[%d]: got %.9g, want %.9g", what, i, (double)got, (double)want);
}

static void test_rows(void **state)
{
	(void)state;
	struct shader sh;
	load(&sh, "pointer_arith.metal");
	enum { T = 6 };
	float in[T * 5], out[T * 5];
	for (int i = 0; i < T * 5; i++)
		in[i] = (float)i * 0.25f - 3.0f;
	memset(out, 0, sizeof(out));
	struct msl_exec_bindings b;
	memset(&b, 0, sizeof(b));
	bind(&b, 0, out, sizeof(out));
	bind(&b, 1, in, sizeof(in));
	run_ok(&sh, "rows", T, &b);
	for (int t = 0; t < T; t++) {
		float *o = out + t * 5;
		const float *src = in + t * 5;
		for (int i = 0; i < 5; i++)
			same(o[i], src[i] * 2.0f + (float)i, "rows", t * 5 + i);
	}
	unload(&sh);
}

static void test_walk(void **state)
{
	(void)state;
	struct shader sh;
	load(&sh, "pointer_arith.metal");
	enum { T = 5 };
	uint32_t segs[T * 2] = { 0, 3, 3, 1, 4, 0, 4, 5, 9, 2 };
	float vals[11], out[T * 3];
	for (int i = 0; i < 11; i++)
		vals[i] = (float)(i * i % 7) - 2.5f;
	memset(out, 0, sizeof(out));
	struct msl_exec_bindings b;
	memset(&b, 0, sizeof(b));
	bind(&b, 0, out, sizeof(out));
	bind(&b, 1, segs, sizeof(segs));
	bind(&b, 2, vals, sizeof(vals));
	run_ok(&sh, "walk", T, &b);
	for (int t = 0; t < T; t++) {
		const float *p = vals + segs[2 * t], *end = p + segs[2 * t + 1];
		float sum = 0.0f, pairs = 0.0f;
		for (; p < end; p++) {
			sum += *p;
			if (p + 1 < end)
				pairs += *p * *(p + 1);
		}
		same(out[t * 3], sum, "sum", t);
		same(out[t * 3 + 1], pairs, "pairs", t);
		same(out[t * 3 + 2], segs[2 * t + 1] > 0 ? end[-1] : -1.0f, "last", t);
	}
	unload(&sh);
}

static float ref_sum_n(const float *p, int n)
{
	float acc = 0.0f;
	while (n-- > 0)
		acc += *p++;
	return acc;
}

static void test_helpers(void **state)
{
	(void)state;
	struct shader sh;
	load(&sh, "pointer_arith.metal");
	enum { T = 4 };
	float data[T * 8], ref[T * 8], out[T * 2];
	for (int i = 0; i < T * 8; i++)
		data[i] = ref[i] = (float)(i % 5) + 0.5f;
	struct msl_exec_bindings b;
	memset(&b, 0, sizeof(b));
	bind(&b, 0, data, sizeof(data));
	bind(&b, 1, out, sizeof(out));
	run_ok(&sh, "helpers", T, &b);
	for (int t = 0; t < T; t++) {
		float *row = ref + t * 8;
		for (float *p = row + 2; p != row + 6; ++p)
			*p *= 3.0f;
		float *q = row + 7 - 2 - 1;
		same(out[t * 2], ref_sum_n(row + 1, 6), "sum_n", t);
		same(out[t * 2 + 1], *q + q[-4], "q", t);
	}
	for (int i = 0; i < T * 8; i++)
		same(data[i], ref[i], "data", i);
	unload(&sh);
}

static void test_diffs(void **state)
{
	(void)state;
	struct shader sh;
	load(&sh, "pointer_arith.metal");
	enum { T = 4 };
	float buf[T * 3 + 1];
	int32_t out[T * 4];
	memset(buf, 0, sizeof(buf));
	struct msl_exec_bindings b;
	memset(&b, 0, sizeof(b));
	bind(&b, 0, out, sizeof(out));
	bind(&b, 1, buf, sizeof(buf));
	run_ok(&sh, "diffs", T, &b);
	for (int t = 0; t < T; t++) {
		const float *a = &buf[t], *q = &buf[t * 3 + 1];
		int flags = (a < q) + 2 * (a <= q) + 4 * (a == q) + 8 * (a != q) + 16 * (a > q) + 32 * (a >= q);
		assert_int_equal(out[t * 4 + 0], (int)(q - a));
		assert_int_equal(out[t * 4 + 1], (int)(a - q));
		assert_int_equal(out[t * 4 + 2], flags);
		assert_int_equal(out[t * 4 + 3], (int)((buf + t + 1) - a));
	}
	unload(&sh);
}

static void test_divergent(void **state)
{
	(void)state;
	struct shader sh;
	load(&sh, "pointer_arith.metal");
	enum { T = 8 };
	uint32_t out[T * 4];
	memset(out, 0, sizeof(out));
	struct msl_exec_bindings b;
	memset(&b, 0, sizeof(b));
	bind(&b, 0, out, sizeof(out));
	run_ok(&sh, "divergent", T, &b);
	for (uint32_t t = 0; t < T; t++)
		for (uint32_t i = 0; i < 4; i++)
			assert_int_equal(out[t * 4 + i], i == (t % 2 ? 2u : 1u) ? t + 100 : 0);
	unload(&sh);
}

static void test_choose(void **state)
{
	(void)state;
	struct shader sh;
	load(&sh, "pointer_arith.metal");
	enum { T = 9 };
	uint32_t out[T * 2];
	memset(out, 0, sizeof(out));
	struct msl_exec_bindings b;
	memset(&b, 0, sizeof(b));
	bind(&b, 0, out, sizeof(out));
	run_ok(&sh, "choose", T, &b);
	for (uint32_t t = 0; t < T; t++) {
		assert_int_equal(out[t * 2], t % 3 == 0 ? t + 1 : 0);
		assert_int_equal(out[t * 2 + 1], t % 3 == 0 ? 0 : t + 1);
	}
	unload(&sh);
}

static void test_moved_out_of_bounds(void **state)
{
	(void)state;
	struct shader sh;
	load(&sh, "pointer_arith.metal");
	float out[4] = { 0, 0, 0, 0 };
	struct msl_exec_bindings b;
	memset(&b, 0, sizeof(b));
	bind(&b, 0, out, sizeof(out));
	struct msl_exec_error err;
	/* thread 0 moves to out - 1: reported, nothing written anywhere */
	assert_int_equal(run(&sh, "before", 4, &b, &err), MSL_EXEC_ERR_BOUNDS);
	assert_non_null(strstr(err.message, "buffer 0"));
	assert_int_equal(err.line, 102);
	unload(&sh);
}

/* Forms the front end accepts but the executor cannot run exactly fail
 * lowering at their line:col. */
static void lower_fails(const char *src, unsigned line, unsigned col, const char *msg)
{
	struct msl_diag_list d;
	msl_diag_list_init(&d);
	struct msl_program *prog = msl_compile(src, strlen(src), "t.metal", &d);
	if (!prog)
		msl_diag_print(&d, src, strlen(src), stderr);
	msl_diag_list_free(&d);
	assert_non_null(prog);
	struct msl_exec_error err;
	msl_exec_module *m = msl_exec_module_create(prog, &err);
	assert_null(m);
	assert_int_equal(err.line, line);
	assert_int_equal(err.col, col);
	if (!strstr(err.message, msg))
		fail_msg("message '%s' lacks '%s'", err.message, msg);
	msl_program_free(prog);
}

static void test_unsupported_forms(void **state)
{
	(void)state;
	lower_fails("kernel void k(device float *a [[buffer(0)]], device float *b [[buffer(1)]]) {\n"
		    "    a[0] = float(b - a);\n}\n",
		    2, 20, "different buffers");
	lower_fails("kernel void k(device float *a [[buffer(0)]], device float *b [[buffer(1)]]) {\n"
		    "    device float *p = a;\n    p = b;\n    *p = 1.0;\n}\n",
		    3, 5, "different buffer");
	lower_fails("kernel void k(device float *a [[buffer(0)]]) {\n"
		    "    float v[4] = { 1, 2, 3, 4 };\n    thread float *p = &v[0];\n"
		    "    a[0] = *(p + 1);\n}\n",
		    4, 16, "thread-space pointer");
	lower_fails("kernel void k(device float *a [[buffer(0)]], device float *b [[buffer(1)]],\n"
		    "              uint t [[thread_position_in_grid]]) {\n"
		    "    device float *p = t == 0 ? a : b;\n    *p = 1.0;\n}\n",
		    3, 30, "different buffers");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_walk),
		cmocka_unit_test(test_helpers),
		cmocka_unit_test(test_diffs),
		cmocka_unit_test(test_divergent),
		cmocka_unit_test(test_choose),
		cmocka_unit_test(test_moved_out_of_bounds),
		cmocka_unit_test(test_unsupported_forms),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
