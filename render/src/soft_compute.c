/*
 * soft_compute.c — DISPATCH_THREADS: the grid is cut into threadgroups
 * (partial ones at the edges, as dispatchThreads does) and threadgroups are
 * spread over the workers. Threadgroups are independent in Metal, so the
 * result does not depend on which worker ran which group.
 */
#include <string.h>

#include "soft.h"

static void run_group(struct soft_backend *b, struct soft_worker *w, uint32_t item)
{
	struct msl_exec_compute_group g;
	memset(&g, 0, sizeof g);
	g.threadgroup_position[0] = item % b->cgroups[0];
	g.threadgroup_position[1] = (item / b->cgroups[0]) % b->cgroups[1];
	g.threadgroup_position[2] = item / (b->cgroups[0] * b->cgroups[1]);
	for (int i = 0; i < 3; i++) {
		g.threads_per_threadgroup[i] = b->ctg[i];
		g.grid_size[i] = b->cgrid[i];
		g.threadgroups_per_grid[i] = b->cgroups[i];
	}
	struct msl_exec_error err;
	if (msl_exec_run_compute(w->ctx, b->cpipe->cs->entry, &b->cs_bind, &g, &err) != MSL_EXEC_OK)
		soft_note_exec_error(b, &err);
}

void soft_dispatch(void *be, const struct rb_compute_state *st, const uint16_t grid[3], const uint16_t tg[3])
{
	struct soft_backend *b = be;
	const struct soft_pipeline *p = st->pipeline;
	if (!p->compute)
		return;
	b->cpipe = p;
	b->exec_failed = 0;
	memset(&b->cs_bind, 0, sizeof b->cs_bind);
	for (int i = 0; i < RB_MAX_BUFFERS; i++) {
		if (!st->bytes[i].data)
			continue;
		memcpy(b->bytes_copy[0][i], st->bytes[i].data, st->bytes[i].len);
		b->cs_bind.buffers[i].data = b->bytes_copy[0][i];
		b->cs_bind.buffers[i].size = st->bytes[i].len;
	}
	for (int i = 0; i < RB_MAX_TEXTURES; i++) {
		if (!st->textures[i])
			continue;
		soft_texture_view(&b->cs_views[i], st->textures[i], 0);
		b->cs_bind.textures[i] = &b->cs_views[i];
	}
	uint64_t total = 1;
	for (int i = 0; i < 3; i++) {
		b->cgrid[i] = grid[i];
		b->ctg[i] = tg[i];
		b->cgroups[i] = (grid[i] + tg[i] - 1u) / tg[i];
		total *= b->cgroups[i];
	}
	/* Threadgroups that write memory could read each other's results
	 * (undefined in Metal): run them in order on one thread so the result
	 * is the same for every thread count. Write-only kernels whose
	 * textures are all distinct, the usual case, run in parallel. */
	int serial = 0;
	const struct msl_exec_interface *i = p->cs->iface;
	for (uint32_t r = 0; r < i->n_resources; r++) {
		const struct msl_exec_resource *res = &i->resources[r];
		if ((res->kind == MSL_EXEC_RES_BUFFER && res->writable) ||
		    (res->kind == MSL_EXEC_RES_TEXTURE && res->access == MSL_EXEC_ACCESS_READ_WRITE))
			serial = 1;
	}
	for (int a = 0; a < RB_MAX_TEXTURES && !serial; a++)
		for (int c = a + 1; c < RB_MAX_TEXTURES && !serial; c++)
			serial = st->textures[a] && st->textures[a] == st->textures[c];
	if (serial) {
		for (uint32_t g = 0; g < (uint32_t)total; g++)
			run_group(b, &b->workers[0], g);
	} else {
		soft_run_parallel(b, (uint32_t)total, run_group);
	}
}
