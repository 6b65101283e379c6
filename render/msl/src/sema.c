/*
 * sema.c — semantic analysis: scopes, MSL typing and conversion rules,
 * built-in overload resolution and the rules for entry points.
 *
 * Typing follows MSL (C++14 with clang's vector extension):
 *  - scalars use C's usual arithmetic conversions (bool/char/short promote
 *    to int; int < uint < half < float);
 *  - vectors never convert to another vector type implicitly (packed and
 *    unpacked vectors of the same shape do); a scalar operand is converted
 *    to the element type and splatted, except float to an integer vector;
 *  - comparisons of vectors are component-wise and give boolN.
 * Every implicit conversion becomes an MSL_E_CONVERT node (see ast.h).
 */
#include <math.h>
#include <string.h>

#include "front.h"

/* ---- scopes --------------------------------------------------------------- */

void sema_push_scope(struct msl_front *f)
{
	struct scope *s = msl_alloc(f, sizeof *s);
	s->parent = f->scope;
	f->scope = s;
}

void sema_pop_scope(struct msl_front *f)
{
	if (f->scope)
		f->scope = f->scope->parent;
}

struct sym *sema_lookup_local(struct msl_front *f, const char *name)
{
	for (struct sym *s = f->scope ? f->scope->syms : NULL; s; s = s->next)
		if (strcmp(s->name, name) == 0)
			return s;
	return NULL;
}

struct sym *sema_lookup(struct msl_front *f, const char *name)
{
	for (struct scope *sc = f->scope; sc; sc = sc->parent)
		for (struct sym *s = sc->syms; s; s = s->next)
			if (strcmp(s->name, name) == 0)
				return s;
	return NULL;
}

void sema_declare(struct msl_front *f, enum sym_kind k, const char *name, void *what,
		  struct msl_loc loc)
{
	if (sema_lookup_local(f, name)) {
		msl_error(f, loc, "redefinition of '%s'", name);
		return;
	}
	struct sym *s = msl_alloc(f, sizeof *s);
	s->kind = k;
	s->name = name;
	if (k == SYM_VAR)
		s->var = what;
	else if (k == SYM_FN)
		s->fn = what;
	else
		s->type = what;
	s->next = f->scope->syms;
	f->scope->syms = s;
}

/* ---- helpers -------------------------------------------------------------- */

static struct msl_expr *new_expr(struct msl_front *f, enum msl_expr_kind k,
				 const struct msl_type *t, struct msl_loc loc)
{
	struct msl_expr *e = msl_alloc(f, sizeof *e);
	e->kind = k;
	e->type = t;
	e->loc = loc;
	return e;
}

bool sema_is_error(struct msl_front *f, const struct msl_expr *e)
{
	return !e || e->type == msl_type_error(f);
}

struct msl_expr *sema_error_expr(struct msl_front *f, struct msl_loc loc)
{
	return new_expr(f, MSL_E_INT_LIT, msl_type_error(f), loc);
}

static const char *tname(const struct msl_type *t)
{
	return t ? t->name : "initializer list";
}

static bool is_scalar(const struct msl_type *t) { return t->kind == MSL_T_SCALAR; }
static bool is_vector(const struct msl_type *t) { return t->kind == MSL_T_VECTOR; }
static bool is_sv(const struct msl_type *t) { return is_scalar(t) || is_vector(t); }
static bool is_literal(const struct msl_expr *e)
{
	if (e->kind == MSL_E_UNARY && (e->u.unary.op == MSL_UNOP_NEG || e->u.unary.op == MSL_UNOP_PLUS))
		e = e->u.unary.operand;
	return e->kind == MSL_E_INT_LIT || e->kind == MSL_E_FLOAT_LIT;
}

static enum msl_scalar promote(enum msl_scalar s)
{
	return (s < MSL_INT) ? MSL_INT : s;
}

/* C's usual arithmetic conversions on two scalar types. */
static enum msl_scalar common_scalar(enum msl_scalar a, enum msl_scalar b)
{
	if (a == MSL_BOOL && b == MSL_BOOL)
		return MSL_BOOL; /* callers promote where C would */
	a = promote(a);
	b = promote(b);
	return a > b ? a : b;
}

/* Build an implicit/explicit conversion node (no checks). */
static struct msl_expr *mk_convert(struct msl_front *f, struct msl_expr *e, const struct msl_type *to,
				   bool implicit)
{
	if (e->type == to)
		return e;
	/* fold literal conversions so the executor sees typed constants */
	if (is_scalar(to) && (e->kind == MSL_E_INT_LIT || e->kind == MSL_E_FLOAT_LIT) && implicit) {
		struct msl_expr *c = new_expr(f, MSL_E_INT_LIT, to, e->loc);
		double dv = e->kind == MSL_E_FLOAT_LIT ? e->u.float_lit
			   : msl_scalar_is_signed(e->type->scalar) ? (double)(int32_t)e->u.int_lit
								    : (double)(uint32_t)e->u.int_lit;
		if (msl_scalar_is_float(to->scalar)) {
			c->kind = MSL_E_FLOAT_LIT;
			c->u.float_lit = to->scalar == MSL_HALF ? dv : (double)(float)dv;
			return c;
		}
		if (to->scalar == MSL_BOOL) {
			c->kind = MSL_E_BOOL_LIT;
			c->u.bool_lit = dv != 0;
			return c;
		}
		if (e->kind == MSL_E_INT_LIT) {
			/* integer to integer: wrap to the target width */
			uint64_t v = e->u.int_lit;
			switch (to->scalar) {
			case MSL_CHAR: v = (uint64_t)(int64_t)(int8_t)v; break;
			case MSL_UCHAR: v = (uint8_t)v; break;
			case MSL_SHORT: v = (uint64_t)(int64_t)(int16_t)v; break;
			case MSL_USHORT: v = (uint16_t)v; break;
			case MSL_INT: v = (uint64_t)(int64_t)(int32_t)v; break;
			default: v = (uint32_t)v; break;
			}
			c->u.int_lit = v;
			return c;
		}
	}
	struct msl_expr *c = new_expr(f, MSL_E_CONVERT, to, e->loc);
	c->u.convert.operand = e;
	c->u.convert.implicit = implicit;
	return c;
}

/* scalar/vector of n components (n == 1: scalar) */
static const struct msl_type *sv(struct msl_front *f, enum msl_scalar s, unsigned n)
{
	return msl_type_vec_or_scalar(f, s, n);
}

static const struct msl_type *unpacked(struct msl_front *f, const struct msl_type *t)
{
	return t->kind == MSL_T_VECTOR && t->packed ? sv(f, t->scalar, t->cols) : t;
}

/* Convert a scalar or vector operand to sv(s, n), splatting scalars. */
static struct msl_expr *to_sv(struct msl_front *f, struct msl_expr *e, enum msl_scalar s, unsigned n)
{
	const struct msl_type *t = e->type;
	if (is_scalar(t) && n > 1) {
		e = mk_convert(f, e, sv(f, s, 1), true);
		return mk_convert(f, e, sv(f, s, n), true);
	}
	return mk_convert(f, e, sv(f, s, n), true);
}

/* `budget` bounds the recursion: a constant may refer to another
 * constant, whose initialiser is another tree. */
static bool const_int(struct msl_front *f, const struct msl_expr *e, int64_t *out, unsigned *budget)
{
	if (!e || sema_is_error(f, e) || *budget == 0)
		return false;
	(*budget)--;
	switch (e->kind) {
	case MSL_E_INT_LIT:
		if (!is_scalar(e->type) || msl_scalar_is_float(e->type->scalar))
			return false;
		*out = msl_scalar_is_signed(e->type->scalar) ? (int64_t)e->u.int_lit
							     : (int64_t)(uint32_t)e->u.int_lit;
		return true;
	case MSL_E_BOOL_LIT:
		*out = e->u.bool_lit ? 1 : 0;
		return true;
	case MSL_E_VAR:
		if (e->u.var->kind == MSL_VAR_GLOBAL_CONST && e->u.var->init)
			return const_int(f, e->u.var->init, out, budget);
		return false;
	case MSL_E_CONVERT: {
		if (!is_scalar(e->type) || msl_scalar_is_float(e->type->scalar) || e->u.convert.bitcast)
			return false;
		int64_t v;
		if (!const_int(f, e->u.convert.operand, &v, budget))
			return false;
		switch (e->type->scalar) { /* the value the target type holds */
		case MSL_BOOL: v = v != 0; break;
		case MSL_CHAR: v = (int8_t)v; break;
		case MSL_UCHAR: v = (uint8_t)v; break;
		case MSL_SHORT: v = (int16_t)v; break;
		case MSL_USHORT: v = (uint16_t)v; break;
		case MSL_INT: v = (int32_t)v; break;
		case MSL_UINT: v = (uint32_t)v; break;
		default: break;
		}
		*out = v;
		return true;
	}
	case MSL_E_COND: {
		int64_t c;
		if (!const_int(f, e->u.cond.cond, &c, budget))
			return false;
		return const_int(f, c ? e->u.cond.then_expr : e->u.cond.else_expr, out, budget);
	}
	case MSL_E_UNARY: {
		int64_t v;
		if (!const_int(f, e->u.unary.operand, &v, budget))
			return false;
		*out = e->u.unary.op == MSL_UNOP_NEG ? -v : e->u.unary.op == MSL_UNOP_BITNOT ? ~v
		       : e->u.unary.op == MSL_UNOP_NOT ? !v : v;
		return true;
	}
	case MSL_E_BINARY: {
		int64_t a, b;
		if (!const_int(f, e->u.binary.left, &a, budget))
			return false;
		/* && and || short-circuit, as in a C++ constant expression */
		if (e->u.binary.op == MSL_BINOP_LOGAND && !a) { *out = 0; return true; }
		if (e->u.binary.op == MSL_BINOP_LOGOR && a) { *out = 1; return true; }
		if (!const_int(f, e->u.binary.right, &b, budget))
			return false;
		/* comparisons: both operands already have their common type and
		 * hold its values, so comparing the int64 values is exact */
		switch (e->u.binary.op) {
		case MSL_BINOP_LT: *out = a < b; return true;
		case MSL_BINOP_GT: *out = a > b; return true;
		case MSL_BINOP_LE: *out = a <= b; return true;
		case MSL_BINOP_GE: *out = a >= b; return true;
		case MSL_BINOP_EQ: *out = a == b; return true;
		case MSL_BINOP_NE: *out = a != b; return true;
		case MSL_BINOP_LOGAND: case MSL_BINOP_LOGOR: *out = b != 0; return true;
		default: break;
		}
		if (a > INT32_MAX || a < INT32_MIN || b > INT32_MAX || b < INT32_MIN)
			return false;
		switch (e->u.binary.op) {
		case MSL_BINOP_ADD: *out = a + b; return true;
		case MSL_BINOP_SUB: *out = a - b; return true;
		case MSL_BINOP_MUL: *out = a * b; return true;
		case MSL_BINOP_DIV: if (!b) return false; *out = a / b; return true;
		case MSL_BINOP_MOD: if (!b) return false; *out = a % b; return true;
		case MSL_BINOP_SHL: if (b < 0 || b > 31) return false; *out = a << b; return true;
		case MSL_BINOP_SHR: if (b < 0 || b > 31) return false; *out = a >> b; return true;
		case MSL_BINOP_BITAND: *out = a & b; return true;
		case MSL_BINOP_BITOR: *out = a | b; return true; /* mem_flags combinations */
		case MSL_BINOP_BITXOR: *out = a ^ b; return true;
		default: return false;
		}
	}
	default:
		return false;
	}
}

bool sema_const_int(struct msl_front *f, const struct msl_expr *e, int64_t *out)
{
	unsigned budget = 4 * MSL_MAX_EXPR_DEPTH;
	return const_int(f, e, out, &budget);
}

/* ---- literals and names --------------------------------------------------- */

struct msl_expr *sema_int_lit(struct msl_front *f, const struct token *t)
{
	struct msl_expr *e = new_expr(f, MSL_E_INT_LIT, msl_type_scalar(f, t->lit_type), t->loc);
	e->u.int_lit = t->ival;
	return e;
}

struct msl_expr *sema_float_lit(struct msl_front *f, const struct token *t)
{
	struct msl_expr *e = new_expr(f, MSL_E_FLOAT_LIT, msl_type_scalar(f, t->lit_type), t->loc);
	e->u.float_lit = t->lit_type == MSL_FLOAT ? (double)(float)t->fval : t->fval;
	return e;
}

struct msl_expr *sema_bool_lit(struct msl_front *f, bool v, struct msl_loc loc)
{
	struct msl_expr *e = new_expr(f, MSL_E_BOOL_LIT, msl_type_scalar(f, MSL_BOOL), loc);
	e->u.bool_lit = v;
	return e;
}

/* Constants of the Metal standard library (metal_math). */
static const struct { const char *name; double v; } math_constants[] = {
	{ "M_PI_F", 3.14159265358979323846 }, { "M_PI_2_F", 1.57079632679489661923 },
	{ "M_PI_4_F", 0.78539816339744830962 }, { "M_1_PI_F", 0.31830988618379067154 },
	{ "M_2_PI_F", 0.63661977236758134308 }, { "M_2_SQRTPI_F", 1.12837916709551257390 },
	{ "M_E_F", 2.71828182845904523536 }, { "M_LOG2E_F", 1.44269504088896340736 },
	{ "M_LOG10E_F", 0.43429448190325182765 }, { "M_LN2_F", 0.69314718055994530942 },
	{ "M_LN10_F", 2.30258509299404568402 }, { "M_SQRT2_F", 1.41421356237309504880 },
	{ "M_SQRT1_2_F", 0.70710678118654752440 }, { "MAXFLOAT", 3.40282346638528859812e+38 },
	{ "FLT_MAX", 3.40282346638528859812e+38 }, { "FLT_MIN", 1.17549435082228750797e-38 },
	{ "FLT_EPSILON", 1.1920928955078125e-07 }, { "INFINITY", INFINITY },
};

struct msl_expr *sema_ident(struct msl_front *f, const char *name, struct msl_loc loc)
{
	struct msl_expr *flag = sema_mem_flag(f, name, loc);
	if (flag)
		return flag;
	struct sym *s = sema_lookup(f, name);
	if (s && s->kind == SYM_VAR) {
		struct msl_expr *e = new_expr(f, MSL_E_VAR, s->var->type, loc);
		e->u.var = s->var;
		e->is_lvalue = s->var->kind != MSL_VAR_CONST_SAMPLER;
		return e;
	}
	if (s && s->kind == SYM_FN) {
		msl_error(f, loc, "function '%s' used as a value (call it with '()')", name);
		return sema_error_expr(f, loc);
	}
	if (s && s->kind == SYM_TYPE) {
		msl_error(f, loc, "type '%s' used as a value", name);
		return sema_error_expr(f, loc);
	}
	for (size_t i = 0; i < sizeof math_constants / sizeof math_constants[0]; i++)
		if (strcmp(name, math_constants[i].name) == 0) {
			struct msl_expr *e = new_expr(f, MSL_E_FLOAT_LIT, msl_type_scalar(f, MSL_FLOAT), loc);
			e->u.float_lit = (double)(float)math_constants[i].v;
			return e;
		}
	if (strcmp(name, "NAN") == 0) {
		struct msl_expr *e = new_expr(f, MSL_E_FLOAT_LIT, msl_type_scalar(f, MSL_FLOAT), loc);
		e->u.float_lit = NAN;
		return e;
	}
	msl_error(f, loc, "use of undeclared identifier '%s'", name);
	return sema_error_expr(f, loc);
}

/* ---- conversions ---------------------------------------------------------- */

static struct msl_expr *convert_init_list(struct msl_front *f, struct msl_expr *list,
					  const struct msl_type *to, const char *what);

struct msl_expr *sema_convert(struct msl_front *f, struct msl_expr *e, const struct msl_type *to,
			      const char *what)
{
	if (sema_is_error(f, e) || to == msl_type_error(f))
		return e;
	if (e->kind == MSL_E_CONSTRUCT && e->type == NULL)
		return convert_init_list(f, e, to, what);
	if (to->kind == MSL_T_ARRAY && strcmp(what, "initialization") == 0) {
		/* C++: an array is initialised from a brace list, never copied */
		msl_error(f, e->loc, "array '%s' must be initialized with a brace list", to->name);
		return sema_error_expr(f, e->loc);
	}
	const struct msl_type *from = e->type;
	if (from == to)
		return e;
	if (is_scalar(from) && is_scalar(to))
		return mk_convert(f, e, to, true);
	if (is_scalar(from) && is_vector(to)) {
		if (msl_scalar_is_float(from->scalar) && !msl_scalar_is_float(to->scalar) &&
		    to->scalar != MSL_BOOL) {
			msl_error(f, e->loc, "cannot convert '%s' to '%s' in %s", from->name, to->name, what);
			return sema_error_expr(f, e->loc);
		}
		return mk_convert(f, to_sv(f, e, to->scalar, to->cols), to, true); /* splat, then pack */
	}
	if (is_vector(from) && is_vector(to) && from->scalar == to->scalar && from->cols == to->cols)
		return mk_convert(f, e, to, true); /* packed <-> unpacked */
	if (from->kind == MSL_T_POINTER && to->kind == MSL_T_POINTER && from->elem == to->elem &&
	    from->space == to->space && (!from->is_const || to->is_const))
		return mk_convert(f, e, to, true);
	msl_error(f, e->loc, "cannot convert '%s' to '%s' in %s", tname(from), tname(to), what);
	return sema_error_expr(f, e->loc);
}

struct msl_expr *sema_brace_list(struct msl_front *f, struct msl_expr **items, size_t n,
				 struct msl_loc loc)
{
	struct msl_expr *e = new_expr(f, MSL_E_CONSTRUCT, NULL, loc);
	e->u.construct.parts = items;
	e->u.construct.part_count = n;
	return e;
}

static struct msl_expr *convert_init_list(struct msl_front *f, struct msl_expr *list,
					  const struct msl_type *to, const char *what)
{
	size_t n = list->u.construct.part_count;
	struct msl_expr **p = list->u.construct.parts;
	switch (to->kind) {
	case MSL_T_SCALAR:
		if (n > 1) {
			msl_error(f, list->loc, "too many initializers for '%s'", to->name);
			return sema_error_expr(f, list->loc);
		}
		if (n == 0)
			return mk_convert(f, sema_bool_lit(f, false, list->loc), to, true);
		return sema_convert(f, p[0], to, what);
	case MSL_T_VECTOR:
	case MSL_T_MATRIX: {
		for (size_t i = 0; i < n; i++)
			if (p[i]->kind == MSL_E_CONSTRUCT && !p[i]->type) {
				msl_error(f, p[i]->loc, "nested braces in a '%s' initializer are not supported", to->name);
				return sema_error_expr(f, list->loc);
			}
		if (n == 0) {
			struct msl_expr *z = new_expr(f, MSL_E_CONSTRUCT, to, list->loc);
			return z;
		}
		return sema_construct(f, to, p, n, list->loc);
	}
	case MSL_T_ARRAY:
	case MSL_T_STRUCT: {
		size_t cap = to->kind == MSL_T_ARRAY ? to->array_len : to->strct->member_count;
		if (n > cap) {
			msl_error(f, p[cap]->loc, "too many initializers for '%s' (%zu, expected at most %zu)",
				  to->name, n, cap);
			return sema_error_expr(f, list->loc);
		}
		struct msl_expr *c = new_expr(f, MSL_E_CONSTRUCT, to, list->loc);
		c->u.construct.parts = msl_alloc(f, (n ? n : 1) * sizeof *p);
		c->u.construct.part_count = n;
		bool bad = false;
		for (size_t i = 0; i < n; i++) {
			const struct msl_type *mt = to->kind == MSL_T_ARRAY ? to->elem : to->strct->members[i].type;
			c->u.construct.parts[i] = sema_convert(f, p[i], mt, what);
			bad |= sema_is_error(f, c->u.construct.parts[i]);
		}
		return bad ? sema_error_expr(f, list->loc) : c;
	}
	default:
		msl_error(f, list->loc, "cannot initialize '%s' with an initializer list", to->name);
		return sema_error_expr(f, list->loc);
	}
}

struct msl_expr *sema_condition(struct msl_front *f, struct msl_expr *e)
{
	if (sema_is_error(f, e))
		return e;
	if (e->kind == MSL_E_CONSTRUCT && !e->type) {
		msl_error(f, e->loc, "initializer list cannot be used as a condition");
		return sema_error_expr(f, e->loc);
	}
	if (!is_scalar(e->type)) {
		msl_error(f, e->loc, "condition has type '%s'; a scalar is required%s", e->type->name,
			  is_vector(e->type) && e->type->scalar == MSL_BOOL ? " (use any() or all())" : "");
		return sema_error_expr(f, e->loc);
	}
	return mk_convert(f, e, msl_type_scalar(f, MSL_BOOL), true);
}

/* ---- lvalues -------------------------------------------------------------- */

bool sema_check_writable(struct msl_front *f, const struct msl_expr *e, struct msl_loc loc, bool report)
{
	if (sema_is_error(f, e))
		return true;
	if (!e->is_lvalue) {
		if (report)
			msl_error(f, loc, "expression is not assignable");
		return false;
	}
	const struct msl_expr *b = e;
	for (;;) {
		switch (b->kind) {
		case MSL_E_VAR:
			if (b->u.var->is_const || (b->u.var->by_ref && b->u.var->space == MSL_SPACE_CONSTANT)) {
				if (report)
					msl_error(f, loc, "cannot assign to '%s': it is %s", b->u.var->name,
						  b->u.var->space == MSL_SPACE_CONSTANT ? "in the constant address space"
											: "const");
				return false;
			}
			return true;
		case MSL_E_MEMBER: b = b->u.member.base; break;
		case MSL_E_SWIZZLE: b = b->u.swizzle.base; break;
		case MSL_E_INDEX:
			if (b->u.index.base->type->kind == MSL_T_POINTER) {
				const struct msl_type *pt = b->u.index.base->type;
				if (pt->is_const || pt->space == MSL_SPACE_CONSTANT) {
					if (report)
						msl_error(f, loc, "cannot assign through a pointer to %s",
							  pt->is_const ? "const" : "constant memory");
					return false;
				}
				return true;
			}
			b = b->u.index.base;
			break;
		case MSL_E_DEREF: {
			const struct msl_type *pt = b->u.operand->type;
			if (pt->is_const || pt->space == MSL_SPACE_CONSTANT) {
				if (report)
					msl_error(f, loc, "cannot assign through a pointer to %s",
						  pt->is_const ? "const" : "constant memory");
				return false;
			}
			return true;
		}
		default:
			return true;
		}
	}
}

/* ---- operators ------------------------------------------------------------ */

struct msl_expr *sema_unary(struct msl_front *f, unsigned punct, struct msl_expr *e, struct msl_loc loc)
{
	if (sema_is_error(f, e))
		return e;
	const struct msl_type *t = e->type;
	if (!t) {
		msl_error(f, loc, "initializer list cannot be an operand");
		return sema_error_expr(f, loc);
	}
	struct msl_expr *r = new_expr(f, MSL_E_UNARY, t, loc);
	switch (punct) {
	case P_MINUS:
	case P_PLUS:
		if (!(is_sv(t) && t->scalar != MSL_BOOL) && t->kind != MSL_T_MATRIX)
			goto bad;
		if (is_sv(t) && t->scalar < MSL_INT) {
			e = to_sv(f, e, MSL_INT, msl_type_components(t));
			r->type = e->type;
		}
		r->type = unpacked(f, r->type);
		e = mk_convert(f, e, r->type, true);
		/* fold negative literals so constants stay constants */
		if (punct == P_MINUS && e->kind == MSL_E_FLOAT_LIT) {
			e->u.float_lit = -e->u.float_lit;
			e->loc = loc;
			return e;
		}
		r->u.unary.op = punct == P_MINUS ? MSL_UNOP_NEG : MSL_UNOP_PLUS;
		break;
	case P_BANG:
		if (is_vector(t) && t->scalar == MSL_BOOL) {
			e = mk_convert(f, e, unpacked(f, t), true);
		} else if (is_scalar(t)) {
			e = mk_convert(f, e, msl_type_scalar(f, MSL_BOOL), true);
		} else {
			goto bad;
		}
		r->type = e->type;
		r->u.unary.op = MSL_UNOP_NOT;
		break;
	case P_TILDE:
		if (!is_sv(t) || msl_scalar_is_float(t->scalar) || t->scalar == MSL_BOOL)
			goto bad;
		if (t->scalar < MSL_INT)
			e = to_sv(f, e, MSL_INT, msl_type_components(t));
		e = mk_convert(f, e, unpacked(f, e->type), true);
		r->type = e->type;
		r->u.unary.op = MSL_UNOP_BITNOT;
		break;
	default:
		goto bad;
	}
	r->u.unary.operand = e;
	return r;
bad:
	msl_error(f, loc, "invalid operand to unary '%s' (have '%s')", msl_punct_spelling(punct), t->name);
	return sema_error_expr(f, loc);
}

static enum msl_binop binop_of(unsigned p)
{
	switch (p) {
	case P_PLUS: case P_ADD_ASSIGN: return MSL_BINOP_ADD;
	case P_MINUS: case P_SUB_ASSIGN: return MSL_BINOP_SUB;
	case P_STAR: case P_MUL_ASSIGN: return MSL_BINOP_MUL;
	case P_SLASH: case P_DIV_ASSIGN: return MSL_BINOP_DIV;
	case P_PERCENT: case P_MOD_ASSIGN: return MSL_BINOP_MOD;
	case P_SHL: case P_SHL_ASSIGN: return MSL_BINOP_SHL;
	case P_SHR: case P_SHR_ASSIGN: return MSL_BINOP_SHR;
	case P_AMP: case P_AND_ASSIGN: return MSL_BINOP_BITAND;
	case P_PIPE: case P_OR_ASSIGN: return MSL_BINOP_BITOR;
	case P_CARET: case P_XOR_ASSIGN: return MSL_BINOP_BITXOR;
	case P_LT: return MSL_BINOP_LT;
	case P_GT: return MSL_BINOP_GT;
	case P_LE: return MSL_BINOP_LE;
	case P_GE: return MSL_BINOP_GE;
	case P_EQ: return MSL_BINOP_EQ;
	case P_NE: return MSL_BINOP_NE;
	case P_ANDAND: return MSL_BINOP_LOGAND;
	default: return MSL_BINOP_LOGOR;
	}
}

static struct msl_expr *mk_binary(struct msl_front *f, enum msl_binop op, struct msl_expr *l,
				  struct msl_expr *r, const struct msl_type *t, struct msl_loc loc)
{
	struct msl_expr *e = new_expr(f, MSL_E_BINARY, t, loc);
	e->u.binary.op = op;
	e->u.binary.left = l;
	e->u.binary.right = r;
	return e;
}

/* Element type two scalar/vector operands meet at. A literal adapts to the
 * other operand's floating type (so `h * 2.0h` and `hv * 0.5` stay half
 * for vectors, as clang's vector extension does). */
static enum msl_scalar meet_scalar(const struct msl_expr *l, const struct msl_expr *r)
{
	enum msl_scalar a = l->type->scalar, b = r->type->scalar;
	if (is_vector(l->type) && is_scalar(r->type))
		return a; /* the vector's element type wins; callers reject float into int */
	if (is_vector(r->type) && is_scalar(l->type))
		return b;
	return common_scalar(a, b);
}

static bool is_integer_scalar(const struct msl_type *t)
{
	return is_scalar(t) && t->scalar != MSL_BOOL && !msl_scalar_is_float(t->scalar);
}

/* Pointer operators as C++ types them: ptr + int, int + ptr, ptr - int
 * (same pointer type; the pointer is put on the left), ptr - ptr of the
 * same type (int, the element distance), and comparisons of the same
 * pointer type (bool). No arithmetic on void *; address spaces never mix
 * (a const and a non-const pointer to the same type compare). */
static struct msl_expr *pointer_binary(struct msl_front *f, enum msl_binop op, struct msl_expr *l,
				       struct msl_expr *r, struct msl_loc loc, const char *spell)
{
	const struct msl_type *lt = l->type, *rt = r->type;
	const struct msl_type *it = msl_type_scalar(f, MSL_INT);
	bool lp = lt->kind == MSL_T_POINTER, rp = rt->kind == MSL_T_POINTER;
	bool compare = op >= MSL_BINOP_LT && op <= MSL_BINOP_NE;
	if ((op == MSL_BINOP_ADD || op == MSL_BINOP_SUB) && lp != rp) {
		struct msl_expr *pe = lp ? l : r, *ie = lp ? r : l;
		if (op == MSL_BINOP_SUB && rp)
			goto bad;
		if (!is_integer_scalar(ie->type))
			goto bad;
		if (pe->type->elem->kind == MSL_T_VOID || !pe->type->elem->size) {
			msl_error(f, loc, "arithmetic on a pointer to an incomplete or void type ('%s')", pe->type->name);
			return sema_error_expr(f, loc);
		}
		return mk_binary(f, op, pe, mk_convert(f, ie, it, true), pe->type, loc);
	}
	if (lp && rp && (op == MSL_BINOP_SUB || compare)) {
		if (lt->space != rt->space) {
			msl_error(f, loc, "'%s' between pointers in different address spaces ('%s' and '%s')", spell,
				  lt->name, rt->name);
			return sema_error_expr(f, loc);
		}
		if (lt->elem != rt->elem)
			goto bad;
		if (op == MSL_BINOP_SUB) {
			if (lt->elem->kind == MSL_T_VOID || !lt->elem->size) {
				msl_error(f, loc, "arithmetic on a pointer to an incomplete or void type ('%s')", lt->name);
				return sema_error_expr(f, loc);
			}
			return mk_binary(f, op, l, r, it, loc);
		}
		return mk_binary(f, op, l, r, msl_type_scalar(f, MSL_BOOL), loc);
	}
bad:
	msl_error(f, loc, "invalid operands to binary '%s' ('%s' and '%s')", spell, lt->name, rt->name);
	return sema_error_expr(f, loc);
}

static struct msl_expr *binary_typed(struct msl_front *f, enum msl_binop op, struct msl_expr *l,
				     struct msl_expr *r, struct msl_loc loc, const char *spell)
{
	const struct msl_type *lt = l->type, *rt = r->type;
	bool arith = op <= MSL_BINOP_MOD, bitwise = op >= MSL_BINOP_SHL && op <= MSL_BINOP_BITXOR;
	bool compare = op >= MSL_BINOP_LT && op <= MSL_BINOP_NE;

	if (op == MSL_BINOP_LOGAND || op == MSL_BINOP_LOGOR) {
		if (!is_scalar(lt) || !is_scalar(rt)) {
			msl_error(f, loc, "operands of '%s' must be scalars (have '%s' and '%s'); "
				  "vector logic is not supported, use select/any/all", spell, lt->name, rt->name);
			return sema_error_expr(f, loc);
		}
		const struct msl_type *b = msl_type_scalar(f, MSL_BOOL);
		return mk_binary(f, op, mk_convert(f, l, b, true), mk_convert(f, r, b, true), b, loc);
	}

	if (lt->kind == MSL_T_POINTER || rt->kind == MSL_T_POINTER)
		return pointer_binary(f, op, l, r, loc, spell);

	/* matrices */
	if (lt->kind == MSL_T_MATRIX || rt->kind == MSL_T_MATRIX) {
		if (op == MSL_BINOP_MUL) {
			if (lt->kind == MSL_T_MATRIX && rt->kind == MSL_T_MATRIX) {
				if (lt->scalar != rt->scalar || lt->cols != rt->rows)
					goto bad;
				return mk_binary(f, MSL_BINOP_MATMUL, l, r,
						 msl_type_matrix(f, lt->scalar, rt->cols, lt->rows), loc);
			}
			if (lt->kind == MSL_T_MATRIX && is_vector(rt)) {
				if (lt->scalar != rt->scalar || lt->cols != rt->cols)
					goto bad;
				return mk_binary(f, MSL_BINOP_MATMUL, l, mk_convert(f, r, unpacked(f, rt), true),
						 sv(f, lt->scalar, lt->rows), loc);
			}
			if (is_vector(lt) && rt->kind == MSL_T_MATRIX) {
				if (lt->scalar != rt->scalar || lt->cols != rt->rows)
					goto bad;
				return mk_binary(f, MSL_BINOP_MATMUL, mk_convert(f, l, unpacked(f, lt), true), r,
						 sv(f, rt->scalar, rt->cols), loc);
			}
		}
		if ((op == MSL_BINOP_ADD || op == MSL_BINOP_SUB) && lt == rt)
			return mk_binary(f, op, l, r, lt, loc);
		if (op >= MSL_BINOP_ADD && op <= MSL_BINOP_DIV) {
			if (lt->kind == MSL_T_MATRIX && is_scalar(rt) && rt->scalar != MSL_BOOL)
				return mk_binary(f, op, l, mk_convert(f, r, sv(f, lt->scalar, 1), true), lt, loc);
			if (rt->kind == MSL_T_MATRIX && is_scalar(lt) && lt->scalar != MSL_BOOL && op != MSL_BINOP_DIV)
				return mk_binary(f, op, mk_convert(f, l, sv(f, rt->scalar, 1), true), r, rt, loc);
		}
		goto bad;
	}

	if (!is_sv(lt) || !is_sv(rt))
		goto bad;
	unsigned ln = msl_type_components(lt), rn = msl_type_components(rt);
	if (ln > 1 && rn > 1 && ln != rn)
		goto bad;
	if (ln > 1 && rn > 1 && lt->scalar != rt->scalar)
		goto bad;
	unsigned n = ln > rn ? ln : rn;
	enum msl_scalar s = meet_scalar(l, r);
	if (n > 1) {
		/* a float scalar never converts into an integer vector */
		const struct msl_expr *sc = ln == 1 ? l : rn == 1 ? r : NULL;
		if (sc && msl_scalar_is_float(sc->type->scalar) && !msl_scalar_is_float(s))
			goto bad;
	}
	if (arith) {
		if (s == MSL_BOOL)
			goto bad;
		if (op == MSL_BINOP_MOD && msl_scalar_is_float(s)) {
			msl_error(f, loc, "'%%' needs integer operands (have '%s' and '%s'); use fmod()", lt->name, rt->name);
			return sema_error_expr(f, loc);
		}
		if (n == 1)
			s = promote(s);
		l = to_sv(f, l, s, n);
		r = to_sv(f, r, s, n);
		return mk_binary(f, op, l, r, l->type, loc);
	}
	if (bitwise) {
		if (msl_scalar_is_float(s) || (s == MSL_BOOL && (op == MSL_BINOP_SHL || op == MSL_BINOP_SHR)))
			goto bad;
		if (op == MSL_BINOP_SHL || op == MSL_BINOP_SHR) {
			/* the result has the (promoted) left type */
			enum msl_scalar ls = ln == 1 ? promote(lt->scalar) : lt->scalar;
			if (msl_scalar_is_float(rt->scalar))
				goto bad;
			if (rn > 1 && ln == 1)
				goto bad;
			l = to_sv(f, l, ls, ln);
			r = to_sv(f, r, ls, ln);
			return mk_binary(f, op, l, r, l->type, loc);
		}
		if (n == 1 && s != MSL_BOOL)
			s = promote(s);
		l = to_sv(f, l, s, n);
		r = to_sv(f, r, s, n);
		return mk_binary(f, op, l, r, l->type, loc);
	}
	if (compare) {
		if (n == 1 && s != MSL_BOOL)
			s = promote(s);
		if (s == MSL_BOOL && op != MSL_BINOP_EQ && op != MSL_BINOP_NE)
			s = MSL_INT, l = to_sv(f, l, s, n), r = to_sv(f, r, s, n);
		l = to_sv(f, l, s, n);
		r = to_sv(f, r, s, n);
		return mk_binary(f, op, l, r, sv(f, MSL_BOOL, n), loc);
	}
bad:
	msl_error(f, loc, "invalid operands to binary '%s' ('%s' and '%s')", spell, lt->name, rt->name);
	return sema_error_expr(f, loc);
}

struct msl_expr *sema_binary(struct msl_front *f, unsigned punct, struct msl_expr *l,
			     struct msl_expr *r, struct msl_loc loc)
{
	if (sema_is_error(f, l) || sema_is_error(f, r))
		return sema_error_expr(f, loc);
	if (!l->type || !r->type) {
		msl_error(f, loc, "initializer list cannot be an operand of '%s'", msl_punct_spelling(punct));
		return sema_error_expr(f, loc);
	}
	return binary_typed(f, binop_of(punct), l, r, loc, msl_punct_spelling(punct));
}

struct msl_expr *sema_comma(struct msl_front *f, struct msl_expr *l, struct msl_expr *r,
			    struct msl_loc loc)
{
	if (sema_is_error(f, l) || sema_is_error(f, r))
		return sema_error_expr(f, loc);
	if (!l->type || !r->type) {
		/* an untyped brace list has no value to yield (found by fuzz_msl_exec) */
		msl_error(f, (l->type ? r : l)->loc, "initializer list cannot be an operand of ','");
		return sema_error_expr(f, loc);
	}
	struct msl_expr *e = new_expr(f, MSL_E_COMMA, r->type, loc);
	e->u.binary.left = l;
	e->u.binary.right = r;
	return e;
}

struct msl_expr *sema_assign(struct msl_front *f, unsigned punct, struct msl_expr *target,
			     struct msl_expr *value, struct msl_loc loc)
{
	if (sema_is_error(f, target) || sema_is_error(f, value))
		return sema_error_expr(f, loc);
	if (!target->type) {
		msl_error(f, loc, "initializer list is not assignable");
		return sema_error_expr(f, loc);
	}
	if (!sema_check_writable(f, target, loc, true))
		return sema_error_expr(f, loc);
	const struct msl_type *tt = target->type;
	if (tt->kind == MSL_T_ARRAY) {
		msl_error(f, loc, "array type '%s' is not assignable", tt->name);
		return sema_error_expr(f, loc);
	}
	if (tt->kind == MSL_T_TEXTURE || tt->kind == MSL_T_SAMPLER) {
		msl_error(f, loc, "cannot assign to a %s", tt->kind == MSL_T_TEXTURE ? "texture" : "sampler");
		return sema_error_expr(f, loc);
	}
	struct msl_expr *e = new_expr(f, MSL_E_ASSIGN, tt, loc);
	e->u.assign.target = target;
	if (punct == P_ASSIGN) {
		e->u.assign.value = sema_convert(f, value, tt, "assignment");
		if (sema_is_error(f, e->u.assign.value))
			return sema_error_expr(f, loc);
		return e;
	}
	if (!value->type) {
		msl_error(f, loc, "initializer list cannot be an operand of '%s'", msl_punct_spelling(punct));
		return sema_error_expr(f, loc);
	}
	enum msl_binop op = binop_of(punct);
	if (tt->kind == MSL_T_POINTER) {
		/* p += n, p -= n: the pointer moves, its type stays */
		struct msl_expr *pr = (op == MSL_BINOP_ADD || op == MSL_BINOP_SUB) && value->type->kind != MSL_T_POINTER
					      ? pointer_binary(f, op, target, value, loc, msl_punct_spelling(punct))
					      : NULL;
		if (!pr) {
			msl_error(f, loc, "invalid operands to '%s' ('%s' and '%s')", msl_punct_spelling(punct),
				  tt->name, value->type->name);
			return sema_error_expr(f, loc);
		}
		if (sema_is_error(f, pr))
			return pr;
		e->u.assign.compound = true;
		e->u.assign.op = op;
		e->u.assign.value = pr->u.binary.right;
		return e;
	}
	/* C computes `t OP= v` in the common type of t and v, then converts back.
	 * Literals take the target's type; otherwise a computation in a wider
	 * type is only accepted where converting back is exact for the integer
	 * family (char/short promote to int). */
	if (is_scalar(tt) && is_scalar(value->type) && value->type != tt) {
		if (is_literal(value) && !(msl_scalar_is_float(value->type->scalar) && !msl_scalar_is_float(tt->scalar))) {
			value = mk_convert(f, value, tt, true);
		} else if (common_scalar(tt->scalar, value->type->scalar) != promote(tt->scalar)) {
			msl_error(f, loc, "'%s' on '%s' with a '%s' operand computes in '%s'; convert explicitly",
				  msl_punct_spelling(punct), tt->name, value->type->name,
				  msl_scalar_name(common_scalar(tt->scalar, value->type->scalar)));
			return sema_error_expr(f, loc);
		}
	}
	struct msl_expr *probe = binary_typed(f, op, target, value, loc, msl_punct_spelling(punct));
	if (sema_is_error(f, probe))
		return probe;
	const struct msl_type *rt = probe->type;
	bool fits = rt == unpacked(f, tt) ||
		    (is_scalar(tt) && is_scalar(rt) && !msl_scalar_is_float(tt->scalar) && rt->scalar == MSL_INT);
	if (!fits || (probe->kind == MSL_E_BINARY && op >= MSL_BINOP_LT && op <= MSL_BINOP_NE)) {
		msl_error(f, loc, "result of '%s' ('%s') cannot be stored in '%s'", msl_punct_spelling(punct),
			  rt->name, tt->name);
		return sema_error_expr(f, loc);
	}
	e->u.assign.compound = true;
	e->u.assign.op = probe->u.binary.op;
	e->u.assign.value = probe->u.binary.right;
	return e;
}

struct msl_expr *sema_incdec(struct msl_front *f, bool inc, bool prefix, struct msl_expr *e,
			     struct msl_loc loc)
{
	if (sema_is_error(f, e))
		return e;
	bool ptr_ok = e->type && e->type->kind == MSL_T_POINTER && e->type->elem->kind != MSL_T_VOID &&
		      e->type->elem->size;
	if (!ptr_ok && (!e->type || !is_sv(e->type) || e->type->scalar == MSL_BOOL)) {
		msl_error(f, loc, "cannot %s a value of type '%s'", inc ? "increment" : "decrement", tname(e->type));
		return sema_error_expr(f, loc);
	}
	if (!sema_check_writable(f, e, loc, true))
		return sema_error_expr(f, loc);
	struct msl_expr *r = new_expr(f, MSL_E_INCDEC, e->type, loc);
	r->u.incdec.increment = inc;
	r->u.incdec.prefix = prefix;
	r->u.incdec.target = e;
	return r;
}

struct msl_expr *sema_cond(struct msl_front *f, struct msl_expr *c, struct msl_expr *a,
			   struct msl_expr *b, struct msl_loc loc)
{
	if (sema_is_error(f, c) || sema_is_error(f, a) || sema_is_error(f, b))
		return sema_error_expr(f, loc);
	if (c->type && is_vector(c->type)) {
		msl_error(f, c->loc, "a vector condition in '?:' is not supported; use select()");
		return sema_error_expr(f, loc);
	}
	c = sema_condition(f, c);
	if (sema_is_error(f, c))
		return c;
	if (!a->type || !b->type) {
		msl_error(f, loc, "initializer list in '?:' is not supported");
		return sema_error_expr(f, loc);
	}
	const struct msl_type *t = NULL;
	if (a->type == b->type) {
		t = a->type;
	} else if (is_sv(a->type) && is_sv(b->type)) {
		unsigned an = msl_type_components(a->type), bn = msl_type_components(b->type);
		if (an > 1 && bn > 1 && (an != bn || a->type->scalar != b->type->scalar))
			goto bad;
		unsigned n = an > bn ? an : bn;
		enum msl_scalar s = meet_scalar(a, b);
		if (n == 1)
			s = common_scalar(a->type->scalar, b->type->scalar);
		if (a->type->scalar == MSL_BOOL && b->type->scalar == MSL_BOOL)
			s = MSL_BOOL;
		t = sv(f, s, n);
		a = to_sv(f, a, s, n);
		b = to_sv(f, b, s, n);
	} else {
		goto bad;
	}
	struct msl_expr *e = new_expr(f, MSL_E_COND, t, loc);
	e->u.cond.cond = c;
	e->u.cond.then_expr = a;
	e->u.cond.else_expr = b;
	return e;
bad:
	msl_error(f, loc, "operands of '?:' have incompatible types '%s' and '%s'", a->type->name, b->type->name);
	return sema_error_expr(f, loc);
}

/* ---- member access, swizzles, indexing ------------------------------------ */

static int swizzle_index(char c)
{
	switch (c) {
	case 'x': case 'r': return 0;
	case 'y': case 'g': return 1;
	case 'z': case 'b': return 2;
	case 'w': case 'a': return 3;
	}
	return -1;
}

struct msl_expr *sema_member(struct msl_front *f, struct msl_expr *base, const char *name,
			     bool arrow, struct msl_loc loc)
{
	if (sema_is_error(f, base))
		return base;
	if (!base->type) {
		msl_error(f, loc, "member access on an initializer list");
		return sema_error_expr(f, loc);
	}
	if (arrow) {
		if (base->type->kind != MSL_T_POINTER) {
			msl_error(f, loc, "'->' needs a pointer (have '%s')", base->type->name);
			return sema_error_expr(f, loc);
		}
		base = sema_deref(f, base, loc);
	}
	const struct msl_type *t = base->type;
	if (t->kind == MSL_T_STRUCT) {
		const struct msl_struct *s = t->strct;
		for (size_t i = 0; i < s->member_count; i++)
			if (strcmp(s->members[i].name, name) == 0) {
				struct msl_expr *e = new_expr(f, MSL_E_MEMBER, s->members[i].type, loc);
				e->u.member.base = base;
				e->u.member.member = &s->members[i];
				e->u.member.index = i;
				e->is_lvalue = base->is_lvalue;
				return e;
			}
		msl_error(f, loc, "no member named '%s' in '%s'", name, s->name);
		return sema_error_expr(f, loc);
	}
	if (is_vector(t) || (is_scalar(t) && false)) {
		size_t n = strlen(name);
		bool xyzw = strchr("xyzw", name[0]) != NULL;
		if (n < 1 || n > 4)
			goto bad_swizzle;
		struct msl_expr *e = new_expr(f, MSL_E_SWIZZLE, NULL, loc);
		bool dup = false;
		for (size_t i = 0; i < n; i++) {
			int k = swizzle_index(name[i]);
			if (k < 0 || (unsigned)k >= t->cols || (strchr("xyzw", name[i]) != NULL) != xyzw)
				goto bad_swizzle;
			for (size_t j = 0; j < i; j++)
				if (e->u.swizzle.comp[j] == k)
					dup = true;
			e->u.swizzle.comp[i] = (uint8_t)k;
		}
		e->u.swizzle.count = (uint8_t)n;
		e->u.swizzle.base = base;
		e->type = sv(f, t->scalar, (unsigned)n);
		e->is_lvalue = base->is_lvalue && !dup;
		return e;
bad_swizzle:
		msl_error(f, loc, "invalid swizzle '%s' on '%s'", name, t->name);
		return sema_error_expr(f, loc);
	}
	if (t->kind == MSL_T_TEXTURE) {
		msl_error(f, loc, "texture member '%s' must be called", name);
		return sema_error_expr(f, loc);
	}
	msl_error(f, loc, "member reference '.%s' on a value of type '%s', which is not a struct or vector",
		  name, t->name);
	return sema_error_expr(f, loc);
}

struct msl_expr *sema_index(struct msl_front *f, struct msl_expr *base, struct msl_expr *idx,
			    struct msl_loc loc)
{
	if (sema_is_error(f, base) || sema_is_error(f, idx))
		return sema_error_expr(f, loc);
	if (!base->type || !idx->type || !is_scalar(idx->type) || msl_scalar_is_float(idx->type->scalar) ||
	    idx->type->scalar == MSL_BOOL) {
		msl_error(f, idx->loc, "array subscript is not an integer (have '%s')", tname(idx->type));
		return sema_error_expr(f, loc);
	}
	const struct msl_type *t = base->type, *et = NULL;
	switch (t->kind) {
	case MSL_T_ARRAY: et = t->elem; break;
	case MSL_T_POINTER: et = t->elem; break;
	case MSL_T_VECTOR: et = msl_type_scalar(f, t->scalar); break;
	case MSL_T_MATRIX: et = sv(f, t->scalar, t->rows); break;
	default:
		msl_error(f, loc, "subscripted value of type '%s' is not an array, pointer, vector or matrix", t->name);
		return sema_error_expr(f, loc);
	}
	int64_t k;
	if (t->kind != MSL_T_POINTER && sema_const_int(f, idx, &k)) {
		uint32_t lim = t->kind == MSL_T_ARRAY ? t->array_len : t->cols;
		if (k < 0 || k >= lim) {
			msl_error(f, idx->loc, "index %lld is out of range for '%s'", (long long)k, t->name);
			return sema_error_expr(f, loc);
		}
	}
	struct msl_expr *e = new_expr(f, MSL_E_INDEX, et, loc);
	e->u.index.base = base;
	e->u.index.index = mk_convert(f, idx, idx->type->scalar == MSL_UINT ? idx->type :
				      promote(idx->type->scalar) == MSL_INT ? msl_type_scalar(f, MSL_INT) : idx->type, true);
	e->is_lvalue = t->kind == MSL_T_POINTER || base->is_lvalue;
	return e;
}

struct msl_expr *sema_deref(struct msl_front *f, struct msl_expr *e, struct msl_loc loc)
{
	if (sema_is_error(f, e))
		return e;
	if (!e->type || e->type->kind != MSL_T_POINTER) {
		msl_error(f, loc, "indirection requires a pointer (have '%s')", tname(e->type));
		return sema_error_expr(f, loc);
	}
	struct msl_expr *r = new_expr(f, MSL_E_DEREF, e->type->elem, loc);
	r->u.operand = e;
	r->is_lvalue = true;
	return r;
}

static enum msl_space space_of_lvalue(const struct msl_expr *e, bool *is_const)
{
	for (;;) {
		switch (e->kind) {
		case MSL_E_VAR:
			*is_const = e->u.var->is_const;
			return e->u.var->by_ref || e->u.var->kind == MSL_VAR_GLOBAL_CONST ||
			       e->u.var->space == MSL_SPACE_THREADGROUP ? e->u.var->space : MSL_SPACE_THREAD;
		case MSL_E_MEMBER: e = e->u.member.base; break;
		case MSL_E_SWIZZLE: e = e->u.swizzle.base; break;
		case MSL_E_INDEX:
			if (e->u.index.base->type->kind == MSL_T_POINTER) {
				*is_const = e->u.index.base->type->is_const;
				return e->u.index.base->type->space;
			}
			e = e->u.index.base;
			break;
		case MSL_E_DEREF:
			*is_const = e->u.operand->type->is_const;
			return e->u.operand->type->space;
		default:
			return MSL_SPACE_THREAD;
		}
	}
}

struct msl_expr *sema_addr(struct msl_front *f, struct msl_expr *e, struct msl_loc loc)
{
	if (sema_is_error(f, e))
		return e;
	if (!e->is_lvalue || e->kind == MSL_E_SWIZZLE ||
	    (e->kind == MSL_E_INDEX && is_vector(e->u.index.base->type))) {
		msl_error(f, loc, "cannot take the address of this expression");
		return sema_error_expr(f, loc);
	}
	bool c = false;
	enum msl_space sp = space_of_lvalue(e, &c);
	struct msl_expr *r = new_expr(f, MSL_E_ADDR, msl_type_pointer(f, e->type, sp, c || sp == MSL_SPACE_CONSTANT), loc);
	r->u.operand = e;
	return r;
}

/* ---- construction and casts ---------------------------------------------- */

struct msl_expr *sema_construct(struct msl_front *f, const struct msl_type *t,
				struct msl_expr **args, size_t n, struct msl_loc loc)
{
	for (size_t i = 0; i < n; i++) {
		if (sema_is_error(f, args[i]))
			return sema_error_expr(f, loc);
		if (!args[i]->type && t->kind != MSL_T_STRUCT && t->kind != MSL_T_ARRAY) {
			msl_error(f, args[i]->loc, "initializer list cannot be a constructor argument");
			return sema_error_expr(f, loc);
		}
	}
	struct msl_expr *e = new_expr(f, MSL_E_CONSTRUCT, t, loc);
	if (is_scalar(t)) {
		if (n == 0)
			return mk_convert(f, sema_bool_lit(f, false, loc), t, true);
		if (n != 1) {
			msl_error(f, loc, "'%s(...)' takes one argument (have %zu)", t->name, n);
			return sema_error_expr(f, loc);
		}
		return sema_cast(f, t, args[0], loc);
	}
	if ((is_vector(t) || t->kind == MSL_T_MATRIX) && n == 0)
		return e; /* float4(): value-initialised, all zero */
	if (is_vector(t)) {
		if (n == 1 && is_sv(args[0]->type) && msl_type_components(args[0]->type) == t->cols)
			return sema_cast(f, t, args[0], loc); /* float4(int4) etc. */
		unsigned total = 0;
		for (size_t i = 0; i < n; i++) {
			const struct msl_type *at = args[i]->type;
			if (!is_sv(at)) {
				msl_error(f, args[i]->loc, "cannot use '%s' to construct '%s'", at->name, t->name);
				return sema_error_expr(f, loc);
			}
			total += msl_type_components(at);
		}
		if (!(n == 1 && total == 1) && total != t->cols) {
			msl_error(f, loc, "'%s' needs %u components, have %u", t->name, t->cols, total);
			return sema_error_expr(f, loc);
		}
		e->u.construct.parts = msl_alloc(f, n * sizeof *args);
		e->u.construct.part_count = n;
		for (size_t i = 0; i < n; i++) {
			struct msl_expr *a = args[i];
			unsigned k = msl_type_components(a->type);
			/* explicit construction converts element types freely */
			e->u.construct.parts[i] = k == 1 ? mk_convert(f, a, msl_type_scalar(f, t->scalar), true)
							 : mk_convert(f, a, sv(f, t->scalar, k), true);
		}
		return e;
	}
	if (t->kind == MSL_T_MATRIX) {
		const struct msl_type *col = sv(f, t->scalar, t->rows);
		bool ok = false;
		if (n == 1 && is_scalar(args[0]->type))
			ok = true;
		else if (n == t->cols) {
			ok = true;
			for (size_t i = 0; i < n; i++)
				if (!is_vector(args[i]->type) || args[i]->type->cols != t->rows)
					ok = false;
		}
		if (!ok && n == (size_t)t->cols * t->rows) {
			ok = true;
			for (size_t i = 0; i < n; i++)
				if (!is_scalar(args[i]->type))
					ok = false;
		}
		if (!ok) {
			msl_error(f, loc, "'%s' is constructed from %u column vectors, %u scalars or one scalar",
				  t->name, t->cols, t->cols * t->rows);
			return sema_error_expr(f, loc);
		}
		e->u.construct.parts = msl_alloc(f, n * sizeof *args);
		e->u.construct.part_count = n;
		for (size_t i = 0; i < n; i++)
			e->u.construct.parts[i] = mk_convert(f, args[i], is_scalar(args[i]->type)
							     ? msl_type_scalar(f, t->scalar) : col, true);
		return e;
	}
	if (t->kind == MSL_T_STRUCT || t->kind == MSL_T_ARRAY) {
		if (n == 0)
			return e; /* zero-initialised */
		if (n == 1 && args[0]->type == t)
			return args[0];
		return convert_init_list(f, sema_brace_list(f, args, n, loc), t, "initialization");
	}
	msl_error(f, loc, "cannot construct a value of type '%s'", t->name);
	return sema_error_expr(f, loc);
}

struct msl_expr *sema_cast(struct msl_front *f, const struct msl_type *t, struct msl_expr *e,
			   struct msl_loc loc)
{
	if (sema_is_error(f, e))
		return e;
	if (!e->type)
		return sema_convert(f, e, t, "cast");
	const struct msl_type *from = e->type;
	if (from == t)
		return e;
	if (t->kind == MSL_T_VOID) {
		/* `(void)x;`: evaluate and discard (generated code silences
		 * unused-variable warnings this way) */
		struct msl_expr *c = new_expr(f, MSL_E_CONVERT, t, loc);
		c->u.convert.operand = e;
		return c;
	}
	bool ok = (is_scalar(from) && is_scalar(t)) ||
		  (is_scalar(from) && is_vector(t)) ||
		  (is_vector(from) && is_vector(t) && from->cols == t->cols) ||
		  (from->kind == MSL_T_MATRIX && t->kind == MSL_T_MATRIX && from->cols == t->cols &&
		   from->rows == t->rows);
	if (!ok) {
		msl_error(f, loc, "cannot cast '%s' to '%s'", from->name, t->name);
		return sema_error_expr(f, loc);
	}
	if (is_scalar(from) && is_vector(t))
		e = mk_convert(f, e, msl_type_scalar(f, t->scalar), false);
	struct msl_expr *c = new_expr(f, MSL_E_CONVERT, t, loc);
	c->u.convert.operand = e;
	c->u.convert.implicit = false;
	return c;
}

/* as_type<T>(x): Metal requires the same size; this subset runs it only
 * where every component keeps its own 32-bit register. */
static bool bitcast_elem_ok(const struct msl_type *t)
{
	return (is_scalar(t) || is_vector(t)) &&
	       (t->scalar == MSL_FLOAT || t->scalar == MSL_INT || t->scalar == MSL_UINT);
}

struct msl_expr *sema_as_type(struct msl_front *f, const struct msl_type *t, struct msl_expr *e,
			      struct msl_loc loc)
{
	if (sema_is_error(f, e) || t == msl_type_error(f))
		return sema_error_expr(f, loc);
	const struct msl_type *from = e->type;
	if (!from) {
		msl_error(f, loc, "as_type needs an expression with a type, not a brace list");
		return sema_error_expr(f, loc);
	}
	if (from->size != t->size || !from->size) {
		msl_error(f, loc, "as_type from '%s' (%u bytes) to '%s' (%u bytes): the sizes must be equal",
			  from->name, from->size, t->name, t->size);
		return sema_error_expr(f, loc);
	}
	if (!bitcast_elem_ok(from) || !bitcast_elem_ok(t) || (is_vector(from) ? from->cols : 1) != (is_vector(t) ? t->cols : 1)) {
		msl_error(f, loc, "as_type from '%s' to '%s' is not supported (only between float, int and uint "
			  "scalars or vectors of the same length)", from->name, t->name);
		return sema_error_expr(f, loc);
	}
	if (from == t)
		return e;
	struct msl_expr *c = new_expr(f, MSL_E_CONVERT, t, loc);
	c->u.convert.operand = e;
	c->u.convert.implicit = false;
	c->u.convert.bitcast = true;
	return c;
}

/* ---- built-in functions --------------------------------------------------- */

enum bclass {
	BC_FLOAT,      /* float-only, component-wise, result = arg type */
	BC_NUM,        /* float or integer, component-wise */
	BC_GEO_SCALAR, /* vectors (or scalars) -> scalar */
	BC_GEO_VEC,    /* vectors -> same vector */
	BC_CROSS,
	BC_SELECT,
	BC_ANYALL,
	BC_CLASSIFY,   /* isnan/isinf: float -> bool(N) */
	BC_DERIV,
	BC_MATRIX,     /* transpose/determinant: one matrix argument */
	BC_PACK,       /* unpack_unorm4x8_to_float / pack_float_to_unorm4x8 */
	BC_INT,        /* integer-only, component-wise, result = arg type */
	BC_LDEXP,      /* ldexp(floatN, intN) */
	BC_REFRACT,    /* refract(vecN, vecN, scalar) */
	BC_EXTRACT     /* extract_bits(T, uint, uint) */
};

static const struct { const char *name; enum msl_builtin id; unsigned nargs; enum bclass cls; } builtins[] = {
	{ "abs", MSL_B_ABS, 1, BC_NUM }, { "min", MSL_B_MIN, 2, BC_NUM }, { "max", MSL_B_MAX, 2, BC_NUM },
	{ "clamp", MSL_B_CLAMP, 3, BC_NUM }, { "mix", MSL_B_MIX, 3, BC_FLOAT },
	{ "step", MSL_B_STEP, 2, BC_FLOAT }, { "smoothstep", MSL_B_SMOOTHSTEP, 3, BC_FLOAT },
	{ "saturate", MSL_B_SATURATE, 1, BC_FLOAT }, { "sign", MSL_B_SIGN, 1, BC_FLOAT },
	{ "floor", MSL_B_FLOOR, 1, BC_FLOAT }, { "ceil", MSL_B_CEIL, 1, BC_FLOAT },
	{ "fract", MSL_B_FRACT, 1, BC_FLOAT }, { "round", MSL_B_ROUND, 1, BC_FLOAT },
	{ "trunc", MSL_B_TRUNC, 1, BC_FLOAT }, { "fmod", MSL_B_FMOD, 2, BC_FLOAT },
	{ "sqrt", MSL_B_SQRT, 1, BC_FLOAT }, { "rsqrt", MSL_B_RSQRT, 1, BC_FLOAT },
	{ "pow", MSL_B_POW, 2, BC_FLOAT }, { "exp", MSL_B_EXP, 1, BC_FLOAT },
	{ "exp2", MSL_B_EXP2, 1, BC_FLOAT }, { "log", MSL_B_LOG, 1, BC_FLOAT },
	{ "log2", MSL_B_LOG2, 1, BC_FLOAT }, { "sin", MSL_B_SIN, 1, BC_FLOAT },
	{ "cos", MSL_B_COS, 1, BC_FLOAT }, { "tan", MSL_B_TAN, 1, BC_FLOAT },
	{ "asin", MSL_B_ASIN, 1, BC_FLOAT }, { "acos", MSL_B_ACOS, 1, BC_FLOAT },
	{ "atan", MSL_B_ATAN, 1, BC_FLOAT }, { "atan2", MSL_B_ATAN2, 2, BC_FLOAT },
	{ "fma", MSL_B_FMA, 3, BC_FLOAT },
	{ "dot", MSL_B_DOT, 2, BC_GEO_SCALAR }, { "cross", MSL_B_CROSS, 2, BC_CROSS },
	{ "length", MSL_B_LENGTH, 1, BC_GEO_SCALAR }, { "distance", MSL_B_DISTANCE, 2, BC_GEO_SCALAR },
	{ "normalize", MSL_B_NORMALIZE, 1, BC_GEO_VEC }, { "reflect", MSL_B_REFLECT, 2, BC_GEO_VEC },
	{ "select", MSL_B_SELECT, 3, BC_SELECT }, { "any", MSL_B_ANY, 1, BC_ANYALL },
	{ "all", MSL_B_ALL, 1, BC_ANYALL }, { "isnan", MSL_B_ISNAN, 1, BC_CLASSIFY },
	{ "isinf", MSL_B_ISINF, 1, BC_CLASSIFY },
	{ "dfdx", MSL_B_DFDX, 1, BC_DERIV }, { "dfdy", MSL_B_DFDY, 1, BC_DERIV },
	{ "fwidth", MSL_B_FWIDTH, 1, BC_DERIV },
	{ "fmax", MSL_B_FMAX, 2, BC_FLOAT }, { "fmin", MSL_B_FMIN, 2, BC_FLOAT },
	{ "mad", MSL_B_MAD, 3, BC_FLOAT }, { "powr", MSL_B_POWR, 2, BC_FLOAT },
	{ "copysign", MSL_B_COPYSIGN, 2, BC_FLOAT }, { "min3", MSL_B_MIN3, 3, BC_NUM },
	{ "max3", MSL_B_MAX3, 3, BC_NUM }, { "median3", MSL_B_MEDIAN3, 3, BC_NUM },
	{ "isfinite", MSL_B_ISFINITE, 1, BC_CLASSIFY }, { "signbit", MSL_B_SIGNBIT, 1, BC_CLASSIFY },
	{ "unpack_unorm4x8_to_float", MSL_B_UNPACK_UNORM4X8, 1, BC_PACK },
	{ "pack_float_to_unorm4x8", MSL_B_PACK_UNORM4X8, 1, BC_PACK },
	{ "transpose", MSL_B_TRANSPOSE, 1, BC_MATRIX }, { "determinant", MSL_B_DETERMINANT, 1, BC_MATRIX },
	{ "sinh", MSL_B_SINH, 1, BC_FLOAT }, { "cosh", MSL_B_COSH, 1, BC_FLOAT },
	{ "tanh", MSL_B_TANH, 1, BC_FLOAT }, { "asinh", MSL_B_ASINH, 1, BC_FLOAT },
	{ "acosh", MSL_B_ACOSH, 1, BC_FLOAT }, { "atanh", MSL_B_ATANH, 1, BC_FLOAT },
	{ "log10", MSL_B_LOG10, 1, BC_FLOAT }, { "exp10", MSL_B_EXP10, 1, BC_FLOAT },
	{ "rint", MSL_B_RINT, 1, BC_FLOAT }, { "sinpi", MSL_B_SINPI, 1, BC_FLOAT },
	{ "cospi", MSL_B_COSPI, 1, BC_FLOAT }, { "tanpi", MSL_B_TANPI, 1, BC_FLOAT },
	{ "asinpi", MSL_B_ASINPI, 1, BC_FLOAT }, { "acospi", MSL_B_ACOSPI, 1, BC_FLOAT },
	{ "atanpi", MSL_B_ATANPI, 1, BC_FLOAT }, { "atan2pi", MSL_B_ATAN2PI, 2, BC_FLOAT },
	{ "fdim", MSL_B_FDIM, 2, BC_FLOAT }, { "divide", MSL_B_DIVIDE, 2, BC_FLOAT },
	{ "ldexp", MSL_B_LDEXP, 2, BC_LDEXP },
	{ "length_squared", MSL_B_LENGTH_SQUARED, 1, BC_GEO_SCALAR },
	{ "distance_squared", MSL_B_DISTANCE_SQUARED, 2, BC_GEO_SCALAR },
	{ "faceforward", MSL_B_FACEFORWARD, 3, BC_GEO_VEC }, { "refract", MSL_B_REFRACT, 3, BC_REFRACT },
	{ "popcount", MSL_B_POPCOUNT, 1, BC_INT }, { "clz", MSL_B_CLZ, 1, BC_INT },
	{ "ctz", MSL_B_CTZ, 1, BC_INT }, { "reverse_bits", MSL_B_REVERSE_BITS, 1, BC_INT },
	{ "rotate", MSL_B_ROTATE, 2, BC_INT }, { "absdiff", MSL_B_ABSDIFF, 2, BC_INT },
	{ "mul24", MSL_B_MUL24, 2, BC_INT }, { "mad24", MSL_B_MAD24, 3, BC_INT },
	{ "extract_bits", MSL_B_EXTRACT_BITS, 3, BC_EXTRACT },
	{ "sample", MSL_B_TEX_SAMPLE, 0, BC_FLOAT }, { "read", MSL_B_TEX_READ, 0, BC_FLOAT },
	{ "write", MSL_B_TEX_WRITE, 0, BC_FLOAT }, { "get_width", MSL_B_TEX_GET_WIDTH, 0, BC_FLOAT },
	{ "get_height", MSL_B_TEX_GET_HEIGHT, 0, BC_FLOAT },
	{ "get_num_samples", MSL_B_TEX_GET_NUM_SAMPLES, 0, BC_FLOAT },
};

/* Known MSL library functions outside the subset: a clear message. */
static const char *const unsupported_fns[] = {
	"atomic_fetch_add_explicit", "atomic_store_explicit", "atomic_load_explicit",
	"simd_sum", "simd_shuffle", "as_type",
	"frexp", "modf", "sincos", "mix3",
	"quad_shuffle", "dfdx_coarse", "isnormal", "insert_bits",
	"mulhi", "hadd", "rhadd",
};

const char *msl_builtin_name(enum msl_builtin b)
{
	for (size_t i = 0; i < sizeof builtins / sizeof builtins[0]; i++)
		if (builtins[i].id == b)
			return builtins[i].name;
	return "?";
}

static struct msl_expr *mk_builtin(struct msl_front *f, enum msl_builtin id, struct msl_expr **args,
				   size_t n, const struct msl_type *t, struct msl_loc loc)
{
	struct msl_expr *e = new_expr(f, MSL_E_BUILTIN, t, loc);
	e->u.builtin.id = id;
	e->u.builtin.args = args;
	e->u.builtin.arg_count = n;
	return e;
}

static bool is_int_sv(const struct msl_type *t)
{
	return t && is_sv(t) && !msl_scalar_is_float(t->scalar) && t->scalar != MSL_BOOL;
}

/* Built-ins whose arguments have different roles: ldexp(floatN x, intN k),
 * refract(vecN i, vecN n, scalar eta), extract_bits(T x, uint offset,
 * uint bits). Argument counts are already checked. */
static struct msl_expr *call_builtin_mixed(struct msl_front *f, const char *name, enum msl_builtin id,
					   enum bclass cls, struct msl_expr **args, struct msl_loc loc)
{
	const struct msl_type *t0 = args[0]->type;
	struct msl_expr **conv = msl_alloc(f, 3 * sizeof *conv);
	for (size_t i = 0; i < (cls == BC_LDEXP ? 2u : 3u); i++)
		if (!args[i]->type || !is_sv(args[i]->type)) {
			msl_error(f, args[i]->loc, "argument %zu of %s() has type '%s'; a scalar or vector is needed",
				  i + 1, name, tname(args[i]->type));
			return sema_error_expr(f, loc);
		}
	unsigned w = msl_type_components(t0);
	if (cls == BC_EXTRACT) {
		if (!is_int_sv(t0)) {
			msl_error(f, args[0]->loc, "%s() takes an integer value (have '%s')", name, tname(t0));
			return sema_error_expr(f, loc);
		}
		for (size_t i = 1; i < 3; i++)
			if (!is_int_sv(args[i]->type) || !is_scalar(args[i]->type)) {
				msl_error(f, args[i]->loc, "argument %zu of %s() must be a uint (have '%s')", i + 1, name,
					  tname(args[i]->type));
				return sema_error_expr(f, loc);
			}
		const struct msl_type *rt = unpacked(f, t0);
		conv[0] = mk_convert(f, args[0], rt, true);
		conv[1] = mk_convert(f, args[1], msl_type_scalar(f, MSL_UINT), true);
		conv[2] = mk_convert(f, args[2], msl_type_scalar(f, MSL_UINT), true);
		return mk_builtin(f, id, conv, 3, rt, loc);
	}
	enum msl_scalar s = msl_scalar_is_float(t0->scalar) ? t0->scalar : MSL_FLOAT;
	if (!msl_scalar_is_float(t0->scalar) && (w > 1 || t0->scalar == MSL_BOOL)) {
		msl_error(f, args[0]->loc, "%s() needs a floating-point first argument (have '%s')", name, tname(t0));
		return sema_error_expr(f, loc);
	}
	if (cls == BC_LDEXP) {
		const struct msl_type *k = args[1]->type;
		if (!is_int_sv(k) || (msl_type_components(k) != w && msl_type_components(k) != 1)) {
			msl_error(f, args[1]->loc, "exponent of ldexp() must be int%s (have '%s')",
				  w > 1 ? (w == 2 ? "2" : w == 3 ? "3" : "4") : "", tname(k));
			return sema_error_expr(f, loc);
		}
		conv[0] = to_sv(f, args[0], s, w);
		conv[1] = to_sv(f, args[1], MSL_INT, w);
		return mk_builtin(f, id, conv, 2, sv(f, s, w), loc);
	}
	/* refract */
	if (w < 2 || msl_type_components(args[1]->type) != w || !msl_scalar_is_float(args[1]->type->scalar) ||
	    args[1]->type->scalar != t0->scalar) {
		msl_error(f, loc, "refract() takes two floating-point vectors of the same type and a scalar");
		return sema_error_expr(f, loc);
	}
	if (!is_scalar(args[2]->type) || args[2]->type->scalar == MSL_BOOL) {
		msl_error(f, args[2]->loc, "eta of refract() must be a scalar (have '%s')", tname(args[2]->type));
		return sema_error_expr(f, loc);
	}
	conv[0] = to_sv(f, args[0], s, w);
	conv[1] = to_sv(f, args[1], s, w);
	conv[2] = to_sv(f, args[2], s, 1);
	return mk_builtin(f, id, conv, 3, sv(f, s, w), loc);
}

static struct msl_expr *call_builtin(struct msl_front *f, size_t bi, struct msl_expr **args, size_t n,
				     struct msl_loc loc)
{
	const char *name = builtins[bi].name;
	enum msl_builtin id = builtins[bi].id;
	enum bclass cls = builtins[bi].cls;
	if (n != builtins[bi].nargs) {
		msl_error(f, loc, "%s() takes %u argument%s, %zu given", name, builtins[bi].nargs,
			  builtins[bi].nargs == 1 ? "" : "s", n);
		return sema_error_expr(f, loc);
	}
	if (cls == BC_PACK) {
		const struct msl_type *a = args[0]->type;
		struct msl_expr **conv = msl_alloc(f, sizeof *conv);
		if (id == MSL_B_UNPACK_UNORM4X8) {
			if (!a || a->kind != MSL_T_SCALAR || msl_scalar_is_float(a->scalar) || a->scalar == MSL_BOOL) {
				msl_error(f, args[0]->loc, "%s() takes a uint (have '%s')", name, tname(a));
				return sema_error_expr(f, loc);
			}
			conv[0] = mk_convert(f, args[0], msl_type_scalar(f, MSL_UINT), true);
			return mk_builtin(f, id, conv, 1, msl_type_vector(f, MSL_FLOAT, 4, false), loc);
		}
		if (!a || a->kind != MSL_T_VECTOR || a->cols != 4 || !msl_scalar_is_float(a->scalar)) {
			msl_error(f, args[0]->loc, "%s() takes a float4 or half4 (have '%s')", name, tname(a));
			return sema_error_expr(f, loc);
		}
		conv[0] = mk_convert(f, args[0], msl_type_vector(f, MSL_FLOAT, 4, false), true);
		return mk_builtin(f, id, conv, 1, msl_type_scalar(f, MSL_UINT), loc);
	}
	if (cls == BC_LDEXP || cls == BC_REFRACT || cls == BC_EXTRACT)
		return call_builtin_mixed(f, name, id, cls, args, loc);
	if (cls == BC_MATRIX) {
		const struct msl_type *m = args[0]->type;
		if (!m || m->kind != MSL_T_MATRIX) {
			msl_error(f, args[0]->loc, "%s() takes a matrix (have '%s')", name, tname(m));
			return sema_error_expr(f, loc);
		}
		if (id == MSL_B_DETERMINANT && m->cols != m->rows) {
			msl_error(f, args[0]->loc, "determinant() takes a square matrix (have '%s')", m->name);
			return sema_error_expr(f, loc);
		}
		struct msl_expr **conv = msl_alloc(f, sizeof *conv);
		conv[0] = args[0];
		return mk_builtin(f, id, conv, 1, id == MSL_B_TRANSPOSE ? msl_type_matrix(f, m->scalar, m->rows, m->cols)
									  : msl_type_scalar(f, m->scalar), loc);
	}
	for (size_t i = 0; i < n; i++) {
		if (!args[i]->type || !is_sv(args[i]->type)) {
			msl_error(f, args[i]->loc, "argument %zu of %s() has type '%s'; a scalar or vector is needed",
				  i + 1, name, tname(args[i]->type));
			return sema_error_expr(f, loc);
		}
	}
	if (id >= MSL_B_DFDX && id <= MSL_B_FWIDTH && f->cur_fn && f->cur_fn->stage != MSL_STAGE_FRAGMENT &&
	    f->cur_fn->stage != MSL_STAGE_NONE) {
		msl_error(f, loc, "%s() is only available in fragment functions", name);
		return sema_error_expr(f, loc);
	}
	/* width and element type over all arguments */
	unsigned width = 1;
	for (size_t i = 0; i < n; i++) {
		unsigned k = msl_type_components(args[i]->type);
		if (k > 1) {
			if (width > 1 && k != width) {
				msl_error(f, args[i]->loc, "arguments of %s() have different vector sizes", name);
				return sema_error_expr(f, loc);
			}
			width = k;
		}
	}
	bool have = false, have_lit = false;
	enum msl_scalar s = MSL_INT, sl = MSL_INT;
	for (size_t i = 0; i < n; i++) {
		if (cls == BC_SELECT && i == 2)
			break;
		enum msl_scalar as = args[i]->type->scalar;
		if (is_literal(args[i]) && is_scalar(args[i]->type)) {
			sl = have_lit ? common_scalar(sl, as) : as;
			have_lit = true;
		} else {
			if (have && is_vector(args[i]->type) && msl_scalar_is_float(s) != msl_scalar_is_float(as)) {
				msl_error(f, args[i]->loc, "arguments of %s() mix '%s' and '%s'", name,
					  msl_scalar_name(s), args[i]->type->name);
				return sema_error_expr(f, loc);
			}
			/* integer built-ins keep a narrow type shared by all
			 * their arguments: rotate(uchar, uchar) is 8-bit */
			s = !have ? as : cls == BC_INT && s == as ? s : common_scalar(s, as);
			have = true;
		}
	}
	if (!have)
		s = sl;
	else if (have_lit && msl_scalar_is_float(sl) && !msl_scalar_is_float(s))
		s = width > 1 ? s : MSL_FLOAT;
	if (cls != BC_SELECT && cls != BC_ANYALL && s == MSL_BOOL) {
		msl_error(f, loc, "%s() does not take bool arguments", name);
		return sema_error_expr(f, loc);
	}
	if (s < MSL_INT && cls != BC_SELECT && cls != BC_ANYALL && !(cls == BC_INT && have))
		s = width > 1 ? s : MSL_INT;
	if (cls == BC_INT && msl_scalar_is_float(s)) {
		msl_error(f, loc, "%s() takes integer arguments (have '%s')", name, msl_scalar_name(s));
		return sema_error_expr(f, loc);
	}
	bool want_float = cls == BC_FLOAT || cls == BC_GEO_SCALAR || cls == BC_GEO_VEC || cls == BC_CROSS ||
			  cls == BC_CLASSIFY || cls == BC_DERIV;
	if (want_float && !msl_scalar_is_float(s)) {
		if (width > 1) {
			msl_error(f, loc, "%s() needs floating-point arguments (have '%s%u')", name,
				  msl_scalar_name(s), width);
			return sema_error_expr(f, loc);
		}
		s = MSL_FLOAT;
	}
	struct msl_expr **conv = msl_alloc(f, n * sizeof *conv);
	switch (cls) {
	case BC_FLOAT:
	case BC_NUM:
	case BC_INT:
	case BC_DERIV:
		for (size_t i = 0; i < n; i++)
			conv[i] = to_sv(f, args[i], s, width);
		return mk_builtin(f, id, conv, n, sv(f, s, width), loc);
	case BC_CLASSIFY:
		conv[0] = to_sv(f, args[0], s, width);
		return mk_builtin(f, id, conv, n, sv(f, MSL_BOOL, width), loc);
	case BC_GEO_SCALAR:
	case BC_GEO_VEC:
	case BC_CROSS:
		for (size_t i = 0; i < n; i++) {
			if (n > 1 && msl_type_components(args[i]->type) != width) {
				msl_error(f, args[i]->loc, "arguments of %s() must have the same vector type", name);
				return sema_error_expr(f, loc);
			}
			conv[i] = to_sv(f, args[i], s, width);
		}
		if (cls == BC_CROSS && width != 3) {
			msl_error(f, loc, "cross() takes two 3-component vectors");
			return sema_error_expr(f, loc);
		}
		if (cls == BC_GEO_VEC && id == MSL_B_NORMALIZE && width == 1) {
			msl_error(f, loc, "normalize() takes a vector");
			return sema_error_expr(f, loc);
		}
		return mk_builtin(f, id, conv, n, cls == BC_GEO_SCALAR ? sv(f, s, 1) : sv(f, s, width), loc);
	case BC_SELECT: {
		const struct msl_type *ct = args[2]->type;
		if (ct->scalar != MSL_BOOL || (msl_type_components(ct) != width && msl_type_components(ct) != 1)) {
			msl_error(f, args[2]->loc, "the condition of select() must be bool or bool%u (have '%s')",
				  width, ct->name);
			return sema_error_expr(f, loc);
		}
		if (width > 1 && msl_type_components(ct) == 1 &&
		    (msl_type_components(args[0]->type) > 1 || msl_type_components(args[1]->type) > 1)) {
			/* select(vec, vec, bool) is allowed: the bool picks whole vectors */
		}
		conv[0] = to_sv(f, args[0], s, width);
		conv[1] = to_sv(f, args[1], s, width);
		conv[2] = mk_convert(f, args[2], unpacked(f, ct), true);
		return mk_builtin(f, id, conv, n, sv(f, s, width), loc);
	}
	case BC_ANYALL:
		if (args[0]->type->scalar != MSL_BOOL) {
			msl_error(f, args[0]->loc, "%s() takes a bool vector (have '%s')", name, args[0]->type->name);
			return sema_error_expr(f, loc);
		}
		conv[0] = mk_convert(f, args[0], unpacked(f, args[0]->type), true);
		return mk_builtin(f, id, conv, n, msl_type_scalar(f, MSL_BOOL), loc);
	case BC_MATRIX:
	case BC_PACK:
	case BC_LDEXP:
	case BC_REFRACT:
	case BC_EXTRACT:
		break; /* handled above */
	}
	return sema_error_expr(f, loc);
}

/* Strip "metal::", "precise::" and "fast::" (the parser joins qualified
 * names with "::"). fast:: is evaluated with precise semantics, which is
 * within fast math's looser error bounds. */
static const char *strip_ns(const char *name)
{
	for (;;) {
		if (strncmp(name, "metal::", 7) == 0)
			name += 7;
		else if (strncmp(name, "precise::", 9) == 0)
			name += 9;
		else if (strncmp(name, "fast::", 6) == 0)
			name += 6;
		else
			return name;
	}
}

struct msl_expr *sema_bind_ref(struct msl_front *f, struct msl_expr *e, const struct msl_type *t,
			       enum msl_space space, bool is_const, const char *what)
{
	if (sema_is_error(f, e) || t == msl_type_error(f))
		return e;
	if (!e->type || e->type != t || !e->is_lvalue || e->kind == MSL_E_SWIZZLE ||
	    (e->kind == MSL_E_INDEX && is_vector(e->u.index.base->type))) {
		msl_error(f, e->loc, "%s must be an lvalue of type '%s' (it is bound to a reference)", what,
			  t->name);
		return sema_error_expr(f, e->loc);
	}
	bool c = false;
	enum msl_space sp = space_of_lvalue(e, &c);
	if (sp != space) {
		msl_error(f, e->loc, "%s is in the %s address space, the reference is to %s", what,
			  msl_space_name(sp), msl_space_name(space));
		return sema_error_expr(f, e->loc);
	}
	if (!is_const && !sema_check_writable(f, e, e->loc, false)) {
		msl_error(f, e->loc, "%s is read-only but the reference is not const", what);
		return sema_error_expr(f, e->loc);
	}
	return e;
}

static bool same_params(const struct msl_function *a, const struct msl_function *b)
{
	if (a->param_count != b->param_count)
		return false;
	for (size_t i = 0; i < a->param_count; i++) {
		const struct msl_var *x = a->params[i], *y = b->params[i];
		if (x->type != y->type || x->by_ref != y->by_ref || (x->by_ref && x->space != y->space))
			return false;
	}
	return true;
}

const char *sema_overload_conflict(struct msl_front *f, const struct msl_function *newest,
				   const struct msl_function *fn)
{
	(void)f;
	if (fn->stage != MSL_STAGE_NONE || newest->stage != MSL_STAGE_NONE)
		return "entry points cannot be overloaded";
	for (const struct msl_function *o = newest; o; o = o->overload_prev)
		if (same_params(o, fn))
			return "same parameter types";
	return NULL;
}

/* Would sema_convert accept `from` -> `to` as an implicit conversion? */
static bool implicitly_convertible(const struct msl_type *from, const struct msl_type *to)
{
	if (from == to)
		return true;
	if (is_scalar(from) && is_scalar(to))
		return true;
	if (is_scalar(from) && is_vector(to))
		return !(msl_scalar_is_float(from->scalar) && !msl_scalar_is_float(to->scalar) &&
			 to->scalar != MSL_BOOL);
	if (is_vector(from) && is_vector(to))
		return from->scalar == to->scalar && from->cols == to->cols;
	if (from->kind == MSL_T_POINTER && to->kind == MSL_T_POINTER)
		return from->elem == to->elem && from->space == to->space && (!from->is_const || to->is_const);
	return false;
}

/* How well args fit fn: -1 not viable, else the number of exact matches
 * (by-reference parameters need the exact type). */
static int overload_fit(const struct msl_function *fn, struct msl_expr **args, size_t n)
{
	if (fn->param_count != n)
		return -1;
	int exact = 0;
	for (size_t i = 0; i < n; i++) {
		const struct msl_var *p = fn->params[i];
		const struct msl_type *t = args[i]->type;
		if (!t) { /* a brace list: convertible to anything it can initialise */
			if (p->by_ref)
				return -1;
			continue;
		}
		if (t == p->type)
			exact++;
		else if (p->by_ref || !implicitly_convertible(t, p->type))
			return -1;
	}
	return exact;
}

/* Pick the overload of a helper for a call: the unique viable one with the
 * most exactly matching argument types. Single definitions go through
 * unchanged so their errors stay specific. NULL after an error. */
static struct msl_function *resolve_overload(struct msl_front *f, struct msl_function *newest,
					     const char *name, struct msl_expr **args, size_t n,
					     struct msl_loc loc)
{
	if (!newest->overload_prev)
		return newest;
	struct msl_function *best = NULL;
	int best_fit = -1;
	bool tie = false;
	for (struct msl_function *o = newest; o; o = o->overload_prev) {
		int fit = overload_fit(o, args, n);
		if (fit > best_fit) {
			best = o;
			best_fit = fit;
			tie = false;
		} else if (fit >= 0 && fit == best_fit)
			tie = true;
	}
	if (!best || best_fit < 0) {
		msl_error(f, loc, "no overload of '%s' matches the %zu argument%s given", name, n, n == 1 ? "" : "s");
		return NULL;
	}
	if (tie) {
		msl_error(f, loc, "call to overloaded '%s' is ambiguous", name);
		return NULL;
	}
	return best;
}

/* level(x), bias(x), min_lod_clamp(x), gradient2d(dPdx, dPdy): the option
 * objects of texture2d::sample(). NULL when `name` is none of them. */
static struct msl_expr *sample_option(struct msl_front *f, const char *name, struct msl_expr **args, size_t n,
				      struct msl_loc loc)
{
	enum msl_builtin id;
	if (strcmp(name, "level") == 0)
		id = MSL_B_SAMPLE_LEVEL;
	else if (strcmp(name, "bias") == 0)
		id = MSL_B_SAMPLE_BIAS;
	else if (strcmp(name, "min_lod_clamp") == 0)
		id = MSL_B_SAMPLE_MIN_LOD_CLAMP;
	else if (strcmp(name, "gradient2d") == 0)
		id = MSL_B_SAMPLE_GRADIENT2D;
	else
		return NULL;
	size_t want = id == MSL_B_SAMPLE_GRADIENT2D ? 2 : 1;
	if (n != want) {
		msl_error(f, loc, "%s() takes %s, %zu argument%s given", name,
			  want == 2 ? "two float2 derivatives" : "one float", n, n == 1 ? "" : "s");
		return sema_error_expr(f, loc);
	}
	struct msl_expr **conv = msl_alloc(f, n * sizeof *conv);
	for (size_t i = 0; i < n; i++) {
		const struct msl_type *a = args[i]->type;
		if (sema_is_error(f, args[i]))
			return sema_error_expr(f, loc);
		bool ok = want == 2 ? a && is_vector(a) && a->cols == 2 && msl_scalar_is_float(a->scalar)
				    : a && is_scalar(a) && a->scalar != MSL_BOOL;
		if (!ok) {
			msl_error(f, args[i]->loc, "argument %zu of %s() must be %s (have '%s')", i + 1, name,
				  want == 2 ? "float2" : "a float", tname(a));
			return sema_error_expr(f, loc);
		}
		conv[i] = to_sv(f, args[i], MSL_FLOAT, want == 2 ? 2 : 1);
	}
	return mk_builtin(f, id, conv, n, msl_type_void(f), loc);
}

static bool is_sample_option(const struct msl_expr *e)
{
	return e->kind == MSL_E_BUILTIN && e->u.builtin.id >= MSL_B_SAMPLE_LEVEL &&
	       e->u.builtin.id <= MSL_B_SAMPLE_GRADIENT2D;
}

/* The texel offset of sample(): an int2 whose components are constants in
 * -8..7 (Metal's range). Writes them to off[2]. */
static bool sample_offset(struct msl_front *f, const struct msl_expr *e, int off[2])
{
	const struct msl_type *t = e->type;
	bool ok = t && is_vector(t) && t->cols == 2 && !msl_scalar_is_float(t->scalar) && t->scalar != MSL_BOOL;
	if (ok) {
		const struct msl_expr *x = e;
		while (x->kind == MSL_E_CONVERT && !x->u.convert.bitcast)
			x = x->u.convert.operand;
		int64_t v[2];
		if (x->kind == MSL_E_CONSTRUCT && x->u.construct.part_count == 2 &&
		    sema_const_int(f, x->u.construct.parts[0], &v[0]) && sema_const_int(f, x->u.construct.parts[1], &v[1]))
			;
		else if (x->kind == MSL_E_CONSTRUCT && x->u.construct.part_count == 1 &&
			 sema_const_int(f, x->u.construct.parts[0], &v[0]))
			v[1] = v[0];
		else
			ok = false;
		for (int i = 0; ok && i < 2; i++) {
			if (v[i] < -8 || v[i] > 7)
				ok = false;
			else
				off[i] = (int)v[i];
		}
	}
	if (!ok)
		msl_error(f, e->loc, "offset of sample() must be a constant int2 with components in -8..7 (have '%s')",
			  tname(t));
	return ok;
}

/* Helpers are defined before their callers (no prototypes, no recursion),
 * so a callee's call_depth is final when a call to it is checked. The
 * executor runs MSL_MAX_CALL_DEPTH functions nested: an entry point whose
 * call chain is deeper is rejected here, at its own call that starts the
 * chain, so `mtlshader check` and `run` agree. Helpers alone may be
 * deeper (nothing runs them until an entry point calls them). */
static bool sema_call_depth_rule(struct msl_front *f, const struct msl_function *fn, const char *name,
				 struct msl_loc loc)
{
	struct msl_function *cur = f->cur_fn;
	if (!cur)
		return true;
	uint32_t below = fn->call_depth ? fn->call_depth : 1;
	uint32_t d = below < UINT32_MAX ? below + 1 : below;
	if (cur->stage != MSL_STAGE_NONE && d > MSL_MAX_CALL_DEPTH) {
		msl_error(f, loc, "call to '%s' starts a chain of %u nested function calls; at most %u "
			  "functions (the entry point included) may be active at once", name, below,
			  MSL_MAX_CALL_DEPTH);
		return false;
	}
	if (d > cur->call_depth)
		cur->call_depth = d;
	return true;
}

struct msl_expr *sema_call(struct msl_front *f, const char *qname, struct msl_expr **args,
			   size_t n, struct msl_loc loc)
{
	for (size_t i = 0; i < n; i++)
		if (sema_is_error(f, args[i]))
			return sema_error_expr(f, loc);
	const char *name = strip_ns(qname);
	struct sym *s = name == qname ? sema_lookup(f, name) : NULL;
	if (s && s->kind == SYM_FN) {
		struct msl_function *fn = resolve_overload(f, s->fn, name, args, n, loc);
		if (!fn)
			return sema_error_expr(f, loc);
		if (fn == f->cur_fn) {
			msl_error(f, loc, "recursive call to '%s' is not supported", name);
			return sema_error_expr(f, loc);
		}
		if (fn->stage != MSL_STAGE_NONE) {
			msl_error(f, loc, "cannot call %s function '%s'", msl_stage_name(fn->stage), name);
			return sema_error_expr(f, loc);
		}
		if (n != fn->param_count) {
			msl_error(f, loc, "'%s' takes %zu argument%s, %zu given", name, fn->param_count,
				  fn->param_count == 1 ? "" : "s", n);
			return sema_error_expr(f, loc);
		}
		struct msl_expr **conv = msl_alloc(f, (n ? n : 1) * sizeof *conv);
		bool bad = false;
		for (size_t i = 0; i < n; i++) {
			const struct msl_var *p = fn->params[i];
			char what[64];
			snprintf(what, sizeof what, "argument %zu of '%s'", i + 1, name);
			if (p->by_ref) {
				conv[i] = sema_bind_ref(f, args[i], p->type, p->space, p->is_const, what);
				bad |= sema_is_error(f, conv[i]);
				continue;
			}
			conv[i] = sema_convert(f, args[i], p->type, what);
			bad |= sema_is_error(f, conv[i]);
		}
		if (bad)
			return sema_error_expr(f, loc);
		sema_call_barrier_rule(f, fn, loc);
		if (!sema_call_depth_rule(f, fn, name, loc))
			return sema_error_expr(f, loc);
		struct msl_expr *e = new_expr(f, MSL_E_CALL, fn->return_type, loc);
		e->u.call.fn = fn;
		e->u.call.args = conv;
		e->u.call.arg_count = n;
		return e;
	}
	if (s) {
		msl_error(f, loc, "'%s' is not a function", name);
		return sema_error_expr(f, loc);
	}
	struct msl_expr *opt = sample_option(f, name, args, n, loc);
	if (opt)
		return opt;
	for (size_t i = 0; i < sizeof builtins / sizeof builtins[0]; i++)
		if (strcmp(builtins[i].name, name) == 0) {
			if (builtins[i].nargs == 0) {
				msl_error(f, loc, "'%s' is a texture member function; call it as tex.%s(...)", name, name);
				return sema_error_expr(f, loc);
			}
			return call_builtin(f, i, args, n, loc);
		}
	if (strcmp(name, "discard_fragment") == 0) {
		msl_error(f, loc, "discard_fragment() must be used as a statement of its own");
		return sema_error_expr(f, loc);
	}
	struct msl_expr *barrier = sema_barrier(f, name, args, n, loc);
	if (barrier)
		return barrier;
	for (size_t i = 0; i < sizeof unsupported_fns / sizeof unsupported_fns[0]; i++)
		if (strcmp(unsupported_fns[i], name) == 0) {
			msl_error(f, loc, "built-in function '%s' is not supported", name);
			return sema_error_expr(f, loc);
		}
	msl_error(f, loc, "use of undeclared function '%s'", qname);
	return sema_error_expr(f, loc);
}

/* The optional `lod` argument of read/write/get_width/get_height: textures
 * here have one mip level, so only a constant 0 has a meaning. */
static bool lod_zero(struct msl_front *f, struct msl_expr *lod, const char *name)
{
	int64_t v;
	if (is_scalar(lod->type) && !msl_scalar_is_float(lod->type->scalar) && lod->type->scalar != MSL_BOOL &&
	    sema_const_int(f, lod, &v) && v == 0)
		return true;
	msl_error(f, lod->loc, "%s() with a mipmap level other than a constant 0 is not supported", name);
	return false;
}

static bool is_coord2(const struct msl_type *t)
{
	return is_vector(t) && t->cols == 2 && (t->scalar == MSL_UINT || t->scalar == MSL_USHORT);
}

struct msl_expr *sema_method(struct msl_front *f, struct msl_expr *obj, const char *name,
			     struct msl_expr **args, size_t n, struct msl_loc loc)
{
	if (sema_is_error(f, obj))
		return obj;
	for (size_t i = 0; i < n; i++)
		if (sema_is_error(f, args[i]))
			return sema_error_expr(f, loc);
	const struct msl_type *t = obj->type;
	if (!t || t->kind != MSL_T_TEXTURE) {
		msl_error(f, loc, "member function '%s' called on a value of type '%s'; only textures have member functions",
			  name, tname(t));
		return sema_error_expr(f, loc);
	}
	bool ms = t->tex == MSL_TEX_2D_MS;
	const struct msl_type *texel4 = sv(f, t->scalar, 4);
	struct msl_expr **all = msl_alloc(f, (n + 1) * sizeof *all);
	all[0] = obj;
	for (size_t i = 0; i < n; i++) {
		all[i + 1] = args[i];
		if (!args[i]->type) {
			msl_error(f, args[i]->loc, "initializer list as an argument of '%s' is not supported", name);
			return sema_error_expr(f, loc);
		}
	}
	if (strcmp(name, "sample") == 0) {
		if (ms) {
			msl_error(f, loc, "texture2d_ms cannot be sampled; use read()");
			return sema_error_expr(f, loc);
		}
		if (t->access != MSL_ACCESS_SAMPLE) {
			msl_error(f, loc, "sample() needs a texture with access::sample (this one is access::%s)",
				  t->access == MSL_ACCESS_READ ? "read" : t->access == MSL_ACCESS_WRITE ? "write" : "read_write");
			return sema_error_expr(f, loc);
		}
		if (n < 2 || n > 4) {
			msl_error(f, loc, "sample() takes a sampler and a float2 coordinate, %zu argument%s given",
				  n, n == 1 ? "" : "s");
			return sema_error_expr(f, loc);
		}
		if (args[0]->type->kind != MSL_T_SAMPLER) {
			msl_error(f, args[0]->loc, "first argument of sample() must be a sampler (have '%s')", args[0]->type->name);
			return sema_error_expr(f, loc);
		}
		const struct msl_type *f2 = sv(f, MSL_FLOAT, 2);
		if (!(is_vector(args[1]->type) && args[1]->type->cols == 2 && msl_scalar_is_float(args[1]->type->scalar))) {
			msl_error(f, args[1]->loc, "coordinate of sample() must be float2 (have '%s')", args[1]->type->name);
			return sema_error_expr(f, loc);
		}
		all[2] = mk_convert(f, args[1], f2, true);
		/* then at most one option, then at most one offset, in that order */
		size_t k = 2;
		if (k < n && is_sample_option(args[k]))
			k++;
		if (k < n) {
			int off[2];
			if (is_sample_option(args[k])) {
				msl_error(f, args[k]->loc, "sample() takes one lod option (level, bias, min_lod_clamp or "
					  "gradient2d); combining them is not supported");
				return sema_error_expr(f, loc);
			}
			if (!sample_offset(f, args[k], off))
				return sema_error_expr(f, loc);
			all[k + 1] = mk_convert(f, args[k], sv(f, MSL_INT, 2), true);
			k++;
		}
		if (k < n) {
			msl_error(f, args[k]->loc, "unexpected argument %zu of sample(): after the coordinate come an "
				  "optional lod option and an optional int2 offset", k + 1);
			return sema_error_expr(f, loc);
		}
		return mk_builtin(f, MSL_B_TEX_SAMPLE, all, n + 1, texel4, loc);
	}
	if (strcmp(name, "read") == 0) {
		if (t->access == MSL_ACCESS_WRITE) {
			msl_error(f, loc, "read() on a texture with access::write");
			return sema_error_expr(f, loc);
		}
		size_t want = ms ? 2 : 1;
		if (!ms && n == 2) {
			if (!lod_zero(f, args[1], name))
				return sema_error_expr(f, loc);
			n = 1; /* read(coord, 0) is read(coord) */
		}
		if (n != want) {
			msl_error(f, loc, "read() on %s takes %s, %zu argument%s given", ms ? "texture2d_ms" : "texture2d",
				  ms ? "a uint2 coordinate and a sample index" : "a uint2 coordinate", n, n == 1 ? "" : "s");
			return sema_error_expr(f, loc);
		}
		if (!is_coord2(args[0]->type)) {
			msl_error(f, args[0]->loc, "coordinate of read() must be uint2 or ushort2 (have '%s')", args[0]->type->name);
			return sema_error_expr(f, loc);
		}
		all[1] = mk_convert(f, args[0], sv(f, MSL_UINT, 2), true);
		if (ms) {
			if (!is_scalar(args[1]->type) || msl_scalar_is_float(args[1]->type->scalar)) {
				msl_error(f, args[1]->loc, "sample index of read() must be uint (have '%s')", args[1]->type->name);
				return sema_error_expr(f, loc);
			}
			all[2] = mk_convert(f, args[1], msl_type_scalar(f, MSL_UINT), true);
		}
		return mk_builtin(f, MSL_B_TEX_READ, all, n + 1, texel4, loc);
	}
	if (strcmp(name, "write") == 0) {
		if (ms || (t->access != MSL_ACCESS_WRITE && t->access != MSL_ACCESS_READ_WRITE)) {
			msl_error(f, loc, "write() needs a texture2d with access::write or access::read_write");
			return sema_error_expr(f, loc);
		}
		if (n == 3) {
			if (!lod_zero(f, args[2], name))
				return sema_error_expr(f, loc);
			n = 2; /* write(v, coord, 0) is write(v, coord) */
		}
		if (n != 2) {
			msl_error(f, loc, "write() takes a value and a uint2 coordinate, %zu argument%s given", n, n == 1 ? "" : "s");
			return sema_error_expr(f, loc);
		}
		const struct msl_type *vt = args[0]->type;
		if (!(is_vector(vt) && vt->cols == 4 &&
		      msl_scalar_is_float(vt->scalar) == msl_scalar_is_float(t->scalar))) {
			msl_error(f, args[0]->loc, "value written to a texture2d<%s> must be %s4 (have '%s')",
				  msl_scalar_name(t->scalar), msl_scalar_name(t->scalar), vt->name);
			return sema_error_expr(f, loc);
		}
		if (!is_coord2(args[1]->type)) {
			msl_error(f, args[1]->loc, "coordinate of write() must be uint2 or ushort2 (have '%s')", args[1]->type->name);
			return sema_error_expr(f, loc);
		}
		all[1] = mk_convert(f, args[0], texel4, true);
		all[2] = mk_convert(f, args[1], sv(f, MSL_UINT, 2), true);
		return mk_builtin(f, MSL_B_TEX_WRITE, all, 3, msl_type_void(f), loc);
	}
	enum msl_builtin id;
	if (strcmp(name, "get_width") == 0)
		id = MSL_B_TEX_GET_WIDTH;
	else if (strcmp(name, "get_height") == 0)
		id = MSL_B_TEX_GET_HEIGHT;
	else if (strcmp(name, "get_num_samples") == 0 && ms)
		id = MSL_B_TEX_GET_NUM_SAMPLES;
	else {
		msl_error(f, loc, "texture member function '%s' is not supported", name);
		return sema_error_expr(f, loc);
	}
	if (n > 1 || (n == 1 && (id == MSL_B_TEX_GET_NUM_SAMPLES || !lod_zero(f, args[0], name)))) {
		if (n > 1 || id == MSL_B_TEX_GET_NUM_SAMPLES)
			msl_error(f, args[0]->loc, "%s() takes %s", name,
				  id == MSL_B_TEX_GET_NUM_SAMPLES ? "no arguments" : "at most a mipmap level");
		return sema_error_expr(f, loc);
	}
	return mk_builtin(f, id, all, 1, msl_type_scalar(f, MSL_UINT), loc);
}

/* ---- statements and functions --------------------------------------------- */

static bool contains_break(const struct msl_stmt *s)
{
	if (!s)
		return false;
	switch (s->kind) {
	case MSL_S_BREAK: return true;
	case MSL_S_BLOCK:
		for (size_t i = 0; i < s->u.block.count; i++)
			if (contains_break(s->u.block.items[i]))
				return true;
		return false;
	case MSL_S_IF: return contains_break(s->u.if_.then_stmt) || contains_break(s->u.if_.else_stmt);
	default: return false; /* a nested loop's break is its own */
	}
}

bool sema_stmt_contains_break(const struct msl_stmt *s)
{
	return contains_break(s);
}

static bool always_true(const struct msl_expr *e)
{
	while (e && e->kind == MSL_E_CONVERT && !e->u.convert.bitcast)
		e = e->u.convert.operand;
	return !e || (e->kind == MSL_E_BOOL_LIT && e->u.bool_lit) || (e->kind == MSL_E_INT_LIT && e->u.int_lit);
}

bool sema_stmt_terminates(const struct msl_stmt *s)
{
	if (!s)
		return false;
	switch (s->kind) {
	case MSL_S_RETURN:
	case MSL_S_DISCARD:
		return true;
	case MSL_S_BLOCK:
		for (size_t i = 0; i < s->u.block.count; i++)
			if (sema_stmt_terminates(s->u.block.items[i]))
				return true;
		return false;
	case MSL_S_IF:
		return s->u.if_.else_stmt && sema_stmt_terminates(s->u.if_.then_stmt) &&
		       sema_stmt_terminates(s->u.if_.else_stmt);
	case MSL_S_WHILE:
	case MSL_S_FOR:
		return always_true(s->u.loop.cond) && !contains_break(s->u.loop.body);
	case MSL_S_DO:
		return sema_stmt_terminates(s->u.loop.body) ||
		       (always_true(s->u.loop.cond) && !contains_break(s->u.loop.body));
	default:
		return false;
	}
}

bool sema_sampler_arg(struct msl_front *f, struct msl_sampler_desc *d, const char *ns,
		      const char *value, struct msl_loc loc)
{
	if (strcmp(ns, "coord") == 0) {
		if (strcmp(value, "normalized") == 0) { d->normalized = true; return true; }
		if (strcmp(value, "pixel") == 0) { d->normalized = false; return true; }
	} else if (strcmp(ns, "address") == 0 || strcmp(ns, "s_address") == 0 || strcmp(ns, "t_address") == 0) {
		enum msl_address_mode m;
		if (strcmp(value, "clamp_to_edge") == 0) m = MSL_ADDRESS_CLAMP_TO_EDGE;
		else if (strcmp(value, "repeat") == 0) m = MSL_ADDRESS_REPEAT;
		else if (strcmp(value, "mirrored_repeat") == 0) m = MSL_ADDRESS_MIRRORED_REPEAT;
		else if (strcmp(value, "clamp_to_zero") == 0) m = MSL_ADDRESS_CLAMP_TO_ZERO;
		else if (strcmp(value, "clamp_to_border") == 0) {
			msl_error(f, loc, "address::clamp_to_border is not supported");
			return false;
		} else
			goto bad;
		if (ns[0] != 't')
			d->s_address = m;
		if (ns[0] != 's')
			d->t_address = m;
		return true;
	} else if (strcmp(ns, "filter") == 0 || strcmp(ns, "mag_filter") == 0 || strcmp(ns, "min_filter") == 0) {
		enum msl_filter m;
		if (strcmp(value, "nearest") == 0) m = MSL_FILTER_NEAREST;
		else if (strcmp(value, "linear") == 0) m = MSL_FILTER_LINEAR;
		else goto bad;
		if (strcmp(ns, "min_filter") != 0)
			d->mag_filter = m;
		if (strcmp(ns, "mag_filter") != 0)
			d->min_filter = m;
		return true;
	} else if (strcmp(ns, "mip_filter") == 0) {
		/* textures here have a single level, so every mip filter samples it */
		if (strcmp(value, "none") == 0 || strcmp(value, "nearest") == 0 || strcmp(value, "linear") == 0)
			return true;
		goto bad;
	} else {
		msl_error(f, loc, "sampler argument '%s::%s' is not supported", ns, value);
		return false;
	}
bad:
	msl_error(f, loc, "invalid sampler argument '%s::%s'", ns, value);
	return false;
}

/* ---- entry points --------------------------------------------------------- */

static bool is_uint_vec(const struct msl_type *t, unsigned max_n)
{
	return is_sv(t) && (t->scalar == MSL_UINT || t->scalar == MSL_USHORT) &&
	       msl_type_components(t) <= max_n;
}

static const struct msl_type *buffer_type_ok(const struct msl_var *p)
{
	if (p->by_ref || p->type->kind == MSL_T_POINTER) {
		enum msl_space sp = p->by_ref ? p->space : p->type->space;
		if (sp == MSL_SPACE_DEVICE || sp == MSL_SPACE_CONSTANT)
			return p->type;
	}
	return NULL;
}

struct seen_binding { enum msl_attr_kind k; uint32_t idx; struct msl_loc loc; };

void sema_check_entry(struct msl_front *f, struct msl_function *fn)
{
	enum msl_stage st = fn->stage;
	const char *sn = msl_stage_name(st);
	struct seen_binding seen[64];
	size_t nseen = 0;
	bool have_stage_in = false;
	for (size_t i = 0; i < fn->param_count; i++) {
		struct msl_var *p = fn->params[i];
		const struct msl_attr *a = &p->attr;
		struct msl_loc loc = p->loc;
		if (p->type == msl_type_error(f))
			continue; /* already reported */
		if (st == MSL_STAGE_NONE) {
			if (a->kind != MSL_ATTR_NONE)
				msl_error(f, a->loc, "attribute [[%s]] is only allowed on parameters of vertex, fragment and kernel functions",
					  msl_attr_name(a->kind));
			continue;
		}
		switch (a->kind) {
		case MSL_ATTR_NONE:
			if (!a->rejected)
				msl_error(f, loc, "parameter '%s' of %s function '%s' needs an attribute such as [[buffer(n)]] or [[stage_in]]",
					  p->name, sn, fn->name);
			break;
		case MSL_ATTR_STAGE_IN:
			if (st == MSL_STAGE_KERNEL)
				msl_error(f, a->loc, "[[stage_in]] is not supported on kernel functions");
			else if (have_stage_in)
				msl_error(f, a->loc, "only one [[stage_in]] parameter is allowed");
			else if (p->type->kind != MSL_T_STRUCT || p->by_ref)
				msl_error(f, loc, "[[stage_in]] parameter '%s' must be a struct passed by value", p->name);
			else if (st == MSL_STAGE_VERTEX) {
				const struct msl_struct *s = p->type->strct;
				for (size_t m = 0; m < s->member_count; m++) {
					const struct msl_member *mb = &s->members[m];
					if (mb->attr.kind != MSL_ATTR_ATTRIBUTE && mb->attr.rejected)
						continue;
					if (mb->attr.kind != MSL_ATTR_ATTRIBUTE)
						msl_error(f, mb->loc, "member '%s' of vertex [[stage_in]] struct '%s' needs [[attribute(n)]]",
							  mb->name, s->name);
					else if (!is_sv(mb->type))
						msl_error(f, mb->loc, "vertex attribute '%s' must be a scalar or vector", mb->name);
					else if (mb->attr.index > 30)
						msl_error(f, mb->attr.loc, "attribute index %u is out of range (0..30)", mb->attr.index);
					for (size_t q = 0; q < m; q++)
						if (s->members[q].attr.kind == MSL_ATTR_ATTRIBUTE &&
						    mb->attr.kind == MSL_ATTR_ATTRIBUTE && s->members[q].attr.index == mb->attr.index)
							msl_error(f, mb->attr.loc, "duplicate [[attribute(%u)]] in '%s'", mb->attr.index, s->name);
				}
			} else {
				const struct msl_struct *s = p->type->strct;
				for (size_t m = 0; m < s->member_count; m++) {
					const struct msl_member *mb = &s->members[m];
					if (mb->attr.kind == MSL_ATTR_POSITION && mb->type != sv(f, MSL_FLOAT, 4))
						msl_error(f, mb->loc, "[[position]] must be float4");
					else if (mb->attr.kind == MSL_ATTR_POINT_COORD && mb->type != sv(f, MSL_FLOAT, 2))
						msl_error(f, mb->loc, "[[point_coord]] must be float2");
					else if (mb->attr.kind != MSL_ATTR_NONE && mb->attr.kind != MSL_ATTR_POSITION &&
						 mb->attr.kind != MSL_ATTR_FLAT && mb->attr.kind != MSL_ATTR_POINT_COORD)
						msl_error(f, mb->attr.loc, "[[%s]] is not allowed on a fragment input member",
							  msl_attr_name(mb->attr.kind));
					else if (!is_sv(mb->type))
						msl_error(f, mb->loc, "fragment input '%s' must be a scalar or vector", mb->name);
				}
			}
			have_stage_in = true;
			break;
		case MSL_ATTR_BUFFER:
			if (!buffer_type_ok(p))
				msl_error(f, loc, "[[buffer(%u)]] parameter '%s' must be a device or constant pointer or reference",
					  a->index, p->name);
			else if (a->index > 30)
				msl_error(f, a->loc, "buffer index %u is out of range (0..30)", a->index);
			break;
		case MSL_ATTR_TEXTURE:
			if (p->type->kind != MSL_T_TEXTURE || p->by_ref)
				msl_error(f, loc, "[[texture(%u)]] parameter '%s' must be a texture", a->index, p->name);
			else if (a->index > 31)
				msl_error(f, a->loc, "texture index %u is out of range (0..31)", a->index);
			break;
		case MSL_ATTR_SAMPLER:
			if (p->type->kind != MSL_T_SAMPLER || p->by_ref)
				msl_error(f, loc, "[[sampler(%u)]] parameter '%s' must be a sampler", a->index, p->name);
			else if (a->index > 15)
				msl_error(f, a->loc, "sampler index %u is out of range (0..15)", a->index);
			break;
		case MSL_ATTR_VERTEX_ID:
		case MSL_ATTR_INSTANCE_ID:
			if (st != MSL_STAGE_VERTEX)
				msl_error(f, a->loc, "[[%s]] is only allowed in vertex functions", msl_attr_name(a->kind));
			else if (!is_uint_vec(p->type, 1))
				msl_error(f, loc, "[[%s]] parameter must be uint or ushort", msl_attr_name(a->kind));
			break;
		case MSL_ATTR_FRONT_FACING:
		case MSL_ATTR_SAMPLE_ID:
		case MSL_ATTR_POSITION:
		case MSL_ATTR_POINT_COORD:
			if (st != MSL_STAGE_FRAGMENT)
				msl_error(f, a->loc, "[[%s]] is only allowed as a fragment function input", msl_attr_name(a->kind));
			else if (a->kind == MSL_ATTR_FRONT_FACING && p->type != msl_type_scalar(f, MSL_BOOL))
				msl_error(f, loc, "[[front_facing]] parameter must be bool");
			else if (a->kind == MSL_ATTR_SAMPLE_ID && !is_uint_vec(p->type, 1))
				msl_error(f, loc, "[[sample_id]] parameter must be uint or ushort");
			else if (a->kind == MSL_ATTR_POSITION && p->type != sv(f, MSL_FLOAT, 4))
				msl_error(f, loc, "[[position]] parameter must be float4");
			else if (a->kind == MSL_ATTR_POINT_COORD && p->type != sv(f, MSL_FLOAT, 2))
				msl_error(f, loc, "[[point_coord]] parameter must be float2");
			break;
		case MSL_ATTR_THREAD_POSITION_IN_GRID:
		case MSL_ATTR_THREAD_POSITION_IN_THREADGROUP:
		case MSL_ATTR_THREADGROUP_POSITION_IN_GRID:
		case MSL_ATTR_THREADS_PER_THREADGROUP:
			if (st != MSL_STAGE_KERNEL)
				msl_error(f, a->loc, "[[%s]] is only allowed in kernel functions", msl_attr_name(a->kind));
			else if (!is_uint_vec(p->type, 3))
				msl_error(f, loc, "[[%s]] parameter must be uint, uint2 or uint3 (or ushort)", msl_attr_name(a->kind));
			break;
		case MSL_ATTR_THREAD_INDEX_IN_THREADGROUP:
			if (st != MSL_STAGE_KERNEL)
				msl_error(f, a->loc, "[[%s]] is only allowed in kernel functions", msl_attr_name(a->kind));
			else if (!is_uint_vec(p->type, 1))
				msl_error(f, loc, "[[%s]] parameter must be uint or ushort", msl_attr_name(a->kind));
			break;
		default:
			msl_error(f, a->loc, "[[%s]] is not allowed on a function parameter", msl_attr_name(a->kind));
			break;
		}
		if (a->kind == MSL_ATTR_BUFFER || a->kind == MSL_ATTR_TEXTURE || a->kind == MSL_ATTR_SAMPLER ||
		    (a->kind >= MSL_ATTR_VERTEX_ID && a->kind != MSL_ATTR_FLAT)) {
			for (size_t k = 0; k < nseen; k++)
				if (seen[k].k == a->kind && seen[k].idx == a->index) {
					if (a->kind == MSL_ATTR_BUFFER || a->kind == MSL_ATTR_TEXTURE || a->kind == MSL_ATTR_SAMPLER)
						msl_error(f, a->loc, "duplicate binding [[%s(%u)]] (first used at line %u)",
							  msl_attr_name(a->kind), a->index, seen[k].loc.line);
					else
						msl_error(f, a->loc, "duplicate [[%s]] parameter", msl_attr_name(a->kind));
				}
			if (nseen < 64)
				seen[nseen++] = (struct seen_binding){ a->kind, a->index, a->loc };
		}
	}
	if (st == MSL_STAGE_NONE)
		return;
	const struct msl_type *rt = fn->return_type;
	if (st == MSL_STAGE_KERNEL) {
		if (rt != msl_type_void(f))
			msl_error(f, fn->loc, "kernel function '%s' must return void", fn->name);
		return;
	}
	if (st == MSL_STAGE_VERTEX) {
		if (rt->kind == MSL_T_STRUCT) {
			const struct msl_struct *s = rt->strct;
			int npos = 0, npsize = 0;
			for (size_t m = 0; m < s->member_count; m++) {
				const struct msl_member *mb = &s->members[m];
				if (mb->attr.kind == MSL_ATTR_POSITION) {
					npos++;
					if (mb->type != sv(f, MSL_FLOAT, 4))
						msl_error(f, mb->loc, "[[position]] must be float4");
				} else if (mb->attr.kind == MSL_ATTR_POINT_SIZE) {
					if (mb->type != msl_type_scalar(f, MSL_FLOAT))
						msl_error(f, mb->loc, "[[point_size]] must be float");
					else if (npsize++)
						msl_error(f, mb->attr.loc, "more than one [[point_size]] member in '%s'", s->name);
				} else if (mb->attr.kind != MSL_ATTR_NONE && mb->attr.kind != MSL_ATTR_FLAT) {
					msl_error(f, mb->attr.loc, "[[%s]] is not allowed on a vertex output member",
						  msl_attr_name(mb->attr.kind));
				} else if (!is_sv(mb->type)) {
					msl_error(f, mb->loc, "vertex output '%s' must be a scalar or vector", mb->name);
				}
			}
			if (npos != 1)
				msl_error(f, fn->loc, "vertex function '%s' returns '%s', which needs exactly one [[position]] member",
					  fn->name, s->name);
		} else if (rt != sv(f, MSL_FLOAT, 4)) {
			msl_error(f, fn->loc, "vertex function '%s' must return float4 or a struct with a [[position]] member",
				  fn->name);
		}
		return;
	}
	/* fragment */
	if (rt->kind == MSL_T_STRUCT) {
		const struct msl_struct *s = rt->strct;
		for (size_t m = 0; m < s->member_count; m++) {
			const struct msl_member *mb = &s->members[m];
			if (mb->attr.kind != MSL_ATTR_COLOR && !mb->attr.rejected)
				msl_error(f, mb->loc, "fragment output member '%s' needs [[color(n)]]", mb->name);
			else if (mb->attr.kind != MSL_ATTR_COLOR)
				continue;
			else if (!is_sv(mb->type) || mb->type->scalar == MSL_BOOL)
				msl_error(f, mb->loc, "fragment output '%s' must be a numeric scalar or vector", mb->name);
			else if (mb->attr.index > 7)
				msl_error(f, mb->attr.loc, "color index %u is out of range (0..7)", mb->attr.index);
			for (size_t q = 0; q < m; q++)
				if (mb->attr.kind == MSL_ATTR_COLOR && s->members[q].attr.kind == MSL_ATTR_COLOR &&
				    s->members[q].attr.index == mb->attr.index)
					msl_error(f, mb->attr.loc, "duplicate [[color(%u)]] in '%s'", mb->attr.index, s->name);
		}
	} else if (rt != msl_type_void(f) && !(is_sv(rt) && rt->scalar != MSL_BOOL)) {
		msl_error(f, fn->loc, "fragment function '%s' must return a color (e.g. float4/half4), a struct of [[color(n)]] members, or void",
			  fn->name);
	}
}
