/*
 * exec_threadgroup.c — threadgroup memory and the barrier schedule for
 * compute threadgroups split into chunks (see exec_threadgroup.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exec_threadgroup.h"

void tg_scratch_free(struct tg_scratch *s)
{
	free(s->mem);
	free(s->banks);
	memset(s, 0, sizeof(*s));
}

uint8_t *tg_scratch_memory(struct tg_scratch *s, size_t bytes)
{
	if (bytes > s->cap_mem) {
		uint8_t *p = realloc(s->mem, bytes);
		if (!p)
			return NULL;
		s->mem = p;
		s->cap_mem = bytes;
	}
	if (bytes)
		memset(s->mem, 0, bytes);
	return s->mem;
}

int tg_scratch_banks(struct tg_scratch *s, uint32_t chunks, size_t reg_bytes, size_t frame_bytes)
{
	/* frames after the registers, kept 16-byte aligned */
	size_t each = ((reg_bytes + 15) & ~(size_t)15) + ((frame_bytes + 15) & ~(size_t)15);
	size_t need = each * chunks;
	if (chunks > sizeof s->chunks / sizeof s->chunks[0])
		return -1;
	if (need > s->cap_banks) {
		uint8_t *p = realloc(s->banks, need);
		if (!p)
			return -1;
		s->banks = p;
		s->cap_banks = need;
		s->consts_of = 0; /* moved: constants must be filled again */
	}
	for (uint32_t k = 0; k < chunks; k++) {
		s->chunks[k].regs = s->banks + each * k;
		s->chunks[k].frames = s->banks + each * k + ((reg_bytes + 15) & ~(size_t)15);
	}
	return 0;
}

static enum msl_exec_status barrier_error(const struct msl_exec_entry *e, uint32_t pc,
					  struct msl_exec_error *err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#include <stdarg.h>
static enum msl_exec_status barrier_error(const struct msl_exec_entry *e, uint32_t pc,
					  struct msl_exec_error *err, const char *fmt, ...)
{
	if (err) {
		err->status = MSL_EXEC_ERR_BARRIER;
		err->line = pc < e->n_code ? e->code[pc].line : 0;
		err->col = pc < e->n_code ? e->code[pc].col : 0;
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err->message, sizeof(err->message), fmt, ap);
		va_end(ap);
	}
	return MSL_EXEC_ERR_BARRIER;
}

enum msl_exec_status tg_run_rounds(struct tg_scratch *s, uint32_t n, const struct msl_exec_entry *e,
				   tg_run_chunk_fn run, void *arg, struct msl_exec_error *err)
{
	for (uint32_t k = 0; k < n; k++)
		s->chunks[k].at_barrier = 0;
	for (;;) {
		for (uint32_t k = 0; k < n; k++) {
			enum msl_exec_status st = run(arg, k, err);
			if (st)
				return st;
		}
		/* every chunk now either finished or waits at a barrier */
		const struct tg_chunk *waiting = NULL, *done = NULL;
		for (uint32_t k = 0; k < n; k++) {
			const struct tg_chunk *c = &s->chunks[k];
			if (!c->at_barrier) {
				if (!done)
					done = c;
				continue;
			}
			if (!waiting) {
				waiting = c;
			} else if (c->pc != waiting->pc) {
				return barrier_error(e, waiting->pc, err,
						     "threads %u..%u wait at this barrier, threads %u..%u at the one at line %u:%u (divergent control flow)",
						     waiting->first_thread, waiting->first_thread + waiting->lanes - 1,
						     c->first_thread, c->first_thread + c->lanes - 1,
						     e->code[c->pc].line, e->code[c->pc].col);
			}
		}
		if (!waiting)
			return MSL_EXEC_OK;
		if (done)
			return barrier_error(e, waiting->pc, err,
					     "threads %u..%u wait at this barrier, but threads %u..%u finished without reaching it (divergent control flow)",
					     waiting->first_thread, waiting->first_thread + waiting->lanes - 1,
					     done->first_thread, done->first_thread + done->lanes - 1);
		/* all wait at the same barrier: the next round resumes them */
	}
}
