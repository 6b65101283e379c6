/*
 * lex.c — MSL source text to tokens, with line:col for each.
 *
 * Comments and line continuations disappear here; the preprocessor sees
 * `bol` (first token of a logical line) to find directives. Columns count
 * bytes from 1, tabs included as one column, as compilers do.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "front.h"

static const struct { const char *s; unsigned p; } puncts[] = {
	/* longest first */
	{ "<<=", P_SHL_ASSIGN }, { ">>=", P_SHR_ASSIGN },
	{ "[[", P_LATTR }, { "->", P_ARROW }, { "::", P_COLONCOLON },
	{ "++", P_INC }, { "--", P_DEC }, { "<<", P_SHL }, { ">>", P_SHR },
	{ "<=", P_LE }, { ">=", P_GE }, { "==", P_EQ }, { "!=", P_NE },
	{ "&&", P_ANDAND }, { "||", P_OROR }, { "+=", P_ADD_ASSIGN },
	{ "-=", P_SUB_ASSIGN }, { "*=", P_MUL_ASSIGN }, { "/=", P_DIV_ASSIGN },
	{ "%=", P_MOD_ASSIGN }, { "&=", P_AND_ASSIGN }, { "|=", P_OR_ASSIGN },
	{ "^=", P_XOR_ASSIGN }, { "##", P_HASHHASH },
	{ "(", P_LPAREN }, { ")", P_RPAREN }, { "{", P_LBRACE }, { "}", P_RBRACE },
	{ "[", P_LBRACKET }, { "]", P_RBRACKET }, { ";", P_SEMI }, { ",", P_COMMA },
	{ ".", P_DOT }, { "?", P_QUESTION }, { ":", P_COLON }, { "+", P_PLUS },
	{ "-", P_MINUS }, { "*", P_STAR }, { "/", P_SLASH }, { "%", P_PERCENT },
	{ "&", P_AMP }, { "|", P_PIPE }, { "^", P_CARET }, { "~", P_TILDE },
	{ "!", P_BANG }, { "<", P_LT }, { ">", P_GT }, { "=", P_ASSIGN }, { "#", P_HASH },
};

const char *msl_punct_spelling(unsigned p)
{
	if (p == P_RATTR)
		return "]]";
	for (size_t i = 0; i < sizeof puncts / sizeof puncts[0]; i++)
		if (puncts[i].p == p)
			return puncts[i].s;
	return "?";
}

struct lexer {
	struct msl_front *f;
	size_t p;
	uint32_t line, col;
	bool bol;
};

static int peekc(struct lexer *l, size_t ahead)
{
	size_t q = l->p + ahead;
	return q < l->f->len ? (unsigned char)l->f->src[q] : -1;
}

static void advance(struct lexer *l)
{
	if (l->p >= l->f->len)
		return;
	if (l->f->src[l->p] == '\n') {
		l->line++;
		l->col = 1;
		l->bol = true;
	} else {
		l->col++;
	}
	l->p++;
}

/* Skip blanks, comments and backslash-newlines. */
static void skip_space(struct lexer *l)
{
	for (;;) {
		int c = peekc(l, 0);
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v') {
			advance(l);
		} else if (c == '\\' && (peekc(l, 1) == '\n' ||
					 (peekc(l, 1) == '\r' && peekc(l, 2) == '\n'))) {
			bool keep = l->bol;
			advance(l);
			if (peekc(l, 0) == '\r')
				advance(l);
			advance(l);
			l->bol = keep;
		} else if (c == '/' && peekc(l, 1) == '/') {
			while (peekc(l, 0) != -1 && peekc(l, 0) != '\n')
				advance(l);
		} else if (c == '/' && peekc(l, 1) == '*') {
			struct msl_loc start = { l->line, l->col };
			advance(l);
			advance(l);
			for (;;) {
				if (peekc(l, 0) == -1) {
					msl_error(l->f, start, "unterminated comment");
					return;
				}
				if (peekc(l, 0) == '*' && peekc(l, 1) == '/') {
					advance(l);
					advance(l);
					break;
				}
				advance(l);
			}
		} else {
			return;
		}
	}
}

static bool is_ident_start(int c) { return c == '_' || (c >= 0 && c < 128 && isalpha(c)); }
static bool is_ident_char(int c) { return c == '_' || (c >= 0 && c < 128 && isalnum(c)); }

static void lex_number(struct lexer *l, struct token *t)
{
	const char *s = l->f->src;
	size_t start = l->p;
	bool is_float = false, hex = false;
	if (peekc(l, 0) == '0' && (peekc(l, 1) == 'x' || peekc(l, 1) == 'X')) {
		hex = true;
		advance(l);
		advance(l);
		bool digits = false, frac = false;
		while (peekc(l, 0) != -1 && isxdigit(peekc(l, 0))) {
			advance(l);
			digits = true;
		}
		if (peekc(l, 0) == '.') {
			/* hexadecimal floating literal: 0x1.8p3 (C99/C++17) */
			frac = true;
			advance(l);
			while (peekc(l, 0) != -1 && isxdigit(peekc(l, 0))) {
				advance(l);
				digits = true;
			}
		}
		if (!digits)
			msl_error(l->f, t->loc, "hexadecimal literal has no digits");
		int n1 = peekc(l, 1), n2 = peekc(l, 2);
		if ((peekc(l, 0) == 'p' || peekc(l, 0) == 'P') &&
		    ((n1 != -1 && isdigit(n1)) || ((n1 == '+' || n1 == '-') && n2 != -1 && isdigit(n2)))) {
			is_float = true;
			advance(l);
			if (peekc(l, 0) == '+' || peekc(l, 0) == '-')
				advance(l);
			while (peekc(l, 0) != -1 && isdigit(peekc(l, 0)))
				advance(l);
		} else if (frac) {
			msl_error(l->f, t->loc, "hexadecimal floating literal needs a binary exponent ('p')");
			is_float = true;
		}
	} else {
		while (peekc(l, 0) != -1 && isdigit(peekc(l, 0)))
			advance(l);
		if (peekc(l, 0) == '.') {
			is_float = true;
			advance(l);
			while (peekc(l, 0) != -1 && isdigit(peekc(l, 0)))
				advance(l);
		}
		if (peekc(l, 0) == 'e' || peekc(l, 0) == 'E') {
			int n1 = peekc(l, 1), n2 = peekc(l, 2);
			if ((n1 != -1 && isdigit(n1)) ||
			    ((n1 == '+' || n1 == '-') && n2 != -1 && isdigit(n2))) {
				is_float = true;
				advance(l);
				if (peekc(l, 0) == '+' || peekc(l, 0) == '-')
					advance(l);
				while (peekc(l, 0) != -1 && isdigit(peekc(l, 0)))
					advance(l);
			}
		}
	}
	size_t body_end = l->p;
	/* suffix */
	size_t sfx = l->p;
	while (is_ident_char(peekc(l, 0)))
		advance(l);
	char suffix[8] = { 0 };
	size_t sl = l->p - sfx;
	if (sl < sizeof suffix)
		memcpy(suffix, s + sfx, sl);
	t->text = msl_strndup(l->f, s + start, l->p - start);
	t->len = (uint32_t)(l->p - start);
	char buf[128];
	size_t bl = body_end - start;
	if (bl >= sizeof buf) {
		msl_error(l->f, t->loc, "numeric literal too long");
		bl = 0;
	}
	memcpy(buf, s + start, bl);
	buf[bl] = 0;
	if (is_float) {
		t->kind = TK_FLOAT;
		t->fval = strtod(buf, NULL);
		if (sl == 0) {
			t->lit_type = MSL_FLOAT;
			t->lit_unsuffixed_float = true;
		} else if (strcmp(suffix, "f") == 0 || strcmp(suffix, "F") == 0) {
			t->lit_type = MSL_FLOAT;
		} else if (strcmp(suffix, "h") == 0 || strcmp(suffix, "H") == 0) {
			t->lit_type = MSL_HALF;
		} else {
			msl_error(l->f, t->loc, "invalid suffix '%s' on floating-point literal",
				  sl < sizeof suffix ? suffix : "...");
			t->lit_type = MSL_FLOAT;
		}
		if (isinf(t->fval))
			msl_error(l->f, t->loc, "floating-point literal is too large");
		return;
	}
	t->kind = TK_INT;
	errno = 0;
	unsigned long long v = strtoull(buf, NULL, hex ? 16 : (buf[0] == '0' ? 8 : 10));
	if (errno == ERANGE || v > 0xFFFFFFFFull) {
		msl_error(l->f, t->loc, "integer literal is too large (MSL integers are 32-bit)");
		v = 0;
	}
	if (!hex && buf[0] == '0') {
		for (const char *q = buf; *q; q++)
			if (*q == '8' || *q == '9') {
				msl_error(l->f, t->loc, "invalid digit in octal literal");
				break;
			}
	}
	t->ival = v;
	if (sl == 0) {
		/* C++: a decimal literal that does not fit int is long (not in MSL's
		 * subset); hex/octal ones become unsigned int. */
		if (v > 0x7FFFFFFFull) {
			if (hex || buf[0] == '0')
				t->lit_type = MSL_UINT;
			else {
				msl_error(l->f, t->loc, "integer literal does not fit in int; add a 'u' suffix");
				t->lit_type = MSL_INT;
			}
		} else {
			t->lit_type = MSL_INT;
		}
	} else if (strcmp(suffix, "u") == 0 || strcmp(suffix, "U") == 0) {
		t->lit_type = MSL_UINT;
	} else if (strcmp(suffix, "f") == 0 || strcmp(suffix, "F") == 0) {
		msl_error(l->f, t->loc, "invalid suffix 'f' on integer literal; write %s.0f", buf);
		t->lit_type = MSL_INT;
	} else {
		msl_error(l->f, t->loc, "integer literal suffix '%s' is not supported",
			  sl < sizeof suffix ? suffix : "...");
		t->lit_type = MSL_INT;
	}
}

void msl_lex(struct msl_front *f)
{
	struct lexer l = { f, 0, 1, 1, true };
	for (;;) {
		skip_space(&l);
		struct token t;
		memset(&t, 0, sizeof t);
		t.loc = (struct msl_loc){ l.line, l.col };
		t.bol = l.bol;
		l.bol = false;
		int c = peekc(&l, 0);
		if (c == -1) {
			t.kind = TK_EOF;
			t.text = "";
			msl_token_push(f, &f->raw, &t);
			return;
		}
		if (is_ident_start(c)) {
			size_t start = l.p;
			while (is_ident_char(peekc(&l, 0)))
				advance(&l);
			t.kind = TK_IDENT;
			t.len = (uint32_t)(l.p - start);
			t.text = msl_strndup(f, f->src + start, t.len);
		} else if ((c != -1 && isdigit(c)) || (c == '.' && peekc(&l, 1) != -1 && isdigit(peekc(&l, 1)))) {
			lex_number(&l, &t);
		} else if (c == '"' || c == '\'') {
			size_t start = l.p;
			advance(&l);
			while (peekc(&l, 0) != -1 && peekc(&l, 0) != c && peekc(&l, 0) != '\n') {
				if (peekc(&l, 0) == '\\')
					advance(&l);
				advance(&l);
			}
			if (peekc(&l, 0) != c)
				msl_error(f, t.loc, "missing terminating %c character", c);
			else
				advance(&l);
			t.kind = c == '"' ? TK_STRING : TK_CHAR;
			t.len = (uint32_t)(l.p - start);
			t.text = msl_strndup(f, f->src + start, t.len);
		} else {
			unsigned p = 0;
			const char *s = f->src + l.p;
			size_t left = f->len - l.p;
			for (size_t i = 0; i < sizeof puncts / sizeof puncts[0]; i++) {
				if (puncts[i].s[0] != c)
					continue;
				size_t n = strlen(puncts[i].s);
				if (n <= left && memcmp(s, puncts[i].s, n) == 0) {
					p = puncts[i].p;
					for (size_t k = 0; k < n; k++)
						advance(&l);
					t.len = (uint32_t)n;
					break;
				}
			}
			if (!p) {
				if (c >= 32 && c < 127)
					msl_error(f, t.loc, "unexpected character '%c'", c);
				else
					msl_error(f, t.loc, "unexpected byte 0x%02x", (unsigned)c);
				advance(&l);
				/* skip the rest of a UTF-8 sequence */
				while (peekc(&l, 0) >= 0x80 && peekc(&l, 0) < 0xC0)
					advance(&l);
				continue;
			}
			t.kind = TK_PUNCT;
			t.punct = (uint16_t)p;
			t.text = msl_punct_spelling(p);
		}
		msl_token_push(f, &f->raw, &t);
	}
}
