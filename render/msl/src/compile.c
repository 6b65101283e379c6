/*
 * compile.c — msl_compile(): run the stages (lex, preprocess, parse+sema)
 * under the limits of msl.h, and the program accessors.
 */
#include <stdlib.h>
#include <string.h>

#include "front.h"

/* Everything a compile owns except what it hands out. */
static void front_free(struct msl_front *f)
{
	msl_arena_destroy(f->arena);
	free(f->raw.v);
	free(f->toks.v);
	free(f->scratch.v);
	free(f);
}

struct msl_program *msl_compile(const char *src, size_t len, const char *filename,
				struct msl_diag_list *diags)
{
	diags->filename = filename;
	size_t errors_before = diags->error_count;
	struct msl_front *f = calloc(1, sizeof *f);
	struct msl_arena *arena = msl_arena_create();
	if (!f || !arena) {
		free(f);
		msl_arena_destroy(arena);
		struct msl_front tmp = { .diags = diags };
		msl_error(&tmp, (struct msl_loc){ 0, 0 }, "out of memory");
		return NULL;
	}
	f->src = src;
	f->len = len;
	f->filename = filename;
	f->diags = diags;
	f->arena = arena;
	if (setjmp(f->fatal)) {
		front_free(f);
		return NULL;
	}
	f->fatal_set = true;
	if (len > MSL_MAX_SOURCE_BYTES)
		msl_fatal(f, (struct msl_loc){ 1, 1 }, "source is %zu bytes; the limit is %u", len,
			  MSL_MAX_SOURCE_BYTES);
	if (memchr(src, 0, len))
		msl_fatal(f, (struct msl_loc){ 1, 1 }, "source contains a NUL byte");
	f->prog = msl_alloc(f, sizeof *f->prog);
	f->prog->filename = filename ? msl_strndup(f, filename, strlen(filename)) : "<input>";
	f->prog->arena = arena;
	msl_types_init(f);
	msl_lex(f);
	msl_preprocess(f);
	msl_parse(f);
	if (diags->error_count > errors_before) {
		front_free(f);
		return NULL;
	}
	struct msl_program *prog = f->prog;
	f->arena = NULL; /* now the program's */
	front_free(f);
	return prog;
}

void msl_program_free(struct msl_program *prog)
{
	if (prog)
		msl_arena_destroy(prog->arena); /* the program itself lives in its arena */
}

size_t msl_program_entry_count(const struct msl_program *prog)
{
	size_t n = 0;
	for (size_t i = 0; i < prog->function_count; i++)
		n += prog->functions[i]->stage != MSL_STAGE_NONE;
	return n;
}

const struct msl_function *msl_program_entry(const struct msl_program *prog, size_t k)
{
	for (size_t i = 0; i < prog->function_count; i++)
		if (prog->functions[i]->stage != MSL_STAGE_NONE && k-- == 0)
			return prog->functions[i];
	return NULL;
}

const struct msl_function *msl_program_find_function(const struct msl_program *prog, const char *name)
{
	for (size_t i = 0; i < prog->function_count; i++)
		if (strcmp(prog->functions[i]->name, name) == 0)
			return prog->functions[i];
	return NULL;
}

size_t msl_front_tokenize_only(const char *src, size_t len)
{
	struct msl_diag_list diags;
	msl_diag_list_init(&diags);
	struct msl_front *f = calloc(1, sizeof *f);
	struct msl_arena *arena = msl_arena_create();
	size_t n = 0;
	if (!f || !arena)
		goto out;
	f->src = src;
	f->len = len;
	f->diags = &diags;
	f->arena = arena;
	if (setjmp(f->fatal))
		goto out;
	f->fatal_set = true;
	if (len > MSL_MAX_SOURCE_BYTES)
		goto out;
	msl_types_init(f);
	msl_lex(f);
	msl_preprocess(f);
	n = f->toks.n;
out:
	if (f)
		front_free(f);
	else
		msl_arena_destroy(arena);
	msl_diag_list_free(&diags);
	return n;
}
