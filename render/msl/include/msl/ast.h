/*
 * msl/ast.h — the checked program: types, symbols, expressions, statements
 * and functions of an MSL library after semantic analysis.
 *
 * This is the contract between the front end (pp, lex, parse, sema) and its
 * users (reflection, the IR lowering and the executor). Everything here is
 * produced by msl_compile() only when the source checked without errors, and
 * it promises:
 *
 *  - Every expression has a resolved type (never NULL; void only for calls of
 *    void functions). Every name is resolved to its msl_var or msl_function.
 *  - Types are interned per program: two msl_type pointers are equal exactly
 *    when the types are equal (packed_float3 and float3 are different types).
 *  - Implicit conversions are explicit nodes: sema inserts MSL_E_CONVERT
 *    wherever the language converts implicitly (literal to float, int to
 *    float, scalar to vector "splat", bool conditions). So, apart from the
 *    documented exceptions in enum msl_binop, both operands of a binary
 *    operator have the same type, the value of an assignment has the type of
 *    its target, and every call argument has its parameter's type.
 *  - `p->m` is lowered to MEMBER(DEREF(p)); `discard_fragment();` becomes
 *    MSL_S_DISCARD; brace initialisers become MSL_E_CONSTRUCT with the
 *    declared type.
 *  - All nodes live in an arena owned by the msl_program and die with
 *    msl_program_free().
 */
#ifndef MSL_AST_H
#define MSL_AST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct msl_loc { uint32_t line, col; }; /* 1-based; line:col of the first character */

/* ---- types --------------------------------------------------------------- */

enum msl_scalar {
	MSL_BOOL, MSL_CHAR, MSL_UCHAR, MSL_SHORT, MSL_USHORT,
	MSL_INT, MSL_UINT, MSL_HALF, MSL_FLOAT
};

enum msl_type_kind {
	MSL_T_VOID,
	MSL_T_SCALAR,  /* scalar */
	MSL_T_VECTOR,  /* scalar, cols = 2..4 components; packed for packed_floatN etc. */
	MSL_T_MATRIX,  /* scalar (half/float), cols columns of rows components: floatCxR */
	MSL_T_ARRAY,   /* elem, array_len (> 0) */
	MSL_T_STRUCT,  /* strct */
	MSL_T_POINTER, /* elem, space, is_const (pointee const) */
	MSL_T_TEXTURE, /* scalar = element type (float/half/int/uint), tex, access */
	MSL_T_SAMPLER
};

enum msl_space { MSL_SPACE_THREAD, MSL_SPACE_DEVICE, MSL_SPACE_CONSTANT, MSL_SPACE_THREADGROUP };
enum msl_access { MSL_ACCESS_SAMPLE, MSL_ACCESS_READ, MSL_ACCESS_WRITE, MSL_ACCESS_READ_WRITE };
enum msl_texture_kind { MSL_TEX_2D, MSL_TEX_2D_MS };

struct msl_struct;

struct msl_type {
	enum msl_type_kind kind;
	enum msl_scalar scalar;       /* SCALAR, VECTOR, MATRIX, TEXTURE */
	uint8_t cols;                 /* VECTOR: components; MATRIX: columns */
	uint8_t rows;                 /* MATRIX: components per column; else 1 */
	bool packed;                  /* packed_floatN / packed_intN ... */
	bool is_const;                /* POINTER: pointee is const */
	enum msl_space space;         /* POINTER: address space of the pointee */
	enum msl_access access;       /* TEXTURE */
	enum msl_texture_kind tex;    /* TEXTURE */
	const struct msl_type *elem;  /* ARRAY element, POINTER pointee */
	uint32_t array_len;           /* ARRAY */
	const struct msl_struct *strct; /* STRUCT */
	uint32_t size, align;         /* bytes, Metal layout; 0 for textures, samplers, void */
	/* MATRIX: elem is the column vector type */
	const char *name;             /* spelling: "float4", "device Uniforms*", ... */
};

/* ---- attributes ---------------------------------------------------------- */

enum msl_attr_kind {
	MSL_ATTR_NONE,
	MSL_ATTR_STAGE_IN,
	MSL_ATTR_POSITION,
	MSL_ATTR_ATTRIBUTE,          /* index */
	MSL_ATTR_BUFFER,             /* index */
	MSL_ATTR_TEXTURE,            /* index */
	MSL_ATTR_SAMPLER,            /* index */
	MSL_ATTR_COLOR,              /* index */
	MSL_ATTR_VERTEX_ID,
	MSL_ATTR_INSTANCE_ID,
	MSL_ATTR_FRONT_FACING,
	MSL_ATTR_SAMPLE_ID,
	MSL_ATTR_FLAT,               /* interpolation qualifier, kept in `flat` */
	MSL_ATTR_THREAD_POSITION_IN_GRID,
	MSL_ATTR_THREAD_POSITION_IN_THREADGROUP,
	MSL_ATTR_THREADGROUP_POSITION_IN_GRID,
	MSL_ATTR_THREADS_PER_THREADGROUP,
	MSL_ATTR_THREAD_INDEX_IN_THREADGROUP, /* uint/ushort: x + y*w + z*w*h in the group */
	MSL_ATTR_POINT_SIZE,         /* vertex output member: float, pixels */
	MSL_ATTR_POINT_COORD         /* fragment input: float2, 0..1 across a point, (0,0) top-left */
};

/* The binding/semantic attribute of a parameter or struct member (at most
 * one besides [[flat]]). */
struct msl_attr {
	enum msl_attr_kind kind;     /* MSL_ATTR_NONE when absent */
	uint32_t index;              /* for ATTRIBUTE, BUFFER, TEXTURE, SAMPLER, COLOR */
	bool flat;                   /* [[flat]] seen */
	bool no_perspective;         /* [[center_no_perspective]] seen ([[center_perspective]] is the default) */
	const char *user;            /* [[user(NAME)]]: the name a vertex output and a fragment
				      * input are matched by instead of the member name; NULL if absent */
	bool rejected;               /* an unknown or unsupported attribute was reported here:
				      * checks for a missing attribute stay quiet */
	struct msl_loc loc;
};

/* ---- structs and symbols ------------------------------------------------- */

struct msl_member {
	const char *name;
	const struct msl_type *type;
	uint32_t offset;             /* bytes, Metal layout */
	struct msl_attr attr;
	struct msl_loc loc;
};

struct msl_struct {
	const char *name;
	struct msl_member *members;
	size_t member_count;
	uint32_t size, align;
	struct msl_loc loc;
};

enum msl_filter { MSL_FILTER_NEAREST, MSL_FILTER_LINEAR };
enum msl_address_mode {
	MSL_ADDRESS_CLAMP_TO_EDGE, MSL_ADDRESS_REPEAT,
	MSL_ADDRESS_MIRRORED_REPEAT, MSL_ADDRESS_CLAMP_TO_ZERO
};

/* constexpr sampler s(coord::normalized, address::repeat, filter::linear, ...).
 * Defaults follow the MSL spec: normalized coords, clamp_to_edge, nearest. */
struct msl_sampler_desc {
	bool normalized;
	enum msl_address_mode s_address, t_address;
	enum msl_filter mag_filter, min_filter;
};

enum msl_var_kind {
	MSL_VAR_LOCAL,          /* block-scope variable of a function */
	MSL_VAR_PARAM,          /* function parameter */
	MSL_VAR_GLOBAL_CONST,   /* program-scope `constant T x = init;` */
	MSL_VAR_CONST_SAMPLER   /* `constexpr sampler s(...)` at any scope */
};

struct msl_expr;

struct msl_var {
	enum msl_var_kind kind;
	const char *name;
	const struct msl_type *type; /* for a reference, the referred-to type */
	bool by_ref;                 /* `T &x`: a parameter refers to the caller's object; a
				      * LOCAL reference aliases the lvalue its MSL_S_DECL
				      * init names (same type, same space, evaluated once) */
	enum msl_space space;        /* address space of a reference (or of a global) */
	bool is_const;               /* declared const/constant/constexpr */
	struct msl_attr attr;        /* parameters: binding or built-in input */
	struct msl_sampler_desc sampler; /* MSL_VAR_CONST_SAMPLER */
	const struct msl_expr *init; /* GLOBAL_CONST initialiser (LOCALs init in MSL_S_DECL) */
	bool program_scope;          /* GLOBAL_CONST, or a CONST_SAMPLER declared at program scope */
	uint32_t slot;               /* program_scope: index in program->globals; otherwise (LOCAL,
				      * PARAM, block-scope CONST_SAMPLER) a distinct number in
				      * 0..function->var_count-1 of the enclosing function */
	struct msl_loc loc;
};

/* ---- built-in functions -------------------------------------------------- */

enum msl_builtin {
	/* common math: component-wise over scalar or vector, result = arg type
	 * unless noted */
	MSL_B_ABS, MSL_B_MIN, MSL_B_MAX, MSL_B_CLAMP, MSL_B_MIX, MSL_B_STEP,
	MSL_B_SMOOTHSTEP, MSL_B_SATURATE, MSL_B_SIGN, MSL_B_FLOOR, MSL_B_CEIL,
	MSL_B_FRACT, MSL_B_ROUND, MSL_B_TRUNC, MSL_B_FMOD, MSL_B_SQRT, MSL_B_RSQRT,
	MSL_B_POW, MSL_B_EXP, MSL_B_EXP2, MSL_B_LOG, MSL_B_LOG2, MSL_B_SIN,
	MSL_B_COS, MSL_B_TAN, MSL_B_ASIN, MSL_B_ACOS, MSL_B_ATAN, MSL_B_ATAN2,
	MSL_B_FMA,
	/* geometry: dot/length/distance return the scalar */
	MSL_B_DOT, MSL_B_CROSS, MSL_B_LENGTH, MSL_B_DISTANCE, MSL_B_NORMALIZE,
	MSL_B_REFLECT,
	/* relational: any/all return bool; isnan/isinf return bool or boolN;
	 * select(a, b, c) = c ? b : a component-wise */
	MSL_B_SELECT, MSL_B_ANY, MSL_B_ALL, MSL_B_ISNAN, MSL_B_ISINF,
	/* derivatives (fragment only) */
	MSL_B_DFDX, MSL_B_DFDY, MSL_B_FWIDTH,
	/* more component-wise math: fmax/fmin (a NaN argument yields the other),
	 * mad (evaluated as fma), powr (NaN for x < 0), copysign, min3/max3/
	 * median3; isfinite/signbit return bool or boolN like isnan */
	MSL_B_FMAX, MSL_B_FMIN, MSL_B_MAD, MSL_B_POWR, MSL_B_COPYSIGN,
	MSL_B_MIN3, MSL_B_MAX3, MSL_B_MEDIAN3, MSL_B_ISFINITE, MSL_B_SIGNBIT,
	/* unpack_unorm4x8_to_float(uint) -> float4 (byte k / 255, x from the
	 * low byte); pack_float_to_unorm4x8(float4) -> uint (each component
	 * clamped to [0, 1], times 255, rounded to nearest even) */
	MSL_B_UNPACK_UNORM4X8, MSL_B_PACK_UNORM4X8,
	/* matrices: transpose(floatCxR) -> floatRxC; determinant(floatNxN) -> float */
	MSL_B_TRANSPOSE, MSL_B_DETERMINANT,
	/* more float math: component-wise, result = argument type */
	MSL_B_SINH, MSL_B_COSH, MSL_B_TANH, MSL_B_ASINH, MSL_B_ACOSH, MSL_B_ATANH,
	MSL_B_LOG10, MSL_B_EXP10, MSL_B_RINT, MSL_B_SINPI, MSL_B_COSPI, MSL_B_TANPI,
	MSL_B_ASINPI, MSL_B_ACOSPI, MSL_B_ATANPI, MSL_B_ATAN2PI, MSL_B_FDIM, MSL_B_DIVIDE,
	MSL_B_LDEXP,        /* ldexp(floatN x, intN k) */
	/* geometry */
	MSL_B_LENGTH_SQUARED, MSL_B_DISTANCE_SQUARED, MSL_B_FACEFORWARD,
	MSL_B_REFRACT,      /* refract(vecN i, vecN n, scalar eta) */
	/* integer: component-wise over char..uint, result = argument type */
	MSL_B_POPCOUNT, MSL_B_CLZ, MSL_B_CTZ, MSL_B_REVERSE_BITS, MSL_B_ROTATE,
	MSL_B_ABSDIFF, MSL_B_MUL24, MSL_B_MAD24,
	MSL_B_EXTRACT_BITS, /* extract_bits(T x, uint offset, uint bits) */
	/* texture members: args[0] is the texture object expression.
	 * sample(t, sampler, float2 [, option] [, int2 offset]) -> vec4 of t's
 *   element type; option is an MSL_B_SAMPLE_* builtin, offset an int2
 *   expression whose components are constants in -8..7
	 * read(t, uint2 coord) -> vec4; texture2d_ms: read(t, uint2, uint sample)
	 * write(t, vec4 value, uint2 coord) -> void
	 * get_width(t) / get_height(t) -> uint; get_num_samples(t) -> uint (ms) */
	MSL_B_TEX_SAMPLE, MSL_B_TEX_READ, MSL_B_TEX_WRITE,
	MSL_B_TEX_GET_WIDTH, MSL_B_TEX_GET_HEIGHT, MSL_B_TEX_GET_NUM_SAMPLES,
	/* sample() options, void-typed values that only mean something as the
	 * third argument of sample(): level(float), bias(float),
	 * min_lod_clamp(float), gradient2d(float2 dPdx, float2 dPdy). As
	 * statements of their own they evaluate their arguments and do nothing
	 * (they construct a temporary in Metal too). */
	MSL_B_SAMPLE_LEVEL, MSL_B_SAMPLE_BIAS, MSL_B_SAMPLE_MIN_LOD_CLAMP, MSL_B_SAMPLE_GRADIENT2D,
	/* threadgroup_barrier(mem_flags) / simdgroup_barrier(mem_flags): void,
	 * args[0] the constant mem_flags (kernels and helpers they call) */
	MSL_B_THREADGROUP_BARRIER, MSL_B_SIMDGROUP_BARRIER,
	MSL_B_COUNT
};

/* ---- expressions --------------------------------------------------------- */

enum msl_unop {
	MSL_UNOP_NEG,     /* -x */
	MSL_UNOP_PLUS,    /* +x */
	MSL_UNOP_NOT,     /* !x   (bool or boolN) */
	MSL_UNOP_BITNOT   /* ~x   (integer) */
};

/* Binary operators. Operands have equal types, except:
 *  - MSL_BINOP_MATMUL: matrix*vector, vector*matrix, matrix*matrix (linear
 *    algebra product; types follow the math).
 *  - matrix OP scalar / scalar OP matrix (MUL, DIV, ADD, SUB): the scalar
 *    keeps its scalar type (the matrix's element type), applied to every
 *    component.
 *  - SHL/SHR: the right operand is converted to the left operand's type.
 * Comparisons yield bool (scalars) or boolN (vectors, component-wise).
 * LOGAND/LOGOR take and yield bool and short-circuit. */
enum msl_binop {
	MSL_BINOP_ADD, MSL_BINOP_SUB, MSL_BINOP_MUL, MSL_BINOP_DIV, MSL_BINOP_MOD,
	MSL_BINOP_SHL, MSL_BINOP_SHR, MSL_BINOP_BITAND, MSL_BINOP_BITOR, MSL_BINOP_BITXOR,
	MSL_BINOP_LT, MSL_BINOP_GT, MSL_BINOP_LE, MSL_BINOP_GE, MSL_BINOP_EQ, MSL_BINOP_NE,
	MSL_BINOP_LOGAND, MSL_BINOP_LOGOR,
	MSL_BINOP_MATMUL
};

enum msl_expr_kind {
	MSL_E_INT_LIT,     /* u.int_lit, type int/uint (or other integer after folding) */
	MSL_E_FLOAT_LIT,   /* u.float_lit, type float or half */
	MSL_E_BOOL_LIT,    /* u.bool_lit */
	MSL_E_VAR,         /* u.var */
	MSL_E_UNARY,       /* u.unary */
	MSL_E_BINARY,      /* u.binary */
	MSL_E_ASSIGN,      /* u.assign: target = value, or target OP= value */
	MSL_E_INCDEC,      /* u.incdec: ++x, x++, --x, x-- on scalar/vector numeric lvalues */
	MSL_E_COND,        /* u.cond: c ? a : b; c is bool; a, b have the result type */
	MSL_E_CALL,        /* u.call: user function */
	MSL_E_BUILTIN,     /* u.builtin */
	MSL_E_CONSTRUCT,   /* u.construct: vector/matrix/struct/array from parts */
	MSL_E_CONVERT,     /* u.convert: explicit cast or implicit conversion */
	MSL_E_SWIZZLE,     /* u.swizzle */
	MSL_E_MEMBER,      /* u.member: struct member */
	MSL_E_INDEX,       /* u.index: array[i], vector[i], matrix[i] (column), pointer[i] */
	MSL_E_DEREF,       /* u.operand: *p */
	MSL_E_ADDR,        /* u.operand: &lvalue */
	MSL_E_COMMA        /* u.binary (op unused): evaluate left, yield right */
};

struct msl_expr {
	enum msl_expr_kind kind;
	const struct msl_type *type;
	bool is_lvalue;              /* may be assigned / passed by reference */
	struct msl_loc loc;
	/* Height of the subtree as the parser counted it (implicit conversion
	 * wrappers may be 0); the front end keeps it <= MSL_MAX_EXPR_DEPTH so
	 * recursive walks over expressions are bounded. */
	uint32_t height;
	union {
		uint64_t int_lit;        /* value bits; signed types in two's complement */
		double float_lit;
		bool bool_lit;
		const struct msl_var *var;
		struct { enum msl_unop op; struct msl_expr *operand; } unary;
		struct { enum msl_binop op; struct msl_expr *left, *right; } binary;
		/* compound: the value stored is (T)((U)target OP value), where T is
		 * the target's type and U the type the operator works in: for
		 * arithmetic and bitwise ops U = value->type (target and value
		 * always meet there: U equals T, or T is char/short/uchar/ushort
		 * and U is int, or T is a vector and value its splat); for
		 * SHL/SHR U = T; for matrix ops see msl_binop. */
		struct { bool compound; enum msl_binop op; struct msl_expr *target, *value; } assign;
		struct { bool increment, prefix; struct msl_expr *target; } incdec;
		struct { struct msl_expr *cond, *then_expr, *else_expr; } cond;
		struct { const struct msl_function *fn; struct msl_expr **args; size_t arg_count; } call;
		struct { enum msl_builtin id; struct msl_expr **args; size_t arg_count; } builtin;
		/* CONSTRUCT of `type`:
		 *  - vector: parts are scalars/vectors of the element type whose
		 *    components, in order, fill the vector (one scalar part = splat);
		 *  - matrix: either `cols` column vectors, or cols*rows scalars in
		 *    column order, or one scalar (diagonal);
		 *  - struct: one part per member in order (missing trailing members
		 *    are zero; parts already converted to the member types);
		 *  - array: one part per element (missing trailing elements zero);
		 *  - scalar: one part (a functional cast, then same as CONVERT).
		 *  part_count 0 means zero-initialised. */
		struct { struct msl_expr **parts; size_t part_count; } construct;
		/* CONVERT operand to `type`: scalar->scalar, vector->vector with the
		 * same width (component-wise), scalar->vector (splat, after
		 * converting the scalar). Never between structs or pointers.
		 * bitcast: `as_type<T>(x)`, the operand's bits reinterpreted; sema
		 * allows it only between 32-bit float/int/uint scalars or vectors of
		 * the same length, so each component keeps its own 32 bits. */
		struct { struct msl_expr *operand; bool implicit, bitcast; } convert;
		/* components index the base vector (0..3); count 1 gives a scalar.
		 * An lvalue swizzle never repeats a component. */
		struct { struct msl_expr *base; uint8_t comp[4]; uint8_t count; } swizzle;
		struct { struct msl_expr *base; const struct msl_member *member; size_t index; } member;
		struct { struct msl_expr *base, *index; } index;
		struct msl_expr *operand;
	} u;
};

/* ---- statements ---------------------------------------------------------- */

enum msl_stmt_kind {
	MSL_S_BLOCK,    /* u.block */
	MSL_S_DECL,     /* u.decl: one variable, optional initialiser (already of var->type) */
	MSL_S_EXPR,     /* u.expr */
	MSL_S_IF,       /* u.if_ */
	MSL_S_FOR,      /* u.loop: init; cond; step; body */
	MSL_S_WHILE,    /* u.loop: cond; body */
	MSL_S_DO,       /* u.loop: body; cond */
	MSL_S_BREAK,
	MSL_S_CONTINUE,
	MSL_S_RETURN,   /* u.expr: value (already of the return type) or NULL */
	MSL_S_DISCARD,  /* discard_fragment() */
	MSL_S_EMPTY
};

struct msl_stmt {
	enum msl_stmt_kind kind;
	struct msl_loc loc;
	union {
		struct { struct msl_stmt **items; size_t count; } block;
		/* init: of var->type; for a by_ref var, the lvalue it aliases */
		struct { struct msl_var *var; struct msl_expr *init; } decl;
		struct msl_expr *expr;
		struct { struct msl_expr *cond; struct msl_stmt *then_stmt, *else_stmt; } if_;
		/* init: DECL/EXPR/BLOCK-of-DECLs statement or NULL; cond NULL = true;
		 * step NULL = none */
		struct { struct msl_stmt *init; struct msl_expr *cond, *step; struct msl_stmt *body; } loop;
	} u;
};

/* ---- functions and the program ------------------------------------------- */

enum msl_stage { MSL_STAGE_NONE, MSL_STAGE_VERTEX, MSL_STAGE_FRAGMENT, MSL_STAGE_KERNEL };

struct msl_function {
	const char *name;
	enum msl_stage stage;           /* NONE for helper functions */
	const struct msl_type *return_type;
	struct msl_attr return_attr;    /* e.g. `fragment float4 f(...) [[color(0)]]`; rarely set */
	struct msl_var **params;
	size_t param_count;
	struct msl_stmt *body;          /* a BLOCK */
	uint32_t var_count;             /* params + locals, numbered by msl_var.slot */
	bool is_recursive_checked;      /* sema rejected recursion: call graph is a DAG */
	struct msl_function *overload_prev; /* helpers: the previously defined overload of
					     * the same name (different parameter types), or NULL */
	struct msl_loc loc;
	uint32_t threadgroup_bytes;     /* kernels: its `threadgroup` variables, laid out */
	bool uses_barrier;              /* calls a barrier, itself or through a helper */
	uint32_t call_depth;            /* functions active at once in its deepest call
					 * chain, itself included (1 = calls no helper;
					 * 0 = not computed yet, i.e. 1) */
};

struct msl_arena;

struct msl_program {
	const char *filename;
	struct msl_function **functions; /* definition order: callees appear before callers */
	size_t function_count;
	struct msl_struct **structs;
	size_t struct_count;
	struct msl_var **globals;        /* program-scope constants and constexpr samplers */
	size_t global_count;
	struct msl_arena *arena;         /* owns every node above */
};

/* Names for messages and reflection. */
const char *msl_stage_name(enum msl_stage s);         /* "vertex", "fragment", "kernel", "function" */
const char *msl_scalar_name(enum msl_scalar s);       /* "float", ... */
const char *msl_builtin_name(enum msl_builtin b);     /* "smoothstep", "sample", ... */
const char *msl_attr_name(enum msl_attr_kind k);      /* "buffer", "thread_position_in_grid", ... */
const char *msl_space_name(enum msl_space s);         /* "thread", "device", ... */

static inline bool msl_type_is_numeric_scalar(const struct msl_type *t)
{
	return t->kind == MSL_T_SCALAR && t->scalar != MSL_BOOL;
}
static inline bool msl_scalar_is_float(enum msl_scalar s)
{
	return s == MSL_HALF || s == MSL_FLOAT;
}
static inline bool msl_scalar_is_signed(enum msl_scalar s)
{
	return s == MSL_CHAR || s == MSL_SHORT || s == MSL_INT || msl_scalar_is_float(s);
}
/* Number of scalar components of a scalar or vector (1..4); 0 otherwise. */
static inline unsigned msl_type_components(const struct msl_type *t)
{
	return t->kind == MSL_T_SCALAR ? 1u : t->kind == MSL_T_VECTOR ? t->cols : 0u;
}

#endif
