/*
 * test_msl_exec_ir.c — the executor core, driven by IR built by hand (no
 * front end): lane masks for divergent control flow, loop limits, defined
 * integer edge cases, half rounding, quad derivatives, discard, bounds
 * errors and texture callbacks.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "msl/ir.h"

#define NONE MSL_IR_NONE

/* A kernel whose code the test appends after `tid` (thread_position_in_grid.x)
 * is loaded; results go to buffer 0 through out(). */
struct kb {
	struct msl_exec_entry *e;
	uint32_t tid;
};

static struct kb kernel(void)
{
	struct kb k;
	k.e = msl_ir_entry_new("k", MSL_EXEC_KERNEL);
	assert_non_null(k.e);
	k.tid = msl_ir_regs(k.e, 1);
	msl_ir_add_input(k.e, IR_IN_TPIG, k.tid, 0, MSL_EXEC_UINT);
	return k;
}

static uint32_t kconst(struct kb *k, uint32_t v)
{
	uint32_t r = msl_ir_regs(k->e, 1);
	msl_ir_const_u(k->e, r, v);
	return r;
}

static uint32_t op(struct kb *k, enum msl_ir_op o, uint32_t a, uint32_t b)
{
	uint32_t r = msl_ir_regs(k->e, 1);
	msl_ir_emit(k->e, o, r, a, b, NONE);
	return r;
}

/* buffer0[tid * 4 + slot * 4 * lanes] = value */
static void out(struct kb *k, uint32_t value, uint32_t slot, uint32_t lanes)
{
	uint32_t off = op(k, IR_IMUL, k->tid, kconst(k, 4));
	uint32_t pc = msl_ir_emit(k->e, IR_STORE, NONE, off, value, IR_MEM_32);
	k->e->code[pc].aux = 0;
	k->e->code[pc].imm.u = slot * 4 * lanes;
}

static enum msl_exec_status run_kernel(struct kb *k, uint32_t lanes, void *buf, size_t size,
				       struct msl_exec_error *err)
{
	assert_int_equal(msl_ir_finish(k->e), 0);
	msl_exec_ctx *c = msl_exec_ctx_create();
	struct msl_exec_bindings b;
	memset(&b, 0, sizeof(b));
	b.buffers[0].data = buf;
	b.buffers[0].size = size;
	struct msl_exec_compute_group g = {
		{ 0, 0, 0 }, { lanes, 1, 1 }, { lanes, 1, 1 }, { 1, 1, 1 }
	};
	enum msl_exec_status s = msl_exec_run_compute(c, k->e, &b, &g, err);
	msl_exec_ctx_free(c);
	return s;
}

static void test_divergent_if_else(void **state)
{
	(void)state;
	struct kb k = kernel();
	uint32_t res = kconst(&k, 0);
	uint32_t odd = op(&k, IR_IAND, k.tid, kconst(&k, 1));
	msl_ir_emit(k.e, IR_IF, NONE, odd, NONE, NONE);
	msl_ir_emit(k.e, IR_IADD, res, k.tid, kconst(&k, 100), NONE);
	msl_ir_emit(k.e, IR_ELSE, NONE, NONE, NONE, NONE);
	msl_ir_emit(k.e, IR_ISUB, res, k.tid, kconst(&k, 100), NONE);
	msl_ir_emit(k.e, IR_ENDIF, NONE, NONE, NONE, NONE);
	out(&k, res, 0, 64);
	int32_t buf[64];
	struct msl_exec_error err;
	assert_int_equal(run_kernel(&k, 64, buf, sizeof(buf), &err), MSL_EXEC_OK);
	for (int i = 0; i < 64; i++)
		assert_int_equal(buf[i], (i & 1) ? i + 100 : i - 100);
	msl_ir_entry_free(k.e);
}

/* sum = 0; for (i = 0; ; i++) { if (i >= tid) break; if (i % 3 == 0) continue; sum += i; } */
static void test_loop_break_continue(void **state)
{
	(void)state;
	struct kb k = kernel();
	uint32_t sum = kconst(&k, 0), i = kconst(&k, 0);
	uint32_t three = kconst(&k, 3), zero = kconst(&k, 0), one = kconst(&k, 1);
	msl_ir_emit(k.e, IR_LOOP, NONE, NONE, NONE, NONE);
	uint32_t lt = op(&k, IR_ULT, i, k.tid);
	msl_ir_emit(k.e, IR_BREAKIFNOT, NONE, lt, NONE, NONE);
	uint32_t m = op(&k, IR_UREM, i, three);
	uint32_t is0 = op(&k, IR_IEQ, m, zero);
	msl_ir_emit(k.e, IR_IF, NONE, is0, NONE, NONE);
	msl_ir_emit(k.e, IR_CONTINUE, NONE, NONE, NONE, NONE);
	msl_ir_emit(k.e, IR_ENDIF, NONE, NONE, NONE, NONE);
	msl_ir_emit(k.e, IR_IADD, sum, sum, i, NONE);
	msl_ir_emit(k.e, IR_CONTPOINT, NONE, NONE, NONE, NONE);
	msl_ir_emit(k.e, IR_IADD, i, i, one, NONE);
	msl_ir_emit(k.e, IR_ENDLOOP, NONE, NONE, NONE, NONE);
	out(&k, sum, 0, 40);
	out(&k, i, 1, 40);
	uint32_t buf[80];
	struct msl_exec_error err;
	assert_int_equal(run_kernel(&k, 40, buf, sizeof(buf), &err), MSL_EXEC_OK);
	for (uint32_t t = 0; t < 40; t++) {
		uint32_t want = 0;
		for (uint32_t j = 0; j < t; j++)
			if (j % 3)
				want += j;
		assert_int_equal(buf[t], want);
		assert_int_equal(buf[40 + t], t); /* the step ran after continue too */
	}
	msl_ir_entry_free(k.e);
}

static void test_loop_limit(void **state)
{
	(void)state;
	struct kb k = kernel();
	uint32_t x = kconst(&k, 0);
	msl_ir_emit(k.e, IR_LOOP, NONE, NONE, NONE, NONE);
	msl_ir_emit(k.e, IR_IADD, x, x, kconst(&k, 1), NONE);
	msl_ir_emit(k.e, IR_CONTPOINT, NONE, NONE, NONE, NONE);
	msl_ir_emit(k.e, IR_ENDLOOP, NONE, NONE, NONE, NONE);
	out(&k, x, 0, 4);
	assert_int_equal(msl_ir_finish(k.e), 0);
	msl_exec_ctx *c = msl_exec_ctx_create();
	msl_exec_ctx_set_loop_limit(c, 1000);
	uint32_t buf[4];
	struct msl_exec_bindings b;
	memset(&b, 0, sizeof(b));
	b.buffers[0].data = buf;
	b.buffers[0].size = sizeof(buf);
	struct msl_exec_compute_group g = { { 0, 0, 0 }, { 4, 1, 1 }, { 4, 1, 1 }, { 1, 1, 1 } };
	struct msl_exec_error err;
	assert_int_equal(msl_exec_run_compute(c, k.e, &b, &g, &err), MSL_EXEC_ERR_LOOP_LIMIT);
	assert_int_equal(err.status, MSL_EXEC_ERR_LOOP_LIMIT);
	assert_non_null(strstr(err.message, "1000"));
	msl_exec_ctx_free(c);
	msl_ir_entry_free(k.e);
}

/* A returned lane stays off after the enclosing loop and if. */
static void test_return_inside_loop(void **state)
{
	(void)state;
	struct kb k = kernel();
	uint32_t res = kconst(&k, 7), i = kconst(&k, 0);
	msl_ir_emit(k.e, IR_FUNC_BEGIN, NONE, NONE, NONE, NONE);
	msl_ir_emit(k.e, IR_LOOP, NONE, NONE, NONE, NONE);
	msl_ir_emit(k.e, IR_BREAKIFNOT, NONE, op(&k, IR_ULT, i, kconst(&k, 5)), NONE, NONE);
	msl_ir_emit(k.e, IR_IF, NONE, op(&k, IR_IEQ, i, k.tid), NONE, NONE);
	msl_ir_emit(k.e, IR_MOV, res, i, NONE, NONE);
	msl_ir_emit(k.e, IR_RETURN, NONE, NONE, NONE, NONE);
	msl_ir_emit(k.e, IR_ENDIF, NONE, NONE, NONE, NONE);
	msl_ir_emit(k.e, IR_CONTPOINT, NONE, NONE, NONE, NONE);
	msl_ir_emit(k.e, IR_IADD, i, i, kconst(&k, 1), NONE);
	msl_ir_emit(k.e, IR_ENDLOOP, NONE, NONE, NONE, NONE);
	msl_ir_emit(k.e, IR_MOV, res, kconst(&k, 99), NONE, NONE); /* only lanes that did not return */
	msl_ir_emit(k.e, IR_FUNC_END, NONE, NONE, NONE, NONE);
	out(&k, res, 0, 8);
	uint32_t buf[8];
	struct msl_exec_error err;
	assert_int_equal(run_kernel(&k, 8, buf, sizeof(buf), &err), MSL_EXEC_OK);
	for (uint32_t t = 0; t < 8; t++)
		assert_int_equal(buf[t], t < 5 ? t : 99);
	msl_ir_entry_free(k.e);
}

static void test_integer_edges(void **state)
{
	(void)state;
	assert_int_equal(msl_sdiv(INT32_MIN, -1), INT32_MIN);
	assert_int_equal(msl_srem(INT32_MIN, -1), 0);
	assert_int_equal(msl_sdiv(5, 0), -1);
	assert_int_equal(msl_srem(5, 0), 5);
	assert_int_equal(msl_udiv(5, 0), UINT32_MAX);
	assert_int_equal(msl_urem(5, 0), 5);
	assert_int_equal(msl_sdiv(-7, 2), -3);
	assert_int_equal(msl_srem(-7, 2), -1);
	assert_int_equal(msl_f2s(NAN), 0);
	assert_int_equal(msl_f2s(3e9f), INT32_MAX);
	assert_int_equal(msl_f2s(-3e9f), INT32_MIN);
	assert_int_equal(msl_f2s(-2.75f), -2);
	assert_int_equal(msl_f2u(-1.0f), 0);
	assert_int_equal(msl_f2u(5e9f), UINT32_MAX);
	/* shifts through the executor: counts taken modulo the width */
	struct kb k = kernel();
	uint32_t a = kconst(&k, 0x80000001u);
	uint32_t s33 = kconst(&k, 33);
	out(&k, op(&k, IR_SHL, a, s33), 0, 1);
	out(&k, op(&k, IR_SSHR, a, s33), 1, 1);
	out(&k, op(&k, IR_USHR, a, s33), 2, 1);
	out(&k, op(&k, IR_SDIV, kconst(&k, 0x80000000u), kconst(&k, 0xffffffffu)), 3, 1);
	out(&k, op(&k, IR_IABS, kconst(&k, 0x80000000u), NONE), 4, 1);
	uint32_t buf[5];
	struct msl_exec_error err;
	assert_int_equal(run_kernel(&k, 1, buf, sizeof(buf), &err), MSL_EXEC_OK);
	assert_int_equal(buf[0], 0x00000002u);
	assert_int_equal(buf[1], 0xc0000000u);
	assert_int_equal(buf[2], 0x40000000u);
	assert_int_equal(buf[3], 0x80000000u);
	assert_int_equal(buf[4], 0x80000000u);
	msl_ir_entry_free(k.e);
}

static void test_half_rounding(void **state)
{
	(void)state;
	assert_true(msl_round_half(1.0f) == 1.0f);
	assert_true(msl_round_half(65504.0f) == 65504.0f);
	assert_true(isinf(msl_round_half(65520.0f)));          /* rounds up past max */
	assert_true(msl_round_half(65519.0f) == 65504.0f);
	assert_true(msl_round_half(1.0f + 0x1p-11f) == 1.0f); /* tie -> even */
	assert_true(msl_round_half(1.0f + 3 * 0x1p-11f) == 1.0f + 0x1p-9f);
	assert_true(msl_round_half(0x1p-24f) == 0x1p-24f);    /* smallest subnormal */
	assert_true(msl_round_half(0x1p-26f) == 0.0f);
	assert_true(msl_round_half(0x1.8p-24f) == 0x1p-23f);  /* tie -> even (2) */
	assert_true(isnan(msl_round_half(NAN)));
	assert_true(signbit(msl_round_half(-0.0f)));
	assert_int_equal(msl_float_to_half_bits(-2.0f), 0xc000);
	assert_true(msl_half_bits_to_float(0x3555) == 0.333251953125f);
}

static void test_float_edges(void **state)
{
	(void)state;
	assert_true(msl_fract(-0.25f) == 0.75f);
	assert_true(msl_fract(-1e-9f) == 0x1.fffffep-1f);
	assert_true(msl_fract(INFINITY) == 0.0f);
	assert_true(isnan(msl_fract(NAN)));
	assert_true(msl_fsign(-3.0f) == -1.0f);
	assert_true(msl_fsign(NAN) == 0.0f);
	assert_true(signbit(msl_fsign(-0.0f)));
	assert_true(msl_fmin(NAN, 2.0f) == 2.0f);
	assert_true(msl_fmax(1.0f, NAN) == 1.0f);
	assert_true(signbit(msl_fmin(0.0f, -0.0f)));
	assert_true(signbit(msl_fmin(-0.0f, 0.0f)));
	assert_false(signbit(msl_fmax(-0.0f, 0.0f)));
	assert_false(signbit(msl_fmax(0.0f, -0.0f)));
}

/* Fragment batch: derivatives per quad, discard mask, helper lanes. */
static void test_fragment_derivatives_discard(void **state)
{
	(void)state;
	struct msl_exec_entry *e = msl_ir_entry_new("f", MSL_EXEC_FRAGMENT);
	uint32_t v = msl_ir_regs(e, 1);
	msl_ir_add_slot(e, 1, "v", 0, MSL_EXEC_FLOAT, 1, MSL_EXEC_INTERP_PERSPECTIVE, 0);
	msl_ir_add_input(e, IR_IN_VARYING, v, 0, MSL_EXEC_FLOAT);
	uint32_t px = msl_ir_regs(e, 1);
	msl_ir_add_input(e, IR_IN_POSITION, px, 0, MSL_EXEC_FLOAT);
	uint32_t col = msl_ir_regs(e, 4);
	msl_ir_emit(e, IR_DFDX, col + 0, v, NONE, NONE);
	msl_ir_emit(e, IR_DFDY, col + 1, v, NONE, NONE);
	msl_ir_emit(e, IR_MOV, col + 2, v, NONE, NONE);
	msl_ir_const_f(e, col + 3, 1.0f);
	uint32_t lim = msl_ir_regs(e, 1);
	msl_ir_const_f(e, lim, 5.0f);
	uint32_t big = msl_ir_regs(e, 1);
	msl_ir_emit(e, IR_FGT, big, px, lim, NONE);
	msl_ir_emit(e, IR_IF, NONE, big, NONE, NONE);
	msl_ir_emit(e, IR_DISCARD, NONE, NONE, NONE, NONE);
	msl_ir_emit(e, IR_ENDIF, NONE, NONE, NONE, NONE);
	msl_ir_add_slot(e, 2, "color", 0, MSL_EXEC_FLOAT, 4, MSL_EXEC_INTERP_PERSPECTIVE, 0);
	for (uint32_t c = 0; c < 4; c++)
		msl_ir_add_output(e, IR_OUT_COLOR, col + c, c, MSL_EXEC_FLOAT);
	assert_int_equal(msl_ir_finish(e), 0);
	assert_true(e->iface.uses_derivatives);
	assert_true(e->iface.uses_discard);

	/* 4 quads side by side: quad q covers x = 2q..2q+1, y = 0..1;
	 * v = x*x + 3y, so coarse dfdx = v(x0+1) - v(x0) = 2*x0 + 1, dfdy = 3. */
	enum { Q = 4, N = 4 * Q };
	float var[N], pos[4 * N], colors[N * 4 * MSL_EXEC_MAX_COLORS];
	for (uint32_t l = 0; l < N; l++) {
		uint32_t q = l / 4, x = 2 * q + (l & 1), y = (l >> 1) & 1;
		var[l] = (float)(x * x + 3 * y);
		pos[4 * l + 0] = (float)x + 0.5f;
		pos[4 * l + 1] = (float)y + 0.5f;
		pos[4 * l + 2] = 0.0f;
		pos[4 * l + 3] = 1.0f;
	}
	memset(colors, 0, sizeof(colors));
	struct msl_exec_fragment_batch fb;
	memset(&fb, 0, sizeof(fb));
	fb.quads = Q;
	fb.live_mask = 0xffffu & ~(1u << 3); /* lane 3 is a helper */
	fb.position = pos;
	fb.varyings = var;
	fb.colors = colors;
	msl_exec_ctx *c = msl_exec_ctx_create();
	struct msl_exec_bindings b;
	memset(&b, 0, sizeof(b));
	struct msl_exec_error err;
	assert_int_equal(msl_exec_run_fragment(c, e, &b, &fb, &err), MSL_EXEC_OK);
	for (uint32_t l = 0; l < N; l++) {
		uint32_t q = l / 4, x = 2 * q + (l & 1);
		float *o = &colors[l * 4 * MSL_EXEC_MAX_COLORS];
		int discarded = pos[4 * l] > 5.0f;
		assert_int_equal((fb.discard_mask >> l) & 1, discarded && l != 3);
		if (l == 3 || discarded) {
			assert_true(o[3] == 0.0f); /* not written */
			continue;
		}
		assert_true(o[0] == (float)(4 * q + 1));
		assert_true(o[1] == 3.0f);
		assert_true(o[2] == var[l]);
		(void)x;
	}
	msl_exec_ctx_free(c);
	msl_ir_entry_free(e);
}

static void test_bounds_error(void **state)
{
	(void)state;
	struct kb k = kernel();
	out(&k, k.tid, 0, 1);
	uint32_t buf[3];
	struct msl_exec_error err;
	/* 4 threads write 4 words into a 3-word buffer */
	assert_int_equal(run_kernel(&k, 4, buf, sizeof(buf), &err), MSL_EXEC_ERR_BOUNDS);
	assert_non_null(strstr(err.message, "offset 12"));
	msl_ir_entry_free(k.e);
}

/* A test texture: 4x4 floats per channel, reads/writes by callback. */
struct ttex { float px[16][4]; int writes; };

static void tt_read(void *ctx, uint32_t n, const uint8_t *active, const uint32_t *x,
		    const uint32_t *y, const uint32_t *s, float *o)
{
	struct ttex *t = ctx;
	(void)s;
	for (uint32_t l = 0; l < n; l++)
		if (active[l] && x[l] < 4 && y[l] < 4)
			for (int c = 0; c < 4; c++)
				o[c * n + l] = t->px[y[l] * 4 + x[l]][c];
}

static void tt_write(void *ctx, uint32_t n, const uint8_t *active, const uint32_t *x,
		     const uint32_t *y, const float *in)
{
	struct ttex *t = ctx;
	for (uint32_t l = 0; l < n; l++)
		if (active[l] && x[l] < 4 && y[l] < 4) {
			for (int c = 0; c < 4; c++)
				t->px[y[l] * 4 + x[l]][c] = in[c * n + l];
			t->writes++;
		}
}

static void test_texture_read_write(void **state)
{
	(void)state;
	struct msl_exec_entry *e = msl_ir_entry_new("k", MSL_EXEC_KERNEL);
	uint32_t gid = msl_ir_regs(e, 2);
	msl_ir_add_input(e, IR_IN_TPIG, gid, 0, MSL_EXEC_UINT);
	msl_ir_add_input(e, IR_IN_TPIG, gid + 1, 1, MSL_EXEC_UINT);
	uint32_t v = msl_ir_regs(e, 4);
	uint32_t pc = msl_ir_emit(e, IR_TEX_READ, v, gid, gid + 1, NONE);
	e->code[pc].aux = 0;
	uint32_t two = msl_ir_regs(e, 1);
	msl_ir_const_f(e, two, 2.0f);
	for (uint32_t c = 0; c < 4; c++)
		msl_ir_emit(e, IR_FMUL, v + c, v + c, two, NONE);
	uint32_t w = msl_ir_regs(e, 1);
	pc = msl_ir_emit(e, IR_TEX_SIZE, w, NONE, NONE, NONE);
	e->code[pc].aux = 1;
	e->code[pc].imm.u = 0;
	msl_ir_emit(e, IR_U2F, v + 3, w, NONE, NONE);
	pc = msl_ir_emit(e, IR_TEX_WRITE, NONE, gid, gid + 1, v);
	e->code[pc].aux = 1;
	assert_int_equal(msl_ir_finish(e), 0);

	struct ttex src, dst;
	memset(&dst, 0, sizeof(dst));
	for (int i = 0; i < 16; i++)
		for (int c = 0; c < 4; c++)
			src.px[i][c] = (float)(i * 4 + c);
	struct msl_exec_texture ts = { &src, 4, 4, 1, NULL, tt_read, NULL };
	struct msl_exec_texture td = { &dst, 4, 4, 1, NULL, NULL, tt_write };
	struct msl_exec_bindings b;
	memset(&b, 0, sizeof(b));
	b.textures[0] = &ts;
	b.textures[1] = &td;
	/* 3x3 threadgroup over a 3x3 grid: only the top-left 3x3 is written */
	struct msl_exec_compute_group g = { { 0, 0, 0 }, { 4, 4, 1 }, { 3, 3, 1 }, { 1, 1, 1 } };
	msl_exec_ctx *c = msl_exec_ctx_create();
	struct msl_exec_error err;
	assert_int_equal(msl_exec_run_compute(c, e, &b, &g, &err), MSL_EXEC_OK);
	assert_int_equal(dst.writes, 9);
	for (int y = 0; y < 4; y++)
		for (int x = 0; x < 4; x++) {
			int i = y * 4 + x;
			if (x < 3 && y < 3) {
				assert_true(dst.px[i][0] == 2.0f * src.px[i][0]);
				assert_true(dst.px[i][2] == 2.0f * src.px[i][2]);
				assert_true(dst.px[i][3] == 4.0f);
			} else {
				assert_true(dst.px[i][0] == 0.0f);
			}
		}
	/* unbound texture -> binding error naming it */
	b.textures[1] = NULL;
	assert_int_equal(msl_exec_run_compute(c, e, &b, &g, &err), MSL_EXEC_ERR_BINDING);
	assert_non_null(strstr(err.message, "texture 1"));
	msl_exec_ctx_free(c);
	msl_ir_entry_free(e);
}

static void test_malformed_ir_rejected(void **state)
{
	(void)state;
	struct msl_exec_entry *e = msl_ir_entry_new("bad", MSL_EXEC_KERNEL);
	msl_ir_emit(e, IR_LOOP, NONE, NONE, NONE, NONE);
	msl_ir_emit(e, IR_ENDIF, NONE, NONE, NONE, NONE);
	assert_int_equal(msl_ir_finish(e), -1);
	msl_ir_entry_free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_divergent_if_else),
		cmocka_unit_test(test_loop_break_continue),
		cmocka_unit_test(test_loop_limit),
		cmocka_unit_test(test_return_inside_loop),
		cmocka_unit_test(test_integer_edges),
		cmocka_unit_test(test_half_rounding),
		cmocka_unit_test(test_float_edges),
		cmocka_unit_test(test_fragment_derivatives_discard),
		cmocka_unit_test(test_bounds_error),
		cmocka_unit_test(test_texture_read_write),
		cmocka_unit_test(test_malformed_ir_rejected),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
