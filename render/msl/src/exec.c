/*
 * exec.c — the IR executor: runs one entry over a batch of lanes.
 *
 * Registers are structure-of-arrays: regs[r][lane]. Each instruction is
 * decoded once per batch and loops over the lanes inside (a straight loop
 * the compiler can vectorise when every lane is active, a masked loop
 * otherwise), so the per-lane cost is the arithmetic itself.
 *
 * Control flow uses lane masks:
 *   exec      lanes running the current instruction
 *   brk/cont  lanes that left the innermost loop / its current iteration
 *   ret       lanes that returned from the innermost (inlined) function
 *   discard   lanes that executed discard_fragment()
 * Structured instructions push a frame and restore `exec` from it, minus
 * the lanes that left through break/continue/return/discard. Ordinary
 * instructions are skipped when no lane is active.
 */
/* The lane loops are the renderer's inner loop: let gcc vectorise them
 * with run-time alias checks (its -O2 cost model, "very-cheap", refuses any
 * loop that needs one) and unroll them (-O3): 0.3x -> 0.7x of hand-written
 * C in bench_msl_exec. Clang vectorises them at -O2 as it is. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("O3", "vect-cost-model=dynamic")
#endif

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msl/ir.h"

union lane32 {
	float f;
	uint32_t u;
	int32_t i;
};

struct frame {
	uint64_t saved, cond, obrk, ocont, oret;
	uint32_t trips;
};

#include "exec_threadgroup.h"

struct msl_exec_ctx {
	uint32_t loop_limit;
	union lane32 (*regs)[MSL_EXEC_MAX_LANES];
	uint32_t cap_regs;
	struct frame *frames;
	uint32_t cap_frames;
	uint64_t consts_of;   /* entry id whose hoisted constants fill regs */
	struct tg_scratch tg; /* threadgroup memory and per-chunk banks */
};

msl_exec_ctx *msl_exec_ctx_create(void)
{
	msl_exec_ctx *c = calloc(1, sizeof(*c));
	if (c)
		c->loop_limit = MSL_EXEC_DEFAULT_LOOP_LIMIT;
	return c;
}

void msl_exec_ctx_free(msl_exec_ctx *c)
{
	if (!c)
		return;
	free(c->regs);
	free(c->frames);
	tg_scratch_free(&c->tg);
	free(c);
}

void msl_exec_ctx_set_loop_limit(msl_exec_ctx *c, uint32_t iterations)
{
	c->loop_limit = iterations ? iterations : 1;
}

const char *msl_exec_status_name(enum msl_exec_status s)
{
	switch (s) {
	case MSL_EXEC_OK: return "ok";
	case MSL_EXEC_ERR_LOOP_LIMIT: return "loop-limit";
	case MSL_EXEC_ERR_BOUNDS: return "out-of-bounds";
	case MSL_EXEC_ERR_BINDING: return "missing-binding";
	case MSL_EXEC_ERR_ARGUMENT: return "bad-argument";
	case MSL_EXEC_ERR_UNSUPPORTED: return "unsupported";
	case MSL_EXEC_ERR_NOMEM: return "out-of-memory";
	case MSL_EXEC_ERR_CALL_DEPTH: return "call-depth";
	case MSL_EXEC_ERR_BARRIER: return "divergent-barrier";
	}
	return "unknown";
}

static enum msl_exec_status fail(struct msl_exec_error *err, enum msl_exec_status s,
				 const struct msl_ir_inst *in, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#include <stdarg.h>
static enum msl_exec_status fail(struct msl_exec_error *err, enum msl_exec_status s,
				 const struct msl_ir_inst *in, const char *fmt, ...)
{
	if (err) {
		err->status = s;
		err->line = in ? in->line : 0;
		err->col = in ? in->col : 0;
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err->message, sizeof(err->message), fmt, ap);
		va_end(ap);
	}
	return s;
}

static enum msl_exec_status reserve(msl_exec_ctx *c, const struct msl_exec_entry *e,
				    struct msl_exec_error *err)
{
	if (e->n_regs > c->cap_regs) {
		void *p = realloc(c->regs, sizeof(*c->regs) * e->n_regs);
		if (!p)
			return fail(err, MSL_EXEC_ERR_NOMEM, NULL, "out of memory for %u registers", e->n_regs);
		c->regs = p;
		c->cap_regs = e->n_regs;
	}
	if (e->max_depth > c->cap_frames) {
		void *p = realloc(c->frames, sizeof(*c->frames) * e->max_depth);
		if (!p)
			return fail(err, MSL_EXEC_ERR_NOMEM, NULL, "out of memory for control frames");
		c->frames = p;
		c->cap_frames = e->max_depth;
	}
	return MSL_EXEC_OK;
}

/* ---- memory -------------------------------------------------------------- */

static const uint32_t mem_width[] = { 1, 1, 2, 2, 2, 4 };

static uint32_t load_bytes(const uint8_t *p, uint32_t kind)
{
	switch (kind) {
	case IR_MEM_U8: return p[0];
	case IR_MEM_S8: return (uint32_t)(int32_t)(int8_t)p[0];
	case IR_MEM_U16: { uint16_t h; memcpy(&h, p, 2); return h; }
	case IR_MEM_S16: { int16_t h; memcpy(&h, p, 2); return (uint32_t)(int32_t)h; }
	case IR_MEM_F16: {
		uint16_t h; memcpy(&h, p, 2);
		union lane32 v; v.f = msl_half_bits_to_float(h);
		return v.u;
	}
	default: { uint32_t u; memcpy(&u, p, 4); return u; }
	}
}

static void store_bytes(uint8_t *p, uint32_t kind, union lane32 v)
{
	switch (kind) {
	case IR_MEM_U8: case IR_MEM_S8: p[0] = (uint8_t)v.u; break;
	case IR_MEM_U16: case IR_MEM_S16: { uint16_t h = (uint16_t)v.u; memcpy(p, &h, 2); break; }
	case IR_MEM_F16: { uint16_t h = msl_float_to_half_bits(v.f); memcpy(p, &h, 2); break; }
	default: memcpy(p, &v.u, 4); break;
	}
}

/* ---- the interpreter ----------------------------------------------------- */

struct run {
	msl_exec_ctx *c;
	const struct msl_exec_entry *e;
	const struct msl_exec_bindings *b;
	uint32_t n;          /* lanes */
	uint64_t live;       /* lanes whose side effects count */
	uint64_t discard;    /* out */
	/* compute only (zero otherwise): the threadgroup's shared memory, and
	 * for a group run as several chunks with barriers, the chunk's own
	 * registers, frames and suspended state (exec_threadgroup.h) */
	struct msl_exec_buffer tgmem;
	struct tg_chunk *chunk;
};

/* With every lane active, the lanes up to n rounded up to a multiple of 8
 * are computed (lanes past n hold don't-care values; every operation is
 * total), so the loop has no remainder for the vectorised body to handle,
 * and a 6-vertex batch does not pay for 64 lanes. Full batches get a loop
 * with a constant trip count, which the compiler unrolls best. */
#define LANES(EXPR)                                                        \
	do {                                                               \
		if (exec == full) {                                        \
			if (nwide == MSL_EXEC_MAX_LANES) {                 \
				for (uint32_t l = 0; l < MSL_EXEC_MAX_LANES; l++) { EXPR; } \
			} else {                                           \
				for (uint32_t l = 0; l < nwide; l++) { EXPR; } \
			}                                                  \
		} else {                                                   \
			for (uint32_t l = 0; l < n; l++)                   \
				if ((exec >> l) & 1) { EXPR; }             \
		}                                                          \
	} while (0)

#define F1(fn) LANES(D[l].f = fn(A[l].f))
#define F2(expr) LANES(D[l].f = (expr))
#define I2(expr) LANES(D[l].u = (expr))

static enum msl_exec_status tex_lookup(const struct run *r, const struct msl_ir_inst *in,
				       const struct msl_exec_texture **out,
				       struct msl_exec_error *err)
{
	const struct msl_exec_texture *t = in->aux < MSL_EXEC_MAX_TEXTURES ? r->b->textures[in->aux] : NULL;
	if (!t)
		return fail(err, MSL_EXEC_ERR_BINDING, in, "texture %u is not bound", in->aux);
	*out = t;
	return MSL_EXEC_OK;
}

/*
 * Minification or magnification for a sample with an explicit lod option.
 * Our textures have one mip level, so every lod reads level 0; what the lod
 * still decides is the filter: lod > 0 minifies (min_filter), lod <= 0
 * magnifies (mag_filter), judged on the lod before it is clamped to the
 * texture's mip range (as Metal/Vulkan/D3D samplers do). The implicit lod
 * (bias, min_lod_clamp) is 0.5*log2 of the larger squared texel-space
 * derivative over the lane's 2x2 quad in fragment functions — the same
 * test the renderer makes for a plain sample — and 0 in other stages.
 */
static int sample_minifies(const struct msl_exec_entry *e, uint32_t mode, union lane32 (*regs)[MSL_EXEC_MAX_LANES], uint32_t c,
			   uint32_t l, uint32_t n, const float *u, const float *v, float sx, float sy)
{
	float o0 = regs[c][l].f;
	float rho2 = 0.0f;
	int have_rho = 0;
	if (mode == IR_SAMPLE_LOD_LEVEL)
		return o0 > 0.0f;
	if (mode == IR_SAMPLE_LOD_GRADIENT) {
		float dudx = o0 * sx, dvdx = regs[c + 1][l].f * sy;
		float dudy = regs[c + 2][l].f * sx, dvdy = regs[c + 3][l].f * sy;
		rho2 = fmaxf(dudx * dudx + dvdx * dvdx, dudy * dudy + dvdy * dvdy);
		return rho2 > 1.0f;
	}
	if (e->iface.stage == MSL_EXEC_FRAGMENT && n % 4 == 0) {
		uint32_t q = l & ~3u;
		float dudx = (u[q + 1] - u[q]) * sx, dvdx = (v[q + 1] - v[q]) * sy;
		float dudy = (u[q + 2] - u[q]) * sx, dvdy = (v[q + 2] - v[q]) * sy;
		rho2 = fmaxf(dudx * dudx + dvdx * dvdx, dudy * dudy + dvdy * dvdy);
		have_rho = 1;
	}
	float lod = have_rho ? 0.5f * log2f(rho2) : 0.0f; /* log2(0) = -inf: magnify */
	if (mode == IR_SAMPLE_LOD_BIAS)
		lod += o0;
	else if (mode == IR_SAMPLE_LOD_MIN_CLAMP)
		lod = fmaxf(lod, o0);
	return lod > 0.0f;
}

/* TEX_SAMPLE with an lod option and/or a texel offset (see ir.h). */
static enum msl_exec_status sample_with_options(const struct msl_exec_entry *e, const struct msl_ir_inst *in,
						 union lane32 (*regs)[MSL_EXEC_MAX_LANES], const struct msl_exec_texture *t,
						 const struct msl_exec_sampler *smp, uint32_t n, uint8_t *active,
						 float *u, float *v, float *out, struct msl_exec_error *err)
{
	uint32_t c = in->c, mode = in->target & MSL_IR_SAMPLE_LOD_MASK;
	if (c + 6 > e->n_regs || c + 6 < c || mode > IR_SAMPLE_LOD_GRADIENT)
		return fail(err, MSL_EXEC_ERR_UNSUPPORTED, in, "malformed sample options");
	int pixel = smp->coord == MSL_EXEC_COORD_PIXEL;
	float sx = pixel ? 1.0f : (float)t->width, sy = pixel ? 1.0f : (float)t->height;
	if (in->target & MSL_IR_SAMPLE_OFFSET) {
		/* offsets are in texels, added to the unnormalised coordinate */
		for (uint32_t l = 0; l < n; l++) {
			if (!active[l])
				continue;
			float ox = (float)regs[c + 4][l].i, oy = (float)regs[c + 5][l].i;
			u[l] = pixel ? u[l] + ox : (t->width ? (u[l] * sx + ox) / sx : u[l]);
			v[l] = pixel ? v[l] + oy : (t->height ? (v[l] * sy + oy) / sy : v[l]);
		}
	}
	if (mode == IR_SAMPLE_LOD_IMPLICIT || smp->min_filter == smp->mag_filter) {
		t->sample(t->ctx, smp, n, active, u, v, out);
		return MSL_EXEC_OK;
	}
	/* split the lanes by filter and sample each group with a sampler
	 * whose min and mag filters are both the chosen one */
	uint8_t minify[MSL_EXEC_MAX_LANES], group[MSL_EXEC_MAX_LANES];
	for (uint32_t l = 0; l < n; l++)
		minify[l] = active[l] && sample_minifies(e, mode, regs, c, l, n, u, v, sx, sy);
	for (int pass = 0; pass < 2; pass++) {
		struct msl_exec_sampler s = *smp;
		int any = 0;
		if (pass)
			s.mag_filter = s.min_filter;
		else
			s.min_filter = s.mag_filter;
		for (uint32_t l = 0; l < n; l++) {
			group[l] = active[l] && minify[l] == pass;
			any |= group[l];
		}
		if (any)
			t->sample(t->ctx, &s, n, group, u, v, out);
	}
	return MSL_EXEC_OK;
}

static enum msl_exec_status interpret(struct run *r, struct msl_exec_error *err)
{
	const struct msl_exec_entry *e = r->e;
	union lane32 (*regs)[MSL_EXEC_MAX_LANES] = r->chunk ? r->chunk->regs : r->c->regs;
	struct frame *fr = r->chunk ? r->chunk->frames : r->c->frames;
	const uint32_t n = r->n;
	const uint64_t full = n == 64 ? ~0ull : ((1ull << n) - 1);
	const uint32_t nwide = (n + 7) & ~7u; /* <= MSL_EXEC_MAX_LANES, a multiple of 8 */
	uint64_t exec = full, brk = 0, cont = 0, ret = 0, discard = 0;
	uint32_t depth = 0, total_trips = 0, pc0 = 0;
	if (r->chunk && r->chunk->at_barrier) {
		/* resume after the barrier this chunk waited at */
		const struct tg_chunk *k = r->chunk;
		exec = k->exec; brk = k->brk; cont = k->cont; ret = k->ret;
		depth = k->depth; total_trips = k->total_trips; pc0 = k->pc + 1;
	}
	const uint32_t limit = r->c->loop_limit;
	const struct msl_ir_inst *code = e->code;
	uint8_t active[MSL_EXEC_MAX_LANES];
	float fa[4 * MSL_EXEC_MAX_LANES];
	uint32_t ua[3][MSL_EXEC_MAX_LANES];

	for (uint32_t pc = pc0; pc < e->n_code; pc++) {
		const struct msl_ir_inst *in = &code[pc];
		if (!exec && in->op < IR_IF)
			continue;
		union lane32 *D = in->dst != MSL_IR_NONE && in->dst < e->n_regs ? regs[in->dst] : NULL;
		union lane32 *A = in->a != MSL_IR_NONE && in->a < e->n_regs ? regs[in->a] : NULL;
		union lane32 *B = in->b != MSL_IR_NONE && in->b < e->n_regs ? regs[in->b] : NULL;
		union lane32 *C = in->c != MSL_IR_NONE && in->c < e->n_regs &&
				  in->op != IR_LDIDX && in->op != IR_STIDX && in->op != IR_CHECK &&
				  in->op != IR_LOAD && in->op != IR_STORE ? regs[in->c] : NULL;
		switch ((enum msl_ir_op)in->op) {
		case IR_CONST:
			if (!in->aux) {
				uint32_t k = in->imm.u;
				I2(k);
			}
			break;
		case IR_MOV: I2(A[l].u); break;
		case IR_SELECT: I2(A[l].u ? B[l].u : C[l].u); break;
		case IR_FADD: F2(A[l].f + B[l].f); break;
		case IR_FSUB: F2(A[l].f - B[l].f); break;
		case IR_FMUL: F2(A[l].f * B[l].f); break;
		case IR_FDIV: F2(A[l].f / B[l].f); break;
		case IR_FNEG: F2(-A[l].f); break;
		case IR_FABS: F1(fabsf); break;
		case IR_FMIN: F2(msl_fmin(A[l].f, B[l].f)); break;
		case IR_FMAX: F2(msl_fmax(A[l].f, B[l].f)); break;
		case IR_FFMA: F2(fmaf(A[l].f, B[l].f, C[l].f)); break;
		case IR_FFLOOR: F1(floorf); break;
		case IR_FCEIL: F1(ceilf); break;
		case IR_FFRACT: F1(msl_fract); break;
		case IR_FROUND: F1(roundf); break;
		case IR_FTRUNC: F1(truncf); break;
		case IR_FSQRT: F1(sqrtf); break;
		case IR_FRSQRT: F1(msl_rsqrt); break;
		case IR_FEXP: F1(expf); break;
		case IR_FEXP2: F1(exp2f); break;
		case IR_FLOG: F1(logf); break;
		case IR_FLOG2: F1(log2f); break;
		case IR_FSIN: F1(sinf); break;
		case IR_FCOS: F1(cosf); break;
		case IR_FTAN: F1(tanf); break;
		case IR_FMATH:
			F2(msl_fmath(in->imm.u, A[l].f, B ? B[l].f : 0.0f, B ? B[l].i : 0));
			break;
		case IR_IBITS:
			I2(msl_ibits(in->imm.u, in->aux, A[l].u, B ? B[l].u : 0, C ? C[l].u : 0));
			break;
		case IR_FASIN: F1(asinf); break;
		case IR_FACOS: F1(acosf); break;
		case IR_FATAN: F1(atanf); break;
		case IR_FATAN2: F2(atan2f(A[l].f, B[l].f)); break;
		case IR_FPOW: F2(powf(A[l].f, B[l].f)); break;
		case IR_FMOD: F2(fmodf(A[l].f, B[l].f)); break;
		case IR_FSIGN: F1(msl_fsign); break;
		case IR_FSAT: F2(msl_fmin(msl_fmax(A[l].f, 0.0f), 1.0f)); break;
		case IR_FHALF: F1(msl_round_half); break;
		case IR_FEQ: I2(A[l].f == B[l].f); break;
		case IR_FNE: I2(A[l].f != B[l].f); break;
		case IR_FLT: I2(A[l].f < B[l].f); break;
		case IR_FLE: I2(A[l].f <= B[l].f); break;
		case IR_FGT: I2(A[l].f > B[l].f); break;
		case IR_FGE: I2(A[l].f >= B[l].f); break;
		case IR_FISNAN: I2(isnan(A[l].f) ? 1u : 0u); break;
		case IR_FISINF: I2(isinf(A[l].f) ? 1u : 0u); break;
		case IR_IADD: I2(A[l].u + B[l].u); break;
		case IR_ISUB: I2(A[l].u - B[l].u); break;
		case IR_IMUL: I2(A[l].u * B[l].u); break;
		case IR_INEG: I2(0u - A[l].u); break;
		case IR_SDIV: I2((uint32_t)msl_sdiv(A[l].i, B[l].i)); break;
		case IR_UDIV: I2(msl_udiv(A[l].u, B[l].u)); break;
		case IR_SREM: I2((uint32_t)msl_srem(A[l].i, B[l].i)); break;
		case IR_UREM: I2(msl_urem(A[l].u, B[l].u)); break;
		case IR_IAND: I2(A[l].u & B[l].u); break;
		case IR_IOR: I2(A[l].u | B[l].u); break;
		case IR_IXOR: I2(A[l].u ^ B[l].u); break;
		case IR_INOT: I2(~A[l].u); break;
		/* Shift counts are taken modulo the width of the operand type
		 * (aux = width - 1; 0 means 31), as OpenCL C defines them. */
		case IR_SHL: { uint32_t m = in->aux ? in->aux : 31; I2(A[l].u << (B[l].u & m)); break; }
		case IR_USHR: { uint32_t m = in->aux ? in->aux : 31; I2(A[l].u >> (B[l].u & m)); break; }
		case IR_SSHR: {
			uint32_t m = in->aux ? in->aux : 31;
			/* arithmetic shift without relying on implementation-defined >> */
			I2(A[l].i < 0 ? ~(~A[l].u >> (B[l].u & m)) : A[l].u >> (B[l].u & m));
			break;
		}
		case IR_SMIN: I2(A[l].i < B[l].i ? A[l].u : B[l].u); break;
		case IR_SMAX: I2(A[l].i > B[l].i ? A[l].u : B[l].u); break;
		case IR_UMIN: I2(A[l].u < B[l].u ? A[l].u : B[l].u); break;
		case IR_UMAX: I2(A[l].u > B[l].u ? A[l].u : B[l].u); break;
		case IR_IABS: I2(A[l].i < 0 ? 0u - A[l].u : A[l].u); break;
		case IR_SSIGN: I2(A[l].i > 0 ? 1u : A[l].i < 0 ? 0xffffffffu : 0u); break;
		case IR_IEQ: I2(A[l].u == B[l].u); break;
		case IR_INE: I2(A[l].u != B[l].u); break;
		case IR_SLT: I2(A[l].i < B[l].i); break;
		case IR_SLE: I2(A[l].i <= B[l].i); break;
		case IR_SGT: I2(A[l].i > B[l].i); break;
		case IR_SGE: I2(A[l].i >= B[l].i); break;
		case IR_ULT: I2(A[l].u < B[l].u); break;
		case IR_ULE: I2(A[l].u <= B[l].u); break;
		case IR_UGT: I2(A[l].u > B[l].u); break;
		case IR_UGE: I2(A[l].u >= B[l].u); break;
		case IR_SEXT8: I2((uint32_t)(int32_t)(int8_t)(uint8_t)A[l].u); break;
		case IR_SEXT16: I2((uint32_t)(int32_t)(int16_t)(uint16_t)A[l].u); break;
		case IR_ZEXT8: I2(A[l].u & 0xffu); break;
		case IR_ZEXT16: I2(A[l].u & 0xffffu); break;
		case IR_BOOL: I2(A[l].u != 0); break;
		case IR_S2F: F2((float)A[l].i); break;
		case IR_U2F: F2((float)A[l].u); break;
		case IR_F2S: I2((uint32_t)msl_f2s(A[l].f)); break;
		case IR_F2U: I2(msl_f2u(A[l].f)); break;
		case IR_DFDX: case IR_DFDY: {
			/* Coarse: one difference per quad, from its top-left lane. */
			uint32_t other = in->op == IR_DFDX ? 1 : 2;
			for (uint32_t q = 0; q + 4 <= n; q += 4) {
				float d = A[q + other].f - A[q].f;
				for (uint32_t l = q; l < q + 4; l++)
					if ((exec >> l) & 1)
						D[l].f = d;
			}
			break;
		}
		case IR_LDIDX: {
			uint32_t count = in->c, stride = in->imm.u;
			for (uint32_t l = 0; l < n; l++) {
				if (!((exec >> l) & 1))
					continue;
				uint32_t idx = B[l].u;
				if (idx >= count || in->a + (uint64_t)idx * stride >= e->n_regs) {
					if ((r->live >> l) & 1)
						return fail(err, MSL_EXEC_ERR_BOUNDS, in,
							    "index %d out of bounds for array of %u (lane %u)",
							    B[l].i, count, l);
					D[l].u = 0; /* helper lane: not observable */
					continue;
				}
				D[l].u = regs[in->a + idx * stride][l].u;
			}
			break;
		}
		case IR_STIDX: {
			uint32_t count = in->c, stride = in->imm.u;
			for (uint32_t l = 0; l < n; l++) {
				if (!((exec >> l) & 1))
					continue;
				uint32_t idx = B[l].u;
				if (idx >= count || in->dst + (uint64_t)idx * stride >= e->n_regs) {
					if ((r->live >> l) & 1)
						return fail(err, MSL_EXEC_ERR_BOUNDS, in,
							    "index %d out of bounds for array of %u (lane %u)",
							    B[l].i, count, l);
					continue; /* helper lane: dropped */
				}
				regs[in->dst + idx * stride][l].u = A[l].u;
			}
			break;
		}
		case IR_CHECK:
			/* Helper lanes (fragment lanes outside live_mask) run only to
			 * feed derivatives; their extrapolated inputs may index out of
			 * range without that being the shader's fault, so for them an
			 * out-of-range access reads 0 and writes nothing. */
			for (uint32_t l = 0; l < n; l++)
				if (((exec & r->live) >> l & 1) && A[l].u >= in->c)
					return fail(err, MSL_EXEC_ERR_BOUNDS, in,
						    "index %d out of bounds for array of %u (lane %u)",
						    A[l].i, in->c, l);
			break;
		case IR_LOAD: case IR_STORE: {
			const struct msl_exec_buffer *buf = in->aux < MSL_EXEC_MAX_BUFFERS ? &r->b->buffers[in->aux] :
							    in->aux == MSL_IR_THREADGROUP_BINDING ? &r->tgmem : NULL;
			if (!buf || !buf->data)
				return fail(err, MSL_EXEC_ERR_BINDING, in, "%s %u is not bound",
					    in->aux == MSL_IR_THREADGROUP_BINDING ? "threadgroup memory" : "buffer", in->aux);
			uint32_t kind = in->c <= IR_MEM_32 ? in->c : IR_MEM_32;
			uint64_t w = mem_width[kind];
			uint64_t m = in->op == IR_STORE ? exec & r->live : exec;
			if (!A && in->op == IR_LOAD) {
				/* uniform address: one load for every lane */
				uint64_t off = in->imm.u;
				if (off + w > buf->size && !(exec & r->live)) {
					I2(0u);
					break;
				}
				if (off + w > buf->size)
					return fail(err, MSL_EXEC_ERR_BOUNDS, in,
						    "load of %u bytes at offset %llu past the end of buffer %u (%zu bytes)",
						    (unsigned)w, (unsigned long long)off, in->aux, buf->size);
				uint32_t k = load_bytes((const uint8_t *)buf->data + off, kind);
				I2(k);
				break;
			}
			for (uint32_t l = 0; l < n; l++) {
				if (!((m >> l) & 1))
					continue;
				uint64_t off = (uint64_t)(A ? A[l].u : 0) + in->imm.u;
				if (off + w > buf->size && !((r->live >> l) & 1)) {
					if (in->op == IR_LOAD)
						D[l].u = 0; /* helper lane */
					continue;
				}
				if (off + w > buf->size)
					return fail(err, MSL_EXEC_ERR_BOUNDS, in,
						    "%s of %u bytes at offset %llu past the end of buffer %u (%zu bytes, lane %u)",
						    in->op == IR_STORE ? "store" : "load", (unsigned)w,
						    (unsigned long long)off, in->aux, buf->size, l);
				uint8_t *p = (uint8_t *)buf->data + off;
				if (in->op == IR_LOAD)
					D[l].u = load_bytes(p, kind);
				else
					store_bytes(p, kind, B[l]);
			}
			break;
		}
		case IR_TEX_SAMPLE: {
			const struct msl_exec_texture *t = NULL;
			enum msl_exec_status s = tex_lookup(r, in, &t, err);
			if (s)
				return s;
			const struct msl_exec_sampler *smp;
			uint32_t si = in->imm.u & ~MSL_IR_SAMPLER_CONSTEXPR;
			if (in->imm.u & MSL_IR_SAMPLER_CONSTEXPR)
				smp = si < e->n_samplers ? &e->samplers[si] : NULL;
			else
				smp = si < MSL_EXEC_MAX_SAMPLERS ? r->b->samplers[si] : NULL;
			if (!smp)
				return fail(err, MSL_EXEC_ERR_BINDING, in, "sampler %u is not bound", si);
			if (!t->sample)
				return fail(err, MSL_EXEC_ERR_BINDING, in, "texture %u cannot be sampled", in->aux);
			float u[MSL_EXEC_MAX_LANES], v[MSL_EXEC_MAX_LANES];
			for (uint32_t l = 0; l < n; l++) {
				active[l] = (exec >> l) & 1;
				u[l] = A[l].f;
				v[l] = B[l].f;
			}
			memset(fa, 0, sizeof(float) * 4 * n);
			if (in->c == MSL_IR_NONE || in->target == MSL_IR_NONE) {
				t->sample(t->ctx, smp, n, active, u, v, fa);
			} else {
				enum msl_exec_status so = sample_with_options(e, in, regs, t, smp, n, active, u, v, fa, err);
				if (so)
					return so;
			}
			for (uint32_t k = 0; k < 4; k++)
				for (uint32_t l = 0; l < n; l++)
					if (active[l])
						regs[in->dst + k][l].f = fa[k * n + l];
			break;
		}
		case IR_TEX_READ: {
			const struct msl_exec_texture *t = NULL;
			enum msl_exec_status s = tex_lookup(r, in, &t, err);
			if (s)
				return s;
			if (!t->read)
				return fail(err, MSL_EXEC_ERR_BINDING, in, "texture %u cannot be read", in->aux);
			for (uint32_t l = 0; l < n; l++) {
				active[l] = (exec >> l) & 1;
				ua[0][l] = A[l].u;
				ua[1][l] = B[l].u;
				ua[2][l] = C ? C[l].u : 0;
			}
			memset(fa, 0, sizeof(float) * 4 * n);
			t->read(t->ctx, n, active, ua[0], ua[1], ua[2], fa);
			for (uint32_t k = 0; k < 4; k++)
				for (uint32_t l = 0; l < n; l++)
					if (active[l])
						regs[in->dst + k][l].f = fa[k * n + l];
			break;
		}
		case IR_TEX_WRITE: {
			const struct msl_exec_texture *t = NULL;
			enum msl_exec_status s = tex_lookup(r, in, &t, err);
			if (s)
				return s;
			if (!t->write)
				return fail(err, MSL_EXEC_ERR_BINDING, in, "texture %u cannot be written", in->aux);
			uint64_t m = exec & r->live;
			for (uint32_t l = 0; l < n; l++) {
				active[l] = (m >> l) & 1;
				ua[0][l] = A[l].u;
				ua[1][l] = B[l].u;
				for (uint32_t k = 0; k < 4; k++)
					fa[k * n + l] = regs[in->c + k][l].f;
			}
			if (m)
				t->write(t->ctx, n, active, ua[0], ua[1], fa);
			break;
		}
		case IR_TEX_SIZE: {
			const struct msl_exec_texture *t = NULL;
			enum msl_exec_status s = tex_lookup(r, in, &t, err);
			if (s)
				return s;
			uint32_t k = in->imm.u == 0 ? t->width : in->imm.u == 1 ? t->height :
				     (t->sample_count ? t->sample_count : 1);
			I2(k);
			break;
		}
		case IR_IF: {
			struct frame *f = &fr[depth++];
			f->saved = exec;
			uint64_t c = 0;
			for (uint32_t l = 0; l < n; l++)
				c |= (uint64_t)(A[l].u & 1) << l;
			f->cond = exec & c;
			exec = f->cond;
			if (!exec)
				pc = in->target - 1; /* to ELSE or ENDIF */
			break;
		}
		case IR_ELSE: {
			struct frame *f = &fr[depth - 1];
			exec = f->saved & ~f->cond & ~(brk | cont | ret | discard);
			if (!exec)
				pc = in->target - 1;
			break;
		}
		case IR_ENDIF:
			depth--;
			exec = fr[depth].saved & ~(brk | cont | ret | discard);
			break;
		case IR_LOOP: {
			if (!exec) {
				pc = in->target; /* past ENDLOOP */
				break;
			}
			struct frame *f = &fr[depth++];
			f->saved = exec;
			f->obrk = brk;
			f->ocont = cont;
			f->trips = 0;
			brk = cont = 0;
			break;
		}
		case IR_BREAK:
			brk |= exec;
			exec = 0;
			break;
		case IR_BREAKIFNOT: {
			uint64_t c = 0;
			for (uint32_t l = 0; l < n; l++)
				c |= (uint64_t)(A[l].u & 1) << l;
			brk |= exec & ~c;
			exec &= c;
			break;
		}
		case IR_CONTINUE:
			cont |= exec;
			exec = 0;
			break;
		case IR_CONTPOINT:
			exec = fr[depth - 1].saved & ~(brk | ret | discard);
			cont = 0;
			break;
		case IR_ENDLOOP: {
			struct frame *f = &fr[depth - 1];
			if (exec) {
				int over = ++f->trips >= limit;
				int over_batch = ++total_trips >= MSL_EXEC_MAX_BATCH_TRIPS;
				if ((over || over_batch) && !(exec & r->live)) {
					/* only helper lanes still loop (on extrapolated
					 * inputs): stop them rather than fail the batch */
					brk |= exec;
					exec = 0;
				} else if (over) {
					return fail(err, MSL_EXEC_ERR_LOOP_LIMIT, in,
						    "loop ran %u iterations (the limit)", f->trips);
				} else if (over_batch) {
					return fail(err, MSL_EXEC_ERR_LOOP_LIMIT, in,
						    "loops ran %u iterations in one batch (the limit)", total_trips);
				} else {
					pc = in->target; /* LOOP; the loop body follows */
					break;
				}
			}
			exec = f->saved & ~(ret | discard);
			brk = f->obrk;
			cont = f->ocont;
			depth--;
			break;
		}
		case IR_FUNC_BEGIN: {
			struct frame *f = &fr[depth++];
			f->saved = exec;
			f->oret = ret;
			ret = 0;
			break;
		}
		case IR_RETURN:
			ret |= exec;
			exec = 0;
			break;
		case IR_FUNC_END:
			depth--;
			exec = fr[depth].saved & ~discard;
			ret = fr[depth].oret;
			break;
		case IR_DISCARD:
			discard |= exec;
			exec = 0;
			break;
		case IR_BARRIER:
			if (!exec)
				break; /* no lane of this batch is here */
			if (in->imm.u == 1) {
				/* simdgroup_barrier: lanes of a batch run in lockstep,
				 * so only check each 32-lane simdgroup arrives whole */
				for (uint32_t sg = 0; sg < n; sg += 32) {
					uint64_t m = (full >> sg) & 0xffffffffull;
					uint64_t x = (exec >> sg) & 0xffffffffull;
					if (x && x != m)
						return fail(err, MSL_EXEC_ERR_BARRIER, in,
							    "simdgroup barrier reached by %u of the %u threads of a simdgroup (divergent control flow)",
							    (unsigned)__builtin_popcountll(x), (unsigned)__builtin_popcountll(m));
				}
				break;
			}
			if (exec != full)
				return fail(err, MSL_EXEC_ERR_BARRIER, in,
					    "barrier reached by %u of the %u threads of a batch (divergent control flow)",
					    (unsigned)__builtin_popcountll(exec), n);
			if (r->chunk) {
				/* wait here until every other chunk of the group arrives */
				struct tg_chunk *k = r->chunk;
				k->at_barrier = 1;
				k->pc = pc;
				k->exec = exec; k->brk = brk; k->cont = cont; k->ret = ret;
				k->depth = depth; k->total_trips = total_trips;
				return MSL_EXEC_OK;
			}
			break;
		case IR_OP_COUNT:
			break;
		}
		(void)D; (void)A; (void)B; (void)C;
	}
	r->discard = discard;
	if (r->chunk)
		r->chunk->at_barrier = 0; /* ran to the end */
	return MSL_EXEC_OK;
}

/* ---- inputs, outputs, stages --------------------------------------------- */

static uint32_t from_float(float v, enum msl_exec_scalar s)
{
	union lane32 x;
	switch (s) {
	case MSL_EXEC_FLOAT: x.f = v; break;
	case MSL_EXEC_HALF: x.f = msl_round_half(v); break;
	case MSL_EXEC_BOOL: x.u = v != 0.0f; break;
	case MSL_EXEC_UINT: x.u = msl_f2u(v); break;
	case MSL_EXEC_UCHAR: x.u = msl_f2u(v) & 0xffu; break;
	case MSL_EXEC_USHORT: x.u = msl_f2u(v) & 0xffffu; break;
	case MSL_EXEC_CHAR: x.u = (uint32_t)(int32_t)(int8_t)(uint8_t)msl_f2s(v); break;
	case MSL_EXEC_SHORT: x.u = (uint32_t)(int32_t)(int16_t)(uint16_t)msl_f2s(v); break;
	default: x.u = (uint32_t)msl_f2s(v); break;
	}
	return x.u;
}

static float to_float(union lane32 x, enum msl_exec_scalar s)
{
	switch (s) {
	case MSL_EXEC_FLOAT: case MSL_EXEC_HALF: return x.f;
	case MSL_EXEC_BOOL: case MSL_EXEC_UCHAR: case MSL_EXEC_USHORT: case MSL_EXEC_UINT:
		return (float)x.u;
	default: return (float)x.i;
	}
}

/* Varyings: floats by value (half rounded); integers and bools as their
 * 32-bit patterns, so a flat uint such as a packed colour survives exactly
 * (a float holds only 24 bits of integer). */
static uint32_t varying_in(float v, enum msl_exec_scalar s)
{
	if (s == MSL_EXEC_FLOAT || s == MSL_EXEC_HALF)
		return from_float(v, s);
	union lane32 x;
	x.f = v;
	return x.u;
}

static float varying_out(union lane32 x, enum msl_exec_scalar s)
{
	(void)s;
	return x.f;
}

/* One input column from a lane-major record array: src[l * stride]. */
static void gather(union lane32 *R, const float *src, size_t stride, uint32_t n,
		   enum msl_exec_scalar s, int varying)
{
	if (s == MSL_EXEC_FLOAT) {
		for (uint32_t l = 0; l < n; l++)
			R[l].f = src[l * stride];
	} else if (varying) {
		for (uint32_t l = 0; l < n; l++)
			R[l].u = varying_in(src[l * stride], s);
	} else {
		for (uint32_t l = 0; l < n; l++)
			R[l].u = from_float(src[l * stride], s);
	}
}

static enum msl_exec_status begin(msl_exec_ctx *c, const msl_exec_entry *e,
				  enum msl_exec_stage stage, const struct msl_exec_bindings *b,
				  struct msl_exec_error *err)
{
	if (err) {
		err->status = MSL_EXEC_OK;
		err->line = err->col = 0;
		err->message[0] = 0;
	}
	if (!c || !e || !b)
		return fail(err, MSL_EXEC_ERR_ARGUMENT, NULL, "missing context, entry or bindings");
	if (e->stage != stage)
		return fail(err, MSL_EXEC_ERR_ARGUMENT, NULL, "'%s' is not a %s function", e->name,
			    stage == MSL_EXEC_VERTEX ? "vertex" : stage == MSL_EXEC_FRAGMENT ? "fragment" : "kernel");
	enum msl_exec_status s = reserve(c, e, err);
	if (s)
		return s;
	/* Zero the registers so lanes that never wrote a value (helper or
	 * inactive lanes read by a derivative) read 0, not another batch's data:
	 * results must not depend on batch order. */
	if (e->iface.uses_derivatives) {
		memset(c->regs, 0, sizeof(*c->regs) * e->n_regs);
		c->consts_of = 0;
	}
	/* Constants that live in registers of their own are filled once for
	 * as long as this context keeps running the same entry. */
	if (c->consts_of != e->id) {
		for (uint32_t pc = 0; pc < e->n_code; pc++) {
			const struct msl_ir_inst *in = &e->code[pc];
			if (in->op == IR_CONST && in->aux && in->dst < e->n_regs)
				for (uint32_t l = 0; l < MSL_EXEC_MAX_LANES; l++)
					c->regs[in->dst][l].u = in->imm.u;
		}
		c->consts_of = e->id;
	}
	return MSL_EXEC_OK;
}

enum msl_exec_status msl_exec_run_vertex(msl_exec_ctx *c, const msl_exec_entry *e,
					 const struct msl_exec_bindings *b,
					 struct msl_exec_vertex_batch *batch,
					 struct msl_exec_error *err)
{
	return msl_exec_run_vertex_points(c, e, b, batch, NULL, err);
}

enum msl_exec_status msl_exec_run_vertex_points(msl_exec_ctx *c, const msl_exec_entry *e,
						const struct msl_exec_bindings *b,
						struct msl_exec_vertex_batch *batch,
						float *point_size,
						struct msl_exec_error *err)
{
	enum msl_exec_status s = begin(c, e, MSL_EXEC_VERTEX, b, err);
	if (s)
		return s;
	uint32_t n = batch->count;
	if (n == 0 || n > MSL_EXEC_MAX_LANES)
		return fail(err, MSL_EXEC_ERR_ARGUMENT, NULL, "vertex batch of %u (1..%u)", n, MSL_EXEC_MAX_LANES);
	uint32_t af = e->iface.attribute_floats, vf = e->iface.varying_floats;
	if ((af && !batch->attributes) || !batch->vertex_id || !batch->position || (vf && !batch->varyings))
		return fail(err, MSL_EXEC_ERR_ARGUMENT, NULL, "vertex batch is missing an array");
	for (uint32_t i = 0; i < e->n_inputs; i++) {
		const struct msl_ir_io *io = &e->inputs[i];
		union lane32 *R = c->regs[io->reg];
		switch (io->kind) {
		case IR_IN_ATTRIBUTE:
			gather(R, batch->attributes + io->offset, af, n, io->scalar, 0);
			break;
		case IR_IN_VERTEX_ID:
			for (uint32_t l = 0; l < n; l++)
				R[l].u = batch->vertex_id[l];
			break;
		case IR_IN_INSTANCE_ID:
			for (uint32_t l = 0; l < n; l++)
				R[l].u = batch->instance_id ? batch->instance_id[l] : 0;
			break;
		default:
			for (uint32_t l = 0; l < n; l++)
				R[l].u = 0;
			break;
		}
	}
	struct run r = { c, e, b, n, n == 64 ? ~0ull : (1ull << n) - 1, 0, { NULL, 0 }, NULL };
	s = interpret(&r, err);
	if (s)
		return s;
	if (point_size)
		for (uint32_t l = 0; l < n; l++)
			point_size[l] = 1.0f;
	for (uint32_t i = 0; i < e->n_outputs; i++) {
		const struct msl_ir_io *io = &e->outputs[i];
		union lane32 *R = c->regs[io->reg];
		for (uint32_t l = 0; l < n; l++) {
			if (io->kind == IR_OUT_POSITION)
				batch->position[l * 4 + io->offset] = R[l].f;
			else if (io->kind == IR_OUT_POINT_SIZE) {
				if (point_size)
					point_size[l] = R[l].f;
			}
			else if (io->kind == IR_OUT_VARYING)
				batch->varyings[(size_t)l * vf + io->offset] = varying_out(R[l], io->scalar);
		}
	}
	return MSL_EXEC_OK;
}

enum msl_exec_status msl_exec_run_fragment(msl_exec_ctx *c, const msl_exec_entry *e,
					   const struct msl_exec_bindings *b,
					   struct msl_exec_fragment_batch *batch,
					   struct msl_exec_error *err)
{
	enum msl_exec_status s = begin(c, e, MSL_EXEC_FRAGMENT, b, err);
	if (s)
		return s;
	uint32_t q = batch->quads, n = q * 4;
	if (q == 0 || q > MSL_EXEC_MAX_QUADS)
		return fail(err, MSL_EXEC_ERR_ARGUMENT, NULL, "fragment batch of %u quads (1..%u)", q, MSL_EXEC_MAX_QUADS);
	uint32_t vf = e->iface.varying_floats;
	if ((vf && !batch->varyings) || (e->iface.uses_position && !batch->position) || !batch->colors)
		return fail(err, MSL_EXEC_ERR_ARGUMENT, NULL, "fragment batch is missing an array");
	for (uint32_t i = 0; i < e->n_inputs; i++) {
		const struct msl_ir_io *io = &e->inputs[i];
		union lane32 *R = c->regs[io->reg];
		switch (io->kind) {
		case IR_IN_VARYING:
			gather(R, batch->varyings + io->offset, vf, n, io->scalar, 1);
			break;
		case IR_IN_POSITION:
			gather(R, batch->position + (io->offset & 3), 4, n, io->scalar, 0);
			break;
		case IR_IN_FRONT_FACING:
			for (uint32_t l = 0; l < n; l++)
				R[l].u = batch->front_facing ? batch->front_facing[l] != 0 : 1;
			break;
		case IR_IN_SAMPLE_ID:
			for (uint32_t l = 0; l < n; l++)
				R[l].u = batch->sample_id ? batch->sample_id[l] : 0;
			break;
		case IR_IN_POINT_COORD:
			for (uint32_t l = 0; l < n; l++)
				R[l].f = batch->point_coord ? batch->point_coord[l * 2 + (io->offset & 1)] : 0.0f;
			break;
		default:
			for (uint32_t l = 0; l < n; l++)
				R[l].u = 0;
			break;
		}
	}
	uint64_t all = n == 64 ? ~0ull : (1ull << n) - 1;
	struct run r = { c, e, b, n, batch->live_mask & all, 0, { NULL, 0 }, NULL };
	s = interpret(&r, err);
	if (s)
		return s;
	batch->discard_mask = r.discard & r.live;
	uint64_t out = r.live & ~r.discard;
	/* A colour output narrower than 4 components leaves the rest as
	 * (0, 0, 1) for g, b, a, so no stale value reaches the blender. */
	for (uint32_t i = 0; i < e->iface.n_colors; i++) {
		const struct msl_exec_slot *slot = &e->iface.colors[i];
		for (uint32_t k = slot->components; k < 4; k++)
			for (uint32_t l = 0; l < n; l++)
				if ((out >> l) & 1)
					batch->colors[(size_t)l * 4 * MSL_EXEC_MAX_COLORS + slot->offset + k] =
						k == 3 ? 1.0f : 0.0f;
	}
	for (uint32_t i = 0; i < e->n_outputs; i++) {
		const struct msl_ir_io *io = &e->outputs[i];
		if (io->kind != IR_OUT_COLOR)
			continue;
		union lane32 *R = c->regs[io->reg];
		float *dst = batch->colors + io->offset;
		if (io->scalar == MSL_EXEC_FLOAT || io->scalar == MSL_EXEC_HALF) {
			for (uint32_t l = 0; l < n; l++)
				if ((out >> l) & 1)
					dst[(size_t)l * 4 * MSL_EXEC_MAX_COLORS] = R[l].f;
		} else {
			for (uint32_t l = 0; l < n; l++)
				if ((out >> l) & 1)
					dst[(size_t)l * 4 * MSL_EXEC_MAX_COLORS] = to_float(R[l], io->scalar);
		}
	}
	return MSL_EXEC_OK;
}

/* Thread positions of lanes base..base+n-1 of a group, compacted to the
 * threads inside the grid; their inputs go into regs. Returns how many. */
static uint32_t compute_inputs(union lane32 (*regs)[MSL_EXEC_MAX_LANES], const msl_exec_entry *e,
			       const struct msl_exec_compute_group *g, uint64_t base, uint32_t n)
{
	const uint32_t *tpt = g->threads_per_threadgroup;
	uint32_t pos[3][MSL_EXEC_MAX_LANES], grid[3][MSL_EXEC_MAX_LANES], index[MSL_EXEC_MAX_LANES];
	uint32_t m = 0;
	for (uint32_t l = 0; l < n; l++) {
		uint64_t t = base + l;
		uint32_t p[3], gp[3];
		p[0] = (uint32_t)(t % tpt[0]);
		p[1] = (uint32_t)((t / tpt[0]) % tpt[1]);
		p[2] = (uint32_t)(t / ((uint64_t)tpt[0] * tpt[1]));
		int in_grid = 1;
		for (int k = 0; k < 3; k++) {
			uint64_t v = (uint64_t)g->threadgroup_position[k] * tpt[k] + p[k];
			gp[k] = (uint32_t)v;
			if (v >= g->grid_size[k])
				in_grid = 0;
		}
		if (!in_grid)
			continue;
		for (int k = 0; k < 3; k++) {
			pos[k][m] = p[k];
			grid[k][m] = gp[k];
		}
		index[m] = (uint32_t)t;
		m++;
	}
	if (!regs)
		return m;
	for (uint32_t i = 0; i < e->n_inputs; i++) {
		const struct msl_ir_io *io = &e->inputs[i];
		union lane32 *R = regs[io->reg];
		uint32_t k = io->offset < 3 ? io->offset : 0;
		for (uint32_t l = 0; l < m; l++) {
			switch (io->kind) {
			case IR_IN_TPIG: R[l].u = grid[k][l]; break;
			case IR_IN_TPITG: R[l].u = pos[k][l]; break;
			case IR_IN_TGPIG: R[l].u = g->threadgroup_position[k]; break;
			case IR_IN_TPTG: R[l].u = tpt[k]; break;
			case IR_IN_TIITG: R[l].u = index[l]; break;
			default: R[l].u = 0; break;
			}
		}
	}
	return m;
}

struct compute_run {
	msl_exec_ctx *c;
	const msl_exec_entry *e;
	const struct msl_exec_bindings *b;
	const struct msl_exec_compute_group *g;
	struct msl_exec_buffer tgmem;
	uint32_t base[MSL_EXEC_MAX_THREADGROUP / MSL_EXEC_MAX_LANES];
	uint32_t count[MSL_EXEC_MAX_THREADGROUP / MSL_EXEC_MAX_LANES];
};

/* tg_run_chunk_fn: chunk k from its start, or on from its barrier. */
static enum msl_exec_status run_banked_chunk(void *arg, uint32_t k, struct msl_exec_error *err)
{
	struct compute_run *cr = arg;
	struct tg_chunk *ch = &cr->c->tg.chunks[k];
	if (!ch->at_barrier) {
		ch->first_thread = cr->base[k];
		ch->lanes = compute_inputs(ch->regs, cr->e, cr->g, cr->base[k], cr->count[k]);
	}
	uint32_t m = ch->lanes;
	struct run r = { cr->c, cr->e, cr->b, m, m == 64 ? ~0ull : (1ull << m) - 1, 0, cr->tgmem, ch };
	return interpret(&r, err);
}

enum msl_exec_status msl_exec_run_compute(msl_exec_ctx *c, const msl_exec_entry *e,
					  const struct msl_exec_bindings *b,
					  const struct msl_exec_compute_group *g,
					  struct msl_exec_error *err)
{
	enum msl_exec_status s = begin(c, e, MSL_EXEC_KERNEL, b, err);
	if (s)
		return s;
	const uint32_t *tpt = g->threads_per_threadgroup;
	uint64_t total = (uint64_t)tpt[0] * tpt[1] * tpt[2];
	if (total == 0 || total > MSL_EXEC_MAX_THREADGROUP)
		return fail(err, MSL_EXEC_ERR_ARGUMENT, NULL, "threadgroup of %llu threads (1..%u)",
			    (unsigned long long)total, MSL_EXEC_MAX_THREADGROUP);
	struct compute_run cr = { c, e, b, g, { NULL, 0 }, { 0 }, { 0 } };
	if (e->threadgroup_bytes) {
		cr.tgmem.data = tg_scratch_memory(&c->tg, e->threadgroup_bytes);
		cr.tgmem.size = e->threadgroup_bytes;
		if (!cr.tgmem.data)
			return fail(err, MSL_EXEC_ERR_NOMEM, NULL, "out of memory for %u bytes of threadgroup memory",
				    e->threadgroup_bytes);
	}
	/* The chunks that have threads inside the grid (the others do not
	 * exist, so they take no part in barriers). */
	uint32_t nch = 0;
	for (uint64_t base = 0; base < total; base += MSL_EXEC_MAX_LANES) {
		uint32_t n = (uint32_t)(total - base < MSL_EXEC_MAX_LANES ? total - base : MSL_EXEC_MAX_LANES);
		if (!compute_inputs(NULL, e, g, base, n))
			continue;
		cr.base[nch] = (uint32_t)base;
		cr.count[nch++] = n;
	}
	if (e->has_barrier && nch > 1) {
		size_t reg_bytes = sizeof(*c->regs) * e->n_regs;
		if (tg_scratch_banks(&c->tg, nch, reg_bytes, sizeof(*c->frames) * (e->max_depth ? e->max_depth : 1)))
			return fail(err, MSL_EXEC_ERR_NOMEM, NULL, "out of memory for %u register banks", nch);
		if (c->tg.consts_of != e->id || c->tg.consts_banks < nch) {
			for (uint32_t k = 0; k < nch; k++)
				memcpy(c->tg.chunks[k].regs, c->regs, reg_bytes); /* hoisted constants */
			c->tg.consts_of = e->id;
			c->tg.consts_banks = nch;
		}
		return tg_run_rounds(&c->tg, nch, e, run_banked_chunk, &cr, err);
	}
	/* No barrier to meet (or one chunk, where a barrier only checks that
	 * every lane arrives): chunks run one after the other. */
	for (uint32_t k = 0; k < nch; k++) {
		uint32_t m = compute_inputs(c->regs, e, g, cr.base[k], cr.count[k]);
		struct run r = { c, e, b, m, m == 64 ? ~0ull : (1ull << m) - 1, 0, cr.tgmem, NULL };
		s = interpret(&r, err);
		if (s)
			return s;
	}
	return MSL_EXEC_OK;
}

/* ---- modules --------------------------------------------------------------- */

void msl_exec_module_free(msl_exec_module *m)
{
	if (!m)
		return;
	for (uint32_t i = 0; i < m->n_entries; i++)
		msl_ir_entry_free(m->entries[i]);
	free(m->entries);
	free(m);
}

const msl_exec_entry *msl_exec_find_entry(const msl_exec_module *m, const char *name)
{
	for (uint32_t i = 0; m && i < m->n_entries; i++)
		if (strcmp(m->entries[i]->name, name) == 0)
			return m->entries[i];
	return NULL;
}

uint32_t msl_exec_entry_count(const msl_exec_module *m) { return m ? m->n_entries : 0; }

const msl_exec_entry *msl_exec_entry_at(const msl_exec_module *m, uint32_t i)
{
	return m && i < m->n_entries ? m->entries[i] : NULL;
}

const struct msl_exec_interface *msl_exec_entry_interface(const msl_exec_entry *e)
{
	return &e->iface;
}

enum msl_exec_status msl_exec_link_varyings(const struct msl_exec_interface *vs,
					    const struct msl_exec_interface *fs,
					    uint32_t *vs_offset_of,
					    struct msl_exec_error *err)
{
	for (uint32_t i = 0; i < fs->n_varyings; i++) {
		const struct msl_exec_slot *f = &fs->varyings[i];
		uint32_t j;
		for (j = 0; j < vs->n_varyings; j++)
			if (strcmp(vs->varyings[j].name, f->name) == 0)
				break;
		if (j == vs->n_varyings)
			return fail(err, MSL_EXEC_ERR_ARGUMENT, NULL,
				    "fragment input '%s' of '%s' is not an output of vertex function '%s'",
				    f->name, fs->name, vs->name);
		if (vs->varyings[j].components != f->components)
			return fail(err, MSL_EXEC_ERR_ARGUMENT, NULL,
				    "'%s' has %u components in '%s' but %u in '%s'", f->name,
				    vs->varyings[j].components, vs->name, f->components, fs->name);
		int vs_float = vs->varyings[j].scalar == MSL_EXEC_FLOAT || vs->varyings[j].scalar == MSL_EXEC_HALF;
		int fs_float = f->scalar == MSL_EXEC_FLOAT || f->scalar == MSL_EXEC_HALF;
		if (vs_float != fs_float)
			return fail(err, MSL_EXEC_ERR_ARGUMENT, NULL,
				    "'%s' is %s in '%s' but %s in '%s'", f->name,
				    vs_float ? "floating-point" : "an integer", vs->name,
				    fs_float ? "floating-point" : "an integer", fs->name);
		vs_offset_of[i] = vs->varyings[j].offset;
	}
	return MSL_EXEC_OK;
}
