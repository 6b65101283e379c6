/*
 * front.h — private interfaces between the MSL front end's stages:
 * arena + diagnostics (diag.c), tokens (lex.c), preprocessing (pp.c),
 * types (types.c), parsing (parse.c) and semantic checks (sema.c).
 *
 * A compile is one struct msl_front: a fatal condition (a limit, out of
 * memory) longjmps back to msl_compile, which frees the arena and the
 * three token vectors; nothing else needs cleanup because every other
 * allocation lives in the arena.
 */
#ifndef MSL_FRONT_H
#define MSL_FRONT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "msl/ast.h"
#include "msl/msl.h"

/* ---- arena ---------------------------------------------------------------- */

struct msl_arena;
struct msl_arena *msl_arena_create(void);
void msl_arena_destroy(struct msl_arena *a);
/* Zeroed memory; NULL only when out of memory. */
void *msl_arena_alloc(struct msl_arena *a, size_t size);

/* ---- tokens --------------------------------------------------------------- */

enum tok_kind {
	TK_EOF, TK_IDENT, TK_INT, TK_FLOAT, TK_PUNCT, TK_STRING, TK_CHAR,
	TK_HASH_DIRECTIVE /* '#' at the start of a line (lexer only) */
};

struct token {
	enum tok_kind kind;
	uint16_t punct;          /* TK_PUNCT: one of the P_* codes */
	bool bol;                /* first token on its line */
	struct msl_loc loc;
	const char *text;        /* arena string: identifier / literal spelling */
	uint32_t len;
	/* literals */
	uint64_t ival;
	double fval;
	enum msl_scalar lit_type; /* INT: MSL_INT/MSL_UINT; FLOAT: MSL_FLOAT/MSL_HALF */
	bool lit_unsuffixed_float; /* FLOAT without suffix (a double in C++) */
};

enum punct {
	P_LPAREN = 1, P_RPAREN, P_LBRACE, P_RBRACE, P_LBRACKET, P_RBRACKET,
	P_LATTR /* [[ */, P_RATTR /* ]] */,
	P_SEMI, P_COMMA, P_DOT, P_ARROW, P_QUESTION, P_COLON, P_COLONCOLON,
	P_PLUS, P_MINUS, P_STAR, P_SLASH, P_PERCENT, P_INC, P_DEC,
	P_AMP, P_PIPE, P_CARET, P_TILDE, P_BANG, P_SHL, P_SHR,
	P_LT, P_GT, P_LE, P_GE, P_EQ, P_NE, P_ANDAND, P_OROR,
	P_ASSIGN, P_ADD_ASSIGN, P_SUB_ASSIGN, P_MUL_ASSIGN, P_DIV_ASSIGN, P_MOD_ASSIGN,
	P_AND_ASSIGN, P_OR_ASSIGN, P_XOR_ASSIGN, P_SHL_ASSIGN, P_SHR_ASSIGN,
	P_HASH, P_HASHHASH
};
const char *msl_punct_spelling(unsigned p);

struct token_vec { struct token *v; size_t n, cap; };

/* ---- one compile ---------------------------------------------------------- */

struct scope;
struct type_table;

struct msl_front {
	const char *src;
	size_t len;
	const char *filename;
	struct msl_diag_list *diags;
	struct msl_arena *arena;
	jmp_buf fatal;
	bool fatal_set;

	struct token_vec raw;    /* lexer output (heap; freed by msl_compile) */
	struct token_vec toks;   /* after preprocessing (heap) */
	struct token_vec scratch; /* #if expression tokens (heap) */
	size_t pos;              /* parser cursor in toks */
	unsigned depth;          /* parser nesting (blocks, parentheses) */

	struct type_table *types;
	struct msl_program *prog;
	/* sema state */
	struct scope *scope;
	struct msl_function *cur_fn;
	unsigned loop_depth;
	/* growable lists in the program */
	size_t fn_cap, struct_cap, global_cap;
};

/* Diagnostics. error() adds one; fatal() adds one and longjmps. */
void msl_error(struct msl_front *f, struct msl_loc loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void msl_warning(struct msl_front *f, struct msl_loc loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
_Noreturn void msl_fatal(struct msl_front *f, struct msl_loc loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void *msl_alloc(struct msl_front *f, size_t size);     /* arena, fatal on OOM */
char *msl_strndup(struct msl_front *f, const char *s, size_t n);
char *msl_sprintf(struct msl_front *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Append to an arena-backed growable array (elements of `size` bytes). */
void msl_vec_push(struct msl_front *f, void **items, size_t *count, size_t *cap,
		  const void *elem, size_t size);
void msl_token_push(struct msl_front *f, struct token_vec *v, const struct token *t);

/* lex.c: tokenize f->src into f->raw. Errors are diagnostics; returns. */
void msl_lex(struct msl_front *f);
/* pp.c: f->raw -> f->toks (directives executed, macros expanded). */
void msl_preprocess(struct msl_front *f);

/* ---- types ---------------------------------------------------------------- */

void msl_types_init(struct msl_front *f);
const struct msl_type *msl_type_void(struct msl_front *f);
const struct msl_type *msl_type_error(struct msl_front *f); /* poison: suppresses follow-on errors */
const struct msl_type *msl_type_scalar(struct msl_front *f, enum msl_scalar s);
const struct msl_type *msl_type_vector(struct msl_front *f, enum msl_scalar s, unsigned n, bool packed);
const struct msl_type *msl_type_matrix(struct msl_front *f, enum msl_scalar s, unsigned cols, unsigned rows);
const struct msl_type *msl_type_array(struct msl_front *f, const struct msl_type *elem, uint32_t n);
const struct msl_type *msl_type_pointer(struct msl_front *f, const struct msl_type *elem,
					 enum msl_space space, bool is_const);
const struct msl_type *msl_type_texture(struct msl_front *f, enum msl_texture_kind k,
					 enum msl_scalar s, enum msl_access a);
const struct msl_type *msl_type_sampler(struct msl_front *f);
const struct msl_type *msl_type_struct(struct msl_front *f, const struct msl_struct *s);
/* scalar or vector of `s` with n components (n == 1: scalar). */
const struct msl_type *msl_type_vec_or_scalar(struct msl_front *f, enum msl_scalar s, unsigned n);
/* A type name spelled like "float4", "packed_half3", "float3x3", "half"; NULL if not one. */
const struct msl_type *msl_type_by_name(struct msl_front *f, const char *name, size_t len);
/* Lay out a struct's members (offsets, size, align) from their types. */
void msl_struct_layout(struct msl_struct *s);

/* compile.c: lex and preprocess only (no parse, no checks); returns the
 * token count after preprocessing, 0 on a fatal error. The benchmark's
 * baseline: what a front end costs before it understands anything. */
size_t msl_front_tokenize_only(const char *src, size_t len);

/* ---- parsing and sema ----------------------------------------------------- */

/* parse.c: the whole translation unit, calling into sema as it goes. */
void msl_parse(struct msl_front *f);

/* sema.c: symbols. Scopes nest; lookups walk outwards. */
enum sym_kind { SYM_VAR, SYM_FN, SYM_TYPE };
struct sym {
	enum sym_kind kind;
	const char *name;
	struct msl_var *var;
	struct msl_function *fn;
	const struct msl_type *type;   /* SYM_TYPE: struct or typedef */
	struct sym *next;
};
struct scope { struct scope *parent; struct sym *syms; };
void sema_push_scope(struct msl_front *f);
void sema_pop_scope(struct msl_front *f);
struct sym *sema_lookup(struct msl_front *f, const char *name);
struct sym *sema_lookup_local(struct msl_front *f, const char *name); /* innermost scope only */
void sema_declare(struct msl_front *f, enum sym_kind k, const char *name, void *what,
		  struct msl_loc loc);

/* sema.c: typed expression builders. Each checks its operands, reports
 * errors at `loc` and returns a node (of the error type on failure, which
 * silences follow-on errors). Operands of the error type pass through. */
bool sema_is_error(struct msl_front *f, const struct msl_expr *e);
struct msl_expr *sema_error_expr(struct msl_front *f, struct msl_loc loc);
struct msl_expr *sema_int_lit(struct msl_front *f, const struct token *t);
struct msl_expr *sema_float_lit(struct msl_front *f, const struct token *t);
struct msl_expr *sema_bool_lit(struct msl_front *f, bool v, struct msl_loc loc);
struct msl_expr *sema_ident(struct msl_front *f, const char *name, struct msl_loc loc);
struct msl_expr *sema_unary(struct msl_front *f, unsigned punct, struct msl_expr *e, struct msl_loc loc);
struct msl_expr *sema_binary(struct msl_front *f, unsigned punct, struct msl_expr *l,
			     struct msl_expr *r, struct msl_loc loc);
struct msl_expr *sema_assign(struct msl_front *f, unsigned punct, struct msl_expr *target,
			     struct msl_expr *value, struct msl_loc loc);
struct msl_expr *sema_incdec(struct msl_front *f, bool inc, bool prefix, struct msl_expr *e,
			     struct msl_loc loc);
struct msl_expr *sema_cond(struct msl_front *f, struct msl_expr *c, struct msl_expr *a,
			   struct msl_expr *b, struct msl_loc loc);
struct msl_expr *sema_comma(struct msl_front *f, struct msl_expr *l, struct msl_expr *r,
			    struct msl_loc loc);
struct msl_expr *sema_call(struct msl_front *f, const char *name, struct msl_expr **args,
			   size_t n, struct msl_loc loc);
struct msl_expr *sema_method(struct msl_front *f, struct msl_expr *obj, const char *name,
			     struct msl_expr **args, size_t n, struct msl_loc loc);
/* T(args): vector/matrix/scalar/struct construction or a functional cast. */
struct msl_expr *sema_construct(struct msl_front *f, const struct msl_type *t,
				struct msl_expr **args, size_t n, struct msl_loc loc);
/* A brace list before it knows its type: CONSTRUCT with type NULL. */
struct msl_expr *sema_brace_list(struct msl_front *f, struct msl_expr **items, size_t n,
				 struct msl_loc loc);
struct msl_expr *sema_cast(struct msl_front *f, const struct msl_type *t, struct msl_expr *e,
			   struct msl_loc loc);
/* Why fn cannot overload the functions chained from newest (an entry
 * point, or the same parameter types as one of them), or NULL if it can. */
const char *sema_overload_conflict(struct msl_front *f, const struct msl_function *newest,
				   const struct msl_function *fn);
struct msl_expr *sema_as_type(struct msl_front *f, const struct msl_type *t, struct msl_expr *e,
			      struct msl_loc loc);
struct msl_expr *sema_member(struct msl_front *f, struct msl_expr *base, const char *name,
			     bool arrow, struct msl_loc loc);
struct msl_expr *sema_index(struct msl_front *f, struct msl_expr *base, struct msl_expr *idx,
			    struct msl_loc loc);
struct msl_expr *sema_deref(struct msl_front *f, struct msl_expr *e, struct msl_loc loc);
struct msl_expr *sema_addr(struct msl_front *f, struct msl_expr *e, struct msl_loc loc);
/* Implicit conversion for initialisation/assignment/argument/return
 * (`what` names the context in messages). Brace lists are typed here. */
struct msl_expr *sema_convert(struct msl_front *f, struct msl_expr *e, const struct msl_type *to,
			      const char *what);
/* Bind an lvalue to a reference of type t in `space` (parameters, local
 * references): same type, an lvalue that is not a vector component, the
 * same address space, writable unless the reference is const. */
struct msl_expr *sema_bind_ref(struct msl_front *f, struct msl_expr *e, const struct msl_type *t,
			       enum msl_space space, bool is_const, const char *what);
/* A condition of if/while/for/?: converted to bool. */
struct msl_expr *sema_condition(struct msl_front *f, struct msl_expr *e);
/* Does s contain a `break` that leaves s itself (not one of a nested loop)? */
bool sema_stmt_contains_break(const struct msl_stmt *s);
/* Integer constant expression (array sizes); false when not constant. */
bool sema_const_int(struct msl_front *f, const struct msl_expr *e, int64_t *out);
/* Is this an assignable lvalue? Reports why not at loc when `report`. */
bool sema_check_writable(struct msl_front *f, const struct msl_expr *e, struct msl_loc loc,
			 bool report);
/* Does control never fall off the end of s? */
bool sema_stmt_terminates(const struct msl_stmt *s);
/* Entry point rules: parameter attributes, bindings, return type. */
void sema_check_entry(struct msl_front *f, struct msl_function *fn);
/* constexpr sampler arguments (each an identifier path like address::repeat). */
bool sema_sampler_arg(struct msl_front *f, struct msl_sampler_desc *d, const char *ns,
		      const char *value, struct msl_loc loc);

/* sema_threadgroup.c: threadgroup memory and barriers. */
/* mem_flags::X as a uint constant; NULL when qname is not a mem_flags name. */
struct msl_expr *sema_mem_flag(struct msl_front *f, const char *qname, struct msl_loc loc);
/* threadgroup_barrier / simdgroup_barrier calls; NULL for other names. */
struct msl_expr *sema_barrier(struct msl_front *f, const char *name, struct msl_expr **args,
			      size_t n, struct msl_loc loc);
/* A call of callee from the current function: barriers reach only kernels. */
void sema_call_barrier_rule(struct msl_front *f, const struct msl_function *callee, struct msl_loc loc);
/* A `threadgroup T name;` declaration in the current function: where it may
 * be, its type, and the per-kernel size limit. False after an error. */
bool sema_threadgroup_var(struct msl_front *f, const struct msl_type *t, const char *name,
			  struct msl_loc loc);

#endif
