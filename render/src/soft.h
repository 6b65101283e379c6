/*
 * soft.h — internals of the soft backend, shared by its stage files:
 *
 *   soft_backend.c  objects, passes (load/clear/store/resolve), blits, the
 *                   vtable, the worker pool
 *   soft_setup.c    vertex fetch and shading, primitive assembly, clipping,
 *                   viewport transform, snapping, triangle setup
 *   soft_raster.c   tile rasterisation: coverage per sample, 2x2 quads,
 *                   interpolation, fragment shading in batches
 *   soft_blend.c    per-sample stencil test/ops, blending, write mask
 *   soft_sampler.c  the texture callbacks the shader executor calls
 *   soft_compute.c  compute dispatch
 *
 * Conventions (Metal's): clip space -> viewport = the colour attachment's
 * size, y up in NDC, framebuffer origin top-left, pixel centres at .5;
 * vertices snap to 1/256 pixel; top-left fill rule; 4x MSAA at Metal's
 * standard sample positions. Each pixel is touched by exactly one worker
 * (work is split by screen tiles) and primitives are processed in order
 * within a tile, so the result does not depend on the thread count.
 */
#ifndef RENDER_SOFT_H
#define RENDER_SOFT_H

#include <pthread.h>
#include <stdint.h>

#include "msl/exec.h"
#include "msl/msl.h"
#include "render/backend.h"
#include "soft_formats.h"

#define SOFT_SUBPIXEL_BITS 8
#define SOFT_SUBPIXEL (1 << SOFT_SUBPIXEL_BITS)
#define SOFT_TILE 64               /* tile edge in pixels (even: quads never straddle) */
#define SOFT_MAX_VARYINGS 64       /* floats per vertex the renderer interpolates */
#define SOFT_DRAW_CHUNK 3072       /* vertices set up and rasterised at a time */

/* Metal's standard 4x pattern, in 1/16 pixel from the pixel's top-left corner. */
extern const uint8_t soft_sample_pos_4x[4][2];

struct soft_texture {
	struct rb_texture_desc d;
	unsigned bpp;      /* bytes per sample */
	uint8_t *data;     /* ((y * width + x) * samples + s) * bpp */
};

static inline uint8_t *soft_texel(const struct soft_texture *t, uint32_t x, uint32_t y, uint32_t s)
{
	return t->data + (((size_t)y * t->d.width + x) * t->d.samples + s) * t->bpp;
}

struct soft_library {
	struct msl_program *prog;
	msl_exec_module *module;
};

struct soft_function {
	const msl_exec_entry *entry;
	const struct msl_exec_interface *iface;
};

struct soft_pipeline {
	int compute;
	struct rb_render_pipeline_desc d;
	const struct soft_function *vs, *fs, *cs;
	uint32_t vs_floats;                 /* vertex varying floats */
	uint32_t fs_floats;                 /* fragment varying floats */
	uint32_t fs_src[SOFT_MAX_VARYINGS]; /* fs float i comes from vs float fs_src[i] */
	uint8_t fs_interp[SOFT_MAX_VARYINGS]; /* enum msl_exec_interp per fs float */
	/* vertex attribute record: for each attribute float, the byte offset in
	 * the 32-byte vertex (fixed layout), or 0xFF for "not in the layout" (0). */
	uint32_t attr_floats;
	uint8_t attr_src[64];
	/* The fragment or kernel function writes memory (a device buffer or a
	 * writable texture): its work runs on one thread, in order, so the
	 * result stays independent of the thread count. */
	int writes_memory;
};

/* A vertex after the vertex stage and the viewport transform. */
struct soft_vertex {
	int32_t fx, fy;     /* snapped window position, 1/256 pixel */
	float z, inv_w;
	uint32_t var;       /* offset in b->varbuf of its fs varyings; perspective
			       ones pre-multiplied by inv_w */
};

/* A triangle ready for rasterisation (lines and points become triangles). */
struct soft_tri {
	int32_t x[3], y[3];     /* snapped, counter-clockwise on screen after setup */
	int64_t area2;          /* twice the signed area, > 0 */
	int32_t minx, miny, maxx, maxy; /* pixel bounding box, inclusive, clamped */
	uint8_t front_facing;
	uint8_t bias[3];        /* 1 for edges that are not top/left: coverage needs E > 0 */
	float z[3], inv_w[3];
	uint32_t var[3];        /* offsets in b->varbuf */
	uint32_t flat;          /* the provoking vertex's varyings (raw values) */
	/* Points: window x, y of the square's top-left corner and 1/size, so
	 * [[point_coord]] = (pixel centre - corner) * pc_scale; 0 otherwise. */
	float pc_x0, pc_y0, pc_scale;
};

struct soft_pass {
	int active;
	struct soft_texture *color, *resolve, *stencil;
	uint8_t store;
};

struct soft_worker;

struct soft_backend {
	unsigned nthreads;
	struct soft_worker *workers;  /* nthreads entries; workers[0] is the calling thread */
	pthread_t *threads;
	pthread_mutex_t lock;
	pthread_cond_t wake, done;
	uint64_t generation;
	unsigned busy;
	int quit;
	/* the current job */
	void (*job)(struct soft_backend *b, struct soft_worker *w, uint32_t item);
	uint32_t job_items;
	uint32_t next_item;   /* protected by lock */

	struct soft_pass pass;

	/* the current draw (read-only while workers run) */
	const struct rb_draw_state *st;
	const struct soft_pipeline *pipe;
	struct soft_tri *tris;
	size_t ntris, cap_tris;
	float *varbuf;        /* varyings of the setup vertices */
	size_t varbuf_cap, varbuf_used;
	struct soft_vertex *verts;
	size_t cap_verts;
	struct msl_exec_bindings vs_bind, fs_bind;
	struct msl_exec_texture fs_views[RB_MAX_TEXTURES];
	struct msl_exec_sampler fs_samplers[RB_MAX_SAMPLERS];
	uint8_t bytes_copy[2][RB_MAX_BUFFERS][4096]; /* writable copies of inline bytes */
	int32_t clip[4];      /* pixel rect x0, y0, x1, y1 (exclusive) */
	uint32_t tiles_x, tiles_y;
	float point_pc[3];    /* the point being set up: pc_x0, pc_y0, pc_scale (soft_tri) */

	/* the current dispatch */
	const struct soft_pipeline *cpipe;
	struct msl_exec_bindings cs_bind;
	struct msl_exec_texture cs_views[RB_MAX_TEXTURES];
	uint32_t cgrid[3], ctg[3], cgroups[3];

	/* sRGB tables, fetched once per draw for the inner loops */
	const float *srgb_dec, *unorm_dec;
	struct soft_srgb_encoder srgb_enc;

	int exec_failed;      /* a shader stopped with an error in this draw */
	struct msl_exec_error exec_err;
};

struct soft_worker {
	struct soft_backend *b;
	unsigned index;
	msl_exec_ctx *ctx;
};

/* soft_backend.c */
void soft_run_parallel(struct soft_backend *b, uint32_t items,
		       void (*job)(struct soft_backend *b, struct soft_worker *w, uint32_t item));
void soft_note_exec_error(struct soft_backend *b, const struct msl_exec_error *err);

/* soft_setup.c: shade vertices start..start+count-1 and build b->tris.
 * For strips at most max_strip triangles are assembled (a chunk of a longer
 * strip; chunks start at even triangle indices so windings stay right).
 * Returns the number of primitives assembled. */
uint64_t soft_setup_draw(struct soft_backend *b, unsigned primitive, uint32_t start, uint32_t count,
			 uint32_t max_strip);

/* soft_raster.c: rasterise every triangle of the draw that touches tile `item`. */
void soft_raster_tile(struct soft_backend *b, struct soft_worker *w, uint32_t item);

/* soft_blend.c: the output merger for one pixel's samples.
 * colour = the shaded colour (linear), cov = covered-sample mask. */
void soft_merge_pixel(struct soft_backend *b, uint32_t x, uint32_t y, unsigned cov, int front,
		      const float *color);
/* The output merger for the live lanes of a shaded batch (bit l of mask):
 * the same result as soft_merge_pixel on each in lane order, with the
 * per-draw decisions taken once. colors: stride floats per lane. */
void soft_merge_lanes(struct soft_backend *b, uint32_t lanes, uint64_t mask, const uint16_t *x, const uint16_t *y,
		      const uint8_t *cov, const uint8_t *front, const float *colors, size_t stride);
void soft_stencil_only(struct soft_backend *b, uint32_t x, uint32_t y, unsigned cov, int front);

/* soft_sampler.c: a texture view for the shader executor. */
void soft_texture_view(struct msl_exec_texture *view, struct soft_texture *t, int fragment_stage);
void soft_sample(const struct soft_texture *t, const struct msl_exec_sampler *s, float u, float v, int minify,
		 float out[4]);
void soft_sampler_from_rb(struct msl_exec_sampler *out, const struct rb_sampler *in);

/* soft_compute.c */
void soft_dispatch(void *be, const struct rb_compute_state *st, const uint16_t grid[3],
		   const uint16_t tg[3]);

#endif
