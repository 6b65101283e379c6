/*
 * diag.c — the arena every front-end node lives in, and diagnostics:
 * collecting them (bounded) and printing them as file:line:col with the
 * source line and a caret.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "front.h"

/* ---- arena ---------------------------------------------------------------- */

struct arena_block {
	struct arena_block *next;
	size_t used, cap;
	max_align_t data[]; /* cap bytes */
};

struct msl_arena {
	struct arena_block *head;
	size_t total;
};

/* Front-end memory is bounded by the source limits; this is the backstop
 * that turns a runaway into an "out of memory" diagnostic. */
#define ARENA_MAX_TOTAL ((size_t)512 << 20)

struct msl_arena *msl_arena_create(void)
{
	return calloc(1, sizeof(struct msl_arena));
}

void msl_arena_destroy(struct msl_arena *a)
{
	if (!a)
		return;
	struct arena_block *b = a->head;
	while (b) {
		struct arena_block *next = b->next;
		free(b);
		b = next;
	}
	free(a);
}

void *msl_arena_alloc(struct msl_arena *a, size_t size)
{
	const size_t align = sizeof(max_align_t);
	size = (size + align - 1) & ~(align - 1);
	if (size == 0)
		size = align;
	struct arena_block *b = a->head;
	if (!b || b->cap - b->used < size) {
		size_t cap = 64 * 1024;
		if (size > cap / 4)
			cap = size;
		if (a->total + cap > ARENA_MAX_TOTAL)
			return NULL;
		struct arena_block *nb = malloc(sizeof(*nb) + cap);
		if (!nb)
			return NULL;
		nb->used = 0;
		nb->cap = cap;
		a->total += cap;
		if (b && size == cap) {
			/* a big one-off: keep the current block open for small ones */
			nb->next = b->next;
			b->next = nb;
			nb->used = cap;
			memset(nb->data, 0, cap);
			return nb->data;
		}
		nb->next = b;
		a->head = nb;
		b = nb;
	}
	void *p = (char *)b->data + b->used;
	b->used += size;
	memset(p, 0, size);
	return p;
}

void *msl_alloc(struct msl_front *f, size_t size)
{
	void *p = msl_arena_alloc(f->arena, size);
	if (!p)
		msl_fatal(f, (struct msl_loc){0, 0}, "out of memory");
	return p;
}

char *msl_strndup(struct msl_front *f, const char *s, size_t n)
{
	char *p = msl_alloc(f, n + 1);
	memcpy(p, s, n);
	p[n] = 0;
	return p;
}

char *msl_sprintf(struct msl_front *f, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	return msl_strndup(f, buf, strlen(buf));
}

void msl_vec_push(struct msl_front *f, void **items, size_t *count, size_t *cap,
		  const void *elem, size_t size)
{
	if (*count == *cap) {
		size_t ncap = *cap ? *cap * 2 : 8;
		void *n = msl_alloc(f, ncap * size);
		if (*count)
			memcpy(n, *items, *count * size);
		*items = n;
		*cap = ncap;
	}
	memcpy((char *)*items + *count * size, elem, size);
	(*count)++;
}

/* Token vectors live on the heap (not the arena): they are large, grow by
 * doubling and die with the compile (msl_compile frees them). */
void msl_token_push(struct msl_front *f, struct token_vec *v, const struct token *t)
{
	if (v->n >= MSL_MAX_TOKENS)
		msl_fatal(f, t->loc, "too many tokens (limit %u)", MSL_MAX_TOKENS);
	if (v->n == v->cap) {
		size_t ncap = v->cap ? v->cap * 2 : 256;
		struct token *n = realloc(v->v, ncap * sizeof *n);
		if (!n)
			msl_fatal(f, t->loc, "out of memory");
		v->v = n;
		v->cap = ncap;
	}
	v->v[v->n++] = *t;
}

/* ---- diagnostics ---------------------------------------------------------- */

void msl_diag_list_init(struct msl_diag_list *list)
{
	memset(list, 0, sizeof *list);
}

void msl_diag_list_free(struct msl_diag_list *list)
{
	for (size_t i = 0; i < list->count; i++)
		free(list->items[i].message);
	free(list->items);
	memset(list, 0, sizeof *list);
}

static void diag_add(struct msl_diag_list *list, enum msl_severity sev, struct msl_loc loc,
		     const char *fmt, va_list ap)
{
	if (sev == MSL_SEV_ERROR)
		list->error_count++;
	if (list->count >= MSL_MAX_DIAGS)
		return;
	if (list->count == list->cap) {
		size_t ncap = list->cap ? list->cap * 2 : 8;
		struct msl_diag *n = realloc(list->items, ncap * sizeof *n);
		if (!n)
			return;
		list->items = n;
		list->cap = ncap;
	}
	char buf[512];
	vsnprintf(buf, sizeof buf, fmt, ap);
	char *msg = strdup(buf);
	if (!msg)
		return;
	list->items[list->count++] = (struct msl_diag){ sev, loc.line, loc.col, msg };
}

void msl_error(struct msl_front *f, struct msl_loc loc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_add(f->diags, MSL_SEV_ERROR, loc, fmt, ap);
	va_end(ap);
	if (f->diags->error_count >= MSL_MAX_DIAGS && f->fatal_set)
		longjmp(f->fatal, 1);
}

void msl_warning(struct msl_front *f, struct msl_loc loc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_add(f->diags, MSL_SEV_WARNING, loc, fmt, ap);
	va_end(ap);
}

_Noreturn void msl_fatal(struct msl_front *f, struct msl_loc loc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_add(f->diags, MSL_SEV_ERROR, loc, fmt, ap);
	va_end(ap);
	longjmp(f->fatal, 1);
}

static const char *severity_name(enum msl_severity s)
{
	return s == MSL_SEV_ERROR ? "error" : s == MSL_SEV_WARNING ? "warning" : "note";
}

void msl_diag_print(const struct msl_diag_list *list, const char *src, size_t len, FILE *out)
{
	const char *file = list->filename ? list->filename : "<input>";
	for (size_t i = 0; i < list->count; i++) {
		const struct msl_diag *d = &list->items[i];
		fprintf(out, "%s:%u:%u: %s: %s\n", file, d->line, d->col, severity_name(d->severity),
			d->message);
		if (!src || d->line == 0)
			continue;
		/* find the line */
		size_t p = 0;
		uint32_t line = 1;
		while (p < len && line < d->line) {
			if (src[p] == '\n')
				line++;
			p++;
		}
		if (line != d->line)
			continue;
		size_t e = p;
		while (e < len && src[e] != '\n' && src[e] != '\r' && e - p < 400)
			e++;
		fputs("    ", out);
		for (size_t k = p; k < e; k++) {
			unsigned char c = (unsigned char)src[k];
			fputc(c == '\t' ? '\t' : (c < 32 || c == 127) ? ' ' : c, out);
		}
		fputs("\n    ", out);
		for (uint32_t c = 1; c < d->col && p + c - 1 < e; c++)
			fputc(src[p + c - 1] == '\t' ? '\t' : ' ', out);
		fputs("^\n", out);
	}
	if (list->error_count > list->count)
		fprintf(out, "%s: %zu more errors not shown\n", file, list->error_count - list->count);
}
