/*
 * soft_setup.c — the front of the pipeline: vertex fetch from the fixed
 * 32-byte layout, vertex shading in batches, primitive assembly (triangle,
 * strip, line, point), clipping in homogeneous space, the viewport
 * transform, snapping to 1/256 pixel and triangle setup (orientation,
 * facing, top-left fill rule biases, bounding box).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mtlproto/wire.h"
#include "soft.h"

/* Guard band: x and y are clipped only at 16x the viewport, so clipping
 * never creates edges inside the visible area. */
#define GUARD 16.0f
#define MAX_CLIP_VERTS 12

/* A vertex in clip space with its fragment-stage varyings. */
struct cvert {
	float pos[4];
	float var[SOFT_MAX_VARYINGS];
};

static int ensure_varbuf(struct soft_backend *b, size_t more)
{
	if (b->varbuf_used + more <= b->varbuf_cap)
		return 0;
	size_t ncap = b->varbuf_cap ? b->varbuf_cap * 2 : 4096;
	while (ncap < b->varbuf_used + more)
		ncap *= 2;
	float *n = realloc(b->varbuf, ncap * sizeof *n);
	if (!n)
		return -1;
	b->varbuf = n;
	b->varbuf_cap = ncap;
	return 0;
}

static struct soft_tri *new_tri(struct soft_backend *b)
{
	if (b->ntris == b->cap_tris) {
		size_t ncap = b->cap_tris ? b->cap_tris * 2 : 256;
		struct soft_tri *n = realloc(b->tris, ncap * sizeof *n);
		if (!n)
			return NULL;
		b->tris = n;
		b->cap_tris = ncap;
	}
	return &b->tris[b->ntris++];
}

/* Project a clip-space vertex: window position snapped to 1/256 pixel. */
static int project(struct soft_backend *b, const struct cvert *v, struct soft_vertex *out)
{
	const struct soft_texture *c = b->pass.color;
	double w = v->pos[3];
	if (!(w > 0))
		return -1;
	double inv_w = 1.0 / w;
	double xw = (v->pos[0] * inv_w + 1.0) * 0.5 * c->d.width;
	double yw = (1.0 - v->pos[1] * inv_w) * 0.5 * c->d.height;
	if (!isfinite(xw) || !isfinite(yw) || fabs(xw) > 1e8 || fabs(yw) > 1e8)
		return -1;
	out->fx = (int32_t)floor(xw * SOFT_SUBPIXEL + 0.5);
	out->fy = (int32_t)floor(yw * SOFT_SUBPIXEL + 0.5);
	out->z = (float)(v->pos[2] * inv_w);
	out->inv_w = (float)inv_w;
	uint32_t n = b->pipe->fs_floats;
	out->var = (uint32_t)b->varbuf_used;
	if (n == 0)
		return 0;
	if (ensure_varbuf(b, n))
		return -1;
	float *dst = b->varbuf + b->varbuf_used;
	for (uint32_t i = 0; i < n; i++)
		dst[i] = b->pipe->fs_interp[i] == MSL_EXEC_INTERP_PERSPECTIVE ? v->var[i] * (float)inv_w : v->var[i];
	b->varbuf_used += n;
	return 0;
}

static uint32_t push_flat(struct soft_backend *b, const struct cvert *v)
{
	uint32_t n = b->pipe->fs_floats;
	if (n == 0 || ensure_varbuf(b, n))
		return 0;
	uint32_t off = (uint32_t)b->varbuf_used;
	memcpy(b->varbuf + off, v->var, n * sizeof(float));
	b->varbuf_used += n;
	return off;
}

/* Emit a screen triangle from three projected vertices. */
static void emit_tri(struct soft_backend *b, const struct soft_vertex *v0, const struct soft_vertex *v1,
		     const struct soft_vertex *v2, uint32_t flat, int force_front)
{
	const struct soft_vertex *v[3] = { v0, v1, v2 };
	int64_t area2 = (int64_t)(v1->fx - v0->fx) * (v2->fy - v0->fy) - (int64_t)(v2->fx - v0->fx) * (v1->fy - v0->fy);
	if (area2 == 0)
		return;
	/* Clockwise on the render target (y down) is front-facing, Metal's default winding. */
	int front = area2 > 0;
	if (area2 < 0) {
		v[1] = v2;
		v[2] = v1;
		area2 = -area2;
	}
	int32_t minx = INT32_MAX, miny = INT32_MAX, maxx = INT32_MIN, maxy = INT32_MIN;
	for (int i = 0; i < 3; i++) {
		if (v[i]->fx < minx) minx = v[i]->fx;
		if (v[i]->fx > maxx) maxx = v[i]->fx;
		if (v[i]->fy < miny) miny = v[i]->fy;
		if (v[i]->fy > maxy) maxy = v[i]->fy;
	}
	/* Pixels whose sample points can lie inside: samples sit at >= 1/16 px from the pixel edges. */
	int32_t px0 = (minx >> SOFT_SUBPIXEL_BITS) - 1, px1 = (maxx >> SOFT_SUBPIXEL_BITS) + 1;
	int32_t py0 = (miny >> SOFT_SUBPIXEL_BITS) - 1, py1 = (maxy >> SOFT_SUBPIXEL_BITS) + 1;
	if (px0 < b->clip[0]) px0 = b->clip[0];
	if (py0 < b->clip[1]) py0 = b->clip[1];
	if (px1 > b->clip[2] - 1) px1 = b->clip[2] - 1;
	if (py1 > b->clip[3] - 1) py1 = b->clip[3] - 1;
	if (px0 > px1 || py0 > py1)
		return;
	struct soft_tri *t = new_tri(b);
	if (!t)
		return;
	for (int i = 0; i < 3; i++) {
		t->x[i] = v[i]->fx;
		t->y[i] = v[i]->fy;
		t->z[i] = v[i]->z;
		t->inv_w[i] = v[i]->inv_w;
		t->var[i] = v[i]->var;
	}
	/* Top-left rule with inside = E >= 0 for this orientation: an edge
	 * going up (dy < 0) is a left edge, a horizontal one going right is a
	 * top edge. Other edges own no sample exactly on them. */
	for (int i = 0; i < 3; i++) {
		int32_t dx = t->x[(i + 1) % 3] - t->x[i], dy = t->y[(i + 1) % 3] - t->y[i];
		int top_left = dy < 0 || (dy == 0 && dx > 0);
		t->bias[i] = top_left ? 0 : 1;
	}
	t->area2 = area2;
	t->minx = px0;
	t->maxx = px1;
	t->miny = py0;
	t->maxy = py1;
	t->front_facing = (uint8_t)(force_front >= 0 ? force_front : front);
	t->flat = flat;
	t->pc_x0 = b->point_pc[0];
	t->pc_y0 = b->point_pc[1];
	t->pc_scale = b->point_pc[2];
}

static float plane_dist(const float *p, int plane)
{
	switch (plane) {
	case 0: return p[3] - 1e-7f * fabsf(p[3]) - 1e-30f; /* w > 0 */
	case 1: return p[2];                            /* z >= 0 */
	case 2: return p[3] - p[2];                     /* z <= w */
	case 3: return GUARD * p[3] + p[0];
	case 4: return GUARD * p[3] - p[0];
	case 5: return GUARD * p[3] + p[1];
	default: return GUARD * p[3] - p[1];
	}
}

static void lerp_vert(struct cvert *o, const struct cvert *a, const struct cvert *b, float t, uint32_t nvar)
{
	for (int i = 0; i < 4; i++)
		o->pos[i] = a->pos[i] + (b->pos[i] - a->pos[i]) * t;
	for (uint32_t i = 0; i < nvar; i++)
		o->var[i] = a->var[i] + (b->var[i] - a->var[i]) * t;
}

static int inside_all(const struct cvert *v)
{
	for (int p = 0; p < 7; p++)
		if (!(plane_dist(v->pos, p) >= 0))
			return 0;
	return 1;
}

/* Sutherland-Hodgman against the seven planes; returns the vertex count. */
static int clip_polygon(struct cvert *poly, int n, struct cvert *tmp, uint32_t nvar)
{
	for (int p = 0; p < 7 && n > 0; p++) {
		int m = 0;
		for (int i = 0; i < n; i++) {
			const struct cvert *a = &poly[i], *c = &poly[(i + 1) % n];
			float da = plane_dist(a->pos, p), dc = plane_dist(c->pos, p);
			int ina = da >= 0, inc = dc >= 0;
			if (ina && m < MAX_CLIP_VERTS)
				tmp[m++] = *a;
			if (ina != inc && m < MAX_CLIP_VERTS)
				lerp_vert(&tmp[m++], a, c, da / (da - dc), nvar);
		}
		memcpy(poly, tmp, (size_t)m * sizeof *poly);
		n = m;
	}
	return n;
}

static void assemble_triangle(struct soft_backend *b, const struct cvert *a, const struct cvert *c1,
			      const struct cvert *c2)
{
	uint32_t nvar = b->pipe->fs_floats;
	uint32_t flat = push_flat(b, a); /* the first vertex is the provoking vertex */
	struct soft_vertex sv[MAX_CLIP_VERTS];
	if (inside_all(a) && inside_all(c1) && inside_all(c2)) {
		if (project(b, a, &sv[0]) || project(b, c1, &sv[1]) || project(b, c2, &sv[2]))
			return;
		emit_tri(b, &sv[0], &sv[1], &sv[2], flat, -1);
		return;
	}
	struct cvert poly[MAX_CLIP_VERTS], tmp[MAX_CLIP_VERTS];
	poly[0] = *a;
	poly[1] = *c1;
	poly[2] = *c2;
	int n = clip_polygon(poly, 3, tmp, nvar);
	if (n < 3)
		return;
	/* The facing of a clipped piece is that of the whole triangle: compute it once. */
	for (int i = 0; i < n; i++)
		if (project(b, &poly[i], &sv[i]))
			return;
	int64_t area2 = 0;
	for (int i = 1; i + 1 < n; i++)
		area2 += (int64_t)(sv[i].fx - sv[0].fx) * (sv[i + 1].fy - sv[0].fy) -
			 (int64_t)(sv[i + 1].fx - sv[0].fx) * (sv[i].fy - sv[0].fy);
	int front = area2 > 0;
	for (int i = 1; i + 1 < n; i++)
		emit_tri(b, &sv[0], &sv[i], &sv[i + 1], flat, front);
}

/* Lines are one pixel wide: a parallelogram extended by half a pixel
 * across the major axis (the aliased-line rule), drawn as two triangles. */
static void assemble_line(struct soft_backend *b, const struct cvert *a, const struct cvert *c)
{
	uint32_t nvar = b->pipe->fs_floats;
	uint32_t flat = push_flat(b, a);
	struct cvert p0 = *a, p1 = *c;
	/* Clip the segment parametrically. */
	float t0 = 0, t1 = 1;
	for (int p = 0; p < 7; p++) {
		float d0 = plane_dist(a->pos, p), d1 = plane_dist(c->pos, p);
		if (d0 < 0 && d1 < 0)
			return;
		if (d0 < 0)
			t0 = fmaxf(t0, d0 / (d0 - d1));
		else if (d1 < 0)
			t1 = fminf(t1, d0 / (d0 - d1));
	}
	if (t0 > t1)
		return;
	if (t0 > 0)
		lerp_vert(&p0, a, c, t0, nvar);
	if (t1 < 1)
		lerp_vert(&p1, a, c, t1, nvar);
	struct soft_vertex s0, s1;
	if (project(b, &p0, &s0) || project(b, &p1, &s1))
		return;
	int32_t dx = s1.fx - s0.fx, dy = s1.fy - s0.fy;
	int xmajor = (dx < 0 ? -dx : dx) >= (dy < 0 ? -dy : dy);
	const int32_t h = SOFT_SUBPIXEL / 2;
	struct soft_vertex q[4] = { s0, s1, s1, s0 };
	if (xmajor) {
		q[0].fy -= h; q[1].fy -= h; q[2].fy += h; q[3].fy += h;
	} else {
		q[0].fx -= h; q[1].fx -= h; q[2].fx += h; q[3].fx += h;
	}
	emit_tri(b, &q[0], &q[1], &q[2], flat, 1);
	emit_tri(b, &q[0], &q[2], &q[3], flat, 1);
}

/* Metal's largest point (the feature-set tables' maximum point size). */
#define SOFT_MAX_POINT_SIZE 511.0f

/* Points are screen-aligned squares of `size` pixels centred on the vertex
 * (size clamped to [1, SOFT_MAX_POINT_SIZE], NaN = 1), rasterised as two
 * triangles so they get the top-left rule and per-sample coverage. */
static void assemble_point(struct soft_backend *b, const struct cvert *a, float size)
{
	if (!inside_all(a))
		return;
	uint32_t flat = push_flat(b, a);
	struct soft_vertex s;
	if (project(b, a, &s))
		return;
	if (!(size >= 1.0f))
		size = 1.0f;
	if (size > SOFT_MAX_POINT_SIZE)
		size = SOFT_MAX_POINT_SIZE;
	/* half the side in subpixels, rounded to the subpixel grid */
	const int32_t h = (int32_t)lrintf(size * (SOFT_SUBPIXEL / 2));
	struct soft_vertex q[4] = { s, s, s, s };
	q[0].fx -= h; q[0].fy -= h;
	q[1].fx += h; q[1].fy -= h;
	q[2].fx += h; q[2].fy += h;
	q[3].fx -= h; q[3].fy += h;
	b->point_pc[0] = (float)q[0].fx / SOFT_SUBPIXEL;
	b->point_pc[1] = (float)q[0].fy / SOFT_SUBPIXEL;
	b->point_pc[2] = (float)SOFT_SUBPIXEL / (float)(2 * h);
	emit_tri(b, &q[0], &q[1], &q[2], flat, 1);
	emit_tri(b, &q[0], &q[2], &q[3], flat, 1);
	b->point_pc[0] = b->point_pc[1] = b->point_pc[2] = 0.0f;
}

static void fetch_attributes(const struct soft_pipeline *p, const struct rb_bytes *buf0, uint32_t vid, float *rec)
{
	for (uint32_t i = 0; i < p->attr_floats; i++) {
		uint8_t src = p->attr_src[i];
		float v = 0;
		if (src == 0xFF) {
			v = 1.0f;
		} else if (src != 0xFE && buf0->data) {
			uint64_t off = (uint64_t)vid * MTL_VERTEX_STRIDE + src;
			if (off + 4 <= buf0->len) {
				uint32_t bits = mtl_rd32(buf0->data + off);
				memcpy(&v, &bits, 4);
			}
		}
		rec[i] = v;
	}
}

/* Vertex shader outputs of a draw, compact: 4 + fs_floats floats each. */
struct shaded {
	float *f;
	uint32_t stride;
	uint32_t nvar;
};

static void load_cvert(const struct shaded *sh, uint32_t i, struct cvert *c)
{
	const float *src = sh->f + (size_t)i * sh->stride;
	memcpy(c->pos, src, 4 * sizeof(float));
	memcpy(c->var, src + 4, sh->nvar * sizeof(float));
}

uint64_t soft_setup_draw(struct soft_backend *b, unsigned prim, uint32_t start, uint32_t count,
			 uint32_t max_strip)
{
	const struct soft_pipeline *p = b->pipe;
	const struct msl_exec_interface *vi = p->vs->iface;
	b->ntris = 0;
	b->varbuf_used = 0;
	b->point_pc[0] = b->point_pc[1] = b->point_pc[2] = 0.0f;
	if (count == 0)
		return 0;
	uint32_t vs_floats = p->vs_floats;
	struct shaded sh = { NULL, 4 + p->fs_floats, p->fs_floats };
	sh.f = malloc((size_t)count * sh.stride * sizeof(float));
	float *vout = malloc((size_t)MSL_EXEC_MAX_LANES * (vs_floats ? vs_floats : 1) * sizeof(float));
	float *attrs = malloc((size_t)MSL_EXEC_MAX_LANES * (p->attr_floats ? p->attr_floats : 1) * sizeof(float));
	uint64_t prims = 0;
	/* points also need each vertex's [[point_size]] */
	float *sizes = prim == MTL_PRIMITIVE_POINT ? malloc((size_t)count * sizeof(float)) : NULL;
	if (!sh.f || !vout || !attrs || (prim == MTL_PRIMITIVE_POINT && !sizes))
		goto out;
	uint32_t ids[MSL_EXEC_MAX_LANES];
	float pos[MSL_EXEC_MAX_LANES * 4];
	for (uint32_t base = 0; base < count; base += MSL_EXEC_MAX_LANES) {
		uint32_t n = count - base < MSL_EXEC_MAX_LANES ? count - base : MSL_EXEC_MAX_LANES;
		for (uint32_t i = 0; i < n; i++) {
			ids[i] = start + base + i;
			fetch_attributes(p, &b->st->vertex_bytes[0], ids[i], attrs + (size_t)i * p->attr_floats);
		}
		struct msl_exec_vertex_batch batch = {
			.count = n, .vertex_id = ids, .instance_id = NULL,
			.attributes = vi->n_attributes ? attrs : NULL, .position = pos, .varyings = vout,
		};
		struct msl_exec_error err;
		if (msl_exec_run_vertex_points(b->workers[0].ctx, p->vs->entry, &b->vs_bind, &batch,
					       sizes ? sizes + base : NULL, &err) != MSL_EXEC_OK) {
			soft_note_exec_error(b, &err);
			goto out;
		}
		for (uint32_t i = 0; i < n; i++) {
			float *d = sh.f + (size_t)(base + i) * sh.stride;
			memcpy(d, pos + i * 4, 4 * sizeof(float));
			for (uint32_t k = 0; k < p->fs_floats; k++)
				d[4 + k] = vout[(size_t)i * vs_floats + p->fs_src[k]];
		}
	}
	struct cvert c0, c1, c2;
	switch (prim) {
	case MTL_PRIMITIVE_TRIANGLE:
		for (uint32_t i = 0; i + 2 < count; i += 3, prims++) {
			load_cvert(&sh, i, &c0);
			load_cvert(&sh, i + 1, &c1);
			load_cvert(&sh, i + 2, &c2);
			assemble_triangle(b, &c0, &c1, &c2);
		}
		break;
	case MTL_PRIMITIVE_TRIANGLE_STRIP:
		/* Odd triangles swap their first two vertices so every triangle
		 * keeps the strip's winding; the provoking vertex is then i+1. */
		for (uint32_t i = 0; i + 2 < count && i < max_strip; i++, prims++) {
			load_cvert(&sh, (i & 1) ? i + 1 : i, &c0);
			load_cvert(&sh, (i & 1) ? i : i + 1, &c1);
			load_cvert(&sh, i + 2, &c2);
			assemble_triangle(b, &c0, &c1, &c2);
		}
		break;
	case MTL_PRIMITIVE_LINE:
		for (uint32_t i = 0; i + 1 < count; i += 2, prims++) {
			load_cvert(&sh, i, &c0);
			load_cvert(&sh, i + 1, &c1);
			assemble_line(b, &c0, &c1);
		}
		break;
	default:
		for (uint32_t i = 0; i < count; i++, prims++) {
			load_cvert(&sh, i, &c0);
			assemble_point(b, &c0, sizes ? sizes[i] : 1.0f);
		}
		break;
	}
out:
	free(sizes);
	free(sh.f);
	free(vout);
	free(attrs);
	return prims;
}
