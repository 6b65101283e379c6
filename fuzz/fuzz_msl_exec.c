/*
 * fuzz_msl_exec — arbitrary MSL source compiled, lowered and run: every
 * entry point of a library that checks is executed once on a small batch
 * (8 vertices, 2 fragment quads with one helper lane, one 4x2 compute
 * threadgroup) with every resource it declares bound to a dummy: zeroed
 * buffers of at least the size the interface asks for, textures whose
 * callbacks return a fixed pattern and accept writes in range, samplers
 * nearest/clamp. The loop limit is kept small so runaway shaders stop
 * quickly; any status is acceptable, crashes, leaks and UB are not.
 * Seeds: fuzz/seeds/fuzz_msl_exec/ (small shaders from tests/msl/exec).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "msl/exec.h"
#include "msl/msl.h"

#define VERTS 8u
#define QUADS 2u
#define LANES (QUADS * 4u)
#define TEX_W 4u
#define TEX_H 4u
#define BUF_MIN 256u
#define BUF_MAX (1u << 16)
#define LOOP_LIMIT 64u

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct dummy_tex { float texels[TEX_W * TEX_H][4]; };

static void dummy_sample(void *ctx, const struct msl_exec_sampler *s, uint32_t n, const uint8_t *active,
			 const float *u, const float *v, float *out)
{
	struct dummy_tex *t = ctx;
	(void)s;
	for (uint32_t l = 0; l < n; l++) {
		if (!active[l])
			continue;
		/* nearest, clamp to edge; NaN and infinities land on texel 0 */
		float fx = u[l] * (float)TEX_W, fy = v[l] * (float)TEX_H;
		uint32_t x = fx > 0.0f && fx < (float)TEX_W ? (uint32_t)fx : 0;
		uint32_t y = fy > 0.0f && fy < (float)TEX_H ? (uint32_t)fy : 0;
		for (int c = 0; c < 4; c++)
			out[c * n + l] = t->texels[y * TEX_W + x][c];
	}
}

static void dummy_read(void *ctx, uint32_t n, const uint8_t *active, const uint32_t *x, const uint32_t *y,
		       const uint32_t *sample, float *out)
{
	struct dummy_tex *t = ctx;
	(void)sample;
	for (uint32_t l = 0; l < n; l++) {
		if (!active[l])
			continue;
		uint32_t i = (y[l] % TEX_H) * TEX_W + x[l] % TEX_W;
		for (int c = 0; c < 4; c++)
			out[c * n + l] = t->texels[i][c];
	}
}

static void dummy_write(void *ctx, uint32_t n, const uint8_t *active, const uint32_t *x, const uint32_t *y,
			const float *in)
{
	struct dummy_tex *t = ctx;
	for (uint32_t l = 0; l < n; l++) {
		if (!active[l] || x[l] >= TEX_W || y[l] >= TEX_H)
			continue;
		for (int c = 0; c < 4; c++)
			t->texels[y[l] * TEX_W + x[l]][c] = in[c * n + l];
	}
}

struct resources {
	struct msl_exec_bindings b;
	struct dummy_tex tex[MSL_EXEC_MAX_TEXTURES];
	struct msl_exec_texture views[MSL_EXEC_MAX_TEXTURES];
	void *buffers[MSL_EXEC_MAX_BUFFERS];
};

static const struct msl_exec_sampler nearest_clamp = { .coord = MSL_EXEC_COORD_NORMALIZED };

/* Bind a dummy for every resource the entry point declares. */
static void bind_all(struct resources *r, const struct msl_exec_interface *in)
{
	memset(&r->b, 0, sizeof r->b);
	for (uint32_t i = 0; i < in->n_resources; i++) {
		const struct msl_exec_resource *res = &in->resources[i];
		if (res->kind == MSL_EXEC_RES_BUFFER && res->index < MSL_EXEC_MAX_BUFFERS &&
		    !r->buffers[res->index] && res->min_size <= BUF_MAX) {
			size_t n = res->min_size > BUF_MIN ? res->min_size : BUF_MIN;
			r->buffers[res->index] = calloc(1, n);
			r->b.buffers[res->index].data = r->buffers[res->index];
			r->b.buffers[res->index].size = r->buffers[res->index] ? n : 0;
		} else if (res->kind == MSL_EXEC_RES_TEXTURE && res->index < MSL_EXEC_MAX_TEXTURES) {
			struct dummy_tex *t = &r->tex[res->index];
			for (uint32_t k = 0; k < TEX_W * TEX_H; k++)
				for (int c = 0; c < 4; c++)
					t->texels[k][c] = (float)((k * 4 + (uint32_t)c) % 7) * 0.25f;
			r->views[res->index] = (struct msl_exec_texture){
				t, TEX_W, TEX_H, res->multisample ? 4u : 1u, dummy_sample, dummy_read, dummy_write
			};
			r->b.textures[res->index] = &r->views[res->index];
		} else if (res->kind == MSL_EXEC_RES_SAMPLER && res->index < MSL_EXEC_MAX_SAMPLERS) {
			r->b.samplers[res->index] = &nearest_clamp;
		}
	}
}

static void free_buffers(struct resources *r)
{
	for (uint32_t i = 0; i < MSL_EXEC_MAX_BUFFERS; i++)
		free(r->buffers[i]);
	memset(r->buffers, 0, sizeof r->buffers);
}

/* Small, varied, finite inputs: a few fractions, negatives and integers. */
static void fill(float *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		v[i] = (float)((int)(i * 37u % 11u) - 5) * 0.375f;
}

static void run_vertex(msl_exec_ctx *c, const msl_exec_entry *e, const struct msl_exec_interface *in,
		       const struct msl_exec_bindings *b)
{
	uint32_t vid[VERTS], iid[VERTS];
	for (uint32_t i = 0; i < VERTS; i++)
		vid[i] = i, iid[i] = i / 4;
	float *attrs = calloc((size_t)VERTS * in->attribute_floats + 1, sizeof(float));
	float *vary = calloc((size_t)VERTS * in->varying_floats + 1, sizeof(float));
	float pos[VERTS * 4];
	if (attrs && vary) {
		fill(attrs, (size_t)VERTS * in->attribute_floats);
		struct msl_exec_vertex_batch vb = { VERTS, vid, iid, attrs, pos, vary };
		struct msl_exec_error err;
		(void)msl_exec_run_vertex(c, e, b, &vb, &err);
	}
	free(attrs);
	free(vary);
}

static void run_fragment(msl_exec_ctx *c, const msl_exec_entry *e, const struct msl_exec_interface *in,
			 const struct msl_exec_bindings *b)
{
	float pos[LANES * 4];
	for (uint32_t l = 0; l < LANES; l++) {
		pos[4 * l + 0] = (float)(2 * (l / 4) + (l & 1)) + 0.5f;
		pos[4 * l + 1] = (float)((l >> 1) & 1) + 0.5f;
		pos[4 * l + 2] = 0.5f;
		pos[4 * l + 3] = 1.0f;
	}
	float *vary = calloc((size_t)LANES * in->varying_floats + 1, sizeof(float));
	float *colors = calloc((size_t)LANES * 4 * MSL_EXEC_MAX_COLORS, sizeof(float));
	uint8_t front[LANES];
	uint32_t sample[LANES];
	for (uint32_t l = 0; l < LANES; l++)
		front[l] = (uint8_t)(l & 1), sample[l] = l & 3;
	if (vary && colors) {
		fill(vary, (size_t)LANES * in->varying_floats);
		struct msl_exec_fragment_batch fb;
		memset(&fb, 0, sizeof fb);
		fb.quads = QUADS;
		fb.live_mask = ((1ull << LANES) - 1) & ~2ull; /* lane 1 is a helper */
		fb.position = pos;
		fb.varyings = vary;
		fb.front_facing = front;
		fb.sample_id = sample;
		fb.colors = colors;
		struct msl_exec_error err;
		(void)msl_exec_run_fragment(c, e, b, &fb, &err);
	}
	free(vary);
	free(colors);
}

static void run_kernel(msl_exec_ctx *c, const msl_exec_entry *e, const struct msl_exec_bindings *b)
{
	/* one 4x2 threadgroup of a 2x1 grid of them; the grid is cut at x = 7 */
	struct msl_exec_compute_group g = { { 1, 0, 0 }, { 4, 2, 1 }, { 7, 2, 1 }, { 2, 1, 1 } };
	struct msl_exec_error err;
	(void)msl_exec_run_compute(c, e, b, &g, &err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct msl_diag_list d;
	msl_diag_list_init(&d);
	struct msl_program *p = msl_compile((const char *)data, size, "fuzz.metal", &d);
	msl_diag_list_free(&d);
	if (!p)
		return 0;
	struct msl_exec_error err;
	msl_exec_module *m = msl_exec_module_create(p, &err);
	msl_program_free(p); /* the module keeps no pointers into the program */
	if (!m)
		return 0;
	msl_exec_ctx *c = msl_exec_ctx_create();
	static struct resources r; /* large: keep it off the stack */
	if (c) {
		msl_exec_ctx_set_loop_limit(c, LOOP_LIMIT);
		for (uint32_t i = 0; i < msl_exec_entry_count(m); i++) {
			const msl_exec_entry *e = msl_exec_entry_at(m, i);
			const struct msl_exec_interface *in = msl_exec_entry_interface(e);
			bind_all(&r, in);
			switch (in->stage) {
			case MSL_EXEC_VERTEX: run_vertex(c, e, in, &r.b); break;
			case MSL_EXEC_FRAGMENT: run_fragment(c, e, in, &r.b); break;
			case MSL_EXEC_KERNEL: run_kernel(c, e, &r.b); break;
			}
			free_buffers(&r);
		}
	}
	msl_exec_ctx_free(c);
	msl_exec_module_free(m);
	return 0;
}
