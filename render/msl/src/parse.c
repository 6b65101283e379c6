/*
 * parse.c — recursive-descent parser for the MSL subset. It builds the
 * checked AST directly: every expression goes through a sema_* builder as
 * soon as it is parsed (MSL, like C++, declares before use, so one pass
 * suffices).
 *
 * Recovery: a syntax error inside a statement skips to the end of that
 * statement (';' or the enclosing '}' at the same nesting), so one run
 * reports errors from many statements; a broken top-level declaration
 * skips to the next ';' or closing '}' at nesting 0.
 */
#include <string.h>

#include "front.h"

struct parser {
	struct msl_front *f;
	bool stmt_error;        /* a syntax error was reported in this statement */
	bool auto_ok;           /* the declspec being parsed may be `auto` (a local declaration) */
	unsigned switch_depth;  /* loop_depth of the innermost switch's own loop; 0 = none */
	/* the innermost switch: its hidden "continue the enclosing loop" flag
	 * (named uniquely, so nested switches do not shadow each other),
	 * whether a `continue` used it, and whether a real loop encloses it */
	const char *switch_cont_name;
	bool switch_cont_used, switch_in_loop;
	unsigned switch_count;
};

#define F (p->f)

static struct token *peek(struct parser *p) { return &F->toks.v[F->pos]; }
static struct token *peek_at(struct parser *p, size_t k)
{
	size_t i = F->pos + k;
	return &F->toks.v[i < F->toks.n ? i : F->toks.n - 1];
}
static struct token *next(struct parser *p)
{
	struct token *t = peek(p);
	if (t->kind != TK_EOF)
		F->pos++;
	return t;
}
static bool is_p(const struct token *t, unsigned punct) { return t->kind == TK_PUNCT && t->punct == punct; }
static bool is_id(const struct token *t, const char *s) { return t->kind == TK_IDENT && strcmp(t->text, s) == 0; }
static bool accept(struct parser *p, unsigned punct)
{
	if (is_p(peek(p), punct)) {
		next(p);
		return true;
	}
	return false;
}

static const char *tok_desc(const struct token *t)
{
	switch (t->kind) {
	case TK_EOF: return "end of file";
	case TK_PUNCT: return t->text;
	default: return t->text;
	}
}

static void syntax_error(struct parser *p, const struct token *t, const char *fmt, const char *arg)
{
	if (p->stmt_error)
		return;
	p->stmt_error = true;
	char msg[256];
	snprintf(msg, sizeof msg, fmt, arg);
	if (t->kind == TK_EOF)
		msl_error(F, t->loc, "%s at end of file", msg);
	else
		msl_error(F, t->loc, "%s before '%s'", msg, tok_desc(t));
}

static bool expect(struct parser *p, unsigned punct)
{
	if (accept(p, punct))
		return true;
	const struct token *t = peek(p);
	if (F->pos > 0 && !p->stmt_error) {
		/* the next token is on a later line: the punctuation is missing at
		 * the end of the previous one, which is where to point (as clang does) */
		const struct token *prev = &F->toks.v[F->pos - 1];
		if (t->kind != TK_EOF && t->loc.line > prev->loc.line) {
			p->stmt_error = true;
			msl_error(F, (struct msl_loc){ prev->loc.line, prev->loc.col + prev->len },
				  "expected '%s' after '%s'", msl_punct_spelling(punct), tok_desc(prev));
			return false;
		}
	}
	char what[32];
	snprintf(what, sizeof what, "expected '%s'", msl_punct_spelling(punct));
	syntax_error(p, t, "%s", what);
	return false;
}

static void enter(struct parser *p, struct msl_loc loc)
{
	if (++F->depth > MSL_MAX_NESTING)
		msl_fatal(F, loc, "nesting too deep (limit %u)", MSL_MAX_NESTING);
}
static void leave(struct parser *p) { F->depth--; }

/* Skip to the end of the current statement: past ';' or up to a '}' that
 * closes the enclosing block, balancing brackets on the way. */
static void skip_statement(struct parser *p)
{
	int depth = 0;
	for (;;) {
		struct token *t = peek(p);
		if (t->kind == TK_EOF)
			return;
		if (t->kind == TK_PUNCT) {
			if (t->punct == P_LPAREN || t->punct == P_LBRACKET || t->punct == P_LBRACE || t->punct == P_LATTR)
				depth += t->punct == P_LATTR ? 2 : 1;
			else if (t->punct == P_RPAREN || t->punct == P_RBRACKET || t->punct == P_RBRACE) {
				if (depth == 0 && t->punct == P_RBRACE)
					return;
				if (depth == 0) { /* a stray ')' or ']' belongs to the broken statement */
					next(p);
					continue;
				}
				depth--;
				if (depth == 0 && t->punct == P_RBRACE) {
					next(p);
					if (is_p(peek(p), P_SEMI))
						next(p);
					return;
				}
			} else if (t->punct == P_SEMI && depth == 0) {
				next(p);
				return;
			}
		}
		next(p);
	}
}

/* ---- types ---------------------------------------------------------------- */

static const char *const unsupported_types[] = {
	"texture1d", "texture1d_array", "texture2d_array", "texture3d", "texturecube",
	"texturecube_array", "texture2d_ms_array", "depth2d", "depth2d_array", "depth2d_ms",
	"depthcube", "texture_buffer", "array", "array_ref", "vec", "matrix", "packed_float2x2",
	"atomic_int", "atomic_uint", "atomic_bool", "atomic_float", "double", "long", "ulong",
	"bfloat", "size_t", "ptrdiff_t", "visible_function_table", "intersection_function_table",
	"acceleration_structure", "imageblock", "simdgroup_float8x8", "enum", "union", "class",
	"template", "uint8_t", "int8_t", "uint16_t", "int16_t", "uint32_t", "int32_t",
};

static bool is_unsupported_type_name(const char *s)
{
	for (size_t i = 0; i < sizeof unsupported_types / sizeof unsupported_types[0]; i++)
		if (strcmp(s, unsupported_types[i]) == 0)
			return true;
	return false;
}

static bool is_qualifier(const struct token *t)
{
	return is_id(t, "const") || is_id(t, "constant") || is_id(t, "device") || is_id(t, "thread") ||
	       is_id(t, "threadgroup") || is_id(t, "constexpr") || is_id(t, "static") ||
	       is_id(t, "volatile") || is_id(t, "inline") || is_id(t, "__attribute__");
}

/* Does a type start at token k (ahead of the cursor)? */
static bool type_starts_at(struct parser *p, size_t k)
{
	struct token *t = peek_at(p, k);
	if (t->kind != TK_IDENT)
		return false;
	if (is_qualifier(t) || is_id(t, "unsigned") || is_id(t, "signed") || is_id(t, "struct") || is_id(t, "auto"))
		return true;
	if (is_id(t, "metal") && is_p(peek_at(p, k + 1), P_COLONCOLON)) {
		t = peek_at(p, k + 2); /* one `metal::` prefix, as parse_declspec takes */
		if (t->kind != TK_IDENT || is_id(t, "metal"))
			return false;
		k += 2;
	}
	if (is_id(t, "texture2d") || is_id(t, "texture2d_ms") || is_id(t, "sampler") || is_id(t, "void"))
		return true;
	if (msl_type_by_name(F, t->text, t->len))
		return true;
	if (is_unsupported_type_name(t->text))
		return true;
	struct sym *s = sema_lookup(F, t->text);
	return s && s->kind == SYM_TYPE;
}

struct declspec {
	const struct msl_type *type;    /* void for `auto`: the initializer gives the type */
	bool is_const, has_space, is_constexpr, is_static, is_auto;
	enum msl_space space;
	struct msl_loc loc, space_loc;
};

/* `__attribute__((always_inline))` and the other GNU function attributes
 * that only steer code generation (SPIRV-Cross emits them on helpers):
 * skipped. Any other name inside is reported as not supported. */
static const char *const gnu_attrs_ignored[] = {
	"always_inline", "noinline", "unused", "used", "flatten", "const", "pure", "overloadable",
	"__always_inline__", "__noinline__", "__unused__",
};

static void skip_gnu_attribute(struct parser *p)
{
	struct token *kw = next(p); /* __attribute__ */
	if (!is_p(peek(p), P_LPAREN) || !is_p(peek_at(p, 1), P_LPAREN)) {
		syntax_error(p, peek(p), "%s", "expected '((' after __attribute__");
		return;
	}
	next(p);
	next(p);
	int depth = 2;
	while (depth > 0 && peek(p)->kind != TK_EOF) {
		struct token *q = next(p);
		if (is_p(q, P_LPAREN))
			depth++;
		else if (is_p(q, P_RPAREN))
			depth--;
		else if (q->kind == TK_IDENT && depth == 2) {
			bool known = false;
			for (size_t i = 0; i < sizeof gnu_attrs_ignored / sizeof gnu_attrs_ignored[0]; i++)
				if (strcmp(q->text, gnu_attrs_ignored[i]) == 0)
					known = true;
			if (!known)
				msl_error(F, q->loc, "__attribute__((%s)) is not supported", q->text);
		}
	}
	(void)kw;
}

static bool parse_qualifiers(struct parser *p, struct declspec *ds)
{
	bool any = false;
	for (;;) {
		struct token *t = peek(p);
		enum msl_space sp;
		if (is_id(t, "const"))
			ds->is_const = true;
		else if (is_id(t, "constexpr"))
			ds->is_constexpr = true, ds->is_const = true;
		else if (is_id(t, "static") || is_id(t, "inline"))
			ds->is_static = true;
		else if (is_id(t, "__attribute__")) {
			skip_gnu_attribute(p);
			any = true;
			continue;
		} else if (is_id(t, "volatile")) {
			msl_error(F, t->loc, "'volatile' is not supported");
		} else if ((sp = MSL_SPACE_DEVICE, is_id(t, "device")) ||
			   (sp = MSL_SPACE_CONSTANT, is_id(t, "constant")) ||
			   (sp = MSL_SPACE_THREAD, is_id(t, "thread")) ||
			   (sp = MSL_SPACE_THREADGROUP, is_id(t, "threadgroup"))) {
			if (ds->has_space && ds->space != sp)
				msl_error(F, t->loc, "conflicting address spaces '%s' and '%s'", msl_space_name(ds->space),
					  msl_space_name(sp));
			ds->has_space = true;
			ds->space = sp;
			ds->space_loc = t->loc;
		} else
			return any;
		any = true;
		next(p);
	}
}

static bool parse_scalar_arg(struct parser *p, enum msl_scalar *s)
{
	struct token *t = next(p);
	const struct msl_type *ty = t->kind == TK_IDENT ? msl_type_by_name(F, t->text, t->len) : NULL;
	if (!ty || ty->kind != MSL_T_SCALAR || !(ty->scalar == MSL_FLOAT || ty->scalar == MSL_HALF ||
						 ty->scalar == MSL_INT || ty->scalar == MSL_UINT ||
						 ty->scalar == MSL_SHORT || ty->scalar == MSL_USHORT)) {
		msl_error(F, t->loc, "texture element type must be float, half, int, uint, short or ushort");
		p->stmt_error = true;
		return false;
	}
	*s = ty->scalar;
	return true;
}

/* After the base type name: texture2d<T, access::a> */
static const struct msl_type *parse_texture(struct parser *p, bool ms)
{
	if (!expect(p, P_LT))
		return NULL;
	enum msl_scalar s;
	if (!parse_scalar_arg(p, &s))
		return NULL;
	enum msl_access a = ms ? MSL_ACCESS_READ : MSL_ACCESS_SAMPLE;
	if (accept(p, P_COMMA)) {
		struct token *t = next(p);
		if (!is_id(t, "access") || !expect(p, P_COLONCOLON)) {
			msl_error(F, t->loc, "expected access::sample, access::read, access::write or access::read_write");
			p->stmt_error = true;
			return NULL;
		}
		struct token *v = next(p);
		if (is_id(v, "sample")) a = MSL_ACCESS_SAMPLE;
		else if (is_id(v, "read")) a = MSL_ACCESS_READ;
		else if (is_id(v, "write")) a = MSL_ACCESS_WRITE;
		else if (is_id(v, "read_write")) a = MSL_ACCESS_READ_WRITE;
		else {
			msl_error(F, v->loc, "unknown texture access '%s'", tok_desc(v));
			p->stmt_error = true;
			return NULL;
		}
		if (ms && a != MSL_ACCESS_READ) {
			msl_error(F, v->loc, "texture2d_ms supports only access::read");
			p->stmt_error = true;
			return NULL;
		}
	}
	if (!expect(p, P_GT))
		return NULL;
	return msl_type_texture(F, ms ? MSL_TEX_2D_MS : MSL_TEX_2D, s, a);
}

/* Qualifiers and a base type. Returns false (consuming nothing of note)
 * when no type is there. */
static bool parse_declspec(struct parser *p, struct declspec *ds)
{
	memset(ds, 0, sizeof *ds);
	ds->loc = peek(p)->loc;
	parse_qualifiers(p, ds);
	struct token *t = peek(p);
	if (is_id(t, "metal") && is_p(peek_at(p, 1), P_COLONCOLON)) {
		next(p);
		next(p);
		t = peek(p);
	}
	if (t->kind != TK_IDENT) {
		syntax_error(p, t, "%s", "expected a type");
		return false;
	}
	ds->loc = t->loc;
	if (is_id(t, "unsigned") || is_id(t, "signed")) {
		bool u = t->text[0] == 'u';
		next(p);
		enum msl_scalar s = u ? MSL_UINT : MSL_INT;
		if (is_id(peek(p), "char")) next(p), s = u ? MSL_UCHAR : MSL_CHAR;
		else if (is_id(peek(p), "short")) next(p), s = u ? MSL_USHORT : MSL_SHORT;
		else if (is_id(peek(p), "int")) next(p);
		ds->type = msl_type_scalar(F, s);
	} else if (is_id(t, "struct")) {
		next(p);
		struct token *n = next(p);
		struct sym *s = n->kind == TK_IDENT ? sema_lookup(F, n->text) : NULL;
		if (!s || s->kind != SYM_TYPE || s->type->kind != MSL_T_STRUCT) {
			msl_error(F, n->loc, "unknown struct '%s'", tok_desc(n));
			p->stmt_error = true;
			ds->type = msl_type_error(F);
		} else
			ds->type = s->type;
	} else if (is_id(t, "texture2d") || is_id(t, "texture2d_ms")) {
		next(p);
		ds->type = parse_texture(p, t->text[9] == '_');
		if (!ds->type)
			ds->type = msl_type_error(F);
	} else if (is_id(t, "sampler")) {
		next(p);
		ds->type = msl_type_sampler(F);
	} else if (is_id(t, "void")) {
		next(p);
		ds->type = msl_type_void(F);
	} else if (is_id(t, "auto")) {
		next(p);
		if (p->auto_ok) {
			ds->is_auto = true;
			ds->type = msl_type_void(F);
		} else {
			msl_error(F, t->loc, "'auto' is only supported for local variables with an initializer");
			ds->type = msl_type_error(F);
		}
	} else if ((ds->type = msl_type_by_name(F, t->text, t->len)) != NULL) {
		next(p);
	} else if (is_unsupported_type_name(t->text)) {
		msl_error(F, t->loc, "type '%s' is not supported", t->text);
		p->stmt_error = true;
		next(p);
		if (is_p(peek(p), P_LT)) { /* skip template arguments */
			int d = 0;
			do {
				struct token *q = next(p);
				if (is_p(q, P_LT)) d++;
				else if (is_p(q, P_GT)) d--;
				else if (is_p(q, P_SHR)) d -= 2;
				else if (q->kind == TK_EOF || is_p(q, P_SEMI)) break;
			} while (d > 0);
		}
		ds->type = msl_type_error(F);
	} else {
		struct sym *s = sema_lookup(F, t->text);
		if (!s || s->kind != SYM_TYPE) {
			syntax_error(p, t, "%s", "expected a type");
			return false;
		}
		next(p);
		ds->type = s->type;
	}
	parse_qualifiers(p, ds); /* `float const`, `device float const*` */
	return true;
}

/* ---- attributes ----------------------------------------------------------- */

static struct msl_expr *parse_assign(struct parser *p);
static struct msl_expr *parse_cond(struct parser *p);
static struct msl_expr *parse_expr(struct parser *p);

static const struct { const char *name; enum msl_attr_kind k; bool indexed; } attrs[] = {
	{ "stage_in", MSL_ATTR_STAGE_IN, false }, { "position", MSL_ATTR_POSITION, false },
	{ "attribute", MSL_ATTR_ATTRIBUTE, true }, { "buffer", MSL_ATTR_BUFFER, true },
	{ "texture", MSL_ATTR_TEXTURE, true }, { "sampler", MSL_ATTR_SAMPLER, true },
	{ "color", MSL_ATTR_COLOR, true }, { "vertex_id", MSL_ATTR_VERTEX_ID, false },
	{ "instance_id", MSL_ATTR_INSTANCE_ID, false }, { "front_facing", MSL_ATTR_FRONT_FACING, false },
	{ "sample_id", MSL_ATTR_SAMPLE_ID, false }, { "flat", MSL_ATTR_FLAT, false },
	{ "thread_position_in_grid", MSL_ATTR_THREAD_POSITION_IN_GRID, false },
	{ "thread_position_in_threadgroup", MSL_ATTR_THREAD_POSITION_IN_THREADGROUP, false },
	{ "threadgroup_position_in_grid", MSL_ATTR_THREADGROUP_POSITION_IN_GRID, false },
	{ "threads_per_threadgroup", MSL_ATTR_THREADS_PER_THREADGROUP, false },
	{ "thread_index_in_threadgroup", MSL_ATTR_THREAD_INDEX_IN_THREADGROUP, false },
	{ "point_size", MSL_ATTR_POINT_SIZE, false }, { "point_coord", MSL_ATTR_POINT_COORD, false },
};

static const char threadgroup_param_error[] =
	"threadgroup parameters are not supported: a kernel's threadgroup buffers are sized by "
	"setThreadgroupMemoryLength, which the command stream does not carry (declare "
	"'threadgroup T name[N];' in the kernel instead)";

static const char *const known_unsupported_attrs[] = {
	"centroid_perspective",
	"centroid_no_perspective", "sample_perspective", "sample_no_perspective",
	"clip_distance", "render_target_array_index", "viewport_array_index", "depth",
	"sample_mask", "primitive_id", "base_vertex", "base_instance", "amplification_id",
	"threadgroups_per_grid", "threads_per_grid",
	"thread_index_in_simdgroup", "simdgroup_index_in_threadgroup", "threads_per_simdgroup",
	"max_total_threads_per_threadgroup", "early_fragment_tests", "function_constant",
	"id", "visible", "raster_order_group", "patch", "payload", "host_name", "invariant",
	"barycentric_coord", "dispatch_threads_per_threadgroup",
};

/* [[a, b(n)]] — zero or more groups. Fills *out (one binding attribute
 * plus [[flat]]). Returns false on a syntax error. */
static bool parse_attributes(struct parser *p, struct msl_attr *out)
{
	while (is_p(peek(p), P_LATTR)) {
		next(p);
		do {
			struct token *n = next(p);
			if (n->kind != TK_IDENT) {
				syntax_error(p, n, "%s", "expected an attribute name");
				return false;
			}
			size_t ai = 0;
			bool found = false;
			for (; ai < sizeof attrs / sizeof attrs[0]; ai++)
				if (strcmp(attrs[ai].name, n->text) == 0) {
					found = true;
					break;
				}
			/* Interpolation and naming qualifiers of stage_in/out members: kept
			 * beside the binding attribute, like [[flat]]. */
			if (strcmp(n->text, "center_perspective") == 0) {
				continue; /* the default interpolation */
			}
			if (strcmp(n->text, "center_no_perspective") == 0) {
				out->no_perspective = true;
				continue;
			}
			if (strcmp(n->text, "user") == 0) {
				struct token *u = NULL;
				if (accept(p, P_LPAREN)) {
					u = next(p);
					if (u->kind != TK_IDENT) {
						syntax_error(p, u, "%s", "expected a name in [[user(NAME)]]");
						return false;
					}
					if (!expect(p, P_RPAREN))
						return false;
				} else
					msl_error(F, n->loc, "attribute [[user]] needs a name, e.g. [[user(locn0)]]");
				if (u && out->user)
					msl_error(F, n->loc, "more than one [[user(...)]] attribute");
				else if (u)
					out->user = u->text;
				continue;
			}
			uint32_t index = 0;
			bool has_arg = is_p(peek(p), P_LPAREN);
			if (has_arg) {
				next(p);
				if (found && attrs[ai].indexed) {
					struct msl_expr *e = parse_cond(p);
					int64_t v;
					if (!sema_is_error(F, e)) {
						if (!sema_const_int(F, e, &v) || v < 0 || v > 0xFFFF) {
							msl_error(F, e->loc, "index of [[%s(...)]] must be a non-negative integer constant",
								  n->text);
						} else
							index = (uint32_t)v;
					}
				} else {
					int d = 1;
					while (d > 0 && peek(p)->kind != TK_EOF) {
						struct token *q = next(p);
						if (is_p(q, P_LPAREN)) d++;
						if (is_p(q, P_RPAREN)) d--;
					}
					F->pos--;
				}
				if (!expect(p, P_RPAREN))
					return false;
			}
			if (!found && strcmp(n->text, "threadgroup") == 0) {
				/* [[threadgroup(n)]]: the parameter's own error says why */
				out->rejected = true;
				continue;
			}
			if (!found) {
				bool known = false;
				for (size_t k = 0; k < sizeof known_unsupported_attrs / sizeof known_unsupported_attrs[0]; k++)
					if (strcmp(known_unsupported_attrs[k], n->text) == 0)
						known = true;
				msl_error(F, n->loc, known ? "attribute [[%s]] is not supported" : "unknown attribute [[%s]]",
					  n->text);
				out->rejected = true;
				continue;
			}
			if (attrs[ai].indexed && !has_arg) {
				/* keep the kind (index 0) so no follow-on "missing attribute" */
				msl_error(F, n->loc, "attribute [[%s]] needs an index, e.g. [[%s(0)]]", n->text, n->text);
			}
			if (!attrs[ai].indexed && has_arg) {
				msl_error(F, n->loc, "attribute [[%s]] takes no argument", n->text);
				continue;
			}
			if (attrs[ai].k == MSL_ATTR_FLAT) {
				out->flat = true;
				continue;
			}
			if (out->kind != MSL_ATTR_NONE) {
				msl_error(F, n->loc, "more than one binding attribute ([[%s]] and [[%s]])",
					  msl_attr_name(out->kind), n->text);
				continue;
			}
			out->kind = attrs[ai].k;
			out->index = index;
			out->loc = n->loc;
		} while (accept(p, P_COMMA));
		if (!expect(p, P_RBRACKET) || !expect(p, P_RBRACKET))
			return false;
	}
	return true;
}

/* ---- declarators ---------------------------------------------------------- */

struct declarator {
	const struct msl_type *type;   /* full type (pointer/array applied) */
	bool by_ref;
	enum msl_space ref_space;
	const char *name;
	struct msl_loc loc;
	struct msl_attr attr;
};

/* After `name[]`: skip further `[N]` dimensions and `[[attributes]]`, and
 * if an `= { ... }` or `{ ... }` initializer follows, return its number of
 * top-level items (a trailing comma allowed); 0 when there is none. Looks
 * ahead without consuming. */
static uint32_t brace_items_ahead(struct parser *p)
{
	size_t k = 0;
	while (is_p(peek_at(p, k), P_LBRACKET) || is_p(peek_at(p, k), P_LATTR)) {
		int depth = 0;
		do {
			struct token *t = peek_at(p, k++);
			if (t->kind == TK_EOF || is_p(t, P_SEMI))
				return 0;
			if (is_p(t, P_LBRACKET))
				depth++;
			else if (is_p(t, P_RBRACKET))
				depth--;
			else if (is_p(t, P_LATTR))
				depth += 2;
		} while (depth > 0);
	}
	if (is_p(peek_at(p, k), P_ASSIGN))
		k++;
	if (!is_p(peek_at(p, k), P_LBRACE))
		return 0;
	k++;
	uint32_t items = 0;
	int depth = 0;
	bool pending = false; /* tokens seen since the last top-level comma */
	for (;; k++) {
		struct token *t = peek_at(p, k);
		if (t->kind == TK_EOF)
			return 0;
		if (depth == 0 && is_p(t, P_RBRACE))
			return items + (pending ? 1 : 0);
		if (depth == 0 && is_p(t, P_COMMA)) {
			items++;
			pending = false;
			continue;
		}
		pending = true;
		if (is_p(t, P_LBRACE) || is_p(t, P_LPAREN) || is_p(t, P_LBRACKET))
			depth++;
		else if (is_p(t, P_RBRACE) || is_p(t, P_RPAREN) || is_p(t, P_RBRACKET))
			depth--;
		else if (is_p(t, P_LATTR))
			depth += 2;
		if (items > (1u << 20))
			return 0;
	}
}

/* Apply address space rules to the base type: a pointer's or reference's
 * space comes from the qualifiers; `thread` is the default for locals. */
static bool parse_declarator(struct parser *p, const struct declspec *ds, struct declarator *d,
			     bool allow_ref, bool need_name)
{
	memset(d, 0, sizeof *d);
	d->type = ds->type;
	if (is_p(peek(p), P_STAR)) {
		struct token *st = next(p);
		bool pc = ds->is_const;
		struct declspec q = { 0 };
		parse_qualifiers(p, &q); /* `float * const p`: const pointer */
		if (is_p(peek(p), P_STAR) || is_p(peek(p), P_AMP)) {
			msl_error(F, peek(p)->loc, "pointers to pointers and references to pointers are not supported");
			p->stmt_error = true;
			return false;
		}
		if (!ds->has_space) {
			msl_error(F, st->loc, "pointer needs an address space (device, constant, thread or threadgroup)");
			d->type = msl_type_error(F);
		} else if (ds->type->kind == MSL_T_TEXTURE || ds->type->kind == MSL_T_SAMPLER ||
			   ds->type->kind == MSL_T_VOID) {
			msl_error(F, st->loc, "pointer to '%s' is not supported", ds->type->name);
			d->type = msl_type_error(F);
		} else
			d->type = msl_type_pointer(F, ds->type, ds->space, pc || ds->space == MSL_SPACE_CONSTANT);
	} else if (is_p(peek(p), P_AMP)) {
		struct token *am = next(p);
		if (!allow_ref) {
			msl_error(F, am->loc, "references are not supported here");
			d->type = msl_type_error(F);
		} else if (!ds->has_space) {
			msl_error(F, am->loc, "reference needs an address space (device, constant, thread or threadgroup)");
			d->type = msl_type_error(F);
		}
		d->by_ref = true;
		d->ref_space = ds->space;
	}
	struct token *n = peek(p);
	if (n->kind == TK_IDENT && !is_p(n, P_LATTR)) {
		next(p);
		d->name = n->text;
		d->loc = n->loc;
	} else if (need_name) {
		syntax_error(p, n, "%s", "expected a name");
		return false;
	} else {
		d->name = "";
		d->loc = n->loc;
	}
	/* arrays: T name[N][M] is an array of N arrays of M */
	uint32_t dims[8];
	unsigned nd = 0;
	while (is_p(peek(p), P_LBRACKET)) {
		struct token *lb = next(p);
		if (nd == 0 && is_p(peek(p), P_RBRACKET)) {
			/* `T name[] = { ... }`: the size is the initializer's length */
			next(p);
			uint32_t items = brace_items_ahead(p);
			if (!items)
				msl_error(F, lb->loc, "array '%s' without a size needs a non-empty brace initializer",
					  d->name);
			dims[nd++] = items ? items : 1;
			continue;
		}
		struct msl_expr *e = parse_cond(p);
		if (!expect(p, P_RBRACKET))
			return false;
		int64_t v = 0;
		if (!sema_is_error(F, e) && (!sema_const_int(F, e, &v) || v <= 0 || v > (1 << 20))) {
			msl_error(F, e->loc, "array size must be a positive integer constant (at most %u)", 1u << 20);
			v = 1;
		}
		if (nd >= 8) {
			if (nd++ == 8) /* once per declarator */
				msl_error(F, lb->loc, "too many array dimensions (limit 8)");
			continue;
		}
		dims[nd++] = (uint32_t)(v > 0 ? v : 1);
	}
	if (nd > 8)
		d->type = msl_type_error(F);
	if (nd && d->type != msl_type_error(F)) {
		if (d->by_ref) {
			msl_error(F, d->loc, "reference to an array is not supported");
			d->type = msl_type_error(F);
		} else if (d->type->kind == MSL_T_TEXTURE || d->type->kind == MSL_T_SAMPLER) {
			msl_error(F, d->loc, "arrays of textures or samplers are not supported");
			d->type = msl_type_error(F);
		} else {
			for (unsigned i = nd; i-- > 0;)
				d->type = msl_type_array(F, d->type, dims[i]);
			if (d->type->size > (64u << 20)) {
				msl_error(F, d->loc, "array '%s' is too large (%u bytes)", d->name, d->type->size);
				d->type = msl_type_error(F);
			}
		}
	}
	return parse_attributes(p, &d->attr);
}


/* ---- expression height ----------------------------------------------------- */

static uint32_t child_height(const struct msl_expr *c)
{
	/* implicit wrappers sema adds have no height of their own: look through */
	while (c && c->height == 0 && (c->kind == MSL_E_CONVERT || c->kind == MSL_E_DEREF))
		c = c->kind == MSL_E_CONVERT ? c->u.convert.operand : c->u.operand;
	return c ? c->height : 0;
}

/* Record e's height from its children and bound it, so that recursive
 * walks (constant folding, lowering, execution) cannot run out of stack on
 * a left-deep chain like 1+1+1+... */
static struct msl_expr *H(struct parser *p, struct msl_expr *e)
{
	uint32_t h = 0;
#define KID(x) do { uint32_t k_ = child_height(x); if (k_ > h) h = k_; } while (0)
	switch (e->kind) {
	case MSL_E_UNARY: KID(e->u.unary.operand); break;
	case MSL_E_BINARY: case MSL_E_COMMA: KID(e->u.binary.left); KID(e->u.binary.right); break;
	case MSL_E_ASSIGN: KID(e->u.assign.target); KID(e->u.assign.value); break;
	case MSL_E_INCDEC: KID(e->u.incdec.target); break;
	case MSL_E_COND: KID(e->u.cond.cond); KID(e->u.cond.then_expr); KID(e->u.cond.else_expr); break;
	case MSL_E_CALL: for (size_t i = 0; i < e->u.call.arg_count; i++) KID(e->u.call.args[i]); break;
	case MSL_E_BUILTIN: for (size_t i = 0; i < e->u.builtin.arg_count; i++) KID(e->u.builtin.args[i]); break;
	case MSL_E_CONSTRUCT: for (size_t i = 0; i < e->u.construct.part_count; i++) KID(e->u.construct.parts[i]); break;
	case MSL_E_CONVERT: KID(e->u.convert.operand); break;
	case MSL_E_SWIZZLE: KID(e->u.swizzle.base); break;
	case MSL_E_MEMBER: KID(e->u.member.base); break;
	case MSL_E_INDEX: KID(e->u.index.base); KID(e->u.index.index); break;
	case MSL_E_DEREF: case MSL_E_ADDR: KID(e->u.operand); break;
	default: break;
	}
#undef KID
	e->height = h + 1;
	if (e->height > MSL_MAX_EXPR_DEPTH)
		msl_fatal(F, e->loc, "expression too deeply nested (limit %u)", MSL_MAX_EXPR_DEPTH);
	return e;
}

/* ---- expressions ---------------------------------------------------------- */

/* Comma-separated call arguments up to ')'. */
static struct msl_expr **parse_args(struct parser *p, size_t *n)
{
	struct msl_expr **v = NULL;
	size_t cap = 0;
	*n = 0;
	if (accept(p, P_RPAREN))
		return NULL;
	do {
		struct msl_expr *e = parse_assign(p);
		void *items = v;
		msl_vec_push(F, &items, n, &cap, &e, sizeof e);
		v = items;
	} while (accept(p, P_COMMA));
	expect(p, P_RPAREN);
	return v;
}

static struct msl_expr *parse_brace_list(struct parser *p)
{
	struct token *lb = next(p); /* { */
	enter(p, lb->loc);
	struct msl_expr **v = NULL;
	size_t n = 0, cap = 0;
	while (!is_p(peek(p), P_RBRACE) && peek(p)->kind != TK_EOF) {
		struct msl_expr *e = is_p(peek(p), P_LBRACE) ? parse_brace_list(p) : parse_assign(p);
		void *items = v;
		msl_vec_push(F, &items, &n, &cap, &e, sizeof e);
		v = items;
		if (!accept(p, P_COMMA))
			break;
	}
	expect(p, P_RBRACE);
	leave(p);
	for (size_t i = 0; i < n; i++)
		if (sema_is_error(F, v[i]))
			return sema_error_expr(F, lb->loc);
	return H(p, sema_brace_list(F, v, n, lb->loc));
}

/* A type used in an expression: T(args), T{...} */
static struct msl_expr *parse_type_expr(struct parser *p)
{
	struct token *start = peek(p);
	struct declspec ds;
	if (!parse_declspec(p, &ds))
		return sema_error_expr(F, start->loc);
	if (ds.has_space || ds.is_const) {
		msl_error(F, start->loc, "qualified type in an expression");
		return sema_error_expr(F, start->loc);
	}
	if (is_p(peek(p), P_LPAREN)) {
		next(p);
		size_t n;
		struct msl_expr **args = parse_args(p, &n);
		if (ds.type == msl_type_error(F))
			return sema_error_expr(F, start->loc);
		return H(p, sema_construct(F, ds.type, args, n, start->loc));
	}
	if (is_p(peek(p), P_LBRACE)) {
		struct msl_expr *l = parse_brace_list(p);
		if (ds.type == msl_type_error(F))
			return sema_error_expr(F, start->loc);
		return H(p, sema_convert(F, l, ds.type, "initialization"));
	}
	syntax_error(p, peek(p), "%s", "expected '(' or '{' after a type name in an expression");
	return sema_error_expr(F, start->loc);
}

static struct msl_expr *parse_unary(struct parser *p);

/* Just after '(': do the tokens up to the matching ')' form exactly a type
 * name (qualifiers, an optional `metal::`, the base type with any template
 * arguments, then `*`, `&` and `const`)? Only then is it a C cast `(T)x`;
 * anything else, such as `(float(x) + y)` or `(metal::float2(a, b) * c)`,
 * is a parenthesised expression. Looks ahead without consuming. */
static bool paren_holds_type_name(struct parser *p)
{
	size_t k = 0;
	while (is_qualifier(peek_at(p, k)))
		k++;
	if (!type_starts_at(p, k))
		return false;
	struct token *t = peek_at(p, k);
	if (is_id(t, "metal") && is_p(peek_at(p, k + 1), P_COLONCOLON))
		t = peek_at(p, k += 2);
	if (is_id(t, "unsigned") || is_id(t, "signed")) {
		k++;
		t = peek_at(p, k);
		if (is_id(t, "char") || is_id(t, "short") || is_id(t, "int"))
			k++;
	} else if (is_id(t, "struct")) {
		k += 2;
	} else {
		k++;
		if (is_p(peek_at(p, k), P_LT)) { /* template arguments, balanced */
			int depth = 0;
			for (;;) {
				struct token *q = peek_at(p, k++);
				if (is_p(q, P_LT))
					depth++;
				else if (is_p(q, P_GT))
					depth--;
				else if (is_p(q, P_SHR))
					depth -= 2;
				else if (q->kind == TK_EOF || is_p(q, P_SEMI) || is_p(q, P_RPAREN) ||
					 is_p(q, P_LPAREN) || is_p(q, P_LBRACE))
					return false;
				if (depth <= 0)
					break;
			}
		}
	}
	for (;;) {
		t = peek_at(p, k);
		if (is_p(t, P_STAR) || is_p(t, P_AMP) || is_qualifier(t))
			k++;
		else
			break;
	}
	return is_p(peek_at(p, k), P_RPAREN);
}

static struct msl_expr *parse_primary(struct parser *p)
{
	struct token *t = peek(p);
	switch (t->kind) {
	case TK_INT:
		next(p);
		return sema_int_lit(F, t);
	case TK_FLOAT:
		next(p);
		return sema_float_lit(F, t);
	case TK_STRING:
	case TK_CHAR:
		next(p);
		msl_error(F, t->loc, "%s literals are not supported", t->kind == TK_STRING ? "string" : "character");
		return sema_error_expr(F, t->loc);
	case TK_PUNCT:
		if (t->punct == P_LPAREN) {
			next(p);
			if (paren_holds_type_name(p)) {
				/* a C cast (T)x */
				struct declspec ds;
				if (!parse_declspec(p, &ds) || !expect(p, P_RPAREN))
					return sema_error_expr(F, t->loc);
				struct msl_expr *e = parse_unary(p);
				if (ds.type == msl_type_error(F))
					return sema_error_expr(F, t->loc);
				return H(p, sema_cast(F, ds.type, e, t->loc));
			}
			struct msl_expr *e = parse_expr(p);
			expect(p, P_RPAREN);
			return e;
		}
		if (t->punct == P_LBRACE) {
			return parse_brace_list(p);
		}
		syntax_error(p, t, "%s", "expected an expression");
		return sema_error_expr(F, t->loc);
	case TK_IDENT:
		break;
	default:
		syntax_error(p, t, "%s", "expected an expression");
		return sema_error_expr(F, t->loc);
	}
	if (is_id(t, "true") || is_id(t, "false")) {
		next(p);
		return sema_bool_lit(F, t->text[0] == 't', t->loc);
	}
	if (is_id(t, "static_cast")) {
		next(p);
		if (!expect(p, P_LT))
			return sema_error_expr(F, t->loc);
		struct declspec ds;
		if (!parse_declspec(p, &ds) || !expect(p, P_GT) || !expect(p, P_LPAREN))
			return sema_error_expr(F, t->loc);
		struct msl_expr *e = parse_expr(p);
		expect(p, P_RPAREN);
		return H(p, sema_cast(F, ds.type, e, t->loc));
	}
	if (is_id(t, "metal") && is_p(peek_at(p, 1), P_COLONCOLON) && is_id(peek_at(p, 2), "as_type")) {
		next(p); /* metal::as_type */
		next(p);
		t = peek(p);
	}
	if (is_id(t, "as_type") && is_p(peek_at(p, 1), P_LT)) {
		next(p);
		next(p);
		struct declspec ds;
		if (!parse_declspec(p, &ds) || !expect(p, P_GT) || !expect(p, P_LPAREN))
			return sema_error_expr(F, t->loc);
		struct msl_expr *e = parse_expr(p);
		expect(p, P_RPAREN);
		return H(p, sema_as_type(F, ds.type, e, t->loc));
	}
	if (is_id(t, "sizeof") && is_p(peek_at(p, 1), P_LPAREN)) {
		/* sizeof(type) or sizeof(expr): the Metal layout size, as a uint
		 * constant (size_t is 64-bit in MSL; this subset has no 64-bit ints) */
		next(p);
		next(p);
		const struct msl_type *ty = NULL;
		if (paren_holds_type_name(p)) {
			struct declspec ds;
			if (!parse_declspec(p, &ds))
				return sema_error_expr(F, t->loc);
			ty = ds.type;
			while (is_p(peek(p), P_STAR) || is_p(peek(p), P_AMP)) {
				msl_error(F, peek(p)->loc, "sizeof of a pointer or reference type is not supported");
				next(p);
				ty = msl_type_error(F);
			}
		} else {
			struct msl_expr *e = parse_expr(p);
			ty = sema_is_error(F, e) ? msl_type_error(F) : e->type;
		}
		if (!expect(p, P_RPAREN) || ty == msl_type_error(F))
			return sema_error_expr(F, t->loc);
		if (!ty || !ty->size || ty->kind == MSL_T_POINTER) {
			msl_error(F, t->loc, "sizeof of '%s' is not supported", ty ? ty->name : "a brace list");
			return sema_error_expr(F, t->loc);
		}
		struct token lit;
		memset(&lit, 0, sizeof lit);
		lit.kind = TK_INT;
		lit.loc = t->loc;
		lit.lit_type = MSL_UINT;
		lit.ival = ty->size;
		return sema_int_lit(F, &lit);
	}
	if (is_id(t, "sizeof") || is_id(t, "as_type") || is_id(t, "reinterpret_cast") ||
	    is_id(t, "const_cast") || is_id(t, "this") || is_id(t, "new") || is_id(t, "delete")) {
		msl_error(F, t->loc, "'%s' is not supported", t->text);
		p->stmt_error = true;
		next(p);
		return sema_error_expr(F, t->loc);
	}
	if (is_p(peek_at(p, 1), P_COLONCOLON) && peek_at(p, 2)->kind == TK_IDENT) {
		/* an enumerator named through its enum: Mode::kScreen */
		const char *qn = msl_sprintf(F, "%s::%s", t->text, peek_at(p, 2)->text);
		struct sym *s = sema_lookup(F, qn);
		if (s && s->kind == SYM_VAR) {
			next(p);
			next(p);
			next(p);
			return H(p, sema_ident(F, qn, t->loc));
		}
	}
	if (type_starts_at(p, 0) && !is_qualifier(t))
		return parse_type_expr(p);
	/* qualified names: metal::max, fast::sin, precise::sqrt */
	next(p);
	const char *name = t->text;
	while (is_p(peek(p), P_COLONCOLON) && peek_at(p, 1)->kind == TK_IDENT) {
		next(p);
		struct token *n2 = next(p);
		name = msl_sprintf(F, "%s::%s", name, n2->text);
	}
	if (is_p(peek(p), P_LPAREN)) {
		next(p);
		size_t n;
		struct msl_expr **args = parse_args(p, &n);
		return H(p, sema_call(F, name, args, n, t->loc));
	}
	return H(p, sema_ident(F, name, t->loc));
}

static struct msl_expr *parse_postfix(struct parser *p)
{
	struct msl_expr *e = parse_primary(p);
	for (;;) {
		struct token *t = peek(p);
		if (is_p(t, P_LBRACKET)) {
			next(p);
			struct msl_expr *i = parse_expr(p);
			expect(p, P_RBRACKET);
			e = H(p, sema_index(F, e, i, t->loc));
		} else if (is_p(t, P_DOT) || is_p(t, P_ARROW)) {
			next(p);
			struct token *n = next(p);
			if (n->kind != TK_IDENT) {
				syntax_error(p, n, "%s", "expected a member name");
				return sema_error_expr(F, t->loc);
			}
			if (is_p(peek(p), P_LPAREN)) {
				next(p);
				size_t na;
				struct msl_expr **args = parse_args(p, &na);
				if (is_p(t, P_ARROW))
					e = sema_deref(F, e, t->loc);
				e = H(p, sema_method(F, e, n->text, args, na, n->loc));
			} else
				e = H(p, sema_member(F, e, n->text, is_p(t, P_ARROW), n->loc));
		} else if (is_p(t, P_INC) || is_p(t, P_DEC)) {
			next(p);
			e = H(p, sema_incdec(F, t->punct == P_INC, false, e, t->loc));
		} else if (is_p(t, P_LPAREN)) {
			syntax_error(p, t, "%s", "called object is not a function;");
			return sema_error_expr(F, t->loc);
		} else
			return e;
	}
}

static struct msl_expr *parse_unary(struct parser *p)
{
	struct token *t = peek(p);
	enter(p, t->loc);
	struct msl_expr *r;
	if (is_p(t, P_MINUS) || is_p(t, P_PLUS) || is_p(t, P_BANG) || is_p(t, P_TILDE)) {
		next(p);
		r = H(p, sema_unary(F, t->punct, parse_unary(p), t->loc));
	} else if (is_p(t, P_INC) || is_p(t, P_DEC)) {
		next(p);
		r = H(p, sema_incdec(F, t->punct == P_INC, true, parse_unary(p), t->loc));
	} else if (is_p(t, P_STAR)) {
		next(p);
		r = H(p, sema_deref(F, parse_unary(p), t->loc));
	} else if (is_p(t, P_AMP)) {
		next(p);
		r = H(p, sema_addr(F, parse_unary(p), t->loc));
	} else
		r = parse_postfix(p);
	leave(p);
	return r;
}

static int binprec(const struct token *t)
{
	if (t->kind != TK_PUNCT)
		return 0;
	switch (t->punct) {
	case P_STAR: case P_SLASH: case P_PERCENT: return 10;
	case P_PLUS: case P_MINUS: return 9;
	case P_SHL: case P_SHR: return 8;
	case P_LT: case P_GT: case P_LE: case P_GE: return 7;
	case P_EQ: case P_NE: return 6;
	case P_AMP: return 5;
	case P_CARET: return 4;
	case P_PIPE: return 3;
	case P_ANDAND: return 2;
	case P_OROR: return 1;
	default: return 0;
	}
}

static struct msl_expr *parse_binary(struct parser *p, int min_prec)
{
	struct msl_expr *l = parse_unary(p);
	for (;;) {
		struct token *t = peek(p);
		int pr = binprec(t);
		if (pr == 0 || pr < min_prec)
			return l;
		next(p);
		struct msl_expr *r = parse_binary(p, pr + 1);
		l = H(p, sema_binary(F, t->punct, l, r, t->loc));
	}
}

static struct msl_expr *parse_cond(struct parser *p)
{
	struct msl_expr *c = parse_binary(p, 1);
	struct token *q = peek(p);
	if (!is_p(q, P_QUESTION))
		return c;
	next(p);
	enter(p, q->loc);
	struct msl_expr *a = parse_expr(p);
	expect(p, P_COLON);
	struct msl_expr *b = parse_cond(p);
	leave(p);
	return H(p, sema_cond(F, c, a, b, q->loc));
}

static bool is_assign_op(const struct token *t)
{
	if (t->kind != TK_PUNCT)
		return false;
	switch (t->punct) {
	case P_ASSIGN: case P_ADD_ASSIGN: case P_SUB_ASSIGN: case P_MUL_ASSIGN: case P_DIV_ASSIGN:
	case P_MOD_ASSIGN: case P_AND_ASSIGN: case P_OR_ASSIGN: case P_XOR_ASSIGN:
	case P_SHL_ASSIGN: case P_SHR_ASSIGN:
		return true;
	default:
		return false;
	}
}

static struct msl_expr *parse_assign(struct parser *p)
{
	struct msl_expr *l = parse_cond(p);
	struct token *t = peek(p);
	if (!is_assign_op(t))
		return l;
	next(p);
	enter(p, t->loc);
	struct msl_expr *r = is_p(peek(p), P_LBRACE) ? parse_brace_list(p) : parse_assign(p);
	leave(p);
	return H(p, sema_assign(F, t->punct, l, r, t->loc));
}

static struct msl_expr *parse_expr(struct parser *p)
{
	struct msl_expr *e = parse_assign(p);
	while (is_p(peek(p), P_COMMA)) {
		struct token *t = next(p);
		struct msl_expr *r = parse_assign(p);
		e = H(p, sema_comma(F, e, r, t->loc));
	}
	return e;
}

/* ---- statements ----------------------------------------------------------- */

static struct msl_stmt *new_stmt(struct parser *p, enum msl_stmt_kind k, struct msl_loc loc)
{
	struct msl_stmt *s = msl_alloc(F, sizeof *s);
	s->kind = k;
	s->loc = loc;
	return s;
}

static struct msl_stmt *parse_statement(struct parser *p);

static struct msl_var *new_var(struct parser *p, enum msl_var_kind k, const char *name,
			       const struct msl_type *t, struct msl_loc loc)
{
	struct msl_var *v = msl_alloc(F, sizeof *v);
	v->kind = k;
	v->name = name;
	v->type = t;
	v->loc = loc;
	v->sampler.normalized = true;
	/* every block-scope variable, constexpr samplers included, gets its own
	 * slot in the function; program-scope ones are numbered in globals */
	if (k != MSL_VAR_GLOBAL_CONST && F->cur_fn)
		v->slot = F->cur_fn->var_count++;
	return v;
}

/* constexpr sampler name(args) — at the cursor after the name. */
static void parse_sampler_args(struct parser *p, struct msl_var *v)
{
	if (!accept(p, P_LPAREN))
		return; /* default-constructed: the spec's defaults */
	if (accept(p, P_RPAREN))
		return;
	do {
		struct token *ns = next(p);
		if (ns->kind != TK_IDENT || !expect(p, P_COLONCOLON)) {
			if (ns->kind != TK_IDENT)
				syntax_error(p, ns, "%s", "expected a sampler argument such as filter::linear");
			return;
		}
		struct token *val = next(p);
		if (val->kind != TK_IDENT) {
			syntax_error(p, val, "%s", "expected a sampler argument value");
			return;
		}
		if (strcmp(ns->text, "max_anisotropy") == 0 || strcmp(ns->text, "lod_clamp") == 0 ||
		    strcmp(ns->text, "border_color") == 0 || strcmp(ns->text, "compare_func") == 0 ||
		    strcmp(ns->text, "r_address") == 0)
			msl_error(F, ns->loc, "sampler argument '%s' is not supported", ns->text);
		else
			sema_sampler_arg(F, &v->sampler, ns->text, val->text, ns->loc);
	} while (accept(p, P_COMMA));
	expect(p, P_RPAREN);
}

/* A declaration statement (locals) after its declspec. */
static struct msl_stmt *parse_local_decl(struct parser *p, const struct declspec *ds, struct msl_loc loc)
{
	void *items = NULL;
	size_t count = 0, cap = 0;
	do {
		struct declarator d;
		if (!parse_declarator(p, ds, &d, true, true))
			return NULL;
		if (d.attr.kind != MSL_ATTR_NONE || d.attr.flat || d.attr.no_perspective || d.attr.user)
			msl_error(F, d.attr.loc, "attributes are not allowed on local variables");
		if (ds->is_auto) {
			/* `auto x = init;`: the variable takes the initializer's type */
			struct msl_expr *init = NULL;
			if (d.by_ref || d.type != ds->type) {
				msl_error(F, d.loc, "'auto' with '*', '&' or an array is not supported; spell the type of '%s'",
					  d.name);
				d.type = msl_type_error(F);
			}
			if (!accept(p, P_ASSIGN)) {
				msl_error(F, d.loc, "'auto' variable '%s' needs an '=' initializer", d.name);
				d.type = msl_type_error(F);
			} else {
				init = parse_assign(p);
				if (sema_is_error(F, init))
					d.type = msl_type_error(F);
				else if (!init->type || init->type->kind == MSL_T_VOID || init->type->kind == MSL_T_TEXTURE || init->type->kind == MSL_T_ARRAY ||
					 init->type->kind == MSL_T_SAMPLER) {
					msl_error(F, init->loc, "cannot deduce the type of '%s' from this initializer", d.name);
					d.type = msl_type_error(F);
				} else if (d.type != msl_type_error(F))
					d.type = init->type;
				if (d.type == msl_type_error(F))
					init = NULL;
			}
			struct msl_var *v = new_var(p, MSL_VAR_LOCAL, d.name, d.type, d.loc);
			v->is_const = ds->is_const && d.type->kind != MSL_T_POINTER;
			sema_declare(F, SYM_VAR, d.name, v, d.loc);
			struct msl_stmt *s = new_stmt(p, MSL_S_DECL, d.loc);
			s->u.decl.var = v;
			s->u.decl.init = init;
			msl_vec_push(F, &items, &count, &cap, &s, sizeof s);
			continue;
		}
		if (d.by_ref) {
			/* `device Particle &p = particles[id];` — an alias of an lvalue */
			struct msl_var *v = new_var(p, MSL_VAR_LOCAL, d.name, d.type, d.loc);
			v->by_ref = true;
			v->space = d.ref_space;
			v->is_const = ds->is_const || d.ref_space == MSL_SPACE_CONSTANT;
			struct msl_expr *init = NULL;
			if (!accept(p, P_ASSIGN)) {
				if (d.type != msl_type_error(F))
					msl_error(F, d.loc, "reference '%s' must be initialized", d.name);
			} else {
				struct msl_expr *e = parse_assign(p);
				char what[96];
				snprintf(what, sizeof what, "initializer of reference '%s'", d.name);
				init = sema_bind_ref(F, e, d.type, d.ref_space, v->is_const, what);
			}
			sema_declare(F, SYM_VAR, d.name, v, d.loc);
			struct msl_stmt *s = new_stmt(p, MSL_S_DECL, d.loc);
			s->u.decl.var = v;
			s->u.decl.init = init;
			msl_vec_push(F, &items, &count, &cap, &s, sizeof s);
			continue;
		}
		if (ds->has_space && d.type->kind != MSL_T_POINTER && ds->space != MSL_SPACE_THREAD &&
		    !(ds->space == MSL_SPACE_THREADGROUP)) {
			msl_error(F, ds->space_loc, "local variables cannot be in the %s address space",
				  msl_space_name(ds->space));
		}
		bool tg = ds->has_space && ds->space == MSL_SPACE_THREADGROUP && d.type->kind != MSL_T_POINTER;
		if (tg && !sema_threadgroup_var(F, d.type, d.name, d.loc))
			tg = false; /* reported; check the rest as a thread variable */
		if (tg && (is_p(peek(p), P_ASSIGN) || is_p(peek(p), P_LBRACE) || is_p(peek(p), P_LPAREN)))
			msl_error(F, peek(p)->loc, "threadgroup variable '%s' cannot have an initializer", d.name);
		if (d.type->kind == MSL_T_VOID && d.type != msl_type_error(F))
			msl_error(F, d.loc, "variable '%s' has type void", d.name);
		struct msl_var *v = new_var(p, ds->type->kind == MSL_T_SAMPLER && ds->is_constexpr
					    ? MSL_VAR_CONST_SAMPLER : MSL_VAR_LOCAL, d.name, d.type, d.loc);
		v->is_const = ds->is_const && d.type->kind != MSL_T_POINTER;
		if (tg)
			v->space = MSL_SPACE_THREADGROUP;
		struct msl_expr *init = NULL;
		if (v->kind == MSL_VAR_CONST_SAMPLER) {
			parse_sampler_args(p, v);
		} else if (d.type->kind == MSL_T_SAMPLER || d.type->kind == MSL_T_TEXTURE) {
			msl_error(F, d.loc, "local %s variables are only supported as 'constexpr sampler'",
				  d.type->kind == MSL_T_SAMPLER ? "sampler" : "texture");
		} else if (accept(p, P_ASSIGN)) {
			struct msl_expr *e = is_p(peek(p), P_LBRACE) ? parse_brace_list(p) : parse_assign(p);
			init = sema_convert(F, e, d.type, "initialization");
		} else if (is_p(peek(p), P_LBRACE)) {
			struct msl_expr *e = parse_brace_list(p);
			init = sema_convert(F, e, d.type, "initialization");
		} else if (is_p(peek(p), P_LPAREN)) {
			next(p);
			size_t n;
			struct msl_expr **args = parse_args(p, &n);
			init = d.type == msl_type_error(F) ? NULL : sema_construct(F, d.type, args, n, d.loc);
		} else if (ds->is_const) {
			msl_error(F, d.loc, "const variable '%s' needs an initializer", d.name);
		}
		if (d.type->kind == MSL_T_POINTER && !init)
			msl_error(F, d.loc, "pointer '%s' must be initialized", d.name);
		/* the name is visible after its declarator, as in C++ */
		sema_declare(F, SYM_VAR, d.name, v, d.loc);
		struct msl_stmt *s = new_stmt(p, MSL_S_DECL, d.loc);
		s->u.decl.var = v;
		s->u.decl.init = init;
		msl_vec_push(F, &items, &count, &cap, &s, sizeof s);
	} while (accept(p, P_COMMA));
	expect(p, P_SEMI);
	/* several declarators: a BLOCK of DECLs that does not open a scope
	 * (the executor treats nested blocks alike; names were declared in the
	 * enclosing scope already) */
	if (count == 1)
		return ((struct msl_stmt **)items)[0];
	struct msl_stmt *blk = new_stmt(p, MSL_S_BLOCK, loc);
	blk->u.block.items = items;
	blk->u.block.count = count;
	return blk;
}

/* A `{ ... }` block. A function body shares its scope with the
 * parameters (C++: a local may not redeclare a parameter), so it opens no
 * scope of its own. */
static struct msl_stmt *parse_block_in(struct parser *p, bool new_scope)
{
	struct token *lb = peek(p);
	if (!expect(p, P_LBRACE))
		return NULL;
	enter(p, lb->loc);
	if (new_scope)
		sema_push_scope(F);
	struct msl_stmt *b = new_stmt(p, MSL_S_BLOCK, lb->loc);
	void *items = NULL;
	size_t cap = 0;
	while (!is_p(peek(p), P_RBRACE) && peek(p)->kind != TK_EOF) {
		size_t before = F->pos;
		struct msl_stmt *s = parse_statement(p);
		if (s)
			msl_vec_push(F, &items, &b->u.block.count, &cap, &s, sizeof s);
		if (F->pos == before)
			next(p); /* always make progress */
	}
	b->u.block.items = items;
	if (new_scope)
		sema_pop_scope(F);
	leave(p);
	p->stmt_error = false;
	expect(p, P_RBRACE);
	return b;
}

static struct msl_stmt *parse_block(struct parser *p)
{
	return parse_block_in(p, true);
}

static struct msl_stmt *parse_sub_statement(struct parser *p)
{
	/* the body of if/for/while gets its own scope even without braces */
	sema_push_scope(F);
	struct msl_stmt *s = parse_statement(p);
	sema_pop_scope(F);
	return s;
}

static struct msl_stmt *block_of(struct parser *p, struct msl_stmt **items, size_t n, struct msl_loc loc)
{
	struct msl_stmt *b = new_stmt(p, MSL_S_BLOCK, loc);
	b->u.block.items = items;
	b->u.block.count = n;
	return b;
}

/* `continue`: plain, or — directly inside a switch, whose lowering is a
 * do-while the continue would bind to — `{ flag = true; break; }` with
 * the switch testing the flag after its do-while. */
static struct msl_stmt *continue_stmt(struct parser *p, struct msl_loc loc)
{
	if (!p->switch_cont_name || p->switch_depth != F->loop_depth || p->switch_depth == 0)
		return new_stmt(p, MSL_S_CONTINUE, loc);
	p->switch_cont_used = true;
	struct msl_stmt *set = new_stmt(p, MSL_S_EXPR, loc);
	set->u.expr = sema_assign(F, P_ASSIGN, sema_ident(F, p->switch_cont_name, loc), sema_bool_lit(F, true, loc), loc);
	struct msl_stmt **two = msl_alloc(F, 2 * sizeof *two);
	two[0] = set;
	two[1] = new_stmt(p, MSL_S_BREAK, loc);
	return block_of(p, two, 2, loc);
}

/* static_assert(constant-expression [, "message"]); at program scope, in
 * a function body or in a struct. The condition must be an integer or
 * bool constant (C++: a contextually converted constant expression);
 * false is an error at the condition with the message. */
static void parse_static_assert(struct parser *p)
{
	struct token *kw = next(p); /* static_assert */
	if (!expect(p, P_LPAREN)) {
		p->stmt_error = true;
		return;
	}
	struct msl_expr *c = parse_cond(p);
	const char *msg = NULL;
	if (accept(p, P_COMMA)) {
		struct token *m = peek(p);
		if (m->kind != TK_STRING) {
			syntax_error(p, m, "%s", "expected a string literal as the static_assert message");
			return;
		}
		next(p);
		size_t ml = strlen(m->text);
		msg = ml >= 2 && m->text[0] == '"' ? msl_sprintf(F, "%.*s", (int)(ml - 2), m->text + 1) : m->text;
		while (peek(p)->kind == TK_STRING) /* "adjacent" "strings": the first is shown */
			next(p);
	}
	if (!expect(p, P_RPAREN) || !expect(p, P_SEMI)) {
		p->stmt_error = true;
		return;
	}
	if (sema_is_error(F, c))
		return;
	int64_t v = 0;
	if (!c->type || c->type->kind != MSL_T_SCALAR || msl_scalar_is_float(c->type->scalar) ||
	    !sema_const_int(F, c, &v)) {
		msl_error(F, c->loc, "static_assert condition is not an integer constant expression");
		return;
	}
	if (v == 0)
		msl_error(F, c->loc, "static assertion failed%s%s", msg ? ": " : "", msg ? msg : "");
	(void)kw;
}

/* A hidden local of the switch lowering, declared in the current scope. */
static struct msl_stmt *switch_local(struct parser *p, const char *name, const struct msl_type *t,
				     struct msl_expr *init, struct msl_loc loc)
{
	struct msl_var *v = new_var(p, MSL_VAR_LOCAL, name, t, loc);
	sema_declare(F, SYM_VAR, name, v, loc);
	struct msl_stmt *s = new_stmt(p, MSL_S_DECL, loc);
	s->u.decl.var = v;
	s->u.decl.init = init;
	return s;
}

/* switch (v) { case C: ... default: ... } on an integer value, rewritten
 * in the AST as structured code with C's meaning (fallthrough, break,
 * default anywhere):
 *     { T sv = v; bool any = sv == C1 || ...; bool fall = false;
 *       do { if (fall || sv == C1) { fall = true; ... }
 *            if (fall || !any)     { fall = true; ... }   // default
 *       } while (false); }
 * `break` leaves the do. `continue` directly inside (in a loop) becomes
 * `{ cont = true; break; }` and the switch is followed by
 * `if (cont) continue;` (itself rewritten again when the switch sits
 * directly in another switch). Case values must be distinct integer
 * constants. */
static struct msl_stmt *parse_switch(struct parser *p)
{
	struct token *kw = next(p); /* switch */
	struct msl_loc loc = kw->loc;
	if (!expect(p, P_LPAREN))
		return NULL;
	struct msl_expr *v = parse_expr(p);
	if (!expect(p, P_RPAREN))
		return NULL;
	bool ok = !sema_is_error(F, v);
	if (ok && (!v->type || v->type->kind != MSL_T_SCALAR || msl_scalar_is_float(v->type->scalar) ||
		   v->type->scalar == MSL_BOOL)) {
		msl_error(F, v->loc, "switch needs an integer value (have '%s')", v->type ? v->type->name : "a brace list");
		ok = false;
	}
	if (!is_p(peek(p), P_LBRACE)) {
		syntax_error(p, peek(p), "%s", "expected '{' after switch (...)");
		return NULL;
	}
	struct token *lb = next(p);
	enter(p, lb->loc);
	sema_push_scope(F);
	const struct msl_type *bt = msl_type_scalar(F, MSL_BOOL);
	const struct msl_type *vt = ok ? v->type : msl_type_scalar(F, MSL_INT);
	struct msl_stmt *d_sv = switch_local(p, "switch value", vt, ok ? v : NULL, loc);
	struct msl_stmt *d_any = switch_local(p, "switch any", bt, NULL, loc);
	struct msl_stmt *d_fall = switch_local(p, "switch fall", bt, sema_bool_lit(F, false, loc), loc);
	struct msl_expr *any = NULL;
	int64_t seen[256];
	size_t nseen = 0;
	bool have_default = false;
	void *groups = NULL;
	size_t ngroups = 0, gcap = 0;
	bool all_groups_return = true; /* every group ends in return/discard, no break */
	unsigned saved_switch = p->switch_depth;
	const char *saved_cont_name = p->switch_cont_name;
	bool saved_cont_used = p->switch_cont_used, saved_in_loop = p->switch_in_loop;
	p->switch_in_loop = F->loop_depth > 0 && (p->switch_depth != F->loop_depth || p->switch_in_loop);
	p->switch_cont_name = msl_sprintf(F, "switch continue %u", ++p->switch_count);
	p->switch_cont_used = false;
	struct msl_stmt *d_cont = switch_local(p, p->switch_cont_name, bt, sema_bool_lit(F, false, loc), loc);
	F->loop_depth++;
	p->switch_depth = F->loop_depth;
	while (!is_p(peek(p), P_RBRACE) && peek(p)->kind != TK_EOF) {
		if (!is_id(peek(p), "case") && !is_id(peek(p), "default")) {
			syntax_error(p, peek(p), "%s", "expected 'case' or 'default' in a switch");
			skip_statement(p);
			continue;
		}
		/* one or more labels, then the statements up to the next label */
		struct msl_expr *cond = NULL;
		struct msl_loc gloc = peek(p)->loc;
		while (is_id(peek(p), "case") || is_id(peek(p), "default")) {
			struct token *lt = next(p);
			struct msl_expr *c;
			if (lt->text[0] == 'd') {
				if (have_default)
					msl_error(F, lt->loc, "more than one 'default' in a switch");
				have_default = true;
				c = sema_unary(F, P_BANG, sema_ident(F, "switch any", lt->loc), lt->loc);
			} else {
				struct msl_expr *ce = parse_cond(p);
				int64_t cv = 0;
				if (!sema_is_error(F, ce) && (!sema_const_int(F, ce, &cv) || !ce->type ||
							       msl_scalar_is_float(ce->type->scalar))) {
					msl_error(F, ce->loc, "a case label must be an integer constant");
					ce = sema_error_expr(F, ce->loc);
				}
				if (!sema_is_error(F, ce)) {
					for (size_t i = 0; i < nseen; i++)
						if (seen[i] == cv)
							msl_error(F, ce->loc, "duplicate case value %lld", (long long)cv);
					if (nseen < sizeof seen / sizeof seen[0])
						seen[nseen++] = cv;
				}
				c = sema_binary(F, P_EQ, sema_ident(F, "switch value", lt->loc), ce, lt->loc);
				any = any ? sema_binary(F, P_OROR, any, c, lt->loc) : c;
			}
			cond = cond ? sema_binary(F, P_OROR, cond, c, lt->loc) : c;
			if (!expect(p, P_COLON))
				break;
		}
		void *items = NULL;
		size_t nitems = 0, icap = 0;
		struct msl_expr *set = sema_assign(F, P_ASSIGN, sema_ident(F, "switch fall", gloc),
						   sema_bool_lit(F, true, gloc), gloc);
		struct msl_stmt *es = new_stmt(p, MSL_S_EXPR, gloc);
		es->u.expr = set;
		msl_vec_push(F, &items, &nitems, &icap, &es, sizeof es);
		while (!is_p(peek(p), P_RBRACE) && peek(p)->kind != TK_EOF && !is_id(peek(p), "case") &&
		       !is_id(peek(p), "default")) {
			size_t before = F->pos;
			struct msl_stmt *st = parse_statement(p);
			if (st)
				msl_vec_push(F, &items, &nitems, &icap, &st, sizeof st);
			if (F->pos == before)
				next(p);
		}
		struct msl_stmt *body = block_of(p, items, nitems, gloc);
		if (!sema_stmt_terminates(body) || sema_stmt_contains_break(body))
			all_groups_return = false;
		struct msl_stmt *ifs = new_stmt(p, MSL_S_IF, gloc);
		ifs->u.if_.cond = sema_condition(F, sema_binary(F, P_OROR, sema_ident(F, "switch fall", gloc), cond, gloc));
		ifs->u.if_.then_stmt = body;
		msl_vec_push(F, &groups, &ngroups, &gcap, &ifs, sizeof ifs);
	}
	F->loop_depth--;
	p->switch_depth = saved_switch;
	bool cont_used = p->switch_cont_used;
	struct msl_stmt *after = NULL;
	if (cont_used) {
		/* if (cont) continue; — built in this scope, where the flag is
		 * visible, but with the enclosing switch (if any) current again */
		const char *mine = p->switch_cont_name;
		p->switch_cont_name = saved_cont_name;
		p->switch_cont_used = saved_cont_used;
		p->switch_in_loop = saved_in_loop;
		after = new_stmt(p, MSL_S_IF, loc);
		after->u.if_.cond = sema_condition(F, sema_ident(F, mine, loc));
		after->u.if_.then_stmt = continue_stmt(p, loc);
		saved_cont_used = p->switch_cont_used;
	}
	p->switch_cont_name = saved_cont_name;
	p->switch_cont_used = saved_cont_used;
	p->switch_in_loop = saved_in_loop;
	expect(p, P_RBRACE);
	leave(p);
	sema_pop_scope(F);
	d_any->u.decl.init = any ? any : sema_bool_lit(F, false, loc);
	if (have_default && all_groups_return && ngroups > 0) {
		/* Every group returns, so reaching the last group means no earlier
		 * one ran, and with a default some group must run: the last one runs
		 * unconditionally. Written that way, the switch visibly returns on
		 * every path (missing-return analysis). */
		struct msl_stmt **gv = groups;
		gv[ngroups - 1] = gv[ngroups - 1]->u.if_.then_stmt;
	}
	struct msl_stmt *loop = new_stmt(p, MSL_S_DO, loc);
	loop->u.loop.body = block_of(p, groups, ngroups, loc);
	loop->u.loop.cond = sema_bool_lit(F, false, loc);
	struct msl_stmt **all = msl_alloc(F, 6 * sizeof *all);
	size_t nall = 0;
	all[nall++] = d_sv;
	all[nall++] = d_any;
	all[nall++] = d_fall;
	if (cont_used)
		all[nall++] = d_cont;
	all[nall++] = loop;
	if (after)
		all[nall++] = after;
	return block_of(p, all, nall, loc);
}

static struct msl_stmt *parse_statement_inner(struct parser *p)
{
	struct token *t = peek(p);
	struct msl_loc loc = t->loc;
	if (is_p(t, P_LBRACE))
		return parse_block(p);
	if (is_p(t, P_SEMI)) {
		next(p);
		return new_stmt(p, MSL_S_EMPTY, loc);
	}
	if (is_id(t, "if")) {
		next(p);
		expect(p, P_LPAREN);
		struct msl_expr *c = sema_condition(F, parse_expr(p));
		if (!expect(p, P_RPAREN))
			return NULL;
		struct msl_stmt *s = new_stmt(p, MSL_S_IF, loc);
		s->u.if_.cond = c;
		s->u.if_.then_stmt = parse_sub_statement(p);
		if (is_id(peek(p), "else")) {
			next(p);
			s->u.if_.else_stmt = parse_sub_statement(p);
		}
		return s;
	}
	if (is_id(t, "while")) {
		next(p);
		expect(p, P_LPAREN);
		struct msl_expr *c = sema_condition(F, parse_expr(p));
		if (!expect(p, P_RPAREN))
			return NULL;
		struct msl_stmt *s = new_stmt(p, MSL_S_WHILE, loc);
		s->u.loop.cond = c;
		F->loop_depth++;
		s->u.loop.body = parse_sub_statement(p);
		F->loop_depth--;
		return s;
	}
	if (is_id(t, "do")) {
		next(p);
		struct msl_stmt *s = new_stmt(p, MSL_S_DO, loc);
		F->loop_depth++;
		s->u.loop.body = parse_sub_statement(p);
		F->loop_depth--;
		if (!is_id(peek(p), "while")) {
			syntax_error(p, peek(p), "%s", "expected 'while' after do-statement body");
			return NULL;
		}
		next(p);
		expect(p, P_LPAREN);
		s->u.loop.cond = sema_condition(F, parse_expr(p));
		expect(p, P_RPAREN);
		expect(p, P_SEMI);
		return s;
	}
	if (is_id(t, "for")) {
		next(p);
		if (!expect(p, P_LPAREN))
			return NULL;
		sema_push_scope(F);
		struct msl_stmt *s = new_stmt(p, MSL_S_FOR, loc);
		if (!accept(p, P_SEMI)) {
			if (type_starts_at(p, 0) && !is_p(peek_at(p, 1), P_LPAREN)) {
				struct declspec ds;
				struct token *st = peek(p);
				p->auto_ok = true;
				bool have = parse_declspec(p, &ds);
				p->auto_ok = false;
				if (have)
					s->u.loop.init = parse_local_decl(p, &ds, st->loc);
			} else {
				struct msl_stmt *es = new_stmt(p, MSL_S_EXPR, peek(p)->loc);
				es->u.expr = parse_expr(p);
				s->u.loop.init = es;
				expect(p, P_SEMI);
			}
		}
		if (!is_p(peek(p), P_SEMI))
			s->u.loop.cond = sema_condition(F, parse_expr(p));
		expect(p, P_SEMI);
		if (!is_p(peek(p), P_RPAREN))
			s->u.loop.step = parse_expr(p);
		if (!expect(p, P_RPAREN)) {
			sema_pop_scope(F);
			return NULL;
		}
		F->loop_depth++;
		s->u.loop.body = parse_sub_statement(p);
		F->loop_depth--;
		sema_pop_scope(F);
		return s;
	}
	if (is_id(t, "break") || is_id(t, "continue")) {
		next(p);
		bool cont = t->text[0] == 'c';
		if (F->loop_depth == 0 || (cont && p->switch_depth == F->loop_depth && !p->switch_in_loop)) {
			msl_error(F, loc, cont ? "'continue' statement not in a loop" : "'break' statement not in a loop or switch");
			expect(p, P_SEMI);
			return new_stmt(p, MSL_S_EMPTY, loc);
		}
		expect(p, P_SEMI);
		return cont ? continue_stmt(p, loc) : new_stmt(p, MSL_S_BREAK, loc);
	}
	if (is_id(t, "return")) {
		next(p);
		struct msl_stmt *s = new_stmt(p, MSL_S_RETURN, loc);
		const struct msl_type *rt = F->cur_fn->return_type;
		if (!is_p(peek(p), P_SEMI)) {
			struct msl_expr *e = is_p(peek(p), P_LBRACE) ? parse_brace_list(p) : parse_expr(p);
			if (rt == msl_type_void(F)) {
				if (!sema_is_error(F, e))
					msl_error(F, loc, "void function '%s' should not return a value", F->cur_fn->name);
			} else {
				s->u.expr = sema_convert(F, e, rt, "return");
			}
		} else if (rt != msl_type_void(F) && rt != msl_type_error(F)) {
			msl_error(F, loc, "non-void function '%s' should return a value", F->cur_fn->name);
		}
		expect(p, P_SEMI);
		return s;
	}
	if (is_id(t, "discard_fragment") && is_p(peek_at(p, 1), P_LPAREN)) {
		next(p);
		next(p);
		expect(p, P_RPAREN);
		expect(p, P_SEMI);
		if (F->cur_fn->stage != MSL_STAGE_FRAGMENT && F->cur_fn->stage != MSL_STAGE_NONE)
			msl_error(F, loc, "discard_fragment() is only allowed in fragment functions");
		return new_stmt(p, MSL_S_DISCARD, loc);
	}
	if (is_id(t, "switch"))
		return parse_switch(p);
	if (is_id(t, "static_assert")) {
		parse_static_assert(p);
		return p->stmt_error ? NULL : new_stmt(p, MSL_S_EMPTY, loc);
	}
	if (is_id(t, "goto") || is_id(t, "case") || is_id(t, "default")) {
		msl_error(F, loc, "'%s' is not supported", t->text);
		p->stmt_error = true;
		return NULL;
	}
	if (is_id(t, "typedef") || is_id(t, "struct") || is_id(t, "using")) {
		msl_error(F, loc, "'%s' inside a function is not supported", t->text);
		p->stmt_error = true;
		return NULL;
	}
	if (type_starts_at(p, 0) && !is_p(peek_at(p, 1), P_LPAREN) && !is_p(peek_at(p, 1), P_LBRACE)) {
		struct declspec ds;
		p->auto_ok = true;
		bool have = parse_declspec(p, &ds);
		p->auto_ok = false;
		if (!have)
			return NULL;
		return parse_local_decl(p, &ds, loc);
	}
	if (t->kind == TK_IDENT && peek_at(p, 1)->kind == TK_IDENT) {
		/* `Name var ...`: a declaration with a type we do not know */
		msl_error(F, loc, "unknown type name '%s'", t->text);
		p->stmt_error = true;
		return NULL;
	}
	struct msl_stmt *s = new_stmt(p, MSL_S_EXPR, loc);
	s->u.expr = parse_expr(p);
	expect(p, P_SEMI);
	return s;
}

static struct msl_stmt *parse_statement(struct parser *p)
{
	struct token *t = peek(p);
	enter(p, t->loc);
	p->stmt_error = false;
	size_t before = F->pos;
	struct msl_stmt *s = parse_statement_inner(p);
	if (p->stmt_error) {
		if (F->pos == before || !is_p(&F->toks.v[F->pos - 1], P_SEMI))
			skip_statement(p);
		p->stmt_error = false;
	}
	leave(p);
	return s;
}

/* ---- top level ------------------------------------------------------------ */

static void program_push(struct parser *p, void *items_pp, size_t *count, size_t *cap, void *elem)
{
	void **items = items_pp;
	msl_vec_push(F, items, count, cap, &elem, sizeof elem);
}

/* The members of a struct definition, from after '{' through '}'. */
static void parse_struct_members(struct parser *p, struct msl_struct *s)
{
	void *members = NULL;
	size_t cap = 0;
	while (!is_p(peek(p), P_RBRACE) && peek(p)->kind != TK_EOF) {
		p->stmt_error = false;
		struct token *mt = peek(p);
		if (!type_starts_at(p, 0)) {
			syntax_error(p, mt, "%s", "expected a member declaration");
			skip_statement(p);
			continue;
		}
		struct declspec ds;
		if (!parse_declspec(p, &ds)) {
			skip_statement(p);
			continue;
		}
		if (ds.has_space || ds.is_static || ds.is_constexpr)
			msl_error(F, mt->loc, "qualifiers on struct members are not supported");
		do {
			struct declarator d;
			if (!parse_declarator(p, &ds, &d, false, true))
				break;
			if (is_p(peek(p), P_LPAREN)) {
				msl_error(F, d.loc, "member functions are not supported");
				p->stmt_error = true;
				break;
			}
			if (d.type->kind == MSL_T_TEXTURE || d.type->kind == MSL_T_SAMPLER ||
			    d.type->kind == MSL_T_VOID || d.type->kind == MSL_T_POINTER) {
				if (d.type != msl_type_error(F))
					msl_error(F, d.loc, "struct member '%s' of type '%s' is not supported", d.name, d.type->name);
			}
			if (accept(p, P_ASSIGN)) {
				msl_error(F, d.loc, "default member initializers are not supported");
				parse_assign(p);
			}
			for (size_t i = 0; i < s->member_count; i++)
				if (strcmp(s->members[i].name, d.name) == 0)
					msl_error(F, d.loc, "duplicate member '%s'", d.name);
			struct msl_member m = { d.name, d.type, 0, d.attr, d.loc };
			msl_vec_push(F, &members, &s->member_count, &cap, &m, sizeof m);
			s->members = members;
		} while (accept(p, P_COMMA));
		if (p->stmt_error || !expect(p, P_SEMI))
			skip_statement(p);
	}
	p->stmt_error = false;
	expect(p, P_RBRACE);
}

/* Lay out a parsed struct and declare it under s->name. */
static const struct msl_type *finish_struct(struct parser *p, struct msl_struct *s)
{
	if (s->member_count == 0) {
		msl_error(F, s->loc, "empty struct '%s' is not supported", s->name);
		return NULL;
	}
	msl_struct_layout(s);
	program_push(p, &F->prog->structs, &F->prog->struct_count, &F->struct_cap, s);
	const struct msl_type *t = msl_type_struct(F, s);
	sema_declare(F, SYM_TYPE, s->name, (void *)t, s->loc);
	return t;
}

static void parse_struct(struct parser *p)
{
	struct token *kw = next(p); /* struct */
	struct token *n = next(p);
	if (n->kind != TK_IDENT) {
		syntax_error(p, n, "%s", "expected a struct name");
		return;
	}
	if (is_p(peek(p), P_SEMI)) {
		msl_error(F, n->loc, "forward declaration of struct '%s' is not supported", n->text);
		next(p);
		return;
	}
	if (!expect(p, P_LBRACE))
		return;
	struct msl_struct *s = msl_alloc(F, sizeof *s);
	s->name = n->text;
	s->loc = n->loc;
	parse_struct_members(p, s);
	if (!expect(p, P_SEMI))
		msl_error(F, kw->loc, "a struct definition must end with '};'");
	finish_struct(p, s);
}

/* `typedef struct [Tag] { ... } Name;` (the C style of Apple's sample
 * code): an anonymous struct takes Name; a tagged one is known by both. */
static void parse_typedef_struct(struct parser *p)
{
	next(p); /* struct */
	struct token *tag = peek(p)->kind == TK_IDENT ? next(p) : NULL;
	struct token *lb = next(p); /* { */
	struct msl_struct *s = msl_alloc(F, sizeof *s);
	s->name = tag ? tag->text : NULL;
	s->loc = tag ? tag->loc : lb->loc;
	parse_struct_members(p, s);
	struct token *n = peek(p);
	if (n->kind != TK_IDENT) {
		syntax_error(p, n, "%s", "expected a type name after the struct in a typedef");
		skip_statement(p);
		return;
	}
	next(p);
	if (!s->name) {
		s->name = n->text;
		s->loc = n->loc;
	}
	const struct msl_type *t = finish_struct(p, s);
	if (t && tag && strcmp(tag->text, n->text) != 0)
		sema_declare(F, SYM_TYPE, n->text, (void *)t, n->loc);
	if (!expect(p, P_SEMI))
		skip_statement(p);
}

/* One enumerator: a program-scope constant of the underlying type, known
 * as NAME (unscoped enums) and as ENUM::NAME (both kinds). */
static void declare_enumerator(struct parser *p, const struct token *n, const char *scope, bool scoped,
			       const struct msl_type *under, int64_t value)
{
	struct token lit;
	memset(&lit, 0, sizeof lit);
	lit.kind = TK_INT;
	lit.loc = n->loc;
	lit.lit_type = msl_scalar_is_signed(under->scalar) ? MSL_INT : MSL_UINT;
	lit.ival = (uint64_t)value;
	struct msl_var *v = new_var(p, MSL_VAR_GLOBAL_CONST, n->text, under, n->loc);
	v->is_const = true;
	v->space = MSL_SPACE_CONSTANT;
	v->program_scope = true;
	v->init = sema_convert(F, sema_int_lit(F, &lit), under, "initialization");
	v->slot = (uint32_t)F->prog->global_count;
	program_push(p, &F->prog->globals, &F->prog->global_count, &F->global_cap, v);
	if (!scoped)
		sema_declare(F, SYM_VAR, n->text, v, n->loc);
	if (scope)
		sema_declare(F, SYM_VAR, msl_sprintf(F, "%s::%s", scope, n->text), v, n->loc);
}

/* enum [class|struct] [Name] [: type] { A [= constant], B, ... } [Alias]; —
 * the enum type is its underlying integer type (int unless given). With
 * `typedef` in front, Alias names the type too. */
static void parse_enum(struct parser *p, bool is_typedef)
{
	struct token *kw = next(p); /* enum */
	bool scoped = false;
	if (is_id(peek(p), "class") || is_id(peek(p), "struct")) {
		next(p);
		scoped = true;
	}
	struct token *name = peek(p)->kind == TK_IDENT && !is_p(peek(p), P_LBRACE) ? next(p) : NULL;
	const struct msl_type *under = msl_type_scalar(F, MSL_INT);
	if (accept(p, P_COLON)) {
		struct declspec ds;
		if (!parse_declspec(p, &ds)) {
			skip_statement(p);
			return;
		}
		if (ds.type->kind != MSL_T_SCALAR || msl_scalar_is_float(ds.type->scalar) || ds.type->scalar == MSL_BOOL) {
			if (ds.type != msl_type_error(F))
				msl_error(F, ds.loc, "the underlying type of an enum must be an integer type (have '%s')",
					  ds.type->name);
		} else
			under = ds.type;
	}
	if (!is_p(peek(p), P_LBRACE)) {
		msl_error(F, kw->loc, "enum declarations without a body are not supported");
		skip_statement(p);
		return;
	}
	if (scoped && !name) {
		syntax_error(p, peek(p), "%s", "expected a name for a scoped enum");
		skip_statement(p);
		return;
	}
	next(p); /* { */
	if (name)
		sema_declare(F, SYM_TYPE, name->text, (void *)under, name->loc);
	int64_t value = 0;
	while (!is_p(peek(p), P_RBRACE) && peek(p)->kind != TK_EOF) {
		struct token *n = next(p);
		if (n->kind != TK_IDENT) {
			syntax_error(p, n, "%s", "expected an enumerator name");
			skip_statement(p);
			return;
		}
		if (accept(p, P_ASSIGN)) {
			struct msl_expr *e = parse_cond(p);
			int64_t v;
			if (!sema_is_error(F, e)) {
				if (!sema_const_int(F, e, &v))
					msl_error(F, e->loc, "the value of enumerator '%s' must be an integer constant", n->text);
				else
					value = v;
			}
		}
		declare_enumerator(p, n, name ? name->text : NULL, scoped, under, value);
		value++;
		if (!accept(p, P_COMMA))
			break;
	}
	if (!expect(p, P_RBRACE)) {
		skip_statement(p);
		return;
	}
	if (is_typedef) {
		struct token *alias = next(p);
		if (alias->kind != TK_IDENT) {
			syntax_error(p, alias, "%s", "expected a type name after the enum in a typedef");
			skip_statement(p);
			return;
		}
		if (!name || strcmp(name->text, alias->text) != 0)
			sema_declare(F, SYM_TYPE, alias->text, (void *)under, alias->loc);
	}
	if (!expect(p, P_SEMI))
		skip_statement(p);
}

static void parse_function(struct parser *p, enum msl_stage stage, const struct declspec *ds,
			   const struct token *name)
{
	struct msl_function *fn = msl_alloc(F, sizeof *fn);
	fn->name = name->text;
	fn->stage = stage;
	fn->return_type = ds->type;
	fn->loc = name->loc;
	fn->is_recursive_checked = true; /* sema_call rejects self-calls; callees precede callers */
	if (ds->has_space)
		msl_error(F, ds->space_loc, "return type cannot have an address space");
	struct msl_function *saved = F->cur_fn;
	F->cur_fn = fn;
	sema_push_scope(F);
	next(p); /* ( */
	void *params = NULL;
	size_t cap = 0;
	bool ok = true;
	if (!(is_id(peek(p), "void") && is_p(peek_at(p, 1), P_RPAREN)) && !is_p(peek(p), P_RPAREN)) {
		do {
			struct declspec pds;
			struct token *pt = peek(p);
			if (!parse_declspec(p, &pds)) {
				ok = false;
				break;
			}
			struct declarator d;
			if (!parse_declarator(p, &pds, &d, true, true)) {
				ok = false;
				break;
			}
			if (pds.has_space && !d.by_ref && d.type->kind != MSL_T_POINTER && d.type != msl_type_error(F))
				msl_error(F, pds.space_loc, "parameter '%s' passed by value cannot have an address space",
					  d.name);
			if (d.by_ref && pds.space == MSL_SPACE_THREADGROUP)
				msl_error(F, pds.space_loc, "%s", threadgroup_param_error);
			if (d.type->kind == MSL_T_POINTER && d.type->space == MSL_SPACE_THREADGROUP)
				msl_error(F, pds.space_loc, "%s", threadgroup_param_error);
			if (d.type->kind == MSL_T_VOID && d.type != msl_type_error(F))
				msl_error(F, d.loc, "parameter '%s' has type void", d.name);
			if (d.type->kind == MSL_T_ARRAY) {
				/* C++ would make it a pointer into the caller's array */
				msl_error(F, d.loc, "array parameter '%s' is not supported; pass a thread pointer or a struct",
					  d.name);
				d.type = msl_type_error(F);
			}
			if (accept(p, P_ASSIGN)) {
				msl_error(F, pt->loc, "default arguments are not supported");
				parse_assign(p);
			}
			if (fn->param_count == 64)
				msl_error(F, d.loc, "too many parameters (limit 64)");
			struct msl_var *v = new_var(p, MSL_VAR_PARAM, d.name, d.type, d.loc);
			v->by_ref = d.by_ref;
			v->space = d.by_ref ? d.ref_space : MSL_SPACE_THREAD;
			v->is_const = pds.is_const && d.type->kind != MSL_T_POINTER;
			if (d.by_ref && d.ref_space == MSL_SPACE_CONSTANT)
				v->is_const = true;
			v->attr = d.attr;
			msl_vec_push(F, &params, &fn->param_count, &cap, &v, sizeof v);
			fn->params = params;
			sema_declare(F, SYM_VAR, d.name, v, d.loc);
		} while (accept(p, P_COMMA));
	} else if (is_id(peek(p), "void")) {
		next(p);
	}
	if (!ok || !expect(p, P_RPAREN)) {
		sema_pop_scope(F);
		F->cur_fn = saved;
		skip_statement(p);
		p->stmt_error = false;
		return;
	}
	struct msl_attr fattr = { 0 };
	parse_attributes(p, &fattr);
	if (fattr.kind != MSL_ATTR_NONE)
		msl_error(F, fattr.loc, "attribute [[%s]] is not supported on a function", msl_attr_name(fattr.kind));
	if (is_p(peek(p), P_SEMI)) {
		msl_error(F, name->loc, "function declarations without a body are not supported");
		next(p);
		sema_pop_scope(F);
		F->cur_fn = saved;
		return;
	}
	/* declare before the body so that a recursive call is diagnosed as such */
	struct sym *prev = sema_lookup(F, fn->name);
	sema_pop_scope(F);
	if (prev && prev->kind == SYM_FN) {
		/* helper overloads differ in their parameter types; the symbol
		 * names the newest, which chains to the others */
		const char *why = sema_overload_conflict(F, prev->fn, fn);
		if (why)
			msl_error(F, name->loc, "redefinition of function '%s' (%s)", fn->name, why);
		else {
			fn->overload_prev = prev->fn;
			prev->fn = fn;
		}
	} else
		sema_declare(F, SYM_FN, fn->name, fn, name->loc);
	/* reopen the parameter scope for the body */
	sema_push_scope(F);
	for (size_t i = 0; i < fn->param_count; i++) {
		struct sym *s = msl_alloc(F, sizeof *s);
		s->kind = SYM_VAR;
		s->name = fn->params[i]->name;
		s->var = fn->params[i];
		s->next = F->scope->syms;
		F->scope->syms = s;
	}
	sema_check_entry(F, fn);
	p->stmt_error = false;
	fn->body = parse_block_in(p, false);
	sema_pop_scope(F);
	if (fn->body && fn->return_type != msl_type_void(F) && fn->return_type != msl_type_error(F) &&
	    !sema_stmt_terminates(fn->body)) {
		/* point at the closing brace */
		struct msl_loc end = F->pos > 0 ? F->toks.v[F->pos - 1].loc : fn->loc;
		msl_error(F, end, "non-void function '%s' does not return a value on every path", fn->name);
	}
	F->cur_fn = saved;
	program_push(p, &F->prog->functions, &F->prog->function_count, &F->fn_cap, fn);
}

static void parse_global_var(struct parser *p, const struct declspec *ds, struct msl_loc loc)
{
	do {
		struct declarator d;
		if (!parse_declarator(p, ds, &d, false, true)) {
			skip_statement(p);
			return;
		}
		struct msl_var *v = new_var(p, MSL_VAR_GLOBAL_CONST, d.name, d.type, d.loc);
		v->is_const = true;
		v->space = MSL_SPACE_CONSTANT;
		if (ds->type->kind == MSL_T_SAMPLER) {
			if (!ds->is_constexpr)
				msl_error(F, d.loc, "program-scope sampler '%s' must be 'constexpr sampler'", d.name);
			v->kind = MSL_VAR_CONST_SAMPLER;
			parse_sampler_args(p, v);
		} else {
			if (!(ds->has_space && ds->space == MSL_SPACE_CONSTANT) && !ds->is_constexpr)
				msl_error(F, d.loc, "program-scope variable '%s' must be declared in the constant address space",
					  d.name);
			if (d.type->kind == MSL_T_TEXTURE || d.type->kind == MSL_T_POINTER)
				msl_error(F, d.loc, "program-scope '%s' of type '%s' is not supported", d.name, d.type->name);
			if (accept(p, P_ASSIGN)) {
				struct msl_expr *e = is_p(peek(p), P_LBRACE) ? parse_brace_list(p) : parse_assign(p);
				v->init = sema_convert(F, e, d.type, "initialization");
			} else if (is_p(peek(p), P_LBRACE)) {
				v->init = sema_convert(F, parse_brace_list(p), d.type, "initialization");
			} else {
				msl_error(F, d.loc, "program-scope constant '%s' needs an initializer", d.name);
			}
		}
		v->program_scope = true;
		v->slot = (uint32_t)F->prog->global_count;
		program_push(p, &F->prog->globals, &F->prog->global_count, &F->global_cap, v);
		sema_declare(F, SYM_VAR, d.name, v, d.loc);
	} while (accept(p, P_COMMA));
	if (!expect(p, P_SEMI))
		skip_statement(p);
	(void)loc;
}

static void parse_top(struct parser *p)
{
	struct token *t = peek(p);
	p->stmt_error = false;
	if (is_p(t, P_LATTR)) {
		/* `[[early_fragment_tests]] fragment ...`: function attributes in
		 * front; the supported ones are never written there */
		struct msl_attr a = { 0 };
		if (!parse_attributes(p, &a)) {
			skip_statement(p);
			return;
		}
		if (a.kind != MSL_ATTR_NONE)
			msl_error(F, a.loc, "attribute [[%s]] is not allowed on a function", msl_attr_name(a.kind));
		t = peek(p);
	}
	if (is_p(t, P_SEMI)) {
		next(p);
		return;
	}
	if (is_id(t, "static_assert")) {
		parse_static_assert(p);
		if (p->stmt_error)
			skip_statement(p);
		return;
	}
	if (is_id(t, "using")) {
		next(p);
		if (is_id(peek(p), "namespace") && is_id(peek_at(p, 1), "metal") && is_p(peek_at(p, 2), P_SEMI)) {
			next(p);
			next(p);
			next(p);
			return;
		}
		if (peek(p)->kind == TK_IDENT && is_p(peek_at(p, 1), P_ASSIGN)) {
			/* `using Name = type;`: an alias, like typedef */
			struct token *n = next(p);
			next(p);
			struct declspec ds;
			if (!parse_declspec(p, &ds)) {
				skip_statement(p);
				return;
			}
			struct declarator d;
			if (!parse_declarator(p, &ds, &d, false, false) || !expect(p, P_SEMI)) {
				skip_statement(p);
				return;
			}
			if (*d.name)
				syntax_error(p, n, "%s", "unexpected name in a 'using' alias");
			else if (d.by_ref)
				msl_error(F, n->loc, "alias '%s' of a reference type is not supported", n->text);
			else
				sema_declare(F, SYM_TYPE, n->text, (void *)d.type, n->loc);
			return;
		}
		msl_error(F, t->loc, "only 'using namespace metal;' and 'using Name = type;' are supported");
		skip_statement(p);
		return;
	}
	if (is_id(t, "struct") && peek_at(p, 1)->kind == TK_IDENT &&
	    (is_p(peek_at(p, 2), P_LBRACE) || is_p(peek_at(p, 2), P_SEMI))) {
		parse_struct(p);
		if (p->stmt_error)
			skip_statement(p);
		return;
	}
	if (is_id(t, "typedef") && is_id(peek_at(p, 1), "struct") &&
	    (is_p(peek_at(p, 2), P_LBRACE) || (peek_at(p, 2)->kind == TK_IDENT && is_p(peek_at(p, 3), P_LBRACE)))) {
		next(p);
		parse_typedef_struct(p);
		return;
	}
	if (is_id(t, "typedef") && is_id(peek_at(p, 1), "enum")) {
		next(p);
		parse_enum(p, true);
		return;
	}
	if (is_id(t, "enum")) {
		parse_enum(p, false);
		return;
	}
	if (is_id(t, "typedef")) {
		next(p);
		struct declspec ds;
		if (!parse_declspec(p, &ds)) {
			skip_statement(p);
			return;
		}
		struct declarator d;
		if (!parse_declarator(p, &ds, &d, false, true) || !expect(p, P_SEMI)) {
			skip_statement(p);
			return;
		}
		sema_declare(F, SYM_TYPE, d.name, (void *)d.type, d.loc);
		return;
	}
	if (is_id(t, "namespace") || is_id(t, "template") || is_id(t, "class") ||
	    is_id(t, "union") || is_id(t, "extern")) {
		msl_error(F, t->loc, "'%s' is not supported", t->text);
		skip_statement(p);
		return;
	}
	enum msl_stage stage = MSL_STAGE_NONE;
	if (is_id(t, "vertex")) stage = MSL_STAGE_VERTEX;
	else if (is_id(t, "fragment")) stage = MSL_STAGE_FRAGMENT;
	else if (is_id(t, "kernel")) stage = MSL_STAGE_KERNEL;
	if (stage != MSL_STAGE_NONE) {
		next(p);
		struct msl_attr a = { 0 };
		parse_attributes(p, &a);
		if (a.kind != MSL_ATTR_NONE)
			msl_error(F, a.loc, "attribute [[%s]] is not allowed on a function", msl_attr_name(a.kind));
	}
	struct declspec ds;
	if (!type_starts_at(p, 0)) {
		if (peek(p)->kind == TK_IDENT && is_p(peek_at(p, 1), P_LPAREN))
			msl_error(F, peek(p)->loc, "unknown type name before '%s' (function definitions need a return type)",
				  peek(p)->text);
		else if (peek(p)->kind == TK_IDENT)
			msl_error(F, peek(p)->loc, "unknown type name '%s'", peek(p)->text);
		else
			syntax_error(p, peek(p), "%s", "expected a declaration");
		skip_statement(p);
		return;
	}
	if (!parse_declspec(p, &ds)) {
		skip_statement(p);
		return;
	}
	struct token *n = peek(p);
	if (n->kind == TK_IDENT && is_p(peek_at(p, 1), P_LPAREN) && !(ds.type->kind == MSL_T_SAMPLER && ds.is_constexpr)) {
		next(p);
		if (ds.is_constexpr && stage == MSL_STAGE_NONE)
			msl_error(F, t->loc, "constexpr functions are not supported");
		parse_function(p, stage, &ds, n);
		return;
	}
	if (stage != MSL_STAGE_NONE) {
		syntax_error(p, n, "%s", "expected a function name");
		skip_statement(p);
		return;
	}
	parse_global_var(p, &ds, t->loc);
}

void msl_parse(struct msl_front *f)
{
	struct parser p = { .f = f };
	sema_push_scope(f);
	while (peek(&p)->kind != TK_EOF) {
		size_t before = f->pos;
		parse_top(&p);
		if (f->pos == before)
			next(&p);
	}
}
