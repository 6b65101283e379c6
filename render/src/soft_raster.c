/*
 * soft_raster.c — rasterisation of one screen tile: per-sample coverage
 * with exact integer edge functions (top-left rule), 2x2 quads, attribute
 * interpolation at pixel centres (perspective-correct, no-perspective or
 * flat), fragment shading in batches of up to MSL_EXEC_MAX_QUADS quads and
 * the hand-off to the output merger in primitive order.
 */
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "soft.h"

struct frag_batch {
	uint32_t quads;
	uint64_t live;
	float position[MSL_EXEC_MAX_LANES * 4];
	float varyings[MSL_EXEC_MAX_LANES * SOFT_MAX_VARYINGS];
	uint8_t front[MSL_EXEC_MAX_LANES];
	uint16_t x[MSL_EXEC_MAX_LANES], y[MSL_EXEC_MAX_LANES];
	uint8_t cov[MSL_EXEC_MAX_LANES];
	float colors[MSL_EXEC_MAX_LANES * 4 * MSL_EXEC_MAX_COLORS];
	float point_coord[MSL_EXEC_MAX_LANES * 2];
};

static inline int64_t edge(const struct soft_tri *t, int i, int64_t px, int64_t py)
{
	int j = i == 2 ? 0 : i + 1;
	return (int64_t)(t->x[j] - t->x[i]) * (py - t->y[i]) - (int64_t)(t->y[j] - t->y[i]) * (px - t->x[i]);
}

/* Per-triangle constants for evaluating the edge functions incrementally:
 * E(p + d) = E(p) + dx_edge * d.y - dy_edge * d.x, so each sample offset
 * adds a constant per edge. All integer: exactly E evaluated directly. */
struct edge_setup {
	int64_t off[4][3];  /* per sample (or [0] = the centre), per edge */
	int64_t center[3];  /* offset of the pixel centre, per edge */
	double inv_area;
	unsigned nsamples;
	int all_perspective;  /* every fs varying is perspective-interpolated */
};

static void edge_setup_init(const struct soft_tri *t, unsigned samples, int all_perspective,
			    struct edge_setup *es)
{
	es->nsamples = samples;
	es->all_perspective = all_perspective;
	es->inv_area = 1.0 / (double)t->area2;
	for (int i = 0; i < 3; i++) {
		int j = i == 2 ? 0 : i + 1;
		int64_t dx = t->x[j] - t->x[i], dy = t->y[j] - t->y[i];
		es->center[i] = dx * (SOFT_SUBPIXEL / 2) - dy * (SOFT_SUBPIXEL / 2);
		if (samples == 1) {
			es->off[0][i] = dx * (SOFT_SUBPIXEL / 2) - dy * (SOFT_SUBPIXEL / 2);
		} else {
			for (unsigned s = 0; s < 4; s++) {
				int64_t ox = soft_sample_pos_4x[s][0] * (SOFT_SUBPIXEL / 16);
				int64_t oy = soft_sample_pos_4x[s][1] * (SOFT_SUBPIXEL / 16);
				es->off[s][i] = dx * oy - dy * ox;
			}
		}
	}
}

/* Covered samples of the pixel whose top-left corner has edge values e[]. */
static inline unsigned coverage_at(const struct soft_tri *t, const struct edge_setup *es, const int64_t e[3])
{
	unsigned m = 0;
	for (unsigned s = 0; s < es->nsamples; s++)
		if (e[0] + es->off[s][0] >= t->bias[0] && e[1] + es->off[s][1] >= t->bias[1] &&
		    e[2] + es->off[s][2] >= t->bias[2])
			m |= 1u << s;
	return m;
}

/* Attributes at the centre of pixel (x, y); e[] are the edge values at
 * its top-left corner. */
static void interpolate(const struct soft_backend *b, const struct soft_tri *t, const struct edge_setup *es,
			const int64_t e[3], int32_t x, int32_t y, float *pos, float *var)
{
	/* The weight of vertex k is the edge function of the edge opposite it. */
	float l0 = (float)((double)(e[1] + es->center[1]) * es->inv_area);
	float l1 = (float)((double)(e[2] + es->center[2]) * es->inv_area);
	float l2 = (float)((double)(e[0] + es->center[0]) * es->inv_area);
	float iw = l0 * t->inv_w[0] + l1 * t->inv_w[1] + l2 * t->inv_w[2];
	pos[0] = (float)x + 0.5f;
	pos[1] = (float)y + 0.5f;
	pos[2] = l0 * t->z[0] + l1 * t->z[1] + l2 * t->z[2];
	pos[3] = iw;
	const struct soft_pipeline *p = b->pipe;
	if (p->fs_floats == 0)
		return;
	const float *v0 = b->varbuf + t->var[0], *v1 = b->varbuf + t->var[1], *v2 = b->varbuf + t->var[2];
	float w = iw != 0.0f ? 1.0f / iw : 0.0f;
	if (es->all_perspective) { /* the common case: no per-float switch */
		uint32_t k = 0;
#if defined(__SSE2__)
		/* Four floats at a time: the same operations in the same order
		 * ((l0*v0 + l1*v1) + l2*v2) * w per float, so the same bits. */
		__m128 L0 = _mm_set1_ps(l0), L1 = _mm_set1_ps(l1), L2 = _mm_set1_ps(l2), W = _mm_set1_ps(w);
		for (; k + 4 <= p->fs_floats; k += 4) {
			__m128 a = _mm_add_ps(_mm_mul_ps(L0, _mm_loadu_ps(v0 + k)), _mm_mul_ps(L1, _mm_loadu_ps(v1 + k)));
			a = _mm_add_ps(a, _mm_mul_ps(L2, _mm_loadu_ps(v2 + k)));
			_mm_storeu_ps(var + k, _mm_mul_ps(a, W));
		}
#endif
		for (; k < p->fs_floats; k++)
			var[k] = (l0 * v0[k] + l1 * v1[k] + l2 * v2[k]) * w;
		return;
	}
	const float *fl = b->varbuf + t->flat;
	for (uint32_t k = 0; k < p->fs_floats; k++) {
		switch (p->fs_interp[k]) {
		case MSL_EXEC_INTERP_FLAT: var[k] = fl[k]; break;
		case MSL_EXEC_INTERP_NO_PERSPECTIVE: var[k] = l0 * v0[k] + l1 * v1[k] + l2 * v2[k]; break;
		default: var[k] = (l0 * v0[k] + l1 * v1[k] + l2 * v2[k]) * w; break;
		}
	}
}

static int flush(struct soft_backend *b, struct soft_worker *w, struct frag_batch *fb)
{
	if (!fb->quads)
		return 0;
	const struct soft_pipeline *p = b->pipe;
	uint32_t lanes = fb->quads * 4;
#if defined(__GNUC__)
	/* The colour buffer (12 MB at 1024x768 4x MSAA) is far larger than the
	 * caches and a draw's triangles land anywhere on it: ask for the
	 * batch's pixels now, so they arrive while the shader runs. Each quad
	 * row is two adjacent pixels; fetch both ends of it. */
	if (p->fs && b->pass.color) {
		const struct soft_texture *c = b->pass.color;
		size_t row = 2 * (size_t)c->d.samples * c->bpp - 1;
		for (uint32_t l = 0; l < lanes; l += 2) {
			const uint8_t *px = soft_texel(c, fb->x[l], fb->y[l], 0);
			__builtin_prefetch(px, 1);
			__builtin_prefetch(px + row, 1);
		}
	}
#endif
	if (p->fs) {
		struct msl_exec_fragment_batch batch = {
			.quads = fb->quads, .live_mask = fb->live, .position = fb->position,
			.varyings = fb->varyings, .front_facing = fb->front, .sample_id = NULL,
			.colors = fb->colors, .discard_mask = 0, .point_coord = fb->point_coord,
		};
		struct msl_exec_error err;
		if (msl_exec_run_fragment(w->ctx, p->fs->entry, &b->fs_bind, &batch, &err) != MSL_EXEC_OK) {
			soft_note_exec_error(b, &err);
			fb->quads = 0;
			fb->live = 0;
			return -1;
		}
		soft_merge_lanes(b, lanes, fb->live & ~batch.discard_mask, fb->x, fb->y, fb->cov, fb->front, fb->colors,
				 4 * MSL_EXEC_MAX_COLORS);
	} else {
		for (uint32_t l = 0; l < lanes; l++)
			if (fb->live >> l & 1)
				soft_stencil_only(b, fb->x[l], fb->y[l], fb->cov[l], fb->front[l]);
	}
	fb->quads = 0;
	fb->live = 0;
	return 0;
}

void soft_raster_tile(struct soft_backend *b, struct soft_worker *w, uint32_t item)
{
	int32_t tx0 = (int32_t)(item % b->tiles_x) * SOFT_TILE, ty0 = (int32_t)(item / b->tiles_x) * SOFT_TILE;
	int32_t tx1 = tx0 + SOFT_TILE - 1, ty1 = ty0 + SOFT_TILE - 1;
	/* Clip rect (scissor and attachment), inclusive. */
	int32_t cx0 = tx0 > b->clip[0] ? tx0 : b->clip[0], cy0 = ty0 > b->clip[1] ? ty0 : b->clip[1];
	int32_t cx1 = tx1 < b->clip[2] - 1 ? tx1 : b->clip[2] - 1, cy1 = ty1 < b->clip[3] - 1 ? ty1 : b->clip[3] - 1;
	if (cx0 > cx1 || cy0 > cy1)
		return;
	unsigned samples = b->pass.color->d.samples;
	uint32_t nvar = b->pipe->fs_floats;
	int all_perspective = 1;
	for (uint32_t k = 0; k < nvar; k++)
		all_perspective &= b->pipe->fs_interp[k] == MSL_EXEC_INTERP_PERSPECTIVE;
	unsigned full_cov = (1u << samples) - 1;
	struct frag_batch fb;
	fb.quads = 0;
	fb.live = 0;
	for (size_t ti = 0; ti < b->ntris; ti++) {
		const struct soft_tri *t = &b->tris[ti];
		int32_t x0 = t->minx > cx0 ? t->minx : cx0, x1 = t->maxx < cx1 ? t->maxx : cx1;
		int32_t y0 = t->miny > cy0 ? t->miny : cy0, y1 = t->maxy < cy1 ? t->maxy : cy1;
		if (x0 > x1 || y0 > y1)
			continue;
		x0 &= ~1;
		y0 &= ~1;
		struct edge_setup es;
		edge_setup_init(t, samples, all_perspective, &es);
		/* Edge values at the top-left corner of pixel (x0, y0) and their
		 * steps per pixel in x and y. */
		int64_t row_e[3], step_x[3], step_y[3];
		/* Over a quad's 2x2 pixel area (every sample point lies inside it)
		 * edge i ranges over qe[i] + [lo[i], hi[i]]: a quad with some edge's
		 * maximum below its bias covers no sample, one with every edge's
		 * minimum at or above its bias covers all of them. Both only skip
		 * the per-sample tests whose outcome they already know. */
		int64_t lo[3], hi[3];
		for (int i = 0; i < 3; i++) {
			int j = i == 2 ? 0 : i + 1;
			row_e[i] = edge(t, i, (int64_t)x0 << SOFT_SUBPIXEL_BITS, (int64_t)y0 << SOFT_SUBPIXEL_BITS);
			step_x[i] = -(int64_t)(t->y[j] - t->y[i]) * SOFT_SUBPIXEL;
			step_y[i] = (int64_t)(t->x[j] - t->x[i]) * SOFT_SUBPIXEL;
			lo[i] = (step_x[i] < 0 ? 2 * step_x[i] : 0) + (step_y[i] < 0 ? 2 * step_y[i] : 0);
			hi[i] = (step_x[i] > 0 ? 2 * step_x[i] : 0) + (step_y[i] > 0 ? 2 * step_y[i] : 0);
		}
		for (int32_t qy = y0; qy <= y1; qy += 2, row_e[0] += 2 * step_y[0], row_e[1] += 2 * step_y[1],
			     row_e[2] += 2 * step_y[2]) {
			int64_t qe[3] = { row_e[0], row_e[1], row_e[2] };
			int rows_inside = qy >= cy0 && qy + 1 <= cy1;
			for (int32_t qx = x0; qx <= x1; qx += 2, qe[0] += 2 * step_x[0], qe[1] += 2 * step_x[1],
				     qe[2] += 2 * step_x[2]) {
				if (qe[0] + hi[0] < t->bias[0] || qe[1] + hi[1] < t->bias[1] || qe[2] + hi[2] < t->bias[2])
					continue;
				unsigned cov[4];
				unsigned any = 0;
				int64_t e[4][3];
				int full = rows_inside && qx >= cx0 && qx + 1 <= cx1 && qe[0] + lo[0] >= t->bias[0] &&
					   qe[1] + lo[1] >= t->bias[1] && qe[2] + lo[2] >= t->bias[2];
				for (int k = 0; k < 4; k++) {
					int32_t px = qx + (k & 1), py = qy + (k >> 1);
					for (int i = 0; i < 3; i++)
						e[k][i] = qe[i] + ((k & 1) ? step_x[i] : 0) + ((k >> 1) ? step_y[i] : 0);
					if (full) {
						cov[k] = full_cov;
						continue;
					}
					cov[k] = 0;
					if (px < cx0 || px > cx1 || py < cy0 || py > cy1)
						continue;
					cov[k] = coverage_at(t, &es, e[k]);
				}
				any = full ? full_cov : (cov[0] | cov[1] | cov[2] | cov[3]);
				if (!any)
					continue;
				for (int k = 0; k < 4; k++) {
					uint32_t l = fb.quads * 4 + (uint32_t)k;
					int32_t px = qx + (k & 1), py = qy + (k >> 1);
					fb.x[l] = (uint16_t)px;
					fb.y[l] = (uint16_t)py;
					fb.cov[l] = (uint8_t)cov[k];
					fb.front[l] = t->front_facing;
					/* at the pixel centre; helper lanes beyond the square get
					 * values outside 0..1, which keeps derivatives right */
					fb.point_coord[2 * l] = ((float)px + 0.5f - t->pc_x0) * t->pc_scale;
					fb.point_coord[2 * l + 1] = ((float)py + 0.5f - t->pc_y0) * t->pc_scale;
					if (cov[k])
						fb.live |= 1ull << l;
					if (b->pipe->fs)
						interpolate(b, t, &es, e[k], px, py, fb.position + l * 4,
						    fb.varyings + (size_t)l * nvar);
				}
				if (++fb.quads == MSL_EXEC_MAX_QUADS && flush(b, w, &fb))
					return;
			}
		}
	}
	flush(b, w, &fb);
}
