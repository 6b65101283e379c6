/*
 * fuzz_msl_threadgroup — arbitrary MSL source compiled, lowered, and every
 * kernel run over one threadgroup of 200 threads (four chunks of lanes, the
 * last partial) with a grid that cuts the group short, so threadgroup
 * memory and the chunk-and-barrier schedule (exec_threadgroup.c) see
 * hostile shaders: barriers in loops, in branches, after returns. Buffers
 * are zeroed spans of the size the interface asks for (at least 256
 * bytes); textures stay unbound. Any status is acceptable; crashes, hangs,
 * leaks and UB are not.
 * Seeds: fuzz/seeds/fuzz_msl_threadgroup/ (small threadgroup kernels).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "msl/exec.h"
#include "msl/msl.h"

#define BUF_MIN 256u
#define BUF_MAX (1u << 16)
#define LOOP_LIMIT 64u

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > (1u << 16))
		return 0;
	struct msl_diag_list d;
	msl_diag_list_init(&d);
	struct msl_program *prog = msl_compile((const char *)data, size, "fuzz.metal", &d);
	msl_diag_list_free(&d);
	if (!prog)
		return 0;
	struct msl_exec_error err;
	msl_exec_module *mod = msl_exec_module_create(prog, &err);
	msl_program_free(prog);
	if (!mod)
		return 0;
	msl_exec_ctx *c = msl_exec_ctx_create();
	if (c) {
		msl_exec_ctx_set_loop_limit(c, LOOP_LIMIT);
		for (uint32_t i = 0; i < msl_exec_entry_count(mod); i++) {
			const msl_exec_entry *e = msl_exec_entry_at(mod, i);
			const struct msl_exec_interface *f = msl_exec_entry_interface(e);
			if (f->stage != MSL_EXEC_KERNEL)
				continue;
			struct msl_exec_bindings b;
			memset(&b, 0, sizeof(b));
			void *bufs[MSL_EXEC_MAX_BUFFERS] = { 0 };
			for (uint32_t r = 0; r < f->n_resources; r++) {
				const struct msl_exec_resource *res = &f->resources[r];
				if (res->kind != MSL_EXEC_RES_BUFFER || res->index >= MSL_EXEC_MAX_BUFFERS ||
				    bufs[res->index])
					continue;
				size_t n = res->min_size > BUF_MIN ? res->min_size : BUF_MIN;
				if (n > BUF_MAX)
					continue;
				bufs[res->index] = calloc(1, n);
				b.buffers[res->index].data = bufs[res->index];
				b.buffers[res->index].size = bufs[res->index] ? n : 0;
			}
			/* 200 threads as 20x10; the grid stops at x < 17 */
			struct msl_exec_compute_group g = { { 0, 0, 0 }, { 20, 10, 1 }, { 17, 10, 1 }, { 1, 1, 1 } };
			(void)msl_exec_run_compute(c, e, &b, &g, &err);
			g.threadgroup_position[0] = 1;
			g.grid_size[0] = 40;
			(void)msl_exec_run_compute(c, e, &b, &g, &err);
			for (uint32_t k = 0; k < MSL_EXEC_MAX_BUFFERS; k++)
				free(bufs[k]);
		}
		msl_exec_ctx_free(c);
	}
	msl_exec_module_free(mod);
	return 0;
}
