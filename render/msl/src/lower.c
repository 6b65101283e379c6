/*
 * lower.c — lower a checked program (msl/ast.h) into executor IR, one
 * entry per vertex/fragment/kernel function, helpers inlined.
 *
 * Values are scalarised: a scalar, vector or matrix value is a list of
 * registers, one per component (so swizzles and variable reads cost no
 * copies); structs and arrays occupy consecutive registers in member/element
 * order. Objects in device/constant memory are reached through lvalues of
 * kind LV_MEM (binding + byte offset register + constant offset) and become
 * LOAD/STORE. Textures and samplers are resolved statically to bindings.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msl/msl.h"
#include "msl/ir.h"

#define MAX_INLINE_DEPTH MSL_MAX_CALL_DEPTH /* the front end checks it too */
#define MAX_COMPS 16

struct val {
	const struct msl_type *type;
	uint32_t r[MAX_COMPS];   /* scalar/vector/matrix: a register per component */
	uint32_t base;           /* struct/array: consecutive registers */
	uint32_t binding;        /* pointers: the buffer */
	int writable;            /* pointers: device, non-const */
	int thread_ptr;          /* pointers into thread memory: static target */
	uint32_t tlv;            /* ... index into lower.tlvs */
};

enum lv_kind { LV_REGS, LV_MEM };

struct lval {
	enum lv_kind kind;
	const struct msl_type *type;
	/* LV_REGS: registers base (+ idx) ; comps via swz when nswz */
	uint32_t base, idx, span;
	uint32_t comp[MAX_COMPS];  /* explicit component registers (scalars/vectors) */
	int explicit_comps;
	/* LV_MEM */
	uint32_t binding, off_reg, off_imm;
	int writable;
	/* swizzle over a vector lvalue */
	uint8_t swz[4], nswz;
};

enum vb_kind { VB_NONE, VB_VALUE, VB_LVAL, VB_TEXTURE, VB_SAMPLER };

struct var_bind {
	enum vb_kind kind;
	struct val v;            /* VB_VALUE: regs of the variable */
	struct lval lv;          /* VB_LVAL: references */
	uint32_t index;          /* VB_TEXTURE: binding; VB_SAMPLER: sampler ref */
};

struct frame {
	const struct msl_function *fn;
	struct var_bind *vars;
	struct val ret;
	int has_ret;
};

struct lower {
	const struct msl_program *prog;
	struct msl_exec_entry *e;
	struct msl_exec_error *err;
	int failed;
	struct frame *fr;
	uint32_t depth;
	struct var_bind *globals;
	struct msl_loc loc;
	/* Targets of thread-space pointers (&local): a pointer is resolved at
	 * lowering time to the location it was taken from. */
	struct lval *tlvs;
	uint32_t n_tlvs, cap_tlvs;
};

static void lfail(struct lower *L, struct msl_loc loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void lfail(struct lower *L, struct msl_loc loc, const char *fmt, ...)
{
	if (L->failed)
		return;
	L->failed = 1;
	if (L->err) {
		L->err->status = MSL_EXEC_ERR_UNSUPPORTED;
		L->err->line = loc.line;
		L->err->col = loc.col;
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(L->err->message, sizeof(L->err->message), fmt, ap);
		va_end(ap);
	}
}

/* ---- emission helpers ----------------------------------------------------- */

static uint32_t regs(struct lower *L, uint32_t n)
{
	uint32_t r = msl_ir_regs(L->e, n ? n : 1);
	if (r == MSL_IR_NONE) {
		lfail(L, L->loc, "shader needs more than %u registers", MSL_IR_MAX_REGS);
		return 0;
	}
	return r;
}

static uint32_t emit(struct lower *L, enum msl_ir_op op, uint32_t dst, uint32_t a, uint32_t b,
		     uint32_t c)
{
	uint32_t pc = msl_ir_emit(L->e, op, dst, a, b, c);
	if (pc == MSL_IR_NONE) {
		lfail(L, L->loc, "shader too large to lower");
		return 0;
	}
	L->e->code[pc].line = L->loc.line;
	L->e->code[pc].col = L->loc.col;
	return pc;
}

static uint32_t op1(struct lower *L, enum msl_ir_op op, uint32_t a)
{
	uint32_t d = regs(L, 1);
	emit(L, op, d, a, MSL_IR_NONE, MSL_IR_NONE);
	return d;
}
static uint32_t op2(struct lower *L, enum msl_ir_op op, uint32_t a, uint32_t b)
{
	uint32_t d = regs(L, 1);
	emit(L, op, d, a, b, MSL_IR_NONE);
	return d;
}
static uint32_t op3(struct lower *L, enum msl_ir_op op, uint32_t a, uint32_t b, uint32_t c)
{
	uint32_t d = regs(L, 1);
	emit(L, op, d, a, b, c);
	return d;
}
/* A constant in a register of its own, never written again: aux = 1 lets
 * the executor fill it once per context instead of once per batch. */
static uint32_t kconst(struct lower *L, uint32_t bits)
{
	uint32_t d = regs(L, 1);
	uint32_t pc = emit(L, IR_CONST, d, MSL_IR_NONE, MSL_IR_NONE, MSL_IR_NONE);
	if (!L->failed) {
		L->e->code[pc].imm.u = bits;
		L->e->code[pc].aux = 1;
	}
	return d;
}
static uint32_t kfloat(struct lower *L, float f)
{
	uint32_t u;
	memcpy(&u, &f, 4);
	return kconst(L, u);
}
static void mov(struct lower *L, uint32_t dst, uint32_t src)
{
	if (dst != src)
		emit(L, IR_MOV, dst, src, MSL_IR_NONE, MSL_IR_NONE);
}

/* ---- types ---------------------------------------------------------------- */

static int is_float(enum msl_scalar s) { return s == MSL_FLOAT || s == MSL_HALF; }
static int is_signed_int(enum msl_scalar s) { return s == MSL_CHAR || s == MSL_SHORT || s == MSL_INT; }

/* Registers a value of type t occupies. */
static uint32_t type_regs(const struct msl_type *t)
{
	switch (t->kind) {
	case MSL_T_SCALAR: return 1;
	case MSL_T_VECTOR: return t->cols;
	case MSL_T_MATRIX: return (uint32_t)t->cols * t->rows;
	case MSL_T_ARRAY: return t->array_len * type_regs(t->elem);
	case MSL_T_STRUCT: {
		uint32_t n = 0;
		for (size_t i = 0; i < t->strct->member_count; i++)
			n += type_regs(t->strct->members[i].type);
		return n;
	}
	case MSL_T_POINTER: return 1;
	default: return 0;
	}
}

static int is_flat_type(const struct msl_type *t) /* scalar/vector/matrix */
{
	return t->kind == MSL_T_SCALAR || t->kind == MSL_T_VECTOR || t->kind == MSL_T_MATRIX;
}

static uint32_t comps_of(const struct msl_type *t) { return is_flat_type(t) ? type_regs(t) : 0; }

static uint32_t member_reg_offset(const struct msl_struct *s, size_t idx)
{
	uint32_t n = 0;
	for (size_t i = 0; i < idx; i++)
		n += type_regs(s->members[i].type);
	return n;
}

static enum msl_exec_scalar xscalar(enum msl_scalar s)
{
	switch (s) {
	case MSL_BOOL: return MSL_EXEC_BOOL;
	case MSL_CHAR: return MSL_EXEC_CHAR;
	case MSL_UCHAR: return MSL_EXEC_UCHAR;
	case MSL_SHORT: return MSL_EXEC_SHORT;
	case MSL_USHORT: return MSL_EXEC_USHORT;
	case MSL_INT: return MSL_EXEC_INT;
	case MSL_UINT: return MSL_EXEC_UINT;
	case MSL_HALF: return MSL_EXEC_HALF;
	default: return MSL_EXEC_FLOAT;
	}
}

static uint32_t scalar_size(enum msl_scalar s)
{
	switch (s) {
	case MSL_BOOL: case MSL_CHAR: case MSL_UCHAR: return 1;
	case MSL_SHORT: case MSL_USHORT: case MSL_HALF: return 2;
	default: return 4;
	}
}

static uint32_t mem_kind(enum msl_scalar s)
{
	switch (s) {
	case MSL_BOOL: case MSL_UCHAR: return IR_MEM_U8;
	case MSL_CHAR: return IR_MEM_S8;
	case MSL_SHORT: return IR_MEM_S16;
	case MSL_USHORT: return IR_MEM_U16;
	case MSL_HALF: return IR_MEM_F16;
	default: return IR_MEM_32;
	}
}

/* Re-narrow a freshly computed component to its type. */
static uint32_t narrow(struct lower *L, enum msl_scalar s, uint32_t r)
{
	switch (s) {
	case MSL_CHAR: return op1(L, IR_SEXT8, r);
	case MSL_UCHAR: return op1(L, IR_ZEXT8, r);
	case MSL_SHORT: return op1(L, IR_SEXT16, r);
	case MSL_USHORT: return op1(L, IR_ZEXT16, r);
	case MSL_HALF: return op1(L, IR_FHALF, r);
	default: return r;
	}
}

static struct val mkval(const struct msl_type *t)
{
	struct val v;
	memset(&v, 0, sizeof(v));
	v.type = t;
	for (int i = 0; i < MAX_COMPS; i++)
		v.r[i] = MSL_IR_NONE;
	v.base = MSL_IR_NONE;
	return v;
}

/* Fresh storage for a variable of type t: consecutive registers. */
static struct val alloc_val(struct lower *L, const struct msl_type *t)
{
	struct val v = mkval(t);
	uint32_t n = type_regs(t);
	v.base = regs(L, n);
	if (is_flat_type(t))
		for (uint32_t i = 0; i < n && i < MAX_COMPS; i++)
			v.r[i] = v.base + i;
	return v;
}

/* Component register i of a flat value, or of an aggregate (base + i). */
static uint32_t comp(const struct val *v, uint32_t i)
{
	if (is_flat_type(v->type))
		return v->r[i];
	return v->base + i;
}

/* Copy value src into consecutive registers at dst. */
static void store_regs(struct lower *L, uint32_t dst, const struct val *src)
{
	uint32_t n = type_regs(src->type);
	for (uint32_t i = 0; i < n; i++)
		mov(L, dst + i, comp(src, i));
}

/* Make an aggregate-style (consecutive) copy if needed. */
static struct val consecutive(struct lower *L, const struct val *v)
{
	if (!is_flat_type(v->type))
		return *v;
	uint32_t n = type_regs(v->type);
	int ok = 1;
	for (uint32_t i = 1; i < n; i++)
		if (v->r[i] != v->r[0] + i)
			ok = 0;
	struct val out = *v;
	if (ok) {
		out.base = v->r[0];
		return out;
	}
	out = alloc_val(L, v->type);
	store_regs(L, out.base, v);
	return out;
}

static struct val from_base(const struct msl_type *t, uint32_t base)
{
	struct val v = mkval(t);
	v.base = base;
	if (is_flat_type(t))
		for (uint32_t i = 0; i < type_regs(t) && i < MAX_COMPS; i++)
			v.r[i] = base + i;
	return v;
}

static struct val zero_val(struct lower *L, const struct msl_type *t)
{
	struct val v = alloc_val(L, t);
	uint32_t n = type_regs(t);
	for (uint32_t i = 0; i < n; i++) {
		uint32_t pc = emit(L, IR_CONST, v.base + i, MSL_IR_NONE, MSL_IR_NONE, MSL_IR_NONE);
		if (!L->failed)
			L->e->code[pc].imm.u = 0;
	}
	return v;
}

/* ---- memory layout ---------------------------------------------------------- */

/* Walk the scalar components of type t laid out at byte offset `off`,
 * calling fn(k, byte_offset, scalar) for register k = 0.. in order. */
typedef void (*leaf_fn)(struct lower *L, void *ctx, uint32_t k, uint32_t off, enum msl_scalar s);

static uint32_t walk_mem(struct lower *L, const struct msl_type *t, uint32_t off, uint32_t k,
			 leaf_fn fn, void *ctx)
{
	switch (t->kind) {
	case MSL_T_SCALAR:
		fn(L, ctx, k, off, t->scalar);
		return k + 1;
	case MSL_T_VECTOR:
		for (uint32_t i = 0; i < t->cols; i++)
			fn(L, ctx, k + i, off + i * scalar_size(t->scalar), t->scalar);
		return k + t->cols;
	case MSL_T_MATRIX: {
		uint32_t ss = scalar_size(t->scalar);
		uint32_t colsz = (t->rows == 3 ? 4 : t->rows) * ss;
		for (uint32_t c = 0; c < t->cols; c++)
			for (uint32_t r = 0; r < t->rows; r++)
				fn(L, ctx, k++, off + c * colsz + r * ss, t->scalar);
		return k;
	}
	case MSL_T_ARRAY: {
		uint32_t stride = t->elem->size;
		for (uint32_t i = 0; i < t->array_len; i++)
			k = walk_mem(L, t->elem, off + i * stride, k, fn, ctx);
		return k;
	}
	case MSL_T_STRUCT:
		for (size_t i = 0; i < t->strct->member_count; i++)
			k = walk_mem(L, t->strct->members[i].type, off + t->strct->members[i].offset, k, fn, ctx);
		return k;
	default:
		lfail(L, L->loc, "type '%s' cannot be stored in a buffer here", t->name ? t->name : "?");
		return k;
	}
}

struct memctx { const struct lval *lv; uint32_t dst_base; const struct val *src; };

static void leaf_load(struct lower *L, void *vctx, uint32_t k, uint32_t off, enum msl_scalar s)
{
	struct memctx *m = vctx;
	uint32_t pc = emit(L, IR_LOAD, m->dst_base + k, m->lv->off_reg, MSL_IR_NONE, mem_kind(s));
	if (!L->failed) {
		L->e->code[pc].aux = (uint16_t)m->lv->binding;
		L->e->code[pc].imm.u = m->lv->off_imm + off;
	}
	/* a bool byte in memory may hold any value: non-zero is true */
	if (s == MSL_BOOL)
		emit(L, IR_BOOL, m->dst_base + k, m->dst_base + k, MSL_IR_NONE, MSL_IR_NONE);
}

static void leaf_store(struct lower *L, void *vctx, uint32_t k, uint32_t off, enum msl_scalar s)
{
	struct memctx *m = vctx;
	uint32_t pc = emit(L, IR_STORE, MSL_IR_NONE, m->lv->off_reg, comp(m->src, k), mem_kind(s));
	if (!L->failed) {
		L->e->code[pc].aux = (uint16_t)m->lv->binding;
		L->e->code[pc].imm.u = m->lv->off_imm + off;
	}
}

/* ---- lvalues ----------------------------------------------------------------- */

static struct val lower_expr(struct lower *L, const struct msl_expr *x);

static struct lval lv_regs(const struct val *v)
{
	struct lval lv;
	memset(&lv, 0, sizeof(lv));
	lv.kind = LV_REGS;
	lv.type = v->type;
	lv.idx = MSL_IR_NONE;
	if (is_flat_type(v->type) && type_regs(v->type) <= MAX_COMPS) {
		lv.explicit_comps = 1;
		for (uint32_t i = 0; i < type_regs(v->type); i++)
			lv.comp[i] = v->r[i];
		lv.base = v->r[0];
	} else {
		lv.base = v->base;
	}
	lv.off_reg = MSL_IR_NONE;
	return lv;
}

static struct var_bind *bind_of(struct lower *L, const struct msl_var *var)
{
	if (var->program_scope)
		return L->globals && var->slot < L->prog->global_count ? &L->globals[var->slot] : NULL;
	if (!L->depth || var->slot >= L->fr[L->depth - 1].fn->var_count)
		return NULL;
	return &L->fr[L->depth - 1].vars[var->slot];
}

/* Turn a dynamic register lvalue into one with explicit components by
 * loading is not possible; instead, reads/writes use LDIDX/STIDX. */

static struct lval lower_lval(struct lower *L, const struct msl_expr *x);

static struct val load_lval(struct lower *L, const struct lval *lv);

/* Index a lvalue by a constant or dynamic index. */
static struct lval index_lval(struct lower *L, struct lval lv, const struct msl_expr *ix,
			      const struct msl_type *elem)
{
	const struct msl_type *t = lv.type;
	uint32_t count = t->kind == MSL_T_ARRAY ? t->array_len : t->kind == MSL_T_VECTOR ? t->cols :
			 t->kind == MSL_T_MATRIX ? t->cols : 0;
	if (lv.nswz) {
		lfail(L, ix->loc, "indexing a swizzle is not supported");
		return lv;
	}
	int is_const = ix->kind == MSL_E_INT_LIT;
	uint32_t k = is_const ? (uint32_t)ix->u.int_lit : 0;
	if (lv.kind == LV_MEM) {
		uint32_t stride;
		if (t->kind == MSL_T_POINTER)
			stride = t->elem->size;
		else if (t->kind == MSL_T_ARRAY)
			stride = t->elem->size;
		else if (t->kind == MSL_T_VECTOR)
			stride = scalar_size(t->scalar);
		else
			stride = (t->rows == 3 ? 4 : t->rows) * scalar_size(t->scalar);
		if (is_const && count && k >= count) {
			lfail(L, ix->loc, "index %u out of bounds for '%s'", k, t->name);
			return lv;
		}
		if (is_const) {
			lv.off_imm += k * stride;
		} else {
			struct val iv = lower_expr(L, ix);
			uint32_t i = iv.r[0];
			if (count) {
				uint32_t pc = emit(L, IR_CHECK, MSL_IR_NONE, i, MSL_IR_NONE, count);
				(void)pc;
			}
			uint32_t off = op2(L, IR_IMUL, i, kconst(L, stride));
			lv.off_reg = lv.off_reg == MSL_IR_NONE ? off : op2(L, IR_IADD, lv.off_reg, off);
		}
		lv.type = elem;
		return lv;
	}
	/* registers */
	uint32_t stride = type_regs(elem);
	if (is_const) {
		if (k >= count) {
			lfail(L, ix->loc, "index %u out of bounds for '%s'", k, t->name);
			return lv;
		}
		if (lv.explicit_comps) {
			struct lval out = lv;
			out.type = elem;
			for (uint32_t i = 0; i < stride; i++)
				out.comp[i] = lv.comp[k * stride + i];
			out.base = out.comp[0];
			return out;
		}
		lv.base += k * stride;
		lv.type = elem;
		if (is_flat_type(elem) && lv.idx == MSL_IR_NONE) {
			lv.explicit_comps = 1;
			for (uint32_t i = 0; i < stride; i++)
				lv.comp[i] = lv.base + i;
		}
		return lv;
	}
	if (lv.explicit_comps) {
		/* components must be consecutive for dynamic indexing */
		for (uint32_t i = 1; i < type_regs(t); i++)
			if (lv.comp[i] != lv.comp[0] + i) {
				struct val v = load_lval(L, &lv);
				struct val c = consecutive(L, &v);
				lv = lv_regs(&c);
				break;
			}
		lv.base = lv.comp[0];
		lv.explicit_comps = 0;
		lv.span = type_regs(t);
	}
	if (lv.idx == MSL_IR_NONE && !lv.span)
		lv.span = type_regs(t);
	struct val iv = lower_expr(L, ix);
	emit(L, IR_CHECK, MSL_IR_NONE, iv.r[0], MSL_IR_NONE, count);
	uint32_t off = stride == 1 ? iv.r[0] : op2(L, IR_IMUL, iv.r[0], kconst(L, stride));
	if (lv.idx == MSL_IR_NONE) {
		lv.idx = off;
	} else {
		lv.idx = op2(L, IR_IADD, lv.idx, off);
	}
	lv.type = elem;
	return lv;
}

static struct lval lower_lval(struct lower *L, const struct msl_expr *x)
{
	struct lval bad;
	memset(&bad, 0, sizeof(bad));
	bad.type = x->type;
	bad.idx = bad.off_reg = MSL_IR_NONE;
	if (L->failed)
		return bad;
	struct msl_loc saved = L->loc;
	L->loc = x->loc;
	struct lval lv = bad;
	switch (x->kind) {
	case MSL_E_VAR: {
		struct var_bind *b = bind_of(L, x->u.var);
		if (!b || (b->kind != VB_VALUE && b->kind != VB_LVAL)) {
			lfail(L, x->loc, "'%s' cannot be used as a value here", x->u.var->name);
			break;
		}
		lv = b->kind == VB_LVAL ? b->lv : lv_regs(&b->v);
		if (b->kind == VB_VALUE && b->v.type->kind == MSL_T_POINTER) {
			/* the pointer variable itself (for assignment) */
			lv.type = b->v.type;
		}
		break;
	}
	case MSL_E_MEMBER: {
		lv = lower_lval(L, x->u.member.base);
		if (L->failed)
			break;
		const struct msl_struct *s = lv.type->strct;
		size_t mi = x->u.member.index;
		if (lv.kind == LV_MEM) {
			lv.off_imm += s->members[mi].offset;
		} else {
			uint32_t mo = member_reg_offset(s, mi);
			if (lv.explicit_comps) {
				lfail(L, x->loc, "internal: member of a flat value");
				break;
			}
			lv.base += mo;
			if (is_flat_type(x->type) && lv.idx == MSL_IR_NONE) {
				lv.explicit_comps = 1;
				for (uint32_t i = 0; i < type_regs(x->type); i++)
					lv.comp[i] = lv.base + i;
			}
		}
		lv.type = x->type;
		break;
	}
	case MSL_E_INDEX: {
		const struct msl_type *bt = x->u.index.base->type;
		if (bt->kind == MSL_T_POINTER) {
			struct val p = lower_expr(L, x->u.index.base);
			if (L->failed)
				break;
			if (p.thread_ptr) {
				const struct msl_expr *ix = x->u.index.index;
				if (ix->kind != MSL_E_INT_LIT || ix->u.int_lit != 0) {
					lfail(L, x->loc, "indexing a thread-space pointer other than p[0] is not supported");
					break;
				}
				lv = L->tlvs[p.tlv];
				break;
			}
			memset(&lv, 0, sizeof(lv));
			lv.kind = LV_MEM;
			lv.type = bt;
			lv.binding = p.binding;
			lv.off_reg = p.r[0];
			lv.writable = p.writable;
			lv.idx = MSL_IR_NONE;
			lv = index_lval(L, lv, x->u.index.index, x->type);
			break;
		}
		lv = lower_lval(L, x->u.index.base);
		if (L->failed)
			break;
		lv = index_lval(L, lv, x->u.index.index, x->type);
		break;
	}
	case MSL_E_SWIZZLE: {
		lv = lower_lval(L, x->u.swizzle.base);
		if (L->failed)
			break;
		if (lv.nswz) {
			uint8_t s2[4];
			for (int i = 0; i < x->u.swizzle.count; i++)
				s2[i] = lv.swz[x->u.swizzle.comp[i]];
			memcpy(lv.swz, s2, 4);
		} else {
			memcpy(lv.swz, x->u.swizzle.comp, 4);
		}
		lv.nswz = x->u.swizzle.count;
		lv.type = x->type;
		break;
	}
	case MSL_E_DEREF: {
		struct val p = lower_expr(L, x->u.operand);
		if (L->failed)
			break;
		if (p.thread_ptr) {
			lv = L->tlvs[p.tlv];
			break;
		}
		memset(&lv, 0, sizeof(lv));
		lv.kind = LV_MEM;
		lv.type = x->type;
		lv.binding = p.binding;
		lv.off_reg = p.r[0];
		lv.writable = p.writable;
		lv.idx = MSL_IR_NONE;
		break;
	}
	default:
		lfail(L, x->loc, "expression is not an assignable location");
		break;
	}
	L->loc = saved;
	return lv;
}

/* Register of component i of a register lvalue without swizzle. */
static struct val load_lval(struct lower *L, const struct lval *lv)
{
	const struct msl_type *t = lv->type;
	if (lv->nswz) {
		/* the swizzle applies to the underlying vector lvalue */
		struct lval vec = *lv;
		vec.nswz = 0;
		vec.type = NULL;
		struct val out = mkval(t);
		/* load each selected component */
		for (int i = 0; i < lv->nswz; i++) {
			uint32_t c = lv->swz[i];
			if (lv->kind == LV_MEM) {
				uint32_t d = regs(L, 1);
				uint32_t pc = emit(L, IR_LOAD, d, lv->off_reg, MSL_IR_NONE, mem_kind(t->scalar));
				if (!L->failed) {
					L->e->code[pc].aux = (uint16_t)lv->binding;
					L->e->code[pc].imm.u = lv->off_imm + c * scalar_size(t->scalar);
				}
				out.r[i] = t->scalar == MSL_BOOL ? op1(L, IR_BOOL, d) : d;
			} else if (lv->explicit_comps) {
				out.r[i] = lv->comp[c];
			} else {
				uint32_t d = regs(L, 1);
				uint32_t pc = emit(L, IR_LDIDX, d, lv->base + c, lv->idx, lv->span);
				if (!L->failed)
					L->e->code[pc].imm.u = 1;
				out.r[i] = d;
			}
		}
		(void)vec;
		return out;
	}
	if (lv->kind == LV_MEM) {
		struct val v = alloc_val(L, t);
		struct memctx m = { lv, v.base, NULL };
		walk_mem(L, t, 0, 0, leaf_load, &m);
		return v;
	}
	if (lv->explicit_comps && lv->idx == MSL_IR_NONE) {
		struct val v = mkval(t);
		for (uint32_t i = 0; i < type_regs(t); i++)
			v.r[i] = lv->comp[i];
		v.base = lv->comp[0];
		return v;
	}
	if (lv->idx == MSL_IR_NONE)
		return from_base(t, lv->base);
	struct val v = alloc_val(L, t);
	uint32_t n = type_regs(t);
	for (uint32_t i = 0; i < n; i++) {
		uint32_t pc = emit(L, IR_LDIDX, v.base + i, lv->base + i, lv->idx, lv->span > i ? lv->span - i : 0);
		if (!L->failed)
			L->e->code[pc].imm.u = 1;
	}
	return v;
}

static void store_lval(struct lower *L, const struct lval *lv, const struct val *v)
{
	const struct msl_type *t = lv->type;
	if (lv->kind == LV_MEM && !lv->writable) {
		lfail(L, L->loc, "cannot write through a constant/read-only buffer");
		return;
	}
	if (lv->nswz) {
		/* v.xy = v.yx: read every source before writing any target */
		struct val src = *v;
		if (lv->kind == LV_REGS && lv->explicit_comps) {
			int overlap = 0;
			for (int i = 0; i < lv->nswz; i++)
				for (int j = 0; j < lv->nswz; j++)
					if (i != j && v->r[i] == lv->comp[lv->swz[j]])
						overlap = 1;
			if (overlap)
				for (int i = 0; i < lv->nswz; i++)
					src.r[i] = op1(L, IR_MOV, v->r[i]);
		}
		v = &src;
		for (int i = 0; i < lv->nswz; i++) {
			uint32_t c = lv->swz[i];
			if (lv->kind == LV_MEM) {
				uint32_t pc = emit(L, IR_STORE, MSL_IR_NONE, lv->off_reg, v->r[i], mem_kind(t->scalar));
				if (!L->failed) {
					L->e->code[pc].aux = (uint16_t)lv->binding;
					L->e->code[pc].imm.u = lv->off_imm + c * scalar_size(t->scalar);
				}
			} else if (lv->explicit_comps) {
				mov(L, lv->comp[c], v->r[i]);
			} else {
				uint32_t pc = emit(L, IR_STIDX, lv->base + c, v->r[i], lv->idx, lv->span > c ? lv->span - c : 0);
				if (!L->failed)
					L->e->code[pc].imm.u = 1;
			}
		}
		return;
	}
	if (lv->kind == LV_MEM) {
		struct memctx m = { lv, 0, v };
		walk_mem(L, t, 0, 0, leaf_store, &m);
		return;
	}
	uint32_t n = type_regs(t);
	if (t->kind == MSL_T_POINTER) {
		lfail(L, L->loc, "assigning pointers is not supported");
		return;
	}
	/* Copy through temporaries first when the source overlaps the target
	 * in another order (e.g. v = v.yx). */
	uint32_t tmp[MAX_COMPS];
	int overlap = 0;
	if (lv->explicit_comps && n <= MAX_COMPS) {
		for (uint32_t i = 0; i < n; i++)
			for (uint32_t j = 0; j < n; j++)
				if (i != j && comp(v, i) == lv->comp[j])
					overlap = 1;
		for (uint32_t i = 0; i < n; i++)
			tmp[i] = overlap ? op1(L, IR_MOV, comp(v, i)) : comp(v, i);
		for (uint32_t i = 0; i < n; i++)
			mov(L, lv->comp[i], tmp[i]);
		return;
	}
	if (lv->idx == MSL_IR_NONE) {
		struct val src = *v;
		if (!is_flat_type(t) && src.base != lv->base && src.base < lv->base + n && lv->base < src.base + n) {
			struct val c = alloc_val(L, t);
			store_regs(L, c.base, v);
			src = c;
		}
		store_regs(L, lv->base, &src);
		return;
	}
	for (uint32_t i = 0; i < n; i++) {
		uint32_t pc = emit(L, IR_STIDX, lv->base + i, comp(v, i), lv->idx, lv->span > i ? lv->span - i : 0);
		if (!L->failed)
			L->e->code[pc].imm.u = 1;
	}
}

/* ---- arithmetic --------------------------------------------------------------- */

static enum msl_ir_op binop_ir(struct lower *L, enum msl_binop op, enum msl_scalar s)
{
	int f = is_float(s), sg = is_signed_int(s);
	switch (op) {
	case MSL_BINOP_ADD: return f ? IR_FADD : IR_IADD;
	case MSL_BINOP_SUB: return f ? IR_FSUB : IR_ISUB;
	case MSL_BINOP_MUL: return f ? IR_FMUL : IR_IMUL;
	case MSL_BINOP_DIV: return f ? IR_FDIV : sg ? IR_SDIV : IR_UDIV;
	case MSL_BINOP_MOD:
		if (f)
			lfail(L, L->loc, "'%%' on floating point (use fmod)");
		return sg ? IR_SREM : IR_UREM;
	case MSL_BINOP_SHL: return IR_SHL;
	case MSL_BINOP_SHR: return sg ? IR_SSHR : IR_USHR;
	case MSL_BINOP_BITAND: case MSL_BINOP_LOGAND: return IR_IAND;
	case MSL_BINOP_BITOR: case MSL_BINOP_LOGOR: return IR_IOR;
	case MSL_BINOP_BITXOR: return IR_IXOR;
	case MSL_BINOP_LT: return f ? IR_FLT : sg ? IR_SLT : IR_ULT;
	case MSL_BINOP_GT: return f ? IR_FGT : sg ? IR_SGT : IR_UGT;
	case MSL_BINOP_LE: return f ? IR_FLE : sg ? IR_SLE : IR_ULE;
	case MSL_BINOP_GE: return f ? IR_FGE : sg ? IR_SGE : IR_UGE;
	case MSL_BINOP_EQ: return f ? IR_FEQ : IR_IEQ;
	case MSL_BINOP_NE: return f ? IR_FNE : IR_INE;
	default: return IR_MOV;
	}
}

static int is_compare(enum msl_binop op)
{
	return op >= MSL_BINOP_LT && op <= MSL_BINOP_NE;
}

static enum msl_scalar elem_scalar(const struct msl_type *t)
{
	return t->scalar;
}

/* Component-wise binary op; a scalar operand is broadcast. */
static struct val binop_vals(struct lower *L, enum msl_binop op, const struct val *a,
			     const struct val *b, const struct msl_type *rt)
{
	struct val out = mkval(rt);
	enum msl_scalar s = elem_scalar(a->type);
	enum msl_ir_op ir = binop_ir(L, op, s);
	uint32_t na = comps_of(a->type), nb = comps_of(b->type), n = comps_of(rt);
	uint32_t width = scalar_size(s) * 8;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t x = a->r[na == 1 ? 0 : i], y = b->r[nb == 1 ? 0 : i];
		uint32_t d = op2(L, ir, x, y);
		if ((ir == IR_SHL || ir == IR_SSHR || ir == IR_USHR) && !L->failed)
			L->e->code[L->e->n_code - 1].aux = (uint16_t)(width - 1);
		out.r[i] = is_compare(op) ? d : narrow(L, rt->scalar, d);
	}
	return out;
}

static struct val matmul(struct lower *L, const struct val *a, const struct val *b,
			 const struct msl_type *rt)
{
	const struct msl_type *ta = a->type, *tb = b->type;
	struct val out = mkval(rt);
	enum msl_scalar s = rt->scalar;
	/* matrix: component (col c, row r) at index c*rows + r */
	if (ta->kind == MSL_T_MATRIX && tb->kind == MSL_T_VECTOR) {
		for (uint32_t r = 0; r < ta->rows; r++) {
			uint32_t acc = op2(L, IR_FMUL, a->r[r], b->r[0]);
			for (uint32_t c = 1; c < ta->cols; c++)
				acc = op2(L, IR_FADD, acc, op2(L, IR_FMUL, a->r[c * ta->rows + r], b->r[c]));
			out.r[r] = narrow(L, s, acc);
		}
	} else if (ta->kind == MSL_T_VECTOR && tb->kind == MSL_T_MATRIX) {
		for (uint32_t c = 0; c < tb->cols; c++) {
			uint32_t acc = op2(L, IR_FMUL, a->r[0], b->r[c * tb->rows]);
			for (uint32_t r = 1; r < tb->rows; r++)
				acc = op2(L, IR_FADD, acc, op2(L, IR_FMUL, a->r[r], b->r[c * tb->rows + r]));
			out.r[c] = narrow(L, s, acc);
		}
	} else if (ta->kind == MSL_T_MATRIX && tb->kind == MSL_T_MATRIX) {
		for (uint32_t c = 0; c < tb->cols; c++)
			for (uint32_t r = 0; r < ta->rows; r++) {
				uint32_t acc = op2(L, IR_FMUL, a->r[r], b->r[c * tb->rows]);
				for (uint32_t k = 1; k < ta->cols; k++)
					acc = op2(L, IR_FADD, acc, op2(L, IR_FMUL, a->r[k * ta->rows + r],
								     b->r[c * tb->rows + k]));
				out.r[c * ta->rows + r] = narrow(L, s, acc);
			}
	} else {
		lfail(L, L->loc, "unsupported matrix product");
	}
	return out;
}

/* Convert a scalar register between scalar types. */
static uint32_t convert_scalar(struct lower *L, uint32_t r, enum msl_scalar from, enum msl_scalar to)
{
	if (from == to)
		return r;
	if (to == MSL_BOOL)
		return is_float(from) ? op2(L, IR_FNE, r, kfloat(L, 0.0f)) : op1(L, IR_BOOL, r);
	if (is_float(to)) {
		uint32_t f = is_float(from) ? r : is_signed_int(from) ? op1(L, IR_S2F, r) : op1(L, IR_U2F, r);
		return to == MSL_HALF ? op1(L, IR_FHALF, f) : f;
	}
	/* to an integer */
	uint32_t i;
	if (is_float(from))
		i = is_signed_int(to) ? op1(L, IR_F2S, r) : op1(L, IR_F2U, r);
	else
		i = r; /* bit patterns are sign/zero-extended already; re-narrow */
	return narrow(L, to, i);
}

static struct val convert_val(struct lower *L, const struct val *v, const struct msl_type *to)
{
	struct val out = mkval(to);
	uint32_t nf = comps_of(v->type), nt = comps_of(to);
	if (!nf || !nt) {
		if (v->type == to)
			return *v;
		if (v->type->kind == MSL_T_POINTER && to->kind == MSL_T_POINTER && v->type->elem == to->elem &&
		    v->type->space == to->space) {
			/* T * to const T *: the same location, no longer writable */
			out = *v;
			out.type = to;
			if (to->is_const)
				out.writable = 0;
			return out;
		}
		lfail(L, L->loc, "unsupported conversion to '%s'", to->name);
		return out;
	}
	for (uint32_t i = 0; i < nt; i++)
		out.r[i] = convert_scalar(L, v->r[nf == 1 ? 0 : i], v->type->scalar, to->scalar);
	return out;
}

/* ---- expressions ---------------------------------------------------------------- */

static int simple_expr(const struct msl_expr *x, int budget);

static int simple_list(struct msl_expr **xs, size_t n, int budget)
{
	for (size_t i = 0; i < n; i++)
		if (!simple_expr(xs[i], budget - 1))
			return 0;
	return 1;
}

/* Side-effect free and cannot fault: safe to evaluate on lanes that would
 * not have evaluated it (ternary and && || operands). */
static int simple_expr(const struct msl_expr *x, int budget)
{
	if (budget <= 0)
		return 0;
	switch (x->kind) {
	case MSL_E_INT_LIT: case MSL_E_FLOAT_LIT: case MSL_E_BOOL_LIT: case MSL_E_VAR:
		return 1;
	case MSL_E_UNARY: return simple_expr(x->u.unary.operand, budget - 1);
	case MSL_E_BINARY:
		return simple_expr(x->u.binary.left, budget - 1) && simple_expr(x->u.binary.right, budget - 1);
	case MSL_E_COND:
		return simple_expr(x->u.cond.cond, budget - 1) && simple_expr(x->u.cond.then_expr, budget - 1) &&
		       simple_expr(x->u.cond.else_expr, budget - 1);
	case MSL_E_BUILTIN:
		if (x->u.builtin.id >= MSL_B_TEX_SAMPLE)
			return 0;
		return simple_list(x->u.builtin.args, x->u.builtin.arg_count, budget);
	case MSL_E_CONSTRUCT:
		return simple_list(x->u.construct.parts, x->u.construct.part_count, budget);
	case MSL_E_CONVERT: return simple_expr(x->u.convert.operand, budget - 1);
	case MSL_E_SWIZZLE: return simple_expr(x->u.swizzle.base, budget - 1);
	case MSL_E_MEMBER:
		return x->u.member.base->type->kind == MSL_T_STRUCT &&
		       x->u.member.base->kind != MSL_E_DEREF && simple_expr(x->u.member.base, budget - 1);
	default:
		return 0;
	}
}

static struct val lower_builtin(struct lower *L, const struct msl_expr *x);
static struct val lower_call(struct lower *L, const struct msl_expr *x);

static uint32_t as_bool_reg(struct lower *L, const struct msl_expr *x)
{
	struct val c = lower_expr(L, x);
	return c.r[0];
}

static struct val lower_cond(struct lower *L, const struct msl_expr *x)
{
	const struct msl_expr *c = x->u.cond.cond, *a = x->u.cond.then_expr, *b = x->u.cond.else_expr;
	if (x->type->kind == MSL_T_POINTER) {
		/* c ? p : q into one buffer: the binding is static, the offset
		 * is chosen per lane */
		uint32_t r = regs(L, 1);
		uint32_t cr = as_bool_reg(L, c);
		emit(L, IR_IF, MSL_IR_NONE, cr, MSL_IR_NONE, MSL_IR_NONE);
		struct val av = lower_expr(L, a);
		if (!av.thread_ptr)
			mov(L, r, av.r[0]);
		emit(L, IR_ELSE, MSL_IR_NONE, MSL_IR_NONE, MSL_IR_NONE, MSL_IR_NONE);
		struct val bv = lower_expr(L, b);
		if (!bv.thread_ptr)
			mov(L, r, bv.r[0]);
		emit(L, IR_ENDIF, MSL_IR_NONE, MSL_IR_NONE, MSL_IR_NONE, MSL_IR_NONE);
		if (L->failed)
			return av;
		if (av.thread_ptr || bv.thread_ptr || av.binding != bv.binding) {
			lfail(L, x->loc, "'?:' choosing between pointers into different buffers or thread memory is not supported");
			return av;
		}
		av.type = x->type;
		av.r[0] = r;
		av.writable = av.writable && bv.writable;
		return av;
	}
	if (simple_expr(a, 8) && simple_expr(b, 8) && is_flat_type(x->type)) {
		struct val cv = lower_expr(L, c), av = lower_expr(L, a), bv = lower_expr(L, b);
		struct val out = mkval(x->type);
		uint32_t nc = comps_of(c->type);
		for (uint32_t i = 0; i < comps_of(x->type); i++)
			out.r[i] = op3(L, IR_SELECT, cv.r[nc == 1 ? 0 : i], av.r[i], bv.r[i]);
		return out;
	}
	if (comps_of(c->type) > 1) {
		lfail(L, x->loc, "component-wise ?: with side effects is not supported");
		return mkval(x->type);
	}
	struct val out = alloc_val(L, x->type);
	uint32_t cr = as_bool_reg(L, c);
	emit(L, IR_IF, MSL_IR_NONE, cr, MSL_IR_NONE, MSL_IR_NONE);
	struct val av = lower_expr(L, a);
	store_regs(L, out.base, &av);
	emit(L, IR_ELSE, MSL_IR_NONE, MSL_IR_NONE, MSL_IR_NONE, MSL_IR_NONE);
	struct val bv = lower_expr(L, b);
	store_regs(L, out.base, &bv);
	emit(L, IR_ENDIF, MSL_IR_NONE, MSL_IR_NONE, MSL_IR_NONE, MSL_IR_NONE);
	return out;
}

static struct val lower_logic(struct lower *L, const struct msl_expr *x)
{
	int is_and = x->u.binary.op == MSL_BINOP_LOGAND;
	struct val a = lower_expr(L, x->u.binary.left);
	struct val out = mkval(x->type);
	if (simple_expr(x->u.binary.right, 8)) {
		struct val b = lower_expr(L, x->u.binary.right);
		out.r[0] = op2(L, is_and ? IR_IAND : IR_IOR, a.r[0], b.r[0]);
		return out;
	}
	uint32_t res = regs(L, 1);
	mov(L, res, a.r[0]);
	uint32_t c = is_and ? a.r[0] : op2(L, IR_IXOR, a.r[0], kconst(L, 1));
	emit(L, IR_IF, MSL_IR_NONE, c, MSL_IR_NONE, MSL_IR_NONE);
	struct val b = lower_expr(L, x->u.binary.right);
	mov(L, res, b.r[0]);
	emit(L, IR_ENDIF, MSL_IR_NONE, MSL_IR_NONE, MSL_IR_NONE, MSL_IR_NONE);
	out.r[0] = res;
	return out;
}

static struct val lower_construct(struct lower *L, const struct msl_expr *x)
{
	const struct msl_type *t = x->type;
	size_t np = x->u.construct.part_count;
	if (np == 0)
		return zero_val(L, t);
	if (t->kind == MSL_T_SCALAR) {
		struct val p = lower_expr(L, x->u.construct.parts[0]);
		return convert_val(L, &p, t);
	}
	if (t->kind == MSL_T_VECTOR || t->kind == MSL_T_MATRIX) {
		struct val out = mkval(t);
		uint32_t n = comps_of(t), k = 0;
		struct val parts[MAX_COMPS];
		for (size_t i = 0; i < np && i < MAX_COMPS; i++)
			parts[i] = lower_expr(L, x->u.construct.parts[i]);
		if (L->failed)
			return out;
		if (np == 1 && comps_of(parts[0].type) == 1) {
			struct val p = convert_val(L, &parts[0], x->u.construct.parts[0]->type->kind == MSL_T_SCALAR ?
						   parts[0].type : parts[0].type);
			uint32_t r = convert_scalar(L, p.r[0], parts[0].type->scalar, t->scalar);
			if (t->kind == MSL_T_VECTOR) {
				for (uint32_t i = 0; i < n; i++)
					out.r[i] = r;
			} else {
				uint32_t z = kfloat(L, 0.0f);
				for (uint32_t c = 0; c < t->cols; c++)
					for (uint32_t rr = 0; rr < t->rows; rr++)
						out.r[c * t->rows + rr] = c == rr ? r : z;
			}
			return out;
		}
		for (size_t i = 0; i < np && i < MAX_COMPS; i++) {
			uint32_t pc = comps_of(parts[i].type);
			for (uint32_t j = 0; j < pc && k < n; j++)
				out.r[k++] = convert_scalar(L, parts[i].r[j], parts[i].type->scalar, t->scalar);
		}
		if (k != n)
			lfail(L, x->loc, "constructor of '%s' has %u components, needs %u", t->name, k, n);
		return out;
	}
	/* struct / array: consecutive storage */
	struct val out = alloc_val(L, t);
	uint32_t off = 0;
	uint32_t total = type_regs(t);
	for (size_t i = 0; i < np; i++) {
		struct val p = lower_expr(L, x->u.construct.parts[i]);
		uint32_t n = type_regs(p.type);
		if (off + n > total) {
			lfail(L, x->loc, "too many initialisers for '%s'", t->name);
			break;
		}
		store_regs(L, out.base + off, &p);
		off += n;
	}
	for (; off < total; off++) {
		uint32_t pc = emit(L, IR_CONST, out.base + off, MSL_IR_NONE, MSL_IR_NONE, MSL_IR_NONE);
		if (!L->failed)
			L->e->code[pc].imm.u = 0;
	}
	return out;
}

static int retarget_assign(struct lower *L, const struct lval *lv, struct val *v, uint32_t mark);

/* ---- pointer arithmetic ------------------------------------------------------ */

/* A buffer pointer is a binding (static) and a byte offset register, so
 * `p + i` is the same binding at offset + i * sizeof(*p). The offset wraps
 * like uint32 arithmetic: a pointer moved before the start of its buffer
 * has a huge offset, which the executor's bounds check at each access
 * reports as out of bounds (it never reads outside the bound buffer). */
static struct val ptr_add(struct lower *L, const struct val *p, uint32_t idx, int negate,
			  const struct msl_type *pt, struct msl_loc loc)
{
	struct val out = *p;
	out.type = pt;
	if (p->thread_ptr) {
		lfail(L, loc, "arithmetic on a thread-space pointer is not supported");
		return out;
	}
	uint32_t off = op2(L, IR_IMUL, idx, kconst(L, (uint32_t)pt->elem->size));
	out.r[0] = op2(L, negate ? IR_ISUB : IR_IADD, p->r[0], off);
	return out;
}

/* Binary operators with a pointer operand (the front end put the pointer
 * on the left for ptr + int): ptr +/- int, ptr - ptr, comparisons. */
static struct val lower_ptr_binary(struct lower *L, const struct msl_expr *x, const struct val *a,
				   const struct val *b)
{
	enum msl_binop op = x->u.binary.op;
	struct val out = mkval(x->type);
	if (x->type->kind == MSL_T_POINTER)
		return ptr_add(L, a, b->r[0], op == MSL_BINOP_SUB, x->type, x->loc);
	if (a->thread_ptr || b->thread_ptr) {
		lfail(L, x->loc, "arithmetic on a thread-space pointer is not supported");
		return out;
	}
	if (a->binding != b->binding) {
		lfail(L, x->loc, "pointers into different buffers cannot be %s",
		      op == MSL_BINOP_SUB ? "subtracted" : "compared");
		return out;
	}
	if (op == MSL_BINOP_SUB) {
		uint32_t d = op2(L, IR_ISUB, a->r[0], b->r[0]);
		out.r[0] = op2(L, IR_SDIV, d, kconst(L, (uint32_t)a->type->elem->size));
		return out;
	}
	/* offsets compare as signed: a pointer a few elements before the
	 * start still orders before one inside the buffer */
	out.r[0] = op2(L, binop_ir(L, op, MSL_INT), a->r[0], b->r[0]);
	return out;
}

/* `p = q`, `p += n`, `p++` on a pointer variable: the new value must point
 * into the same buffer (the binding is static), so only its offset
 * register changes. */
static void assign_ptr_var(struct lower *L, const struct msl_expr *target, const struct val *v)
{
	struct var_bind *b = target->kind == MSL_E_VAR ? bind_of(L, target->u.var) : NULL;
	if (!b || b->kind != VB_VALUE) {
		lfail(L, target->loc, "assigning this pointer is not supported");
		return;
	}
	if (b->v.thread_ptr || v->thread_ptr) {
		lfail(L, target->loc, "assigning a thread-space pointer is not supported");
		return;
	}
	if (b->v.binding != v->binding) {
		lfail(L, target->loc, "assigning a pointer into a different buffer is not supported");
		return;
	}
	mov(L, b->v.r[0], v->r[0]);
}

static struct val lower_incdec(struct lower *L, const struct msl_expr *x, int value_used)
{
	const struct msl_type *pt = x->u.incdec.target->type;
	if (pt->kind == MSL_T_POINTER) {
		struct val old = lower_expr(L, x->u.incdec.target);
		if (L->failed)
			return old;
		struct val saved = old;
		if (value_used && !x->u.incdec.prefix && !old.thread_ptr)
			saved.r[0] = op1(L, IR_MOV, old.r[0]);
		struct val nv = ptr_add(L, &old, kconst(L, 1), !x->u.incdec.increment, pt, x->loc);
		if (L->failed)
			return nv;
		assign_ptr_var(L, x->u.incdec.target, &nv);
		return x->u.incdec.prefix ? nv : saved;
	}
	struct lval lv = lower_lval(L, x->u.incdec.target);
	struct val old = load_lval(L, &lv);
	const struct msl_type *t = x->u.incdec.target->type;
	struct val saved = mkval(t);
	struct val nv = mkval(t);
	uint32_t n = comps_of(t);
	enum msl_scalar s = t->scalar;
	uint32_t one = is_float(s) ? kfloat(L, 1.0f) : kconst(L, 1);
	uint32_t mark = L->e->n_regs;
	for (uint32_t i = 0; i < n; i++) {
		/* x++ keeps the old value only when something reads it */
		saved.r[i] = value_used && !x->u.incdec.prefix ? op1(L, IR_MOV, old.r[i]) : old.r[i];
		enum msl_ir_op op = is_float(s) ? (x->u.incdec.increment ? IR_FADD : IR_FSUB)
						: (x->u.incdec.increment ? IR_IADD : IR_ISUB);
		nv.r[i] = narrow(L, s, op2(L, op, old.r[i], one));
	}
	if (!retarget_assign(L, &lv, &nv, mark))
		store_lval(L, &lv, &nv);
	return x->u.incdec.prefix ? nv : saved;
}

/* Assigning a value just computed into a plain register variable: make the
 * instructions that computed it write the variable directly instead of
 * copying (`acc += x` in a loop is one instruction, not two). Only when the
 * last k instructions wrote the k fresh temporaries of v in order, are not
 * constants (those may be hoisted), and none of them reads a target
 * register written by an earlier one of the group. Returns 1 when done. */
static int retarget_assign(struct lower *L, const struct lval *lv, struct val *v, uint32_t mark)
{
	uint32_t k = comps_of(lv->type);
	struct msl_exec_entry *e = L->e;
	if (L->failed || lv->kind != LV_REGS || !lv->explicit_comps || lv->nswz || lv->idx != MSL_IR_NONE ||
	    !k || k > 4 || e->n_code < k)
		return 0;
	struct msl_ir_inst *group = &e->code[e->n_code - k];
	for (uint32_t i = 0; i < k; i++) {
		const struct msl_ir_inst *in = &group[i];
		if (in->op >= IR_DFDX || in->op == IR_CONST || in->dst != v->r[i] || v->r[i] < mark)
			return 0;
		for (uint32_t j = 0; j < k; j++)
			if (j != i && v->r[j] == v->r[i])
				return 0;
		for (uint32_t j = 0; j < i; j++) {
			/* an earlier member of the group will no longer write its
			 * temporary, and will already have written its target */
			uint32_t t = lv->comp[j], tmp = v->r[j];
			if (in->a == t || in->b == t || in->c == t ||
			    in->a == tmp || in->b == tmp || in->c == tmp)
				return 0;
		}
		for (uint32_t j = 0; j < k; j++)
			if (j != i && lv->comp[j] == lv->comp[i])
				return 0;
	}
	for (uint32_t i = 0; i < k; i++) {
		group[i].dst = lv->comp[i];
		v->r[i] = lv->comp[i];
	}
	return 1;
}

static struct val lower_assign(struct lower *L, const struct msl_expr *x)
{
	if (x->u.assign.target->type->kind == MSL_T_POINTER) {
		struct val v = lower_expr(L, x->u.assign.value);
		if (L->failed)
			return v;
		if (x->u.assign.compound) {
			struct val old = lower_expr(L, x->u.assign.target);
			if (L->failed)
				return old;
			v = ptr_add(L, &old, v.r[0], x->u.assign.op == MSL_BINOP_SUB, x->u.assign.target->type,
				    x->loc);
			if (L->failed)
				return v;
		}
		v.type = x->u.assign.target->type;
		assign_ptr_var(L, x->u.assign.target, &v);
		return v;
	}
	struct lval lv = lower_lval(L, x->u.assign.target);
	uint32_t mark = L->e->n_regs;
	struct val v = lower_expr(L, x->u.assign.value);
	if (L->failed)
		return v;
	if (x->u.assign.compound) {
		struct val old = load_lval(L, &lv);
		enum msl_binop op = x->u.assign.op;
		if (op == MSL_BINOP_MATMUL ||
		    (op == MSL_BINOP_MUL && (old.type->kind == MSL_T_MATRIX) && v.type->kind == MSL_T_MATRIX))
			v = matmul(L, &old, &v, x->u.assign.target->type);
		else
			v = binop_vals(L, op, &old, &v, x->u.assign.target->type);
	}
	v.type = x->u.assign.target->type;
	if (!retarget_assign(L, &lv, &v, mark))
		store_lval(L, &lv, &v);
	return v;
}

static struct val lower_expr(struct lower *L, const struct msl_expr *x)
{
	struct val out = mkval(x->type);
	if (L->failed)
		return out;
	struct msl_loc saved = L->loc;
	L->loc = x->loc;
	switch (x->kind) {
	case MSL_E_INT_LIT:
		out.r[0] = kconst(L, (uint32_t)x->u.int_lit);
		break;
	case MSL_E_FLOAT_LIT: {
		float f = (float)x->u.float_lit;
		if (x->type->scalar == MSL_HALF)
			f = msl_round_half(f);
		out.r[0] = kfloat(L, f);
		break;
	}
	case MSL_E_BOOL_LIT:
		out.r[0] = kconst(L, x->u.bool_lit ? 1 : 0);
		break;
	case MSL_E_VAR: {
		struct var_bind *b = bind_of(L, x->u.var);
		if (!b || b->kind == VB_NONE) {
			lfail(L, x->loc, "'%s' is not available here", x->u.var->name);
			break;
		}
		if (b->kind == VB_VALUE) {
			out = b->v;
			break;
		}
		if (b->kind == VB_LVAL) {
			out = load_lval(L, &b->lv);
			break;
		}
		lfail(L, x->loc, "'%s' (a texture or sampler) cannot be used as a value", x->u.var->name);
		break;
	}
	case MSL_E_UNARY: {
		struct val a = lower_expr(L, x->u.unary.operand);
		uint32_t n = comps_of(x->type);
		enum msl_scalar s = x->type->scalar;
		for (uint32_t i = 0; i < n; i++) {
			switch (x->u.unary.op) {
			case MSL_UNOP_NEG:
				out.r[i] = is_float(s) ? op1(L, IR_FNEG, a.r[i]) : narrow(L, s, op1(L, IR_INEG, a.r[i]));
				break;
			case MSL_UNOP_PLUS: out.r[i] = a.r[i]; break;
			case MSL_UNOP_NOT: out.r[i] = op2(L, IR_IXOR, a.r[i], kconst(L, 1)); break;
			case MSL_UNOP_BITNOT: out.r[i] = narrow(L, s, op1(L, IR_INOT, a.r[i])); break;
			}
		}
		break;
	}
	case MSL_E_BINARY: {
		enum msl_binop op = x->u.binary.op;
		if (op == MSL_BINOP_LOGAND || op == MSL_BINOP_LOGOR) {
			out = lower_logic(L, x);
			break;
		}
		struct val a = lower_expr(L, x->u.binary.left);
		struct val b = lower_expr(L, x->u.binary.right);
		if (L->failed)
			break;
		if (op == MSL_BINOP_MATMUL) {
			out = matmul(L, &a, &b, x->type);
			break;
		}
		if (a.type->kind == MSL_T_POINTER) {
			out = lower_ptr_binary(L, x, &a, &b);
			break;
		}
		if (!comps_of(a.type) || !comps_of(b.type)) {
			lfail(L, x->loc, "operator on '%s' is not supported", a.type->name);
			break;
		}
		out = binop_vals(L, op, &a, &b, x->type);
		break;
	}
	case MSL_E_ASSIGN: out = lower_assign(L, x); break;
	case MSL_E_INCDEC: out = lower_incdec(L, x, 1); break;
	case MSL_E_COND: out = lower_cond(L, x); break;
	case MSL_E_CALL: out = lower_call(L, x); break;
	case MSL_E_BUILTIN: out = lower_builtin(L, x); break;
	case MSL_E_CONSTRUCT: out = lower_construct(L, x); break;
	case MSL_E_CONVERT: {
		struct val a = lower_expr(L, x->u.convert.operand);
		if (L->failed)
			break;
		if (x->type->kind == MSL_T_VOID) /* (void)x: evaluated for its effects only */
			break;
		if (x->u.convert.bitcast) {
			/* 32-bit components: the same registers, read as the new type */
			out = a;
			out.type = x->type;
		} else
			out = convert_val(L, &a, x->type);
		break;
	}
	case MSL_E_SWIZZLE: {
		const struct msl_expr *base = x->u.swizzle.base;
		struct val a = lower_expr(L, base);
		for (int i = 0; i < x->u.swizzle.count; i++)
			out.r[i] = a.r[x->u.swizzle.comp[i]];
		break;
	}
	case MSL_E_MEMBER: case MSL_E_INDEX: case MSL_E_DEREF: {
		const struct msl_expr *base = x->kind == MSL_E_MEMBER ? x->u.member.base :
					      x->kind == MSL_E_INDEX ? x->u.index.base : NULL;
		if (x->kind == MSL_E_MEMBER && !base->is_lvalue && base->kind != MSL_E_DEREF) {
			struct val b = lower_expr(L, base);
			b = consecutive(L, &b);
			out = from_base(x->type, b.base + member_reg_offset(base->type->strct, x->u.member.index));
			break;
		}
		if (x->kind == MSL_E_INDEX && base->type->kind != MSL_T_POINTER && !base->is_lvalue) {
			struct val b = lower_expr(L, base);
			b = consecutive(L, &b);
			struct lval lv = lv_regs(&b);
			lv.explicit_comps = 0;
			lv.base = b.base;
			lv = index_lval(L, lv, x->u.index.index, x->type);
			out = load_lval(L, &lv);
			break;
		}
		struct lval lv = lower_lval(L, x);
		if (!L->failed)
			out = load_lval(L, &lv);
		break;
	}
	case MSL_E_ADDR: {
		struct lval lv = lower_lval(L, x->u.operand);
		if (L->failed)
			break;
		if (lv.nswz) {
			lfail(L, x->loc, "taking the address of a swizzle is not supported");
			break;
		}
		if (lv.kind != LV_MEM) {
			if (L->n_tlvs == L->cap_tlvs) {
				uint32_t cap = L->cap_tlvs ? 2 * L->cap_tlvs : 16;
				struct lval *t = realloc(L->tlvs, sizeof(*t) * cap);
				if (!t) {
					lfail(L, x->loc, "out of memory");
					break;
				}
				L->tlvs = t;
				L->cap_tlvs = cap;
			}
			L->tlvs[L->n_tlvs] = lv;
			out.thread_ptr = 1;
			out.tlv = L->n_tlvs++;
			break;
		}
		out.binding = lv.binding;
		out.writable = lv.writable;
		uint32_t k = kconst(L, lv.off_imm);
		out.r[0] = lv.off_reg == MSL_IR_NONE ? k : op2(L, IR_IADD, lv.off_reg, k);
		break;
	}
	case MSL_E_COMMA:
		lower_expr(L, x->u.binary.left);
		out = lower_expr(L, x->u.binary.right);
		break;
	}
	L->loc = saved;
	return out;
}

/* ---- built-ins ------------------------------------------------------------------ */

static const struct msl_var *resource_var(struct lower *L, const struct msl_expr *x)
{
	if (x->kind == MSL_E_VAR)
		return x->u.var;
	lfail(L, x->loc, "texture or sampler must be a named parameter or constexpr sampler");
	return NULL;
}

static uint32_t reg_arg(const struct val *v, uint32_t i)
{
	uint32_t n = comps_of(v->type);
	return v->r[n == 1 ? 0 : i];
}

static struct val lower_tex(struct lower *L, const struct msl_expr *x)
{
	struct val out = mkval(x->type);
	const struct msl_var *tv = resource_var(L, x->u.builtin.args[0]);
	if (!tv)
		return out;
	struct var_bind *tb = bind_of(L, tv);
	if (!tb || tb->kind != VB_TEXTURE) {
		lfail(L, x->loc, "'%s' is not a bound texture", tv->name);
		return out;
	}
	const struct msl_type *tt = x->u.builtin.args[0]->type;
	enum msl_scalar texel = tt->scalar;
	uint32_t pc;
	switch (x->u.builtin.id) {
	case MSL_B_TEX_SAMPLE: {
		const struct msl_var *sv = resource_var(L, x->u.builtin.args[1]);
		if (!sv)
			return out;
		struct var_bind *sb = bind_of(L, sv);
		if (!sb || sb->kind != VB_SAMPLER) {
			lfail(L, x->loc, "'%s' is not a sampler", sv->name);
			return out;
		}
		struct val uv = lower_expr(L, x->u.builtin.args[2]);
		uint32_t opts = MSL_IR_NONE, mode = IR_SAMPLE_LOD_IMPLICIT;
		if (x->u.builtin.arg_count > 3) {
			opts = regs(L, 6);
			uint32_t zero = kconst(L, 0);
			for (uint32_t i = 0; i < 6; i++)
				mov(L, opts + i, zero);
			for (size_t k = 3; k < x->u.builtin.arg_count; k++) {
				const struct msl_expr *o = x->u.builtin.args[k];
				if (o->kind == MSL_E_BUILTIN && o->u.builtin.id >= MSL_B_SAMPLE_LEVEL &&
				    o->u.builtin.id <= MSL_B_SAMPLE_GRADIENT2D) {
					enum msl_builtin oid = o->u.builtin.id;
					mode = oid == MSL_B_SAMPLE_LEVEL ? IR_SAMPLE_LOD_LEVEL
					       : oid == MSL_B_SAMPLE_BIAS ? IR_SAMPLE_LOD_BIAS
					       : oid == MSL_B_SAMPLE_MIN_LOD_CLAMP ? IR_SAMPLE_LOD_MIN_CLAMP
					       : IR_SAMPLE_LOD_GRADIENT;
					uint32_t slot = 0;
					for (size_t j = 0; j < o->u.builtin.arg_count; j++) {
						struct val v = lower_expr(L, o->u.builtin.args[j]);
						for (uint32_t i = 0; i < comps_of(v.type); i++)
							mov(L, opts + slot++, v.r[i]);
					}
				} else {
					struct val off = lower_expr(L, o);
					mov(L, opts + 4, off.r[0]);
					mov(L, opts + 5, off.r[1]);
					mode |= MSL_IR_SAMPLE_OFFSET;
				}
			}
		}
		uint32_t d = regs(L, 4);
		pc = emit(L, IR_TEX_SAMPLE, d, uv.r[0], uv.r[1], opts);
		if (!L->failed) {
			L->e->code[pc].aux = (uint16_t)tb->index;
			L->e->code[pc].imm.u = sb->index;
			if (opts != MSL_IR_NONE)
				L->e->code[pc].target = mode;
		}
		for (uint32_t i = 0; i < 4; i++)
			out.r[i] = convert_scalar(L, d + i, MSL_FLOAT, texel);
		return out;
	}
	case MSL_B_TEX_READ: {
		struct val xy = lower_expr(L, x->u.builtin.args[1]);
		uint32_t smp = MSL_IR_NONE;
		if (tt->tex == MSL_TEX_2D_MS && x->u.builtin.arg_count > 2) {
			struct val sv = lower_expr(L, x->u.builtin.args[2]);
			smp = sv.r[0];
		}
		uint32_t d = regs(L, 4);
		pc = emit(L, IR_TEX_READ, d, xy.r[0], xy.r[1], smp);
		if (!L->failed)
			L->e->code[pc].aux = (uint16_t)tb->index;
		for (uint32_t i = 0; i < 4; i++)
			out.r[i] = convert_scalar(L, d + i, MSL_FLOAT, texel);
		return out;
	}
	case MSL_B_TEX_WRITE: {
		struct val v = lower_expr(L, x->u.builtin.args[1]);
		struct val xy = lower_expr(L, x->u.builtin.args[2]);
		uint32_t base = regs(L, 4);
		uint32_t nv = comps_of(v.type);
		for (uint32_t i = 0; i < 4; i++) {
			uint32_t c = i < nv ? convert_scalar(L, v.r[i], v.type->scalar, MSL_FLOAT) : kfloat(L, 0.0f);
			mov(L, base + i, c);
		}
		pc = emit(L, IR_TEX_WRITE, MSL_IR_NONE, xy.r[0], xy.r[1], base);
		if (!L->failed)
			L->e->code[pc].aux = (uint16_t)tb->index;
		return out;
	}
	default: {
		uint32_t d = regs(L, 1);
		pc = emit(L, IR_TEX_SIZE, d, MSL_IR_NONE, MSL_IR_NONE, MSL_IR_NONE);
		if (!L->failed) {
			L->e->code[pc].aux = (uint16_t)tb->index;
			L->e->code[pc].imm.u = x->u.builtin.id == MSL_B_TEX_GET_WIDTH ? 0 :
					       x->u.builtin.id == MSL_B_TEX_GET_HEIGHT ? 1 : 2;
		}
		out.r[0] = d;
		return out;
	}
	}
}

static uint32_t fdot(struct lower *L, const struct val *a, const struct val *b, uint32_t n)
{
	uint32_t acc = op2(L, IR_FMUL, a->r[0], b->r[0]);
	for (uint32_t i = 1; i < n; i++)
		acc = op2(L, IR_FADD, acc, op2(L, IR_FMUL, a->r[i], b->r[i]));
	return acc;
}

/* threadgroup_barrier / simdgroup_barrier: one IR_BARRIER (imm 1 = the
 * simdgroup flavour); the mem_flags need no code, the executor orders all
 * memory at a barrier. Only kernels have threadgroups to wait for. */
static struct val lower_barrier(struct lower *L, const struct msl_expr *x)
{
	if (L->e->stage != MSL_EXEC_KERNEL) {
		lfail(L, x->loc, "barriers are only allowed in kernel functions");
		return mkval(x->type);
	}
	uint32_t pc = emit(L, IR_BARRIER, MSL_IR_NONE, MSL_IR_NONE, MSL_IR_NONE, MSL_IR_NONE);
	if (!L->failed)
		L->e->code[pc].imm.u = x->u.builtin.id == MSL_B_SIMDGROUP_BARRIER;
	return mkval(x->type);
}

/* determinant of the n x n column-major matrix in registers m (n = 2..4),
 * by cofactor expansion along the first column: the same products and sums
 * in the same order every time, so results are deterministic. */
static uint32_t lower_determinant(struct lower *L, const uint32_t *m, uint32_t n)
{
#define M(r, c) m[(c) * n + (r)]
	if (n == 2)
		return op2(L, IR_FSUB, op2(L, IR_FMUL, M(0, 0), M(1, 1)), op2(L, IR_FMUL, M(0, 1), M(1, 0)));
	uint32_t acc = MSL_IR_NONE;
	for (uint32_t i = 0; i < n; i++) {
		/* minor without row i and column 0 */
		uint32_t sub[9];
		uint32_t k = 0;
		for (uint32_t c = 1; c < n; c++)
			for (uint32_t r = 0; r < n; r++)
				if (r != i)
					sub[k++] = M(r, c);
		/* sub is column-major (n-1)x(n-1): built column by column above */
		uint32_t term = op2(L, IR_FMUL, M(i, 0), lower_determinant(L, sub, n - 1));
		if (acc == MSL_IR_NONE)
			acc = term;
		else
			acc = op2(L, (i & 1) ? IR_FSUB : IR_FADD, acc, term);
	}
	return acc;
#undef M
}

static uint32_t fmath(struct lower *L, enum msl_ir_fmath fn, uint32_t a, uint32_t b)
{
	uint32_t d = regs(L, 1);
	uint32_t pc = emit(L, IR_FMATH, d, a, b, MSL_IR_NONE);
	if (!L->failed)
		L->e->code[pc].imm.u = fn;
	return d;
}

static uint32_t ibits(struct lower *L, enum msl_ir_ibits fn, enum msl_scalar s, uint32_t a, uint32_t b, uint32_t c)
{
	uint32_t d = regs(L, 1);
	uint32_t pc = emit(L, IR_IBITS, d, a, b, c);
	if (!L->failed) {
		uint32_t w = s == MSL_CHAR || s == MSL_UCHAR ? 8 : s == MSL_SHORT || s == MSL_USHORT ? 16 : 32;
		L->e->code[pc].imm.u = fn;
		L->e->code[pc].aux = (uint16_t)(w | (is_signed_int(s) ? MSL_IR_IBITS_SIGNED : 0));
	}
	return d;
}

static struct val lower_builtin(struct lower *L, const struct msl_expr *x)
{
	enum msl_builtin id = x->u.builtin.id;
	if (id == MSL_B_THREADGROUP_BARRIER || id == MSL_B_SIMDGROUP_BARRIER)
		return lower_barrier(L, x);
	if (id >= MSL_B_SAMPLE_LEVEL && id <= MSL_B_SAMPLE_GRADIENT2D) {
		/* a sample() option used as a statement: evaluate, discard */
		for (size_t i = 0; i < x->u.builtin.arg_count; i++)
			lower_expr(L, x->u.builtin.args[i]);
		return mkval(x->type);
	}
	if (id >= MSL_B_TEX_SAMPLE)
		return lower_tex(L, x);
	struct val a[3];
	size_t na = x->u.builtin.arg_count;
	if (na > 3) {
		lfail(L, x->loc, "too many arguments to a built-in");
		return mkval(x->type);
	}
	for (size_t i = 0; i < na; i++)
		a[i] = lower_expr(L, x->u.builtin.args[i]);
	struct val out = mkval(x->type);
	if (L->failed)
		return out;
	const struct msl_type *t0 = a[0].type;
	enum msl_scalar s = t0->scalar;
	enum msl_scalar rs = x->type->scalar;
	int f = is_float(s), sg = is_signed_int(s);
	uint32_t n = comps_of(x->type);
	uint32_t n0 = comps_of(t0);
	switch (id) {
	case MSL_B_TRANSPOSE: { /* registers are column-major: r[col * rows + row] */
		const struct msl_type *m = t0;
		for (uint32_t c = 0; c < m->cols; c++)
			for (uint32_t r = 0; r < m->rows; r++)
				out.r[r * m->cols + c] = a[0].r[c * m->rows + r];
		return out;
	}
	case MSL_B_UNPACK_UNORM4X8:
		for (uint32_t c = 0; c < 4; c++) {
			uint32_t byte = op2(L, IR_IAND, op2(L, IR_USHR, a[0].r[0], kconst(L, 8 * c)), kconst(L, 0xff));
			out.r[c] = op2(L, IR_FDIV, op1(L, IR_U2F, byte), kfloat(L, 255.0f));
		}
		return out;
	case MSL_B_PACK_UNORM4X8: {
		uint32_t acc = MSL_IR_NONE;
		for (uint32_t c = 0; c < 4; c++) {
			/* clamp (a NaN becomes 0), scale, round to nearest even by
			 * adding and removing 2^23 (exact for 0..255) */
			uint32_t v = op2(L, IR_FMIN, op2(L, IR_FMAX, a[0].r[c], kfloat(L, 0.0f)), kfloat(L, 1.0f));
			v = op2(L, IR_FMUL, v, kfloat(L, 255.0f));
			v = op2(L, IR_FSUB, op2(L, IR_FADD, v, kfloat(L, 8388608.0f)), kfloat(L, 8388608.0f));
			uint32_t b8 = op2(L, IR_SHL, op1(L, IR_F2U, v), kconst(L, 8 * c));
			acc = acc == MSL_IR_NONE ? b8 : op2(L, IR_IOR, acc, b8);
		}
		out.r[0] = acc;
		return out;
	}
	case MSL_B_DETERMINANT:
		out.r[0] = narrow(L, rs, lower_determinant(L, a[0].r, t0->rows));
		return out;
	case MSL_B_DOT: out.r[0] = narrow(L, rs, fdot(L, &a[0], &a[1], n0)); return out;
	case MSL_B_LENGTH: out.r[0] = narrow(L, rs, op1(L, IR_FSQRT, fdot(L, &a[0], &a[0], n0))); return out;
	case MSL_B_DISTANCE: {
		struct val d = mkval(t0);
		for (uint32_t i = 0; i < n0; i++)
			d.r[i] = op2(L, IR_FSUB, a[0].r[i], a[1].r[i]);
		out.r[0] = narrow(L, rs, op1(L, IR_FSQRT, fdot(L, &d, &d, n0)));
		return out;
	}
	case MSL_B_NORMALIZE: {
		uint32_t inv = op1(L, IR_FRSQRT, fdot(L, &a[0], &a[0], n0));
		for (uint32_t i = 0; i < n; i++)
			out.r[i] = narrow(L, rs, op2(L, IR_FMUL, a[0].r[i], inv));
		return out;
	}
	case MSL_B_CROSS: {
		const uint32_t *p = a[0].r, *q = a[1].r;
		for (uint32_t i = 0; i < 3; i++) {
			uint32_t j = (i + 1) % 3, k = (i + 2) % 3;
			out.r[i] = narrow(L, rs, op2(L, IR_FSUB, op2(L, IR_FMUL, p[j], q[k]), op2(L, IR_FMUL, p[k], q[j])));
		}
		return out;
	}
	case MSL_B_REFLECT: { /* i - 2 * dot(n, i) * n */
		uint32_t d = fdot(L, &a[1], &a[0], n0);
		uint32_t d2 = op2(L, IR_FMUL, kfloat(L, 2.0f), d);
		for (uint32_t i = 0; i < n; i++)
			out.r[i] = narrow(L, rs, op2(L, IR_FSUB, a[0].r[i], op2(L, IR_FMUL, d2, a[1].r[i])));
		return out;
	}
	case MSL_B_LENGTH_SQUARED: out.r[0] = narrow(L, rs, fdot(L, &a[0], &a[0], n0)); return out;
	case MSL_B_DISTANCE_SQUARED: {
		struct val d = mkval(t0);
		for (uint32_t i = 0; i < n0; i++)
			d.r[i] = op2(L, IR_FSUB, a[0].r[i], a[1].r[i]);
		out.r[0] = narrow(L, rs, fdot(L, &d, &d, n0));
		return out;
	}
	case MSL_B_FACEFORWARD: { /* dot(nref, i) < 0 ? n : -n */
		uint32_t neg = op2(L, IR_FLT, fdot(L, &a[2], &a[1], n0), kfloat(L, 0.0f));
		for (uint32_t i = 0; i < n; i++)
			out.r[i] = op3(L, IR_SELECT, neg, a[0].r[i], op1(L, IR_FNEG, a[0].r[i]));
		return out;
	}
	case MSL_B_REFRACT: {
		/* k = 1 - eta^2 (1 - dot(n,i)^2); k < 0 ? 0 : eta i - (eta dot(n,i) + sqrt(k)) n */
		uint32_t eta = a[2].r[0], d = fdot(L, &a[1], &a[0], n0);
		uint32_t k = op2(L, IR_FSUB, kfloat(L, 1.0f),
				 op2(L, IR_FMUL, op2(L, IR_FMUL, eta, eta),
				     op2(L, IR_FSUB, kfloat(L, 1.0f), op2(L, IR_FMUL, d, d))));
		uint32_t tir = op2(L, IR_FLT, k, kfloat(L, 0.0f));
		uint32_t m = op2(L, IR_FADD, op2(L, IR_FMUL, eta, d), op1(L, IR_FSQRT, k));
		for (uint32_t i = 0; i < n; i++) {
			uint32_t r = op2(L, IR_FSUB, op2(L, IR_FMUL, eta, a[0].r[i]), op2(L, IR_FMUL, m, a[1].r[i]));
			out.r[i] = narrow(L, rs, op3(L, IR_SELECT, tir, kfloat(L, 0.0f), r));
		}
		return out;
	}
	case MSL_B_ANY: case MSL_B_ALL: {
		uint32_t acc = a[0].r[0];
		for (uint32_t i = 1; i < n0; i++)
			acc = op2(L, id == MSL_B_ANY ? IR_IOR : IR_IAND, acc, a[0].r[i]);
		out.r[0] = acc;
		return out;
	}
	default:
		break;
	}
	for (uint32_t i = 0; i < n; i++) {
		uint32_t x0 = reg_arg(&a[0], i);
		uint32_t x1 = na > 1 ? reg_arg(&a[1], i) : MSL_IR_NONE;
		uint32_t x2 = na > 2 ? reg_arg(&a[2], i) : MSL_IR_NONE;
		uint32_t r = MSL_IR_NONE;
		switch (id) {
		case MSL_B_ABS: r = op1(L, f ? IR_FABS : sg ? IR_IABS : IR_MOV, x0); break;
		case MSL_B_MIN: r = op2(L, f ? IR_FMIN : sg ? IR_SMIN : IR_UMIN, x0, x1); break;
		case MSL_B_MAX: r = op2(L, f ? IR_FMAX : sg ? IR_SMAX : IR_UMAX, x0, x1); break;
		case MSL_B_CLAMP:
			r = op2(L, f ? IR_FMIN : sg ? IR_SMIN : IR_UMIN,
				op2(L, f ? IR_FMAX : sg ? IR_SMAX : IR_UMAX, x0, x1), x2);
			break;
		case MSL_B_MIX: /* x + (y - x) * a */
			r = op2(L, IR_FADD, x0, op2(L, IR_FMUL, op2(L, IR_FSUB, x1, x0), x2));
			break;
		case MSL_B_STEP: /* step(edge, x) = x < edge ? 0 : 1 */
			r = op3(L, IR_SELECT, op2(L, IR_FLT, x1, x0), kfloat(L, 0.0f), kfloat(L, 1.0f));
			break;
		case MSL_B_SMOOTHSTEP: { /* t = clamp((x-e0)/(e1-e0),0,1); t*t*(3-2t) */
			uint32_t t = op1(L, IR_FSAT, op2(L, IR_FDIV, op2(L, IR_FSUB, x2, x0), op2(L, IR_FSUB, x1, x0)));
			r = op2(L, IR_FMUL, op2(L, IR_FMUL, t, t),
				op2(L, IR_FSUB, kfloat(L, 3.0f), op2(L, IR_FMUL, kfloat(L, 2.0f), t)));
			break;
		}
		case MSL_B_SATURATE: r = op1(L, IR_FSAT, x0); break;
		case MSL_B_SIGN: r = f ? op1(L, IR_FSIGN, x0) : op1(L, IR_SSIGN, x0); break;
		case MSL_B_FLOOR: r = op1(L, IR_FFLOOR, x0); break;
		case MSL_B_CEIL: r = op1(L, IR_FCEIL, x0); break;
		case MSL_B_FRACT: r = op1(L, IR_FFRACT, x0); break;
		case MSL_B_ROUND: r = op1(L, IR_FROUND, x0); break;
		case MSL_B_TRUNC: r = op1(L, IR_FTRUNC, x0); break;
		case MSL_B_FMOD: r = op2(L, IR_FMOD, x0, x1); break;
		case MSL_B_SQRT: r = op1(L, IR_FSQRT, x0); break;
		case MSL_B_RSQRT: r = op1(L, IR_FRSQRT, x0); break;
		case MSL_B_POW: r = op2(L, IR_FPOW, x0, x1); break;
		case MSL_B_POWR: /* defined for x >= 0: NaN below */
			r = op3(L, IR_SELECT, op2(L, IR_FLT, x0, kfloat(L, 0.0f)), kconst(L, 0x7fc00000u),
				op2(L, IR_FPOW, x0, x1));
			break;
		case MSL_B_FMAX: r = op2(L, IR_FMAX, x0, x1); break;
		case MSL_B_FMIN: r = op2(L, IR_FMIN, x0, x1); break;
		case MSL_B_MAD: r = op3(L, IR_FFMA, x0, x1, x2); break;
		case MSL_B_COPYSIGN: /* registers hold the float bits */
			r = op2(L, IR_IOR, op2(L, IR_IAND, x0, kconst(L, 0x7fffffffu)),
				op2(L, IR_IAND, x1, kconst(L, 0x80000000u)));
			break;
		case MSL_B_MIN3: case MSL_B_MAX3: case MSL_B_MEDIAN3: {
			enum msl_ir_op mn = f ? IR_FMIN : sg ? IR_SMIN : IR_UMIN;
			enum msl_ir_op mx = f ? IR_FMAX : sg ? IR_SMAX : IR_UMAX;
			if (id == MSL_B_MIN3)
				r = op2(L, mn, op2(L, mn, x0, x1), x2);
			else if (id == MSL_B_MAX3)
				r = op2(L, mx, op2(L, mx, x0, x1), x2);
			else
				r = op2(L, mx, op2(L, mn, x0, x1), op2(L, mn, op2(L, mx, x0, x1), x2));
			break;
		}
		case MSL_B_ISFINITE:
			r = op3(L, IR_SELECT, op2(L, IR_IOR, op1(L, IR_FISNAN, x0), op1(L, IR_FISINF, x0)),
				kconst(L, 0), kconst(L, 1));
			break;
		case MSL_B_SIGNBIT: r = op2(L, IR_USHR, x0, kconst(L, 31)); break;
		case MSL_B_EXP: r = op1(L, IR_FEXP, x0); break;
		case MSL_B_EXP2: r = op1(L, IR_FEXP2, x0); break;
		case MSL_B_LOG: r = op1(L, IR_FLOG, x0); break;
		case MSL_B_LOG2: r = op1(L, IR_FLOG2, x0); break;
		case MSL_B_SIN: r = op1(L, IR_FSIN, x0); break;
		case MSL_B_COS: r = op1(L, IR_FCOS, x0); break;
		case MSL_B_TAN: r = op1(L, IR_FTAN, x0); break;
		case MSL_B_ASIN: r = op1(L, IR_FASIN, x0); break;
		case MSL_B_ACOS: r = op1(L, IR_FACOS, x0); break;
		case MSL_B_ATAN: r = na > 1 ? op2(L, IR_FATAN2, x0, x1) : op1(L, IR_FATAN, x0); break;
		case MSL_B_ATAN2: r = op2(L, IR_FATAN2, x0, x1); break;
		case MSL_B_FMA: r = op3(L, IR_FFMA, x0, x1, x2); break;
		case MSL_B_SINH: r = fmath(L, IR_FM_SINH, x0, MSL_IR_NONE); break;
		case MSL_B_COSH: r = fmath(L, IR_FM_COSH, x0, MSL_IR_NONE); break;
		case MSL_B_TANH: r = fmath(L, IR_FM_TANH, x0, MSL_IR_NONE); break;
		case MSL_B_ASINH: r = fmath(L, IR_FM_ASINH, x0, MSL_IR_NONE); break;
		case MSL_B_ACOSH: r = fmath(L, IR_FM_ACOSH, x0, MSL_IR_NONE); break;
		case MSL_B_ATANH: r = fmath(L, IR_FM_ATANH, x0, MSL_IR_NONE); break;
		case MSL_B_LOG10: r = fmath(L, IR_FM_LOG10, x0, MSL_IR_NONE); break;
		case MSL_B_EXP10: r = fmath(L, IR_FM_EXP10, x0, MSL_IR_NONE); break;
		case MSL_B_RINT: r = fmath(L, IR_FM_RINT, x0, MSL_IR_NONE); break;
		case MSL_B_SINPI: r = fmath(L, IR_FM_SINPI, x0, MSL_IR_NONE); break;
		case MSL_B_COSPI: r = fmath(L, IR_FM_COSPI, x0, MSL_IR_NONE); break;
		case MSL_B_TANPI: r = fmath(L, IR_FM_TANPI, x0, MSL_IR_NONE); break;
		case MSL_B_ASINPI: r = fmath(L, IR_FM_ASINPI, x0, MSL_IR_NONE); break;
		case MSL_B_ACOSPI: r = fmath(L, IR_FM_ACOSPI, x0, MSL_IR_NONE); break;
		case MSL_B_ATANPI: r = fmath(L, IR_FM_ATANPI, x0, MSL_IR_NONE); break;
		case MSL_B_ATAN2PI: r = fmath(L, IR_FM_ATAN2PI, x0, x1); break;
		case MSL_B_FDIM: r = fmath(L, IR_FM_FDIM, x0, x1); break;
		case MSL_B_LDEXP: r = fmath(L, IR_FM_LDEXP, x0, x1); break;
		case MSL_B_DIVIDE: r = op2(L, IR_FDIV, x0, x1); break;
		case MSL_B_POPCOUNT: r = ibits(L, IR_IB_POPCOUNT, s, x0, MSL_IR_NONE, MSL_IR_NONE); break;
		case MSL_B_CLZ: r = ibits(L, IR_IB_CLZ, s, x0, MSL_IR_NONE, MSL_IR_NONE); break;
		case MSL_B_CTZ: r = ibits(L, IR_IB_CTZ, s, x0, MSL_IR_NONE, MSL_IR_NONE); break;
		case MSL_B_REVERSE_BITS: r = ibits(L, IR_IB_REVERSE_BITS, s, x0, MSL_IR_NONE, MSL_IR_NONE); break;
		case MSL_B_ROTATE: r = ibits(L, IR_IB_ROTATE, s, x0, x1, MSL_IR_NONE); break;
		case MSL_B_ABSDIFF: r = ibits(L, IR_IB_ABSDIFF, s, x0, x1, MSL_IR_NONE); break;
		case MSL_B_EXTRACT_BITS: r = ibits(L, IR_IB_EXTRACT_BITS, s, x0, x1, x2); break;
		case MSL_B_MUL24: r = op2(L, IR_IMUL, x0, x1); break;
		case MSL_B_MAD24: r = op2(L, IR_IADD, op2(L, IR_IMUL, x0, x1), x2); break;
		case MSL_B_SELECT: r = op3(L, IR_SELECT, x2, x1, x0); break;
		case MSL_B_ISNAN: r = op1(L, IR_FISNAN, x0); break;
		case MSL_B_ISINF: r = op1(L, IR_FISINF, x0); break;
		case MSL_B_DFDX: r = op1(L, IR_DFDX, x0); break;
		case MSL_B_DFDY: r = op1(L, IR_DFDY, x0); break;
		case MSL_B_FWIDTH:
			r = op2(L, IR_FADD, op1(L, IR_FABS, op1(L, IR_DFDX, x0)), op1(L, IR_FABS, op1(L, IR_DFDY, x0)));
			break;
		default:
			lfail(L, x->loc, "built-in '%s' is not supported by the executor", msl_builtin_name(id));
			return out;
		}
		if (id == MSL_B_SELECT || id == MSL_B_ISNAN || id == MSL_B_ISINF || id == MSL_B_ISFINITE ||
		    id == MSL_B_SIGNBIT)
			out.r[i] = r;
		else
			out.r[i] = narrow(L, rs, r);
	}
	return out;
}

/* ---- statements -------------------------------------------------------------------- */

static void lower_stmt(struct lower *L, const struct msl_stmt *st);
static int stmt_writes(const struct msl_stmt *st, const struct msl_var *v, int depth);

static void lower_decl(struct lower *L, const struct msl_var *var, const struct msl_expr *init)
{
	struct var_bind *b = bind_of(L, var);
	if (!b) {
		lfail(L, var->loc, "internal: no slot for '%s'", var->name);
		return;
	}
	if (var->kind == MSL_VAR_CONST_SAMPLER) {
		struct msl_exec_sampler s;
		memset(&s, 0, sizeof(s));
		s.min_filter = (uint8_t)var->sampler.min_filter;
		s.mag_filter = (uint8_t)var->sampler.mag_filter;
		s.s_address = (uint8_t)var->sampler.s_address;
		s.t_address = (uint8_t)var->sampler.t_address;
		s.coord = var->sampler.normalized ? MSL_EXEC_COORD_NORMALIZED : MSL_EXEC_COORD_PIXEL;
		b->kind = VB_SAMPLER;
		b->index = MSL_IR_SAMPLER_CONSTEXPR | msl_ir_add_sampler(L->e, &s);
		return;
	}
	if (var->by_ref) {
		if (!init) {
			lfail(L, var->loc, "reference '%s' without initialiser", var->name);
			return;
		}
		b->kind = VB_LVAL;
		b->lv = lower_lval(L, init);
		return;
	}
	if (var->space == MSL_SPACE_THREADGROUP) {
		/* shared by the threadgroup: memory at the next aligned offset */
		if (L->e->stage != MSL_EXEC_KERNEL) {
			lfail(L, var->loc, "threadgroup variables are only allowed in kernel functions");
			return;
		}
		uint32_t align = var->type->align ? var->type->align : 1;
		uint64_t at = ((uint64_t)L->e->threadgroup_bytes + align - 1) / align * align;
		if (at + var->type->size > MSL_MAX_THREADGROUP_BYTES) {
			lfail(L, var->loc, "more than %u bytes of threadgroup memory", MSL_MAX_THREADGROUP_BYTES);
			return;
		}
		L->e->threadgroup_bytes = (uint32_t)(at + var->type->size);
		b->kind = VB_LVAL;
		memset(&b->lv, 0, sizeof(b->lv));
		b->lv.kind = LV_MEM;
		b->lv.type = var->type;
		b->lv.binding = MSL_IR_THREADGROUP_BINDING;
		b->lv.off_reg = MSL_IR_NONE;
		b->lv.off_imm = (uint32_t)at;
		b->lv.idx = MSL_IR_NONE;
		b->lv.writable = 1;
		return;
	}
	if (var->type->kind == MSL_T_TEXTURE || var->type->kind == MSL_T_SAMPLER) {
		if (!init || init->kind != MSL_E_VAR) {
			lfail(L, var->loc, "local texture/sampler '%s' must be initialised from a parameter", var->name);
			return;
		}
		*b = *bind_of(L, init->u.var);
		return;
	}
	if (var->type->kind == MSL_T_POINTER) {
		if (!init) {
			lfail(L, var->loc, "pointer '%s' without initialiser is not supported", var->name);
			return;
		}
		struct val p = lower_expr(L, init);
		b->kind = VB_VALUE;
		b->v = p;
		if (!p.thread_ptr)
			b->v.r[0] = op1(L, IR_MOV, p.r[0]);
		b->v.type = var->type;
		return;
	}
	uint32_t mark = L->e->n_regs;
	struct val v = init ? lower_expr(L, init) : zero_val(L, var->type);
	if (L->failed)
		return;
	/* A variable never written after its initialisation can live in the
	 * registers that computed the initialiser, if those are new ones
	 * (temporaries of this expression, not another variable's). */
	int fresh = 1;
	if (is_flat_type(var->type)) {
		for (uint32_t i = 0; i < type_regs(var->type); i++)
			if (v.r[i] == MSL_IR_NONE || v.r[i] < mark)
				fresh = 0;
	} else {
		fresh = v.base != MSL_IR_NONE && v.base >= mark;
	}
	if (fresh && L->depth && !stmt_writes(L->fr[L->depth - 1].fn->body, var, 0)) {
		b->kind = VB_VALUE;
		b->v = v;
		b->v.type = var->type;
		return;
	}
	if (b->kind != VB_VALUE) {
		b->kind = VB_VALUE;
		b->v = alloc_val(L, var->type);
	}
	struct lval lv = lv_regs(&b->v);
	v.type = var->type;
	store_lval(L, &lv, &v);
}

/* An expression evaluated for its side effects only (statement, for-step,
 * left of a comma): `i++` there needs no copy of the old value. */
static void lower_effect(struct lower *L, const struct msl_expr *x)
{
	if (L->failed || !x)
		return;
	if (x->kind == MSL_E_INCDEC) {
		struct msl_loc saved = L->loc;
		L->loc = x->loc;
		lower_incdec(L, x, 0);
		L->loc = saved;
	} else if (x->kind == MSL_E_COMMA) {
		lower_effect(L, x->u.binary.left);
		lower_effect(L, x->u.binary.right);
	} else {
		lower_expr(L, x);
	}
}

static void lower_loop(struct lower *L, const struct msl_stmt *st)
{
	if (st->kind == MSL_S_FOR && st->u.loop.init)
		lower_stmt(L, st->u.loop.init);
	emit(L, IR_LOOP, MSL_IR_NONE, MSL_IR_NONE, MSL_IR_NONE, MSL_IR_NONE);
	if (st->kind != MSL_S_DO && st->u.loop.cond) {
		uint32_t c = as_bool_reg(L, st->u.loop.cond);
		emit(L, IR_BREAKIFNOT, MSL_IR_NONE, c, MSL_IR_NONE, MSL_IR_NONE);
	}
	lower_stmt(L, st->u.loop.body);
	emit(L, IR_CONTPOINT, MSL_IR_NONE, MSL_IR_NONE, MSL_IR_NONE, MSL_IR_NONE);
	if (st->kind == MSL_S_FOR && st->u.loop.step)
		lower_effect(L, st->u.loop.step);
	if (st->kind == MSL_S_DO && st->u.loop.cond) {
		uint32_t c = as_bool_reg(L, st->u.loop.cond);
		emit(L, IR_BREAKIFNOT, MSL_IR_NONE, c, MSL_IR_NONE, MSL_IR_NONE);
	}
	L->loc = st->loc; /* a trip-limit error points at the loop */
	emit(L, IR_ENDLOOP, MSL_IR_NONE, MSL_IR_NONE, MSL_IR_NONE, MSL_IR_NONE);
}

static void lower_stmt(struct lower *L, const struct msl_stmt *st)
{
	if (L->failed || !st)
		return;
	L->loc = st->loc;
	switch (st->kind) {
	case MSL_S_BLOCK:
		for (size_t i = 0; i < st->u.block.count; i++)
			lower_stmt(L, st->u.block.items[i]);
		break;
	case MSL_S_DECL: lower_decl(L, st->u.decl.var, st->u.decl.init); break;
	case MSL_S_EXPR: lower_effect(L, st->u.expr); break;
	case MSL_S_IF: {
		uint32_t c = as_bool_reg(L, st->u.if_.cond);
		emit(L, IR_IF, MSL_IR_NONE, c, MSL_IR_NONE, MSL_IR_NONE);
		lower_stmt(L, st->u.if_.then_stmt);
		if (st->u.if_.else_stmt) {
			emit(L, IR_ELSE, MSL_IR_NONE, MSL_IR_NONE, MSL_IR_NONE, MSL_IR_NONE);
			lower_stmt(L, st->u.if_.else_stmt);
		}
		emit(L, IR_ENDIF, MSL_IR_NONE, MSL_IR_NONE, MSL_IR_NONE, MSL_IR_NONE);
		break;
	}
	case MSL_S_FOR: case MSL_S_WHILE: case MSL_S_DO: lower_loop(L, st); break;
	case MSL_S_BREAK: emit(L, IR_BREAK, MSL_IR_NONE, MSL_IR_NONE, MSL_IR_NONE, MSL_IR_NONE); break;
	case MSL_S_CONTINUE: emit(L, IR_CONTINUE, MSL_IR_NONE, MSL_IR_NONE, MSL_IR_NONE, MSL_IR_NONE); break;
	case MSL_S_RETURN: {
		struct frame *f = &L->fr[L->depth - 1];
		if (st->u.expr && f->has_ret) {
			struct val v = lower_expr(L, st->u.expr);
			store_regs(L, f->ret.base, &v);
		}
		emit(L, IR_RETURN, MSL_IR_NONE, MSL_IR_NONE, MSL_IR_NONE, MSL_IR_NONE);
		break;
	}
	case MSL_S_DISCARD: emit(L, IR_DISCARD, MSL_IR_NONE, MSL_IR_NONE, MSL_IR_NONE, MSL_IR_NONE); break;
	case MSL_S_EMPTY: break;
	}
}

/* ---- does a function body write a parameter? -------------------------------------- */

static const struct msl_var *root_var(const struct msl_expr *x)
{
	while (x) {
		switch (x->kind) {
		case MSL_E_VAR: return x->u.var;
		case MSL_E_MEMBER: x = x->u.member.base; break;
		case MSL_E_SWIZZLE: x = x->u.swizzle.base; break;
		case MSL_E_INDEX:
			if (x->u.index.base->type->kind == MSL_T_POINTER)
				return NULL;
			x = x->u.index.base;
			break;
		default: return NULL;
		}
	}
	return NULL;
}

static int expr_writes(const struct msl_expr *x, const struct msl_var *v, int depth);

static int exprs_write(struct msl_expr **xs, size_t n, const struct msl_var *v, int depth)
{
	for (size_t i = 0; i < n; i++)
		if (expr_writes(xs[i], v, depth))
			return 1;
	return 0;
}

/* Conservative: 1 when x may write v (or is too deep to tell). */
static int expr_writes(const struct msl_expr *x, const struct msl_var *v, int depth)
{
	if (!x)
		return 0;
	if (depth > 200)
		return 1;
	depth++;
	switch (x->kind) {
	case MSL_E_ASSIGN:
		return root_var(x->u.assign.target) == v || expr_writes(x->u.assign.target, v, depth) ||
		       expr_writes(x->u.assign.value, v, depth);
	case MSL_E_INCDEC:
		return root_var(x->u.incdec.target) == v;
	case MSL_E_ADDR:
		return root_var(x->u.operand) == v;
	case MSL_E_CALL:
		for (size_t i = 0; i < x->u.call.arg_count && i < x->u.call.fn->param_count; i++)
			if (x->u.call.fn->params[i]->by_ref && root_var(x->u.call.args[i]) == v)
				return 1;
		return exprs_write(x->u.call.args, x->u.call.arg_count, v, depth);
	case MSL_E_UNARY: return expr_writes(x->u.unary.operand, v, depth);
	case MSL_E_BINARY: case MSL_E_COMMA:
		return expr_writes(x->u.binary.left, v, depth) || expr_writes(x->u.binary.right, v, depth);
	case MSL_E_COND:
		return expr_writes(x->u.cond.cond, v, depth) || expr_writes(x->u.cond.then_expr, v, depth) ||
		       expr_writes(x->u.cond.else_expr, v, depth);
	case MSL_E_BUILTIN: return exprs_write(x->u.builtin.args, x->u.builtin.arg_count, v, depth);
	case MSL_E_CONSTRUCT: return exprs_write(x->u.construct.parts, x->u.construct.part_count, v, depth);
	case MSL_E_CONVERT: return expr_writes(x->u.convert.operand, v, depth);
	case MSL_E_SWIZZLE: return expr_writes(x->u.swizzle.base, v, depth);
	case MSL_E_MEMBER: return expr_writes(x->u.member.base, v, depth);
	case MSL_E_INDEX:
		return expr_writes(x->u.index.base, v, depth) || expr_writes(x->u.index.index, v, depth);
	case MSL_E_DEREF: return expr_writes(x->u.operand, v, depth);
	default: return 0;
	}
}

static int stmt_writes(const struct msl_stmt *st, const struct msl_var *v, int depth)
{
	if (!st)
		return 0;
	if (depth > 200)
		return 1;
	depth++;
	switch (st->kind) {
	case MSL_S_BLOCK:
		for (size_t i = 0; i < st->u.block.count; i++)
			if (stmt_writes(st->u.block.items[i], v, depth))
				return 1;
		return 0;
	case MSL_S_DECL:
		return expr_writes(st->u.decl.init, v, depth) ||
		       (st->u.decl.var->by_ref && st->u.decl.init && root_var(st->u.decl.init) == v);
	case MSL_S_EXPR: case MSL_S_RETURN: return expr_writes(st->u.expr, v, depth);
	case MSL_S_IF:
		return expr_writes(st->u.if_.cond, v, depth) || stmt_writes(st->u.if_.then_stmt, v, depth) ||
		       stmt_writes(st->u.if_.else_stmt, v, depth);
	case MSL_S_FOR: case MSL_S_WHILE: case MSL_S_DO:
		return stmt_writes(st->u.loop.init, v, depth) || expr_writes(st->u.loop.cond, v, depth) ||
		       expr_writes(st->u.loop.step, v, depth) || stmt_writes(st->u.loop.body, v, depth);
	default: return 0;
	}
}

static int has_ref_params(const struct msl_function *fn)
{
	for (size_t i = 0; i < fn->param_count; i++)
		if (fn->params[i]->by_ref || fn->params[i]->type->kind == MSL_T_POINTER)
			return 1;
	return 0;
}

static uint32_t count_returns(const struct msl_stmt *st, int depth)
{
	if (!st)
		return 0;
	if (depth > 200)
		return 2; /* too deep to tell: take the general path */
	switch (st->kind) {
	case MSL_S_RETURN: return 1;
	case MSL_S_BLOCK: {
		uint32_t n = 0;
		for (size_t i = 0; i < st->u.block.count; i++)
			n += count_returns(st->u.block.items[i], depth + 1);
		return n;
	}
	case MSL_S_IF:
		return count_returns(st->u.if_.then_stmt, depth + 1) + count_returns(st->u.if_.else_stmt, depth + 1);
	case MSL_S_FOR: case MSL_S_WHILE: case MSL_S_DO:
		return count_returns(st->u.loop.init, depth + 1) + count_returns(st->u.loop.body, depth + 1);
	default: return 0;
	}
}

/* Inline fn with argument bindings already in vars; returns the result.
 * A body whose only return is its last statement (the common case) needs
 * no return mask and no result registers: its value is the returned
 * expression's. */
static struct val inline_body(struct lower *L, const struct msl_function *fn, struct var_bind *vars)
{
	struct val ret = mkval(fn->return_type);
	if (L->depth >= MAX_INLINE_DEPTH) {
		lfail(L, fn->loc, "calls nested deeper than %d", MAX_INLINE_DEPTH);
		return ret;
	}
	struct frame *f = &L->fr[L->depth++];
	f->fn = fn;
	f->vars = vars;
	f->has_ret = fn->return_type->kind != MSL_T_VOID;
	const struct msl_stmt *body = fn->body;
	uint32_t nret = count_returns(body, 0);
	const struct msl_stmt *last = body && body->kind == MSL_S_BLOCK && body->u.block.count ?
				      body->u.block.items[body->u.block.count - 1] : NULL;
	if (nret == 0 && !f->has_ret) {
		lower_stmt(L, body);
	} else if (nret == 1 && last && last->kind == MSL_S_RETURN && (last->u.expr || !f->has_ret)) {
		for (size_t i = 0; i + 1 < body->u.block.count; i++)
			lower_stmt(L, body->u.block.items[i]);
		if (f->has_ret) {
			L->loc = last->loc;
			ret = lower_expr(L, last->u.expr);
			ret.type = fn->return_type;
		}
	} else {
		if (f->has_ret)
			f->ret = zero_val(L, fn->return_type);
		emit(L, IR_FUNC_BEGIN, MSL_IR_NONE, MSL_IR_NONE, MSL_IR_NONE, MSL_IR_NONE);
		lower_stmt(L, body);
		emit(L, IR_FUNC_END, MSL_IR_NONE, MSL_IR_NONE, MSL_IR_NONE, MSL_IR_NONE);
		if (f->has_ret)
			ret = f->ret;
	}
	L->depth--;
	return ret;
}

static struct val lower_call(struct lower *L, const struct msl_expr *x)
{
	const struct msl_function *fn = x->u.call.fn;
	struct var_bind *vars = calloc(fn->var_count ? fn->var_count : 1, sizeof(*vars));
	if (!vars) {
		lfail(L, x->loc, "out of memory");
		return mkval(x->type);
	}
	/* Without reference or pointer parameters the callee cannot reach the
	 * caller's variables, so a parameter it never writes may alias them. */
	int alias_ok = !has_ref_params(fn);
	for (size_t i = 0; i < fn->param_count && i < x->u.call.arg_count && !L->failed; i++) {
		const struct msl_var *p = fn->params[i];
		const struct msl_expr *arg = x->u.call.args[i];
		struct var_bind *b = &vars[p->slot];
		if (p->type->kind == MSL_T_TEXTURE || p->type->kind == MSL_T_SAMPLER) {
			const struct msl_var *rv = resource_var(L, arg);
			struct var_bind *rb = rv ? bind_of(L, rv) : NULL;
			if (rb)
				*b = *rb;
		} else if (p->by_ref) {
			b->kind = VB_LVAL;
			b->lv = lower_lval(L, arg);
		} else if (p->type->kind == MSL_T_POINTER) {
			b->kind = VB_VALUE;
			b->v = lower_expr(L, arg);
			b->v.type = p->type;
			/* a parameter the body moves (p++, p += n) gets its own
			 * offset register, not the caller's */
			if (!b->v.thread_ptr && !L->failed && stmt_writes(fn->body, p, 0))
				b->v.r[0] = op1(L, IR_MOV, b->v.r[0]);
		} else {
			struct val v = lower_expr(L, arg);
			b->kind = VB_VALUE;
			if (!alias_ok || stmt_writes(fn->body, p, 0)) {
				b->v = alloc_val(L, p->type);
				store_regs(L, b->v.base, &v);
			} else {
				/* read-only parameter: use the argument's registers */
				b->v = v;
				b->v.type = p->type;
			}
		}
	}
	struct val r = L->failed ? mkval(x->type) : inline_body(L, fn, vars);
	free(vars);
	return r;
}

/* ---- entry points -------------------------------------------------------------------- */

static enum msl_exec_stage xstage(enum msl_stage s)
{
	return s == MSL_STAGE_VERTEX ? MSL_EXEC_VERTEX : s == MSL_STAGE_FRAGMENT ? MSL_EXEC_FRAGMENT : MSL_EXEC_KERNEL;
}

static void add_resource(struct lower *L, const struct msl_var *p)
{
	struct msl_exec_resource r;
	memset(&r, 0, sizeof(r));
	r.index = p->attr.index;
	r.name = p->name;
	const struct msl_type *t = p->type;
	switch (p->attr.kind) {
	case MSL_ATTR_BUFFER:
		r.kind = MSL_EXEC_RES_BUFFER;
		if (t->kind == MSL_T_POINTER) {
			r.writable = t->space == MSL_SPACE_DEVICE && !t->is_const;
			r.min_size = t->elem->size;
		} else {
			r.writable = p->space == MSL_SPACE_DEVICE && !p->is_const;
			r.min_size = t->size;
		}
		break;
	case MSL_ATTR_TEXTURE:
		r.kind = MSL_EXEC_RES_TEXTURE;
		r.access = (enum msl_exec_access)t->access;
		r.texel = xscalar(t->scalar);
		r.multisample = t->tex == MSL_TEX_2D_MS;
		break;
	default:
		r.kind = MSL_EXEC_RES_SAMPLER;
		break;
	}
	msl_ir_add_resource(L->e, &r);
}

/* Integer and bool varyings cross the record as their 32-bit patterns and
 * are never interpolated (Metal requires [[flat]] for them). */
static enum msl_exec_interp varying_interp(const struct msl_member *m)
{
	if (m->attr.flat || !is_float(m->type->scalar))
		return MSL_EXEC_INTERP_FLAT;
	return m->attr.no_perspective ? MSL_EXEC_INTERP_NO_PERSPECTIVE : MSL_EXEC_INTERP_PERSPECTIVE;
}

/* The name a varying is linked by: its [[user(NAME)]] when it has one. */
static const char *varying_name(const struct msl_member *m)
{
	return m->attr.user ? m->attr.user : m->name;
}

/* Map a stage_in struct's members to inputs (attributes or varyings). */
static void bind_stage_in(struct lower *L, const struct msl_type *t, struct val *v, int fragment)
{
	if (t->kind != MSL_T_STRUCT) {
		lfail(L, L->loc, "[[stage_in]] must be a struct");
		return;
	}
	uint32_t off = 0;
	for (size_t i = 0; i < t->strct->member_count; i++) {
		const struct msl_member *m = &t->strct->members[i];
		uint32_t reg = v->base + member_reg_offset(t->strct, i);
		uint32_t n = comps_of(m->type);
		if (!n || m->type->kind == MSL_T_MATRIX) {
			lfail(L, m->loc, "stage_in member '%s' must be a scalar or vector", m->name);
			return;
		}
		enum msl_exec_scalar xs = xscalar(m->type->scalar);
		if (fragment && m->attr.kind == MSL_ATTR_POSITION) {
			for (uint32_t c = 0; c < n; c++)
				msl_ir_add_input(L->e, IR_IN_POSITION, reg + c, c, xs);
			continue;
		}
		if (fragment && m->attr.kind == MSL_ATTR_POINT_COORD) {
			for (uint32_t c = 0; c < n && c < 2; c++)
				msl_ir_add_input(L->e, IR_IN_POINT_COORD, reg + c, c, xs);
			continue;
		}
		if (fragment && (m->attr.kind == MSL_ATTR_FRONT_FACING || m->attr.kind == MSL_ATTR_SAMPLE_ID)) {
			msl_ir_add_input(L->e, m->attr.kind == MSL_ATTR_FRONT_FACING ? IR_IN_FRONT_FACING : IR_IN_SAMPLE_ID,
					 reg, 0, xs);
			continue;
		}
		msl_ir_add_slot(L->e, fragment ? 1 : 0, fragment ? varying_name(m) : m->name, m->attr.index, xs, (uint8_t)n,
				varying_interp(m), off);
		for (uint32_t c = 0; c < n; c++)
			msl_ir_add_input(L->e, fragment ? IR_IN_VARYING : IR_IN_ATTRIBUTE, reg + c, off + c, xs);
		off += n;
	}
}

static void bind_builtin_input(struct lower *L, const struct msl_var *p, struct val *v)
{
	enum msl_exec_scalar xs = xscalar(p->type->scalar);
	uint32_t n = comps_of(p->type);
	enum msl_ir_input_kind k;
	switch (p->attr.kind) {
	case MSL_ATTR_VERTEX_ID: k = IR_IN_VERTEX_ID; break;
	case MSL_ATTR_INSTANCE_ID: k = IR_IN_INSTANCE_ID; break;
	case MSL_ATTR_FRONT_FACING: k = IR_IN_FRONT_FACING; break;
	case MSL_ATTR_SAMPLE_ID: k = IR_IN_SAMPLE_ID; break;
	case MSL_ATTR_POSITION: k = IR_IN_POSITION; break;
	case MSL_ATTR_POINT_COORD: k = IR_IN_POINT_COORD; break;
	case MSL_ATTR_THREAD_POSITION_IN_GRID: k = IR_IN_TPIG; break;
	case MSL_ATTR_THREAD_POSITION_IN_THREADGROUP: k = IR_IN_TPITG; break;
	case MSL_ATTR_THREADGROUP_POSITION_IN_GRID: k = IR_IN_TGPIG; break;
	case MSL_ATTR_THREADS_PER_THREADGROUP: k = IR_IN_TPTG; break;
	case MSL_ATTR_THREAD_INDEX_IN_THREADGROUP: k = IR_IN_TIITG; break;
	default:
		lfail(L, p->loc, "parameter '%s' has no binding the executor understands", p->name);
		return;
	}
	for (uint32_t c = 0; c < n; c++)
		msl_ir_add_input(L->e, k, v->base + c, c, xs);
}

static void bind_outputs(struct lower *L, const struct msl_function *fn, const struct val *ret)
{
	const struct msl_type *t = fn->return_type;
	struct msl_exec_entry *e = L->e;
	if (t->kind == MSL_T_VOID)
		return;
	if (fn->stage == MSL_STAGE_KERNEL) {
		lfail(L, fn->loc, "kernel functions return void");
		return;
	}
	if (t->kind != MSL_T_STRUCT) {
		uint32_t n = comps_of(t);
		if (fn->stage == MSL_STAGE_VERTEX) {
			if (n != 4) {
				lfail(L, fn->loc, "vertex function must return float4 [[position]] or a struct");
				return;
			}
			for (uint32_t c = 0; c < 4; c++)
				msl_ir_add_output(e, IR_OUT_POSITION, ret->base + c, c, MSL_EXEC_FLOAT);
			return;
		}
		uint32_t idx = fn->return_attr.kind == MSL_ATTR_COLOR ? fn->return_attr.index : 0;
		if (!n || idx >= MSL_EXEC_MAX_COLORS) {
			lfail(L, fn->loc, "unsupported fragment return type '%s'", t->name);
			return;
		}
		msl_ir_add_slot(e, 2, "color", idx, xscalar(t->scalar), (uint8_t)n, MSL_EXEC_INTERP_PERSPECTIVE, idx * 4);
		for (uint32_t c = 0; c < n; c++)
			msl_ir_add_output(e, IR_OUT_COLOR, ret->base + c, idx * 4 + c, xscalar(t->scalar));
		return;
	}
	uint32_t off = 0;
	int have_pos = 0;
	for (size_t i = 0; i < t->strct->member_count; i++) {
		const struct msl_member *m = &t->strct->members[i];
		uint32_t reg = ret->base + member_reg_offset(t->strct, i);
		uint32_t n = comps_of(m->type);
		if (!n || m->type->kind == MSL_T_MATRIX) {
			lfail(L, m->loc, "output member '%s' must be a scalar or vector", m->name);
			return;
		}
		enum msl_exec_scalar xs = xscalar(m->type->scalar);
		if (fn->stage == MSL_STAGE_VERTEX) {
			if (m->attr.kind == MSL_ATTR_POSITION) {
				for (uint32_t c = 0; c < 4 && c < n; c++)
					msl_ir_add_output(e, IR_OUT_POSITION, reg + c, c, MSL_EXEC_FLOAT);
				have_pos = 1;
				continue;
			}
			if (m->attr.kind == MSL_ATTR_POINT_SIZE) {
				msl_ir_add_output(e, IR_OUT_POINT_SIZE, reg, 0, MSL_EXEC_FLOAT);
				continue;
			}
			msl_ir_add_slot(e, 1, varying_name(m), 0, xs, (uint8_t)n,
					varying_interp(m), off);
			for (uint32_t c = 0; c < n; c++)
				msl_ir_add_output(e, IR_OUT_VARYING, reg + c, off + c, xs);
			off += n;
		} else {
			if (m->attr.kind != MSL_ATTR_COLOR) {
				lfail(L, m->loc, "fragment output '%s' is not supported (only [[color(n)]])", m->name);
				return;
			}
			uint32_t idx = m->attr.index;
			if (idx >= MSL_EXEC_MAX_COLORS) {
				lfail(L, m->loc, "color(%u) out of range", idx);
				return;
			}
			msl_ir_add_slot(e, 2, m->name, idx, xs, (uint8_t)n, MSL_EXEC_INTERP_PERSPECTIVE, idx * 4);
			for (uint32_t c = 0; c < n; c++)
				msl_ir_add_output(e, IR_OUT_COLOR, reg + c, idx * 4 + c, xs);
		}
	}
	if (fn->stage == MSL_STAGE_VERTEX && !have_pos)
		lfail(L, fn->loc, "vertex output struct has no [[position]] member");
}

static struct msl_exec_entry *lower_entry(struct lower *L, const struct msl_function *fn)
{
	L->e = msl_ir_entry_new(fn->name, xstage(fn->stage));
	if (!L->e) {
		lfail(L, fn->loc, "out of memory");
		return NULL;
	}
	L->loc = fn->loc;
	struct var_bind *vars = calloc(fn->var_count ? fn->var_count : 1, sizeof(*vars));
	L->globals = calloc(L->prog->global_count ? L->prog->global_count : 1, sizeof(*L->globals));
	if (!vars || !L->globals) {
		free(vars);
		lfail(L, fn->loc, "out of memory");
		return L->e;
	}
	/* program-scope constants: evaluated at entry (the values are pure) */
	L->depth = 0;
	for (size_t i = 0; i < L->prog->global_count && !L->failed; i++) {
		const struct msl_var *g = L->prog->globals[i];
		struct var_bind *b = &L->globals[i];
		if (g->kind == MSL_VAR_CONST_SAMPLER) {
			struct msl_exec_sampler s;
			memset(&s, 0, sizeof(s));
			s.min_filter = (uint8_t)g->sampler.min_filter;
			s.mag_filter = (uint8_t)g->sampler.mag_filter;
			s.s_address = (uint8_t)g->sampler.s_address;
			s.t_address = (uint8_t)g->sampler.t_address;
			s.coord = g->sampler.normalized ? MSL_EXEC_COORD_NORMALIZED : MSL_EXEC_COORD_PIXEL;
			b->kind = VB_SAMPLER;
			b->index = MSL_IR_SAMPLER_CONSTEXPR | msl_ir_add_sampler(L->e, &s);
		} else if (g->init) {
			struct val v = lower_expr(L, g->init);
			b->kind = VB_VALUE;
			b->v = alloc_val(L, g->type);
			store_regs(L, b->v.base, &v);
		} else {
			b->kind = VB_VALUE;
			b->v = zero_val(L, g->type);
		}
	}
	for (size_t i = 0; i < fn->param_count && !L->failed; i++) {
		const struct msl_var *p = fn->params[i];
		struct var_bind *b = &vars[p->slot];
		L->loc = p->loc;
		switch (p->attr.kind) {
		case MSL_ATTR_BUFFER:
			if (p->attr.index >= MSL_EXEC_MAX_BUFFERS) {
				lfail(L, p->loc, "buffer index %u out of range", p->attr.index);
				break;
			}
			add_resource(L, p);
			if (p->type->kind == MSL_T_POINTER) {
				b->kind = VB_VALUE;
				b->v = mkval(p->type);
				/* a moved buffer pointer needs its own register,
				 * not the shared constant 0 */
				b->v.r[0] = stmt_writes(fn->body, p, 0) ? op1(L, IR_MOV, kconst(L, 0)) : kconst(L, 0);
				b->v.binding = p->attr.index;
				b->v.writable = p->type->space == MSL_SPACE_DEVICE && !p->type->is_const;
			} else {
				b->kind = VB_LVAL;
				memset(&b->lv, 0, sizeof(b->lv));
				b->lv.kind = LV_MEM;
				b->lv.type = p->type;
				b->lv.binding = p->attr.index;
				b->lv.off_reg = MSL_IR_NONE;
				b->lv.idx = MSL_IR_NONE;
				b->lv.writable = p->space == MSL_SPACE_DEVICE && !p->is_const;
			}
			break;
		case MSL_ATTR_TEXTURE:
			if (p->attr.index >= MSL_EXEC_MAX_TEXTURES) {
				lfail(L, p->loc, "texture index %u out of range", p->attr.index);
				break;
			}
			add_resource(L, p);
			b->kind = VB_TEXTURE;
			b->index = p->attr.index;
			break;
		case MSL_ATTR_SAMPLER:
			if (p->attr.index >= MSL_EXEC_MAX_SAMPLERS) {
				lfail(L, p->loc, "sampler index %u out of range", p->attr.index);
				break;
			}
			add_resource(L, p);
			b->kind = VB_SAMPLER;
			b->index = p->attr.index;
			break;
		case MSL_ATTR_STAGE_IN:
			b->kind = VB_VALUE;
			b->v = alloc_val(L, p->type);
			bind_stage_in(L, p->type, &b->v, fn->stage == MSL_STAGE_FRAGMENT);
			break;
		default:
			b->kind = VB_VALUE;
			b->v = alloc_val(L, p->type);
			bind_builtin_input(L, p, &b->v);
			break;
		}
	}
	if (!L->failed) {
		struct val ret = inline_body(L, fn, vars);
		if (!L->failed && fn->return_type->kind != MSL_T_VOID) {
			struct val c = consecutive(L, &ret);
			bind_outputs(L, fn, &c);
		}
	}
	free(vars);
	free(L->globals);
	L->globals = NULL;
	if (!L->failed && msl_ir_finish(L->e) != 0)
		lfail(L, fn->loc, "internal: malformed control flow or out of memory");
	return L->e;
}

msl_exec_module *msl_exec_module_create(const struct msl_program *prog, struct msl_exec_error *err)
{
	struct frame frames[MAX_INLINE_DEPTH];
	struct lower L;
	memset(&L, 0, sizeof(L));
	L.prog = prog;
	L.err = err;
	L.fr = frames;
	if (err) {
		memset(err, 0, sizeof(*err));
	}
	size_t n = msl_program_entry_count(prog);
	struct msl_exec_entry **entries = calloc(n ? n : 1, sizeof(*entries));
	if (!entries) {
		if (err) {
			err->status = MSL_EXEC_ERR_NOMEM;
			snprintf(err->message, sizeof(err->message), "out of memory");
		}
		return NULL;
	}
	uint32_t k = 0;
	for (size_t i = 0; i < n && !L.failed; i++) {
		struct msl_exec_entry *e = lower_entry(&L, msl_program_entry(prog, i));
		if (e)
			entries[k++] = e;
	}
	free(L.tlvs);
	if (L.failed) {
		for (uint32_t i = 0; i < k; i++)
			msl_ir_entry_free(entries[i]);
		free(entries);
		return NULL;
	}
	msl_exec_module *m = msl_ir_module_from_entries(entries, k);
	free(entries);
	if (!m && err) {
		err->status = MSL_EXEC_ERR_NOMEM;
		snprintf(err->message, sizeof(err->message), "out of memory");
	}
	return m;
}
