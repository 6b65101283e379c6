/*
 * exec_threadgroup.h — private to the executor: what a compute threadgroup
 * needs beyond one batch of lanes, i.e. threadgroup memory and barriers.
 *
 * Scheme (docs/MSL.md "### Threadgroup memory and barriers"): a group of
 * more than MSL_EXEC_MAX_LANES threads runs as chunks of up to 64 lanes.
 * Without a barrier the chunks run one after the other. With barriers each
 * chunk gets its own register bank and control frames; every chunk runs
 * until it waits at a barrier (its interpreter state saved in tg_chunk),
 * and only when all chunks wait at the SAME barrier do they all resume, in
 * chunk order. A chunk that finishes while another waits, chunks waiting at
 * different barriers, or a barrier reached by only some lanes of a chunk is
 * a divergent barrier: MSL_EXEC_ERR_BARRIER, never a hang.
 */
#ifndef MSL_EXEC_THREADGROUP_H
#define MSL_EXEC_THREADGROUP_H

#include <stddef.h>
#include <stdint.h>

#include "msl/ir.h"

/* One chunk of a threadgroup run with barriers. regs/frames point into
 * tg_scratch (element types are exec.c's; sized in bytes here). */
struct tg_chunk {
	void *regs;                 /* n_regs x MSL_EXEC_MAX_LANES lanes */
	void *frames;               /* max_depth control frames */
	uint32_t first_thread, lanes;
	/* interpreter state while waiting at a barrier */
	int at_barrier;
	uint32_t pc, depth, total_trips;
	uint64_t exec, brk, cont, ret;
};

/* Grows on demand, kept in the context between runs. */
struct tg_scratch {
	uint8_t *mem;               /* threadgroup memory */
	size_t cap_mem;
	uint8_t *banks;             /* register banks, then frames */
	size_t cap_banks;
	struct tg_chunk chunks[MSL_EXEC_MAX_THREADGROUP / MSL_EXEC_MAX_LANES];
	uint64_t consts_of;         /* entry whose constants fill the banks */
	uint32_t consts_banks;      /* ... in this many banks */
};

void tg_scratch_free(struct tg_scratch *s);

/* Zeroed threadgroup memory of `bytes` (Metal leaves it undefined; zero
 * keeps runs deterministic). Returns NULL when out of memory. */
uint8_t *tg_scratch_memory(struct tg_scratch *s, size_t bytes);

/* Banks for `chunks` chunks of `reg_bytes` registers and `frame_bytes`
 * frames each; fills s->chunks[k].regs/frames. -1 when out of memory. */
int tg_scratch_banks(struct tg_scratch *s, uint32_t chunks, size_t reg_bytes, size_t frame_bytes);

/* Runs chunk k: from the start, or on from the barrier it waits at. */
typedef enum msl_exec_status (*tg_run_chunk_fn)(void *arg, uint32_t k, struct msl_exec_error *err);

/* Drive `n` chunks through the barriers of entry e round by round, as
 * described above. Returns MSL_EXEC_OK, the first chunk error, or
 * MSL_EXEC_ERR_BARRIER with the barrier's line:col. */
enum msl_exec_status tg_run_rounds(struct tg_scratch *s, uint32_t n, const struct msl_exec_entry *e,
				   tg_run_chunk_fn run, void *arg, struct msl_exec_error *err);

#endif
