/*
 * pp.c — the preprocessor subset real guest shaders use: #include of the
 * Metal standard headers (which the front end has built in), #define/#undef
 * of object-like and function-like macros (variadic ones, # and ## too),
 * #if/#ifdef/#ifndef/#elif/#else/#endif, #pragma (ignored) and #error.
 * Other includes are reported as not supported rather than guessed at.
 *
 * Expanded tokens take the location of the macro use, so errors in a
 * macro's body point at the line that used it.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "front.h"

struct macro {
	const char *name;
	const struct token *body;
	size_t count;
	bool disabled;           /* being expanded (no self-recursion) */
	bool fn;                 /* function-like: NAME(params) body */
	bool variadic;           /* NAME(a, ...): the last parameter is __VA_ARGS__ */
	bool has_paste;          /* the body has ## (object-like macros need substitute()) */
	const char **params;
	size_t nparams;
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
	/* A limit hit while expanding: expansion stops (so its temporaries are
	 * freed) and msl_preprocess reports it as fatal afterwards. */
	enum { PP_OK, PP_TOO_MANY_TOKENS, PP_TOO_DEEP, PP_TOO_MANY_ERRORS } stopped;
	struct msl_loc stop_loc;
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

static void push_at(struct pp *pp, struct token_vec *out, const struct token *t, struct msl_loc use)
{
	if (pp->stopped)
		return;
	if (out->n >= MSL_MAX_TOKENS) {
		pp->stopped = PP_TOO_MANY_TOKENS;
		pp->stop_loc = use;
		return;
	}
	struct token c = *t;
	c.loc = use;
	c.bol = false;
	msl_token_push(pp->f, out, &c);
}

/* An error found while expanding. msl_error longjmps at the error limit,
 * which would leak the expansion's temporaries: the last error before the
 * limit stops the expansion instead, and msl_preprocess reports it after. */
static void pp_error(struct pp *pp, struct msl_loc loc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void pp_error(struct pp *pp, struct msl_loc loc, const char *fmt, ...)
{
	if (pp->stopped)
		return;
	if (pp->f->diags->error_count + 1 >= MSL_MAX_DIAGS) {
		pp->stopped = PP_TOO_MANY_ERRORS;
		pp->stop_loc = loc;
		return;
	}
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	msl_error(pp->f, loc, "%s", buf);
}

static bool is_punct(const struct token *t, unsigned p)
{
	return t->kind == TK_PUNCT && t->punct == p;
}

static void expand(struct pp *pp, struct token_vec *out, const struct token *t, size_t n,
		   const struct msl_loc *use);

static size_t param_index(const struct macro *m, const struct token *t)
{
	if (!m->fn || t->kind != TK_IDENT)
		return SIZE_MAX;
	for (size_t p = 0; p < m->nparams; p++)
		if (strcmp(m->params[p], t->text) == 0)
			return p;
	return SIZE_MAX;
}

static const char *spelling(const struct token *t)
{
	return t->kind == TK_PUNCT ? msl_punct_spelling(t->punct) : t->text;
}

/* #param: the argument's tokens as written, one space where the source had
 * space between two of them, in a string literal (quotes and backslashes
 * inside string and character literals escaped). */
static struct token stringize(struct pp *pp, const struct token *t, size_t n)
{
	size_t cap = 3, len = 0;
	for (size_t i = 0; i < n; i++)
		cap += 2 * strlen(spelling(&t[i])) + 1;
	char *s = malloc(cap);
	struct token r = { 0 };
	r.kind = TK_STRING;
	if (!s) {
		r.text = "\"\"";
		r.len = 2;
		return r;
	}
	s[len++] = '"';
	for (size_t i = 0; i < n; i++) {
		const char *sp = spelling(&t[i]);
		if (i > 0 && !(t[i].loc.line == t[i - 1].loc.line && t[i].loc.col == t[i - 1].loc.col + t[i - 1].len))
			s[len++] = ' ';
		bool lit = t[i].kind == TK_STRING || t[i].kind == TK_CHAR;
		for (; *sp; sp++) {
			if (lit && (*sp == '"' || *sp == '\\'))
				s[len++] = '\\';
			s[len++] = *sp;
		}
	}
	s[len++] = '"';
	r.text = msl_strndup(pp->f, s, len);
	r.len = (uint32_t)len;
	free(s);
	return r;
}

/* a ## b: the token spelled by both spellings together. Identifiers,
 * decimal integers and punctuators can result; anything else is an error
 * and leaves the two tokens as they were. */
static bool paste(struct pp *pp, const struct token *a, const struct token *b, struct msl_loc use, struct token *r)
{
	const char *sa = spelling(a), *sb = spelling(b);
	char *s = msl_sprintf(pp->f, "%s%s", sa, sb);
	size_t len = strlen(s);
	memset(r, 0, sizeof *r);
	r->text = s;
	r->len = (uint32_t)len;
	bool ident = len > 0 && (s[0] == '_' || (s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z'));
	bool digits = len > 0;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		bool d = c >= '0' && c <= '9';
		bool w = d || c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
		ident = ident && w;
		digits = digits && d;
	}
	if (ident) {
		r->kind = TK_IDENT;
		return true;
	}
	if (digits && len <= 10 && !(len > 1 && s[0] == '0')) {
		uint64_t v = strtoull(s, NULL, 10);
		if (v <= 0x7fffffffu) {
			r->kind = TK_INT;
			r->ival = v;
			r->lit_type = MSL_INT;
			return true;
		}
	}
	for (unsigned p = P_LPAREN; p <= P_HASHHASH; p++)
		if (strcmp(msl_punct_spelling(p), s) == 0) {
			r->kind = TK_PUNCT;
			r->punct = (uint16_t)p;
			return true;
		}
	pp_error(pp, use, "pasting '%s' and '%s' does not give a valid token", sa, sb);
	return false;
}

/* The body of m with its parameters replaced: `#p` by the argument
 * spelled as a string, an operand of `##` by the argument as written,
 * any other parameter by the macro-expanded argument; then the `##`
 * pastes. `, ## __VA_ARGS__` drops the comma when the variadic argument is
 * empty (the GNU extension shaders written for clang use). raw/nraw/exp
 * are unused for object-like macros. */
static void substitute(struct pp *pp, const struct macro *m, const struct token *const *raw, const size_t *nraw,
		       const struct token_vec *exp, struct msl_loc use, struct token_vec *body)
{
	bool placemarker = false; /* the last operand was an empty argument */
	for (size_t b = 0; b < m->count && !pp->stopped; b++) {
		const struct token *bt = &m->body[b];
		if (m->fn && is_punct(bt, P_HASH) && b + 1 < m->count && param_index(m, &m->body[b + 1]) != SIZE_MAX) {
			size_t p = param_index(m, &m->body[++b]);
			struct token s = stringize(pp, raw[p], nraw[p]);
			push_at(pp, body, &s, use);
			placemarker = false;
			continue;
		}
		if (is_punct(bt, P_HASHHASH) && b + 1 < m->count) {
			const struct token *rt = &m->body[++b];
			size_t p = param_index(m, rt);
			const struct token *rv = p == SIZE_MAX ? rt : raw[p];
			size_t rn = p == SIZE_MAX ? 1 : nraw[p];
			if (p != SIZE_MAX && m->variadic && p == m->nparams - 1 && !placemarker && body->n > 0 &&
			    is_punct(&body->v[body->n - 1], P_COMMA)) {
				if (rn == 0)
					body->n--; /* , ## __VA_ARGS__ with nothing: no comma */
				for (size_t k = 0; k < rn; k++)
					push_at(pp, body, &rv[k], use);
				placemarker = false;
				continue;
			}
			if (rn == 0)
				continue;              /* x ## <empty> is x */
			if (placemarker || body->n == 0) {
				for (size_t k = 0; k < rn; k++)
					push_at(pp, body, &rv[k], use);
				placemarker = false;
				continue;
			}
			struct token r;
			if (paste(pp, &body->v[body->n - 1], &rv[0], use, &r)) {
				body->n--;
				push_at(pp, body, &r, use);
			} else {
				push_at(pp, body, &rv[0], use);
			}
			for (size_t k = 1; k < rn; k++)
				push_at(pp, body, &rv[k], use);
			placemarker = false;
			continue;
		}
		size_t p = param_index(m, bt);
		if (p == SIZE_MAX) {
			push_at(pp, body, bt, use);
			placemarker = false;
			continue;
		}
		bool pasted = b + 1 < m->count && is_punct(&m->body[b + 1], P_HASHHASH);
		const struct token *v = pasted ? raw[p] : exp[p].v;
		size_t vn = pasted ? nraw[p] : exp[p].n;
		for (size_t k = 0; k < vn; k++)
			push_at(pp, body, &v[k], use);
		placemarker = vn == 0;
	}
}

/* NAME(args) of a function-like macro m at t[0] (t[1] is '('): collect the
 * arguments (top-level commas split them), macro-expand each, substitute
 * them for the parameters in the body and rescan the result with m
 * disabled. Returns the number of tokens consumed (through ')'), or n when
 * the call is unterminated (reported). */
static size_t expand_call(struct pp *pp, struct token_vec *out, struct macro *m, const struct token *t,
			  size_t n, struct msl_loc use)
{
	size_t starts[64], ends[64], nargs = 0;
	size_t i = 2, arg0 = 2;
	int depth = 1;
	for (; i < n; i++) {
		if (is_punct(&t[i], P_LPAREN))
			depth++;
		else if (is_punct(&t[i], P_RPAREN) && --depth == 0)
			break;
		else if (is_punct(&t[i], P_COMMA) && depth == 1 &&
			 !(m->variadic && nargs + 1 >= m->nparams)) { /* the rest is __VA_ARGS__ */
			if (nargs < 64) {
				starts[nargs] = arg0;
				ends[nargs] = i;
			}
			nargs++;
			arg0 = i + 1;
		}
	}
	if (i >= n) {
		pp_error(pp, use, "unterminated call of macro '%s'", m->name);
		return n;
	}
	if (nargs < 64) {
		starts[nargs] = arg0;
		ends[nargs] = i;
	}
	nargs++;
	if (m->nparams == 0 && nargs == 1 && ends[0] == starts[0])
		nargs = 0; /* NAME() */
	if (m->variadic && nargs + 1 == m->nparams) {
		/* F(a) for F(a, ...): an empty __VA_ARGS__ */
		starts[nargs] = ends[nargs] = i;
		nargs++;
	}
	if (nargs != m->nparams) {
		pp_error(pp, use, "macro '%s' takes %zu argument%s, %zu given", m->name, m->nparams,
			  m->nparams == 1 ? "" : "s", nargs);
		return i + 1;
	}
	struct token_vec args[64];
	const struct token *raw[64] = { 0 };
	size_t nraw[64] = { 0 };
	memset(args, 0, sizeof args);
	for (size_t a = 0; a < nargs; a++) {
		expand(pp, &args[a], t + starts[a], ends[a] - starts[a], &use);
		raw[a] = t + starts[a];
		nraw[a] = ends[a] - starts[a];
	}
	struct token_vec body = { 0 };
	substitute(pp, m, raw, nraw, args, use, &body);
	for (size_t a = 0; a < nargs; a++)
		free(args[a].v);
	const char *name = m->name;
	m->disabled = true;
	pp->expand_depth++;
	expand(pp, out, body.v, body.n, &use);
	pp->expand_depth--;
	free(body.v);
	m = find_macro(pp, name); /* the table does not move while expanding */
	if (m)
		m->disabled = false;
	return i + 1;
}

/* Append t[0..n) to out, expanding macros (object-like, and function-like
 * when a '(' follows the name within the same run of tokens). `use`, when
 * set, is the location to give every token (a macro's use); otherwise each
 * keeps its own and an expansion takes its name's location. */
static void expand(struct pp *pp, struct token_vec *out, const struct token *t, size_t n,
		   const struct msl_loc *use)
{
	for (size_t i = 0; i < n && !pp->stopped; i++) {
		struct msl_loc at = use ? *use : t[i].loc;
		struct macro *m = t[i].kind == TK_IDENT ? find_macro(pp, t[i].text) : NULL;
		if (!m || m->disabled || (m->fn && !(i + 1 < n && is_punct(&t[i + 1], P_LPAREN)))) {
			push_at(pp, out, &t[i], at);
			continue;
		}
		if (pp->expand_depth >= MSL_MAX_DEFINE_DEPTH) {
			pp->stopped = PP_TOO_DEEP;
			pp->stop_loc = at;
			return;
		}
		if (m->fn) {
			i += expand_call(pp, out, m, t + i, n - i, at) - 1;
			continue;
		}
		const char *name = m->name;
		m->disabled = true;
		pp->expand_depth++;
		if (m->has_paste) {
			struct token_vec body = { 0 };
			substitute(pp, m, NULL, NULL, NULL, at, &body);
			expand(pp, out, body.v, body.n, &at);
			free(body.v);
		} else {
			expand(pp, out, m->body, m->count, &at);
		}
		pp->expand_depth--;
		m = find_macro(pp, name);
		if (m)
			m->disabled = false;
	}
}

/* One token (the #if expression's): object-like macros only. */
static void emit(struct pp *pp, struct token_vec *out, const struct token *t, struct msl_loc use)
{
	expand(pp, out, t, 1, &use);
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
		bool fn = n > 2 && t[2].kind == TK_PUNCT && t[2].punct == P_LPAREN &&
			  t[2].loc.line == t[1].loc.line && t[2].loc.col == t[1].loc.col + t[1].len;
		const char **params = NULL;
		size_t nparams = 0, pcap = 0, body = 2;
		bool variadic = false;
		if (fn) {
			/* NAME(a, b, ...) — parameters up to ')' */
			size_t i = 3;
			if (i < n && is_punct(&t[i], P_RPAREN))
				i++;
			else
				for (;;) {
					if (i + 2 < n && is_punct(&t[i], P_DOT) && is_punct(&t[i + 1], P_DOT) &&
					    is_punct(&t[i + 2], P_DOT)) {
						/* ... : the variadic parameter, last */
						static const char *const va = "__VA_ARGS__";
						void *pv = params;
						msl_vec_push(f, &pv, &nparams, &pcap, &va, sizeof va);
						params = pv;
						variadic = true;
						i += 3;
						if (i < n && is_punct(&t[i], P_RPAREN)) {
							i++;
							break;
						}
						msl_error(f, i < n ? t[i].loc : t[1].loc,
							  "expected ')' after '...' in macro '%s'", t[1].text);
						return;
					}
					if (i >= n || t[i].kind != TK_IDENT) {
						msl_error(f, i < n ? t[i].loc : t[1].loc,
							  "expected a parameter name in macro '%s'", t[1].text);
						return;
					}
					if (strcmp(t[i].text, "__VA_ARGS__") == 0) {
						msl_error(f, t[i].loc, "'__VA_ARGS__' can only be used in a variadic macro's body");
						return;
					}
					for (size_t k = 0; k < nparams; k++)
						if (strcmp(params[k], t[i].text) == 0)
							msl_error(f, t[i].loc, "duplicate macro parameter '%s'", t[i].text);
					void *pv = params;
					msl_vec_push(f, &pv, &nparams, &pcap, &t[i].text, sizeof t[i].text);
					params = pv;
					i++;
					if (i < n && is_punct(&t[i], P_COMMA)) {
						i++;
						continue;
					}
					if (i < n && is_punct(&t[i], P_RPAREN)) {
						i++;
						break;
					}
					msl_error(f, i < n ? t[i].loc : t[1].loc, "expected ',' or ')' in the parameters of macro '%s'",
						  t[1].text);
					return;
				}
			if (nparams > 64) {
				msl_error(f, t[1].loc, "macro '%s' has too many parameters (limit 64)", t[1].text);
				return;
			}
			body = i;
		}
		if (strcmp(t[1].text, "defined") == 0) {
			msl_error(f, t[1].loc, "'defined' cannot be used as a macro name");
			return;
		}
		struct macro *m = find_macro(pp, t[1].text);
		if (!m) {
			struct macro nm = { t[1].text, NULL, 0, false, false, false, false, NULL, 0 };
			void *items = pp->macros;
			msl_vec_push(f, &items, &pp->nmacros, &pp->macro_cap, &nm, sizeof nm);
			pp->macros = items;
			m = &pp->macros[pp->nmacros - 1];
		}
		bool has_paste = false, bad = false;
		for (size_t i = body; i < n; i++) {
			if (is_punct(&t[i], P_HASHHASH)) {
				has_paste = true;
				if (i == body || i + 1 == n) {
					msl_error(f, t[i].loc, "'##' cannot be at either end of a macro body");
					bad = true;
				}
			} else if (fn && is_punct(&t[i], P_HASH)) {
				bool ok = i + 1 < n && t[i + 1].kind == TK_IDENT;
				for (size_t k = 0; ok && k <= nparams; k++)
					if (k == nparams)
						ok = false;
					else if (strcmp(params[k], t[i + 1].text) == 0)
						break;
				if (!ok) {
					msl_error(f, t[i].loc, "'#' is not followed by a macro parameter");
					bad = true;
				}
			} else if (!variadic && t[i].kind == TK_IDENT && strcmp(t[i].text, "__VA_ARGS__") == 0) {
				msl_error(f, t[i].loc, "'__VA_ARGS__' can only be used in a variadic macro's body");
				bad = true;
			}
		}
		if (bad) {
			m->name = NULL; /* not defined */
			return;
		}
		m->body = t + body;
		m->count = n - body;
		m->fn = fn;
		m->variadic = variadic;
		m->has_paste = has_paste;
		m->params = params;
		m->nparams = nparams;
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
	struct macro vm = { .name = "__METAL_VERSION__", .body = &version, .count = 1 };
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
			if (pp.stopped)
				break;
			continue;
		}
		/* a run of lines up to the next directive: a function-like macro's
		 * arguments may span lines, not directives */
		size_t j = i + 1;
		while (j < n && t[j].kind != TK_EOF && !(t[j].kind == TK_PUNCT && t[j].punct == P_HASH && t[j].bol))
			j++;
		if (active(&pp))
			expand(&pp, &f->toks, &t[i], j - i, NULL);
		i = j;
		if (pp.stopped)
			break;
	}
	if (pp.stopped == PP_TOO_DEEP)
		msl_fatal(f, pp.stop_loc, "macro expansion nested too deeply (limit %u)", MSL_MAX_DEFINE_DEPTH);
	if (pp.stopped == PP_TOO_MANY_TOKENS)
		msl_fatal(f, pp.stop_loc, "too many tokens (limit %u)", MSL_MAX_TOKENS);
	if (pp.stopped == PP_TOO_MANY_ERRORS)
		msl_fatal(f, pp.stop_loc, "too many errors in macro expansions (limit %u)", MSL_MAX_DIAGS);
	if (pp.ncond > 0)
		msl_error(f, pp.conds[pp.ncond - 1].loc, "unterminated #if");
	struct token eof = { .kind = TK_EOF, .text = "", .loc = n ? t[n - 1].loc : (struct msl_loc){ 1, 1 } };
	msl_token_push(f, &f->toks, &eof);
}
