/*
 * pp.c — the preprocessor subset real guest shaders use: #include of the
 * Metal standard headers (which the front end has built in), object-like
 * #define/#undef, #if/#ifdef/#ifndef/#elif/#else/#endif, #pragma (ignored)
 * and #error. Function-like macros and other includes are reported as not
 * supported rather than guessed at.
 *
 * Expanded tokens take the location of the macro use, so errors in a
 * macro's body point at the line that used it.
 */
#include <string.h>

#include "front.h"

struct macro {
	const char *name;
	const struct token *body;
	size_t count;
	bool disabled;           /* being expanded (no self-recursion) */
};

struct cond {
	bool parent_active;      /* the enclosing group is live */
	bool taken;              /* some branch of this #if was taken */
	bool active;             /* the current branch is live */
	bool else_seen;
	struct msl_loc loc;
};

struct pp {
	struct msl_front *f;
	struct macro *macros;
	size_t nmacros, macro_cap;
	struct cond conds[MSL_MAX_NESTING];
	unsigned ncond;
	unsigned expand_depth;
};

static struct macro *find_macro(struct pp *pp, const char *name)
{
	for (size_t i = 0; i < pp->nmacros; i++)
		if (pp->macros[i].name && strcmp(pp->macros[i].name, name) == 0)
			return &pp->macros[i];
	return NULL;
}

static bool active(const struct pp *pp)
{
	return pp->ncond == 0 || pp->conds[pp->ncond - 1].active;
}

/* Append `t` to out, expanding macros; `use` is the location to give the
 * expanded tokens. */
static void emit(struct pp *pp, struct token_vec *out, const struct token *t, struct msl_loc use)
{
	if (t->kind == TK_IDENT) {
		struct macro *m = find_macro(pp, t->text);
		if (m && !m->disabled) {
			if (pp->expand_depth >= MSL_MAX_DEFINE_DEPTH)
				msl_fatal(pp->f, use, "macro expansion nested too deeply (limit %u)",
					  MSL_MAX_DEFINE_DEPTH);
			m->disabled = true;
			pp->expand_depth++;
			for (size_t i = 0; i < m->count; i++)
				emit(pp, out, &m->body[i], use);
			pp->expand_depth--;
			m = find_macro(pp, t->text); /* the table does not move while expanding */
			if (m)
				m->disabled = false;
			return;
		}
	}
	struct token c = *t;
	c.loc = use;
	c.bol = false;
	msl_token_push(pp->f, out, &c);
}

/* ---- #if expressions ------------------------------------------------------ */

struct ifexpr {
	struct pp *pp;
	const struct token *t;
	size_t n, i;
	struct msl_loc loc;
	bool failed;
	unsigned depth;          /* recursion, bounded by MSL_MAX_NESTING */
};

static int64_t if_cond(struct ifexpr *e);

static bool if_punct(struct ifexpr *e, unsigned p)
{
	if (e->i < e->n && e->t[e->i].kind == TK_PUNCT && e->t[e->i].punct == p) {
		e->i++;
		return true;
	}
	return false;
}

static void if_fail(struct ifexpr *e, const char *what)
{
	if (!e->failed) {
		struct msl_loc loc = e->i < e->n ? e->t[e->i].loc : e->loc;
		msl_error(e->pp->f, loc, "invalid #if expression: %s", what);
	}
	e->failed = true;
}

static int64_t if_primary_inner(struct ifexpr *e);

static int64_t if_primary(struct ifexpr *e)
{
	if (e->depth >= MSL_MAX_NESTING) {
		if_fail(e, "nested too deeply");
		e->i = e->n;
		return 0;
	}
	e->depth++;
	int64_t v = if_primary_inner(e);
	e->depth--;
	return v;
}

static int64_t if_primary_inner(struct ifexpr *e)
{
	if (e->failed || e->i >= e->n) {
		if_fail(e, "unexpected end of expression");
		return 0;
	}
	const struct token *t = &e->t[e->i];
	if (if_punct(e, P_LPAREN)) {
		int64_t v = if_cond(e);
		if (!if_punct(e, P_RPAREN))
			if_fail(e, "expected ')'");
		return v;
	}
	if (if_punct(e, P_BANG))
		return !if_primary(e);
	if (if_punct(e, P_TILDE))
		return ~if_primary(e);
	if (if_punct(e, P_MINUS))
		return -(uint64_t)if_primary(e);
	if (if_punct(e, P_PLUS))
		return if_primary(e);
	if (t->kind == TK_INT) {
		e->i++;
		return (int64_t)t->ival;
	}
	if (t->kind == TK_IDENT) {
		e->i++;
		if (strcmp(t->text, "true") == 0)
			return 1;
		return 0; /* an undefined identifier is 0, as in C */
	}
	if_fail(e, "expected a number");
	e->i++;
	return 0;
}

static int prec_of(unsigned p)
{
	switch (p) {
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

static int64_t if_binary(struct ifexpr *e, int min_prec)
{
	int64_t l = if_primary(e);
	while (e->i < e->n && e->t[e->i].kind == TK_PUNCT && !e->failed) {
		unsigned p = e->t[e->i].punct;
		int pr = prec_of(p);
		if (pr == 0 || pr < min_prec)
			break;
		e->i++;
		int64_t r = if_binary(e, pr + 1);
		uint64_t ul = (uint64_t)l, ur = (uint64_t)r;
		switch (p) {
		case P_STAR: l = (int64_t)(ul * ur); break;
		case P_SLASH:
		case P_PERCENT:
			if (r == 0 || (l == INT64_MIN && r == -1)) {
				if_fail(e, "division by zero");
				return 0;
			}
			l = p == P_SLASH ? l / r : l % r;
			break;
		case P_PLUS: l = (int64_t)(ul + ur); break;
		case P_MINUS: l = (int64_t)(ul - ur); break;
		case P_SHL: l = (int64_t)(ul << (ur & 63)); break;
		case P_SHR: l = l >> (ur & 63); break;
		case P_LT: l = l < r; break;
		case P_GT: l = l > r; break;
		case P_LE: l = l <= r; break;
		case P_GE: l = l >= r; break;
		case P_EQ: l = l == r; break;
		case P_NE: l = l != r; break;
		case P_AMP: l &= r; break;
		case P_CARET: l ^= r; break;
		case P_PIPE: l |= r; break;
		case P_ANDAND: l = l && r; break;
		case P_OROR: l = l || r; break;
		}
	}
	return l;
}

static int64_t if_cond(struct ifexpr *e)
{
	int64_t c = if_binary(e, 1);
	if (if_punct(e, P_QUESTION)) {
		if (e->depth >= MSL_MAX_NESTING) {
			if_fail(e, "nested too deeply");
			e->i = e->n;
			return 0;
		}
		e->depth++;
		int64_t a = if_cond(e);
		if (!if_punct(e, P_COLON))
			if_fail(e, "expected ':'");
		int64_t b = if_cond(e);
		e->depth--;
		return c ? a : b;
	}
	return c;
}

/* Evaluate the tokens of an #if/#elif line: resolve defined(), expand the
 * rest, then parse. */
static bool eval_if(struct pp *pp, const struct token *t, size_t n, struct msl_loc loc)
{
	struct token_vec *ex = &pp->f->scratch; /* reused; freed with the compile */
	ex->n = 0;
	for (size_t i = 0; i < n; i++) {
		if (t[i].kind == TK_IDENT && strcmp(t[i].text, "defined") == 0) {
			size_t j = i + 1;
			bool paren = j < n && t[j].kind == TK_PUNCT && t[j].punct == P_LPAREN;
			if (paren)
				j++;
			if (j >= n || t[j].kind != TK_IDENT) {
				msl_error(pp->f, t[i].loc, "'defined' needs a macro name");
				return false;
			}
			struct token v = t[j];
			v.kind = TK_INT;
			v.ival = find_macro(pp, t[j].text) ? 1 : 0;
			msl_token_push(pp->f, ex, &v);
			j++;
			if (paren) {
				if (j >= n || t[j].kind != TK_PUNCT || t[j].punct != P_RPAREN) {
					msl_error(pp->f, t[i].loc, "expected ')' after 'defined(NAME'");
					return false;
				}
				j++;
			}
			i = j - 1;
			continue;
		}
		emit(pp, ex, &t[i], t[i].loc);
	}
	if (ex->n == 0) {
		msl_error(pp->f, loc, "#if with no expression");
		return false;
	}
	struct ifexpr e = { pp, ex->v, ex->n, 0, loc, false, 0 };
	int64_t v = if_cond(&e);
	if (!e.failed && e.i < e.n)
		if_fail(&e, "unexpected token");
	return !e.failed && v != 0;
}

/* ---- directives ----------------------------------------------------------- */

static void directive(struct pp *pp, const struct token *hash, const struct token *t, size_t n)
{
	struct msl_front *f = pp->f;
	if (n == 0)
		return; /* the null directive */
	const struct token *d = &t[0];
	const char *name = d->kind == TK_IDENT ? d->text : "";
	bool live = active(pp);

	if (strcmp(name, "if") == 0 || strcmp(name, "ifdef") == 0 || strcmp(name, "ifndef") == 0) {
		if (pp->ncond >= MSL_MAX_NESTING)
			msl_fatal(f, hash->loc, "#if nested too deeply (limit %u)", MSL_MAX_NESTING);
		bool v = false;
		if (live) {
			if (name[2] == 0) {
				v = eval_if(pp, t + 1, n - 1, d->loc);
			} else {
				if (n < 2 || t[1].kind != TK_IDENT)
					msl_error(f, d->loc, "#%s needs a macro name", name);
				else
					v = (find_macro(pp, t[1].text) != NULL) == (name[2] == 'd');
			}
		}
		pp->conds[pp->ncond++] = (struct cond){ live, v, live && v, false, hash->loc };
		return;
	}
	if (strcmp(name, "elif") == 0 || strcmp(name, "else") == 0) {
		if (pp->ncond == 0) {
			msl_error(f, hash->loc, "#%s without #if", name);
			return;
		}
		struct cond *c = &pp->conds[pp->ncond - 1];
		if (c->else_seen) {
			msl_error(f, hash->loc, "#%s after #else", name);
			return;
		}
		if (name[1] == 'l' && name[2] == 's') {
			c->else_seen = true;
			c->active = c->parent_active && !c->taken;
			c->taken = true;
		} else {
			bool v = false;
			if (c->parent_active && !c->taken)
				v = eval_if(pp, t + 1, n - 1, d->loc);
			c->active = c->parent_active && !c->taken && v;
			c->taken = c->taken || v;
		}
		return;
	}
	if (strcmp(name, "endif") == 0) {
		if (pp->ncond == 0)
			msl_error(f, hash->loc, "#endif without #if");
		else
			pp->ncond--;
		return;
	}
	if (!live)
		return;
	if (strcmp(name, "define") == 0) {
		if (n < 2 || t[1].kind != TK_IDENT) {
			msl_error(f, d->loc, "#define needs a macro name");
			return;
		}
		if (n > 2 && t[2].kind == TK_PUNCT && t[2].punct == P_LPAREN &&
		    t[2].loc.line == t[1].loc.line && t[2].loc.col == t[1].loc.col + t[1].len) {
			msl_error(f, t[1].loc, "function-like macro '%s' is not supported", t[1].text);
			return;
		}
		if (strcmp(t[1].text, "defined") == 0) {
			msl_error(f, t[1].loc, "'defined' cannot be used as a macro name");
			return;
		}
		struct macro *m = find_macro(pp, t[1].text);
		if (!m) {
			struct macro nm = { t[1].text, NULL, 0, false };
			void *items = pp->macros;
			msl_vec_push(f, &items, &pp->nmacros, &pp->macro_cap, &nm, sizeof nm);
			pp->macros = items;
			m = &pp->macros[pp->nmacros - 1];
		}
		for (size_t i = 2; i < n; i++)
			if (t[i].kind == TK_PUNCT && (t[i].punct == P_HASH || t[i].punct == P_HASHHASH))
				msl_error(f, t[i].loc, "'%s' in a macro body is not supported",
					  msl_punct_spelling(t[i].punct));
		m->body = t + 2;
		m->count = n - 2;
		return;
	}
	if (strcmp(name, "undef") == 0) {
		if (n < 2 || t[1].kind != TK_IDENT) {
			msl_error(f, d->loc, "#undef needs a macro name");
			return;
		}
		struct macro *m = find_macro(pp, t[1].text);
		if (m)
			m->name = NULL;
		return;
	}
	if (strcmp(name, "include") == 0) {
		/* <metal_stdlib> arrives as '<' ident '>' */
		if (n == 4 && t[1].kind == TK_PUNCT && t[1].punct == P_LT && t[2].kind == TK_IDENT &&
		    t[3].kind == TK_PUNCT && t[3].punct == P_GT &&
		    strncmp(t[2].text, "metal_", 6) == 0)
			return; /* the standard library is built in */
		/* <simd/simd.h> arrives as '<' simd '/' simd '.' h '>': its
		 * simd_floatN / vector_floatN / matrix_floatNxM names are built in */
		if (n == 8 && t[1].kind == TK_PUNCT && t[1].punct == P_LT && t[2].kind == TK_IDENT &&
		    strcmp(t[2].text, "simd") == 0 && t[3].kind == TK_PUNCT && t[3].punct == P_SLASH &&
		    t[4].kind == TK_IDENT && strcmp(t[4].text, "simd") == 0 && t[5].kind == TK_PUNCT &&
		    t[5].punct == P_DOT && t[6].kind == TK_IDENT && strcmp(t[6].text, "h") == 0 &&
		    t[7].kind == TK_PUNCT && t[7].punct == P_GT)
			return;
		msl_error(f, d->loc, "#include is only supported for <metal_stdlib>, the other <metal_*> headers and <simd/simd.h>");
		return;
	}
	if (strcmp(name, "pragma") == 0)
		return; /* pragmas (clang diagnostic, once) do not change meaning here */
	if (strcmp(name, "error") == 0) {
		msl_error(f, hash->loc, "#error%s", n > 1 ? " directive" : "");
		return;
	}
	msl_error(f, d->loc, "preprocessor directive '#%s' is not supported",
		  d->kind == TK_IDENT ? name : d->text);
}

void msl_preprocess(struct msl_front *f)
{
	struct pp pp = { .f = f };
	/* predefined: the language version this front end implements (MSL 2.4) */
	static const struct token version = { .kind = TK_INT, .ival = 240, .lit_type = MSL_INT,
					      .text = "240", .len = 3 };
	struct macro vm = { "__METAL_VERSION__", &version, 1, false };
	void *items = NULL;
	msl_vec_push(f, &items, &pp.nmacros, &pp.macro_cap, &vm, sizeof vm);
	pp.macros = items;

	const struct token *t = f->raw.v;
	size_t n = f->raw.n, i = 0;
	while (i < n && t[i].kind != TK_EOF) {
		if (t[i].kind == TK_PUNCT && t[i].punct == P_HASH && t[i].bol) {
			size_t j = i + 1;
			while (j < n && t[j].kind != TK_EOF && !t[j].bol)
				j++;
			directive(&pp, &t[i], t + i + 1, j - i - 1);
			i = j;
			continue;
		}
		if (active(&pp))
			emit(&pp, &f->toks, &t[i], t[i].loc);
		i++;
	}
	if (pp.ncond > 0)
		msl_error(f, pp.conds[pp.ncond - 1].loc, "unterminated #if");
	struct token eof = { .kind = TK_EOF, .text = "", .loc = n ? t[n - 1].loc : (struct msl_loc){ 1, 1 } };
	msl_token_push(f, &f->toks, &eof);
}
