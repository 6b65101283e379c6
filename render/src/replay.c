/*
 * replay.c — the replay engine: handle tables, object lifetimes, the pass
 * state machine and the leniency rules of the reference host (DESIGN.md §3).
 *
 * Every command is checked here before a backend sees it; the backend
 * interface (render/backend.h) only ever receives live objects and values
 * in range. Objects are reference-counted: the handle table holds one
 * reference, bound state and open passes hold others, and a pipeline holds
 * its functions, a function its library. DESTROY_OBJECT drops the table's
 * reference only, so an object in use stays alive until it is unbound.
 */
#include "render/replay.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mtlproto/decode.h"
#include "mtlproto/wire.h"
#include "render/backend.h"
#include "soft_formats.h"

#define MAX_DISPLAY_DIM 16384u
/* A draw of more vertices than this is refused: the vertex buffer can hold
 * at most 128 vertices (4096 bytes), so only a vertex_id-driven shader
 * could use more, and unbounded counts would let a stream stall replay. */
#define MAX_DRAW_VERTICES (1u << 22)
/* Likewise for compute: 64M threads is a 8192x8192 image, the largest texture. */
#define MAX_DISPATCH_THREADS (1u << 26)

enum obj_kind {
	OBJ_LIBRARY = 1,
	OBJ_FUNCTION,
	OBJ_RENDER_PIPELINE,
	OBJ_COMPUTE_PIPELINE,
	OBJ_DEPTH_STENCIL,
	OBJ_SAMPLER,
	OBJ_TEXTURE
};

static const char *const kind_names[] = {
	"", "library", "function", "render pipeline", "compute pipeline",
	"depth-stencil state", "sampler", "texture"
};

struct obj {
	enum obj_kind kind;
	unsigned refs;
	void *be;             /* backend object (NULL for engine-only kinds) */
	uint64_t budget_bytes; /* what a guest texture counts against the memory budget */
	struct obj *dep[2];   /* objects this one keeps alive */
	union {
		struct rb_texture_desc tex;
		struct rb_depth_stencil ds;
		struct rb_sampler sampler;
		struct rb_render_pipeline_desc pipe;
	} d;
};

/* Open addressing, linear probing; key 0 = empty, tombstone = obj NULL with key != 0. */
struct slot {
	uint32_t key;
	struct obj *obj;
};

enum pass_kind { PASS_NONE, PASS_RENDER, PASS_COMPUTE, PASS_BLIT };

struct bytes_slot {
	uint8_t *data; /* 4096 bytes, allocated on first use */
	uint32_t len;
	int bound;
};

struct replay_engine {
	const struct render_backend *bk;
	void *be;
	struct replay_config cfg;
	uint32_t width, height;

	struct slot *table;
	size_t table_cap, table_used, table_live;

	struct obj *drawable;

	/* pass state */
	enum pass_kind pass;
	struct obj *att_color, *att_resolve, *att_stencil;
	struct obj *pipeline, *depth_stencil, *compute_pipeline;
	uint32_t stencil_ref;
	int scissor_enabled;
	uint16_t scissor[4];
	struct bytes_slot vbytes[RB_MAX_BUFFERS], fbytes[RB_MAX_BUFFERS], cbytes[RB_MAX_BUFFERS];
	struct obj *ftex[RB_MAX_TEXTURES], *ctex[RB_MAX_TEXTURES];
	struct obj *fsamp[RB_MAX_SAMPLERS];

	/* frames */
	uint8_t *presented;   /* last presented drawable, RGBA8, no cursor */
	uint8_t *frame;       /* same with the cursor plane */
	uint32_t frame_w, frame_h;
	uint32_t frame_id;
	uint64_t frame_index;
	int have_frame;

	/* cursor, RGBA8 premultiplied sRGB */
	uint8_t *cursor;
	uint32_t cursor_w, cursor_h;
	int32_t hot_x, hot_y;
	float cursor_x, cursor_y;
	int cursor_visible;

	/* Guest textures' bytes, against cfg.memory_budget: a hostile stream
	 * must not make the host allocate without bound. */
	uint64_t texture_bytes;

	struct replay_stats stats;
	int stopped;
	char last_error[512];

	/* current command, for issue reports */
	uint64_t cur_submission;
	size_t cur_offset;
	uint16_t cur_method;
};

static const char *const reason_names[REPLAY_REASON_COUNT] = {
	"malformed", "outside-pass", "no-pipeline", "invalid-handle",
	"bad-argument", "shader", "unsupported", "backend"
};

const char *replay_reason_name(enum replay_reason r)
{
	return (unsigned)r < REPLAY_REASON_COUNT ? reason_names[r] : "unknown";
}

/* ---- issues ------------------------------------------------------------- */

static void issue(struct replay_engine *e, enum replay_reason reason, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void issue(struct replay_engine *e, enum replay_reason reason, const char *fmt, ...)
{
	char msg[384];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	e->stats.ignored++;
	e->stats.ignored_by[reason]++;
	const char *mname = mtl_method_name(e->cur_method);
	snprintf(e->last_error, sizeof e->last_error, "submission %llu, command %llu (%s) at byte %zu: %s",
		 (unsigned long long)e->cur_submission, (unsigned long long)(e->stats.commands - 1),
		 mname ? mname : "unknown method", e->cur_offset, msg);
	if (e->cfg.on_issue) {
		struct replay_issue is = {
			.reason = reason,
			.submission = e->cur_submission,
			.command = e->stats.commands - 1,
			.offset = e->cur_offset,
			.method = e->cur_method,
			.message = msg,
		};
		e->cfg.on_issue(e->cfg.user, &is);
	}
	if (e->cfg.strict)
		e->stopped = 1;
}

/* ---- objects and the handle table ---------------------------------------- */

static void obj_unref(struct replay_engine *e, struct obj *o);

static void obj_free(struct replay_engine *e, struct obj *o)
{
	switch (o->kind) {
	case OBJ_LIBRARY: e->bk->library_destroy(e->be, o->be); break;
	case OBJ_FUNCTION: e->bk->function_destroy(e->be, o->be); break;
	case OBJ_RENDER_PIPELINE:
	case OBJ_COMPUTE_PIPELINE: e->bk->pipeline_destroy(e->be, o->be); break;
	case OBJ_TEXTURE:
		e->bk->texture_destroy(e->be, o->be);
		e->texture_bytes -= o->budget_bytes;
		break;
	default: break;
	}
	for (int i = 0; i < 2; i++)
		if (o->dep[i])
			obj_unref(e, o->dep[i]);
	free(o);
}

static void obj_unref(struct replay_engine *e, struct obj *o)
{
	if (o && --o->refs == 0)
		obj_free(e, o);
}

static struct obj *obj_ref(struct obj *o)
{
	if (o)
		o->refs++;
	return o;
}

/* Replace *slot's reference with o's. */
static void obj_set(struct replay_engine *e, struct obj **slot, struct obj *o)
{
	obj_ref(o);
	obj_unref(e, *slot);
	*slot = o;
}

static struct obj *obj_new(enum obj_kind kind)
{
	struct obj *o = calloc(1, sizeof *o);
	if (o) {
		o->kind = kind;
		o->refs = 1;
	}
	return o;
}

static uint32_t hash32(uint32_t x)
{
	x ^= x >> 16;
	x *= 0x7feb352du;
	x ^= x >> 15;
	x *= 0x846ca68bu;
	x ^= x >> 16;
	return x;
}

static struct slot *table_find(struct replay_engine *e, uint32_t key)
{
	if (!e->table_cap)
		return NULL;
	size_t mask = e->table_cap - 1;
	for (size_t i = hash32(key) & mask;; i = (i + 1) & mask) {
		struct slot *s = &e->table[i];
		if (s->key == 0)
			return NULL;
		if (s->key == key)
			return s->obj ? s : NULL;
	}
}

static int table_grow(struct replay_engine *e)
{
	size_t ncap = e->table_cap ? e->table_cap * 2 : 64;
	/* Rehash live entries only (drops tombstones); grow when live entries
	 * alone would fill more than a quarter of the new table. */
	while (ncap < (e->table_live + 1) * 4)
		ncap *= 2;
	struct slot *nt = calloc(ncap, sizeof *nt);
	if (!nt)
		return -1;
	for (size_t i = 0; i < e->table_cap; i++) {
		struct slot *s = &e->table[i];
		if (!s->key || !s->obj)
			continue;
		size_t j = hash32(s->key) & (ncap - 1);
		while (nt[j].key)
			j = (j + 1) & (ncap - 1);
		nt[j] = *s;
	}
	free(e->table);
	e->table = nt;
	e->table_cap = ncap;
	e->table_used = e->table_live;
	return 0;
}

/* Insert (taking over the caller's reference); replaces an existing entry
 * the way the reference host's dictionary does. */
static int table_put(struct replay_engine *e, uint32_t key, struct obj *o)
{
	struct slot *s = table_find(e, key);
	if (s) {
		obj_unref(e, s->obj);
		s->obj = o;
		return 0;
	}
	if ((e->table_used + 1) * 2 > e->table_cap && table_grow(e))
		return -1;
	size_t mask = e->table_cap - 1;
	size_t i = hash32(key) & mask;
	while (e->table[i].key && e->table[i].key != key)
		i = (i + 1) & mask;
	if (!e->table[i].key)
		e->table_used++;
	e->table[i].key = key;
	e->table[i].obj = o;
	e->table_live++;
	return 0;
}

static void table_remove(struct replay_engine *e, struct slot *s)
{
	struct obj *o = s->obj;
	s->obj = NULL; /* tombstone */
	e->table_live--;
	obj_unref(e, o);
}

/* Resolve a handle to an object of the given kind, or report why not. */
static struct obj *lookup(struct replay_engine *e, uint32_t handle, enum obj_kind kind, const char *what)
{
	if (kind == OBJ_TEXTURE && handle == MTL_DRAWABLE_HANDLE)
		return e->drawable;
	if (handle == MTL_HANDLE_INVALID) {
		issue(e, REPLAY_IGN_INVALID_HANDLE, "%s handle is 0", what);
		return NULL;
	}
	struct slot *s = table_find(e, handle);
	if (!s) {
		issue(e, REPLAY_IGN_INVALID_HANDLE, "%s handle 0x%x does not exist (never created or destroyed)",
		      what, handle);
		return NULL;
	}
	if (s->obj->kind != kind) {
		issue(e, REPLAY_IGN_INVALID_HANDLE, "%s handle 0x%x is a %s, not a %s", what, handle,
		      kind_names[s->obj->kind], kind_names[kind]);
		return NULL;
	}
	return s->obj;
}

static int check_new_handle(struct replay_engine *e, uint32_t handle, const char *what)
{
	if (handle == MTL_HANDLE_INVALID || handle > MTL_HANDLE_GUEST_MAX) {
		issue(e, REPLAY_IGN_INVALID_HANDLE, "new %s handle 0x%x is not in the guest range 1..0x7fffffff",
		      what, handle);
		return -1;
	}
	return 0;
}

static void put_new(struct replay_engine *e, uint32_t handle, struct obj *o)
{
	if (table_put(e, handle, o)) {
		obj_unref(e, o);
		issue(e, REPLAY_IGN_BACKEND, "out of memory growing the handle table");
	}
}

/* ---- pass state --------------------------------------------------------- */

static void reset_encoder_state(struct replay_engine *e)
{
	obj_set(e, &e->pipeline, NULL);
	obj_set(e, &e->depth_stencil, NULL);
	obj_set(e, &e->compute_pipeline, NULL);
	e->stencil_ref = 0;
	e->scissor_enabled = 0;
	for (int i = 0; i < RB_MAX_BUFFERS; i++) {
		e->vbytes[i].bound = e->fbytes[i].bound = e->cbytes[i].bound = 0;
	}
	for (int i = 0; i < RB_MAX_TEXTURES; i++) {
		obj_set(e, &e->ftex[i], NULL);
		obj_set(e, &e->ctex[i], NULL);
	}
	for (int i = 0; i < RB_MAX_SAMPLERS; i++)
		obj_set(e, &e->fsamp[i], NULL);
}

static void end_pass(struct replay_engine *e)
{
	if (e->pass == PASS_RENDER)
		e->bk->end_render_pass(e->be);
	e->pass = PASS_NONE;
	obj_set(e, &e->att_color, NULL);
	obj_set(e, &e->att_resolve, NULL);
	obj_set(e, &e->att_stencil, NULL);
	reset_encoder_state(e);
}

static int need_pass(struct replay_engine *e, enum pass_kind want)
{
	static const char *const names[] = { "no", "a render", "a compute", "a blit" };
	if (e->pass == want)
		return 1;
	issue(e, REPLAY_IGN_OUTSIDE_PASS, "needs %s pass, but %s pass is open", names[want], names[e->pass]);
	return 0;
}

static int close_open_pass(struct replay_engine *e, const char *why)
{
	if (e->pass == PASS_NONE)
		return 0;
	issue(e, REPLAY_IGN_OUTSIDE_PASS, "a pass is still open at %s; it was ended first", why);
	if (e->stopped)
		return -1;
	end_pass(e);
	return 0;
}

/* ---- frames and the cursor ---------------------------------------------- */

static int make_drawable(struct replay_engine *e, uint32_t w, uint32_t h, char *err, size_t errlen)
{
	struct obj *o = obj_new(OBJ_TEXTURE);
	if (!o) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	o->d.tex = (struct rb_texture_desc){ w, h, MTL_DRAWABLE_PIXEL_FORMAT, 1,
					    MTL_USAGE_RENDER_TARGET | MTL_USAGE_SHADER_READ };
	o->be = e->bk->texture_create(e->be, &o->d.tex, err, errlen);
	if (!o->be) {
		free(o);
		return -1;
	}
	uint8_t *p = calloc((size_t)w * h, 4), *f = calloc((size_t)w * h, 4);
	if (!p || !f) {
		free(p);
		free(f);
		obj_unref(e, o);
		snprintf(err, errlen, "out of memory for a %ux%u frame", w, h);
		return -1;
	}
	obj_set(e, &e->drawable, NULL);
	e->drawable = o;
	free(e->presented);
	free(e->frame);
	e->presented = p;
	e->frame = f;
	e->frame_w = e->width = w;
	e->frame_h = e->height = h;
	return 0;
}

/* Premultiplied source-over in linear light, as a compositor blending an
 * sRGB cursor layer onto an sRGB window does. */
static void composite_cursor(struct replay_engine *e)
{
	if (!e->cursor_visible || !e->cursor || !e->cursor_w)
		return;
	int64_t ox = (int64_t)floorf(e->cursor_x) - e->hot_x;
	int64_t oy = (int64_t)floorf(e->cursor_y) - e->hot_y;
	if (!isfinite(e->cursor_x) || !isfinite(e->cursor_y))
		return;
	for (uint32_t cy = 0; cy < e->cursor_h; cy++) {
		int64_t y = oy + cy;
		if (y < 0 || y >= e->frame_h)
			continue;
		for (uint32_t cx = 0; cx < e->cursor_w; cx++) {
			int64_t x = ox + cx;
			if (x < 0 || x >= e->frame_w)
				continue;
			const uint8_t *s = e->cursor + ((size_t)cy * e->cursor_w + cx) * 4;
			if (s[3] == 0 && !s[0] && !s[1] && !s[2])
				continue;
			uint8_t *d = e->frame + ((size_t)y * e->frame_w + (size_t)x) * 4;
			float sa = s[3] / 255.0f, inv = 1.0f - sa;
			for (int c = 0; c < 3; c++) {
				float v = soft_srgb_to_linear(s[c]) + soft_srgb_to_linear(d[c]) * inv;
				d[c] = soft_linear_to_srgb8(v);
			}
			d[3] = soft_unorm8(sa + (d[3] / 255.0f) * inv);
		}
	}
}

static void do_present(struct replay_engine *e, uint32_t frame_id)
{
	size_t stride = (size_t)e->width * 4;
	e->bk->texture_read_rgba8(e->be, e->drawable->be, 0, 0, e->width, e->height, e->presented, stride);
	memcpy(e->frame, e->presented, stride * e->height);
	composite_cursor(e);
	e->frame_id = frame_id;
	e->frame_index = e->stats.frames;
	e->have_frame = 1;
	e->stats.frames++;
	if (e->cfg.on_present)
		e->cfg.on_present(e->cfg.user, frame_id);
}

/* ---- commands ----------------------------------------------------------- */

static void cmd_compile_library(struct replay_engine *e, const struct mtl_compile_library *c)
{
	if (check_new_handle(e, c->lib, "library"))
		return;
	char err[512] = "";
	void *lib = e->bk->library_create(e->be, (const char *)c->source, c->len, err, sizeof err);
	if (!lib) {
		issue(e, REPLAY_IGN_SHADER, "library 0x%x does not compile: %s", c->lib, err);
		return;
	}
	struct obj *o = obj_new(OBJ_LIBRARY);
	if (!o) {
		e->bk->library_destroy(e->be, lib);
		issue(e, REPLAY_IGN_BACKEND, "out of memory");
		return;
	}
	o->be = lib;
	put_new(e, c->lib, o);
}

static void cmd_get_function(struct replay_engine *e, const struct mtl_get_function *c)
{
	if (check_new_handle(e, c->fn, "function"))
		return;
	struct obj *lib = lookup(e, c->lib, OBJ_LIBRARY, "library");
	if (!lib)
		return;
	char err[512] = "";
	void *fn = e->bk->function_create(e->be, lib->be, (const char *)c->name, c->len, err, sizeof err);
	if (!fn) {
		issue(e, REPLAY_IGN_SHADER, "function %.*s of library 0x%x: %s", (int)(c->len > 64 ? 64 : c->len),
		      (const char *)c->name, c->lib, err);
		return;
	}
	struct obj *o = obj_new(OBJ_FUNCTION);
	if (!o) {
		e->bk->function_destroy(e->be, fn);
		issue(e, REPLAY_IGN_BACKEND, "out of memory");
		return;
	}
	o->be = fn;
	o->dep[0] = obj_ref(lib);
	put_new(e, c->fn, o);
}

static void cmd_create_render_pipeline(struct replay_engine *e, const struct mtl_create_render_pipeline *c)
{
	if (check_new_handle(e, c->pipe, "render pipeline"))
		return;
	struct obj *vf = lookup(e, c->vertex_fn, OBJ_FUNCTION, "vertex function");
	if (!vf)
		return;
	struct obj *ff = NULL;
	if (c->fragment_fn != 0 && !(ff = lookup(e, c->fragment_fn, OBJ_FUNCTION, "fragment function")))
		return;
	unsigned samples = c->sample_count ? c->sample_count : 1;
	if (c->write_mask > MTL_WRITE_ALL || c->stencil_format > 1 || (samples != 1 && samples != 4) ||
	    !soft_format_is_color(c->pixel_format)) {
		issue(e, REPLAY_IGN_BAD_ARGUMENT,
		      "render pipeline 0x%x: write mask %u, stencil format %u, sample count %u or pixel format %u out of range",
		      c->pipe, c->write_mask, c->stencil_format, c->sample_count, c->pixel_format);
		return;
	}
	struct rb_render_pipeline_desc d = {
		.vertex_fn = vf->be, .fragment_fn = ff ? ff->be : NULL,
		.blend = c->blend ? 1 : 0, .write_mask = c->write_mask, .stencil_format = c->stencil_format,
		.sample_count = (uint8_t)samples, .pixel_format = c->pixel_format,
	};
	char err[512] = "";
	void *p = e->bk->render_pipeline_create(e->be, &d, err, sizeof err);
	if (!p) {
		issue(e, REPLAY_IGN_SHADER, "render pipeline 0x%x: %s", c->pipe, err);
		return;
	}
	struct obj *o = obj_new(OBJ_RENDER_PIPELINE);
	if (!o) {
		e->bk->pipeline_destroy(e->be, p);
		issue(e, REPLAY_IGN_BACKEND, "out of memory");
		return;
	}
	o->be = p;
	o->d.pipe = d;
	o->dep[0] = obj_ref(vf);
	o->dep[1] = obj_ref(ff);
	put_new(e, c->pipe, o);
}

static void cmd_create_compute_pipeline(struct replay_engine *e, const struct mtl_create_compute_pipeline *c)
{
	if (check_new_handle(e, c->pipe, "compute pipeline"))
		return;
	struct obj *fn = lookup(e, c->fn, OBJ_FUNCTION, "kernel function");
	if (!fn)
		return;
	char err[512] = "";
	void *p = e->bk->compute_pipeline_create(e->be, fn->be, err, sizeof err);
	if (!p) {
		issue(e, REPLAY_IGN_SHADER, "compute pipeline 0x%x: %s", c->pipe, err);
		return;
	}
	struct obj *o = obj_new(OBJ_COMPUTE_PIPELINE);
	if (!o) {
		e->bk->pipeline_destroy(e->be, p);
		issue(e, REPLAY_IGN_BACKEND, "out of memory");
		return;
	}
	o->be = p;
	o->dep[0] = obj_ref(fn);
	put_new(e, c->pipe, o);
}

static void cmd_create_depth_stencil(struct replay_engine *e, const struct mtl_create_depth_stencil_state *c)
{
	if (check_new_handle(e, c->state, "depth-stencil state"))
		return;
	if (c->front_compare > MTL_COMPARE_MAX || c->back_compare > MTL_COMPARE_MAX ||
	    c->front_pass_op > MTL_STENCIL_OP_MAX || c->front_fail_op > MTL_STENCIL_OP_MAX ||
	    c->back_pass_op > MTL_STENCIL_OP_MAX || c->back_fail_op > MTL_STENCIL_OP_MAX) {
		issue(e, REPLAY_IGN_BAD_ARGUMENT, "depth-stencil state 0x%x: compare function or stencil op out of range",
		      c->state);
		return;
	}
	struct obj *o = obj_new(OBJ_DEPTH_STENCIL);
	if (!o) {
		issue(e, REPLAY_IGN_BACKEND, "out of memory");
		return;
	}
	o->d.ds = (struct rb_depth_stencil){
		.stencil_enabled = c->stencil_enabled ? 1 : 0,
		.compare = { c->front_compare, c->back_compare },
		.pass_op = { c->front_pass_op, c->back_pass_op },
		.fail_op = { c->front_fail_op, c->back_fail_op },
	};
	put_new(e, c->state, o);
}

static void cmd_create_sampler(struct replay_engine *e, const struct mtl_create_sampler *c)
{
	if (check_new_handle(e, c->sampler, "sampler"))
		return;
	if (c->min > MTL_FILTER_MAX || c->mag > MTL_FILTER_MAX || c->s_mode > MTL_ADDRESS_MODE_MAX ||
	    c->t_mode > MTL_ADDRESS_MODE_MAX) {
		issue(e, REPLAY_IGN_BAD_ARGUMENT, "sampler 0x%x: filter or address mode out of range", c->sampler);
		return;
	}
	struct obj *o = obj_new(OBJ_SAMPLER);
	if (!o) {
		issue(e, REPLAY_IGN_BACKEND, "out of memory");
		return;
	}
	o->d.sampler = (struct rb_sampler){ c->min, c->mag, c->s_mode, c->t_mode };
	put_new(e, c->sampler, o);
}

static void cmd_create_texture(struct replay_engine *e, const struct mtl_create_texture *c)
{
	if (check_new_handle(e, c->tex, "texture"))
		return;
	unsigned samples = c->sample_count ? c->sample_count : 1;
	if (!c->width || !c->height || !mtl_pixel_format_bytes(c->pixel_format) || (samples != 1 && samples != 4) ||
	    c->usage > MTL_USAGE_ALL) {
		issue(e, REPLAY_IGN_BAD_ARGUMENT,
		      "texture 0x%x: size %ux%u, pixel format %u, sample count %u or usage %u out of range", c->tex,
		      c->width, c->height, c->pixel_format, c->sample_count, c->usage);
		return;
	}
	if (c->width > MTL_MAX_TEXTURE_DIM_HOST || c->height > MTL_MAX_TEXTURE_DIM_HOST) {
		issue(e, REPLAY_IGN_UNSUPPORTED, "texture 0x%x: %ux%u is larger than the host's limit of %u", c->tex,
		      c->width, c->height, MTL_MAX_TEXTURE_DIM_HOST);
		return;
	}
	uint64_t bytes = (uint64_t)c->width * c->height * mtl_pixel_format_bytes(c->pixel_format) * samples;
	uint64_t budget = e->cfg.memory_budget ? e->cfg.memory_budget : REPLAY_DEFAULT_MEMORY_BUDGET;
	if (bytes > budget - e->texture_bytes) {
		issue(e, REPLAY_IGN_UNSUPPORTED,
		      "texture 0x%x: %llu bytes would exceed the texture memory budget (%llu of %llu bytes in use)",
		      c->tex, (unsigned long long)bytes, (unsigned long long)e->texture_bytes,
		      (unsigned long long)budget);
		return;
	}
	struct obj *o = obj_new(OBJ_TEXTURE);
	if (!o) {
		issue(e, REPLAY_IGN_BACKEND, "out of memory");
		return;
	}
	/* The reference host derives the type from the sample count and reads usage 0 as shaderRead. */
	o->d.tex = (struct rb_texture_desc){ c->width, c->height, c->pixel_format, (uint8_t)samples,
					    c->usage ? c->usage : MTL_USAGE_SHADER_READ };
	char err[256] = "";
	o->be = e->bk->texture_create(e->be, &o->d.tex, err, sizeof err);
	if (!o->be) {
		free(o);
		issue(e, REPLAY_IGN_BACKEND, "texture 0x%x: %s", c->tex, err);
		return;
	}
	o->budget_bytes = bytes;
	e->texture_bytes += bytes;
	put_new(e, c->tex, o);
}

static void cmd_upload_texture(struct replay_engine *e, const struct mtl_upload_texture *c)
{
	struct obj *t = lookup(e, c->tex, OBJ_TEXTURE, "texture");
	if (!t)
		return;
	const struct rb_texture_desc *d = &t->d.tex;
	uint64_t row = (uint64_t)c->w * mtl_pixel_format_bytes(d->format);
	if (d->samples != 1) {
		issue(e, REPLAY_IGN_BAD_ARGUMENT, "texture 0x%x is multisampled and cannot be uploaded to", c->tex);
		return;
	}
	if ((uint64_t)c->x + c->w > d->width || (uint64_t)c->y + c->h > d->height) {
		issue(e, REPLAY_IGN_BAD_ARGUMENT, "upload region %u,%u %ux%u lies outside texture 0x%x (%ux%u)", c->x,
		      c->y, c->w, c->h, c->tex, d->width, d->height);
		return;
	}
	if (!c->w || !c->h)
		return;
	if (c->bytes_per_row < row) {
		issue(e, REPLAY_IGN_BAD_ARGUMENT, "bytes_per_row %u is less than a row of %llu bytes",
		      c->bytes_per_row, (unsigned long long)row);
		return;
	}
	uint64_t need = (uint64_t)c->bytes_per_row * (c->h - 1) + row;
	if (c->pixels_len < need) {
		issue(e, REPLAY_IGN_BAD_ARGUMENT, "upload carries %u pixel bytes, the region needs %llu", c->pixels_len,
		      (unsigned long long)need);
		return;
	}
	e->bk->texture_upload(e->be, t->be, c->x, c->y, c->w, c->h, c->pixels, c->bytes_per_row);
}

static void cmd_bind_host_texture(struct replay_engine *e, const struct mtl_bind_host_texture *c)
{
	if (check_new_handle(e, c->guest_tex, "texture"))
		return;
	struct obj *t;
	if (c->host_handle == MTL_DRAWABLE_HANDLE) {
		t = e->drawable;
	} else if (c->host_handle < MTL_HANDLE_HOST_MIN) {
		issue(e, REPLAY_IGN_INVALID_HANDLE, "host handle 0x%x is not in the host range", c->host_handle);
		return;
	} else if (!(t = lookup(e, c->host_handle, OBJ_TEXTURE, "host texture"))) {
		return;
	}
	put_new(e, c->guest_tex, obj_ref(t));
}

static void cmd_destroy(struct replay_engine *e, uint32_t handle)
{
	if (handle == MTL_DRAWABLE_HANDLE) {
		issue(e, REPLAY_IGN_INVALID_HANDLE, "the drawable cannot be destroyed");
		return;
	}
	struct slot *s = handle ? table_find(e, handle) : NULL;
	if (!s) {
		issue(e, REPLAY_IGN_INVALID_HANDLE, "handle 0x%x does not exist", handle);
		return;
	}
	table_remove(e, s);
}

static int same_size(const struct obj *a, const struct obj *b)
{
	return a->d.tex.width == b->d.tex.width && a->d.tex.height == b->d.tex.height;
}

static void cmd_begin_render_pass(struct replay_engine *e, const struct mtl_begin_render_pass *c)
{
	if (close_open_pass(e, "BEGIN_RENDER_PASS"))
		return;
	if (c->load > MTL_LOAD_ACTION_MAX || c->store > MTL_STORE_ACTION_MAX) {
		issue(e, REPLAY_IGN_BAD_ARGUMENT, "load action %u or store action %u out of range", c->load, c->store);
		return;
	}
	struct obj *color = lookup(e, c->color, OBJ_TEXTURE, "color attachment");
	if (!color)
		return;
	if (!soft_format_is_color(color->d.tex.format)) {
		issue(e, REPLAY_IGN_BAD_ARGUMENT, "color attachment 0x%x has the non-colour format %s", c->color,
		      mtl_pixel_format_name(color->d.tex.format));
		return;
	}
	struct obj *stencil = NULL, *resolve = NULL;
	if (c->stencil) {
		stencil = lookup(e, c->stencil, OBJ_TEXTURE, "stencil attachment");
		if (e->stopped)
			return;
		if (stencil && stencil->d.tex.format != MTL_PIXEL_STENCIL8) {
			issue(e, REPLAY_IGN_BAD_ARGUMENT, "stencil attachment 0x%x is not stencil8; pass runs without stencil",
			      c->stencil);
			stencil = NULL;
		} else if (stencil && (!same_size(stencil, color) || stencil->d.tex.samples != color->d.tex.samples)) {
			issue(e, REPLAY_IGN_BAD_ARGUMENT,
			      "stencil attachment %ux%ux%u differs from the color attachment %ux%ux%u; dropped as the host does",
			      stencil->d.tex.width, stencil->d.tex.height, stencil->d.tex.samples, color->d.tex.width,
			      color->d.tex.height, color->d.tex.samples);
			stencil = NULL;
		}
		if (e->stopped)
			return;
	}
	uint8_t store = c->store;
	if (store == MTL_STORE_MULTISAMPLE_RESOLVE) {
		if (c->resolve) {
			resolve = lookup(e, c->resolve, OBJ_TEXTURE, "resolve attachment");
			if (e->stopped)
				return;
		}
		const char *why = NULL;
		if (color->d.tex.samples == 1)
			why = "the color texture is not multisampled";
		else if (!resolve)
			why = "there is no resolve texture";
		else if (!same_size(resolve, color) || resolve->d.tex.samples != 1 ||
			 resolve->d.tex.format != color->d.tex.format)
			why = "the resolve texture differs in size, sample count or format";
		if (why) {
			issue(e, REPLAY_IGN_BAD_ARGUMENT, "multisampleResolve falls back to store: %s", why);
			if (e->stopped)
				return;
			resolve = NULL;
			store = MTL_STORE_STORE;
		}
	}
	uint8_t load = c->load;
	if (load == MTL_LOAD_BLIT_RETAINED) {
		/* Copy the last presented frame (without the cursor), then dontCare. */
		if (e->have_frame && color->d.tex.width == e->frame_w && color->d.tex.height == e->frame_h)
			e->bk->texture_write_rgba8(e->be, color->be, e->presented, (size_t)e->frame_w * 4);
		load = MTL_LOAD_DONT_CARE;
	}
	e->pass = PASS_RENDER;
	obj_set(e, &e->att_color, color);
	obj_set(e, &e->att_resolve, resolve);
	obj_set(e, &e->att_stencil, stencil);
	reset_encoder_state(e);
	struct rb_pass p = {
		.color = color->be, .resolve = resolve ? resolve->be : NULL, .stencil = stencil ? stencil->be : NULL,
		.load = load, .store = store,
		.clear = { c->clear[0], c->clear[1], c->clear[2], c->has_alpha ? c->clear[3] : 1.0f },
	};
	e->bk->begin_render_pass(e->be, &p);
	e->stats.passes++;
}

static void set_bytes(struct replay_engine *e, struct bytes_slot *slots, const struct mtl_set_bytes *c)
{
	if (c->index > MTL_MAX_BUFFER_INDEX || c->len > MTL_MAX_INLINE_BYTES) {
		issue(e, REPLAY_IGN_BAD_ARGUMENT, "buffer index %u (max %u) or length %u (max %u) over Metal's limit",
		      c->index, MTL_MAX_BUFFER_INDEX, c->len, MTL_MAX_INLINE_BYTES);
		return;
	}
	struct bytes_slot *s = &slots[c->index];
	if (!s->data && !(s->data = malloc(MTL_MAX_INLINE_BYTES))) {
		issue(e, REPLAY_IGN_BACKEND, "out of memory");
		return;
	}
	memcpy(s->data, c->data, c->len);
	s->len = c->len;
	s->bound = 1;
}

static void set_texture(struct replay_engine *e, struct obj **slots, const struct mtl_set_texture *c)
{
	if (c->index > MTL_MAX_TEXTURE_INDEX) {
		issue(e, REPLAY_IGN_BAD_ARGUMENT, "texture index %u over the limit of %u", c->index,
		      MTL_MAX_TEXTURE_INDEX);
		return;
	}
	struct obj *t = NULL;
	if (c->tex && !(t = lookup(e, c->tex, OBJ_TEXTURE, "texture")))
		return;
	obj_set(e, &slots[c->index], t);
}

static void fill_bytes(struct rb_bytes *out, const struct bytes_slot *in)
{
	for (int i = 0; i < RB_MAX_BUFFERS; i++) {
		out[i].data = in[i].bound ? in[i].data : NULL;
		out[i].len = in[i].bound ? in[i].len : 0;
	}
}

/* A shader that stopped at run time is the stream's problem (its shader
 * loops too long or indexes out of bounds): report it like other misuse. */
static void backend_error(struct replay_engine *e)
{
	char err[384];
	if (e->bk->take_error && e->bk->take_error(e->be, err, sizeof err))
		issue(e, REPLAY_IGN_SHADER, "%s", err);
}

static void cmd_draw(struct replay_engine *e, const struct mtl_draw_primitives *c)
{
	if (!need_pass(e, PASS_RENDER))
		return;
	if (!e->pipeline) {
		issue(e, REPLAY_IGN_NO_PIPELINE, "draw before any render pipeline was set");
		return;
	}
	if (c->primitive > MTL_PRIMITIVE_MAX || c->count > MAX_DRAW_VERTICES ||
	    (uint64_t)c->start + c->count > UINT32_MAX) {
		issue(e, REPLAY_IGN_BAD_ARGUMENT, "primitive %u, start %u or count %u out of range", c->primitive,
		      c->start, c->count);
		return;
	}
	struct rb_draw_state st;
	memset(&st, 0, sizeof st);
	st.pipeline = e->pipeline->be;
	st.depth_stencil = e->depth_stencil ? &e->depth_stencil->d.ds : NULL;
	st.stencil_ref = e->stencil_ref;
	st.scissor_enabled = e->scissor_enabled;
	memcpy(st.scissor, e->scissor, sizeof st.scissor);
	fill_bytes(st.vertex_bytes, e->vbytes);
	fill_bytes(st.fragment_bytes, e->fbytes);
	for (int i = 0; i < RB_MAX_TEXTURES; i++)
		st.fragment_textures[i] = e->ftex[i] ? e->ftex[i]->be : NULL;
	for (int i = 0; i < RB_MAX_SAMPLERS; i++)
		st.fragment_samplers[i] = e->fsamp[i] ? &e->fsamp[i]->d.sampler : NULL;
	e->stats.draws++;
	e->stats.primitives += e->bk->draw(e->be, &st, c->primitive, c->start, c->count);
	backend_error(e);
}

static void cmd_dispatch(struct replay_engine *e, const struct mtl_dispatch_threads *c)
{
	if (!need_pass(e, PASS_COMPUTE))
		return;
	if (!e->compute_pipeline) {
		issue(e, REPLAY_IGN_NO_PIPELINE, "dispatch before any compute pipeline was set");
		return;
	}
	uint32_t tg = (uint32_t)c->threadgroup[0] * c->threadgroup[1] * c->threadgroup[2];
	if (tg == 0 || tg > MTL_MAX_THREADS_PER_THREADGROUP) {
		issue(e, REPLAY_IGN_BAD_ARGUMENT, "threadgroup %ux%ux%u: %u threads (must be 1..%u)", c->threadgroup[0],
		      c->threadgroup[1], c->threadgroup[2], tg, MTL_MAX_THREADS_PER_THREADGROUP);
		return;
	}
	if (!c->grid[0] || !c->grid[1] || !c->grid[2])
		return;
	uint64_t threads = (uint64_t)c->grid[0] * c->grid[1] * c->grid[2];
	if (threads > MAX_DISPATCH_THREADS) {
		issue(e, REPLAY_IGN_UNSUPPORTED, "grid %ux%ux%u is over %u threads", c->grid[0], c->grid[1],
		      c->grid[2], MAX_DISPATCH_THREADS);
		return;
	}
	struct rb_compute_state st;
	memset(&st, 0, sizeof st);
	st.pipeline = e->compute_pipeline->be;
	fill_bytes(st.bytes, e->cbytes);
	for (int i = 0; i < RB_MAX_TEXTURES; i++)
		st.textures[i] = e->ctex[i] ? e->ctex[i]->be : NULL;
	e->stats.dispatches++;
	e->bk->dispatch(e->be, &st, c->grid, c->threadgroup);
	backend_error(e);
}

static void cmd_copy(struct replay_engine *e, const struct mtl_copy_texture_region *c)
{
	if (!need_pass(e, PASS_BLIT))
		return;
	struct obj *s = lookup(e, c->src, OBJ_TEXTURE, "source texture");
	if (!s)
		return;
	struct obj *d = lookup(e, c->dst, OBJ_TEXTURE, "destination texture");
	if (!d)
		return;
	const struct rb_texture_desc *sd = &s->d.tex, *dd = &d->d.tex;
	if (sd->format != dd->format || sd->samples != dd->samples) {
		issue(e, REPLAY_IGN_BAD_ARGUMENT, "copy between textures of different format or sample count");
		return;
	}
	if ((uint32_t)c->src_x + c->w > sd->width || (uint32_t)c->src_y + c->h > sd->height ||
	    (uint32_t)c->dst_x + c->w > dd->width || (uint32_t)c->dst_y + c->h > dd->height) {
		issue(e, REPLAY_IGN_BAD_ARGUMENT, "copy region %ux%u from %u,%u to %u,%u lies outside a texture", c->w,
		      c->h, c->src_x, c->src_y, c->dst_x, c->dst_y);
		return;
	}
	if (c->w && c->h)
		e->bk->copy_region(e->be, s->be, d->be, c->src_x, c->src_y, c->w, c->h, c->dst_x, c->dst_y);
}

static int cursor_alloc(struct replay_engine *e, uint32_t w, uint32_t h)
{
	uint8_t *p = malloc((size_t)w * h * 4 + 4);
	if (!p) {
		issue(e, REPLAY_IGN_BACKEND, "out of memory");
		return -1;
	}
	free(e->cursor);
	e->cursor = p;
	e->cursor_w = w;
	e->cursor_h = h;
	return 0;
}

static void cmd_cursor_image(struct replay_engine *e, const struct mtl_set_cursor_image *c)
{
	if (c->w > MTL_MAX_CURSOR_DIM || c->h > MTL_MAX_CURSOR_DIM) {
		issue(e, REPLAY_IGN_BAD_ARGUMENT, "cursor %ux%u is larger than %u", c->w, c->h, MTL_MAX_CURSOR_DIM);
		return;
	}
	size_t n = (size_t)c->w * c->h;
	if (c->pixels_len < n * 4) {
		issue(e, REPLAY_IGN_BAD_ARGUMENT, "cursor image has %u bytes, %zu needed", c->pixels_len, n * 4);
		return;
	}
	if (cursor_alloc(e, c->w, c->h))
		return;
	for (size_t i = 0; i < n; i++) { /* BGRA -> RGBA */
		const uint8_t *s = c->pixels + i * 4;
		uint8_t *d = e->cursor + i * 4;
		d[0] = s[2]; d[1] = s[1]; d[2] = s[0]; d[3] = s[3];
	}
	e->hot_x = c->hot_x;
	e->hot_y = c->hot_y;
}

static void cmd_cursor_from_texture(struct replay_engine *e, const struct mtl_set_cursor_from_texture *c)
{
	struct obj *t = lookup(e, c->tex, OBJ_TEXTURE, "cursor texture");
	if (!t)
		return;
	if (c->w > MTL_MAX_CURSOR_DIM || c->h > MTL_MAX_CURSOR_DIM || c->w > t->d.tex.width ||
	    c->h > t->d.tex.height) {
		issue(e, REPLAY_IGN_BAD_ARGUMENT, "cursor %ux%u is larger than %u or than texture 0x%x", c->w, c->h,
		      MTL_MAX_CURSOR_DIM, c->tex);
		return;
	}
	if (cursor_alloc(e, c->w, c->h))
		return;
	if (c->w && c->h)
		e->bk->texture_read_rgba8(e->be, t->be, 0, 0, c->w, c->h, e->cursor, (size_t)c->w * 4);
	e->hot_x = c->hot_x;
	e->hot_y = c->hot_y;
}

static void execute(struct replay_engine *e, const struct mtl_cmd *cmd)
{
	const uint64_t before = e->stats.ignored;
	switch (cmd->method) {
	case MTL_CMD_COMPILE_LIBRARY: cmd_compile_library(e, &cmd->u.compile_library); break;
	case MTL_CMD_GET_FUNCTION: cmd_get_function(e, &cmd->u.get_function); break;
	case MTL_CMD_CREATE_RENDER_PIPELINE: cmd_create_render_pipeline(e, &cmd->u.create_render_pipeline); break;
	case MTL_CMD_CREATE_COMPUTE_PIPELINE: cmd_create_compute_pipeline(e, &cmd->u.create_compute_pipeline); break;
	case MTL_CMD_CREATE_DEPTH_STENCIL_STATE: cmd_create_depth_stencil(e, &cmd->u.create_depth_stencil_state); break;
	case MTL_CMD_CREATE_SAMPLER: cmd_create_sampler(e, &cmd->u.create_sampler); break;
	case MTL_CMD_CREATE_TEXTURE: cmd_create_texture(e, &cmd->u.create_texture); break;
	case MTL_CMD_UPLOAD_TEXTURE: cmd_upload_texture(e, &cmd->u.upload_texture); break;
	case MTL_CMD_BIND_HOST_TEXTURE: cmd_bind_host_texture(e, &cmd->u.bind_host_texture); break;
	case MTL_CMD_DESTROY_OBJECT: cmd_destroy(e, cmd->u.handle.handle); break;
	case MTL_CMD_BEGIN_RENDER_PASS: cmd_begin_render_pass(e, &cmd->u.begin_render_pass); break;
	case MTL_CMD_END_RENDER_PASS:
		if (need_pass(e, PASS_RENDER))
			end_pass(e);
		break;
	case MTL_CMD_SET_RENDER_PIPELINE:
		if (need_pass(e, PASS_RENDER)) {
			struct obj *p = lookup(e, cmd->u.handle.handle, OBJ_RENDER_PIPELINE, "render pipeline");
			if (p)
				obj_set(e, &e->pipeline, p);
		}
		break;
	case MTL_CMD_SET_DEPTH_STENCIL_STATE:
		if (need_pass(e, PASS_RENDER)) {
			struct obj *p = lookup(e, cmd->u.handle.handle, OBJ_DEPTH_STENCIL, "depth-stencil state");
			if (p)
				obj_set(e, &e->depth_stencil, p);
		}
		break;
	case MTL_CMD_SET_STENCIL_REF:
		if (need_pass(e, PASS_RENDER))
			e->stencil_ref = cmd->u.set_stencil_ref.value;
		break;
	case MTL_CMD_SET_SCISSOR:
		if (need_pass(e, PASS_RENDER)) {
			/* Metal requires the rect inside the attachment; clamp like a careful host. */
			const struct mtl_set_scissor *s = &cmd->u.set_scissor;
			uint32_t W = e->att_color->d.tex.width, H = e->att_color->d.tex.height;
			uint32_t x0 = s->x < W ? s->x : W, y0 = s->y < H ? s->y : H;
			uint32_t x1 = (uint32_t)s->x + s->w, y1 = (uint32_t)s->y + s->h;
			if (x1 > W) x1 = W;
			if (y1 > H) y1 = H;
			e->scissor_enabled = 1;
			e->scissor[0] = (uint16_t)x0;
			e->scissor[1] = (uint16_t)y0;
			e->scissor[2] = (uint16_t)(x1 - x0);
			e->scissor[3] = (uint16_t)(y1 - y0);
		}
		break;
	case MTL_CMD_SET_VERTEX_BYTES:
		if (need_pass(e, PASS_RENDER))
			set_bytes(e, e->vbytes, &cmd->u.set_bytes);
		break;
	case MTL_CMD_SET_FRAGMENT_BYTES:
		if (need_pass(e, PASS_RENDER))
			set_bytes(e, e->fbytes, &cmd->u.set_bytes);
		break;
	case MTL_CMD_SET_FRAGMENT_TEXTURE:
		if (need_pass(e, PASS_RENDER))
			set_texture(e, e->ftex, &cmd->u.set_texture);
		break;
	case MTL_CMD_SET_FRAGMENT_SAMPLER:
		if (need_pass(e, PASS_RENDER)) {
			const struct mtl_set_sampler *s = &cmd->u.set_sampler;
			struct obj *o = NULL;
			if (s->index > MTL_MAX_SAMPLER_INDEX)
				issue(e, REPLAY_IGN_BAD_ARGUMENT, "sampler index %u over the limit of %u", s->index,
				      MTL_MAX_SAMPLER_INDEX);
			else if (!s->sampler || (o = lookup(e, s->sampler, OBJ_SAMPLER, "sampler")))
				obj_set(e, &e->fsamp[s->index], o);
		}
		break;
	case MTL_CMD_DRAW_PRIMITIVES: cmd_draw(e, &cmd->u.draw); break;
	case MTL_CMD_BEGIN_COMPUTE_PASS:
	case MTL_CMD_BEGIN_BLIT_PASS:
		if (close_open_pass(e, mtl_method_name(cmd->method)) == 0) {
			reset_encoder_state(e);
			e->pass = cmd->method == MTL_CMD_BEGIN_COMPUTE_PASS ? PASS_COMPUTE : PASS_BLIT;
			e->stats.passes++;
		}
		break;
	case MTL_CMD_END_COMPUTE_PASS:
		if (need_pass(e, PASS_COMPUTE))
			end_pass(e);
		break;
	case MTL_CMD_END_BLIT_PASS:
		if (need_pass(e, PASS_BLIT))
			end_pass(e);
		break;
	case MTL_CMD_SET_COMPUTE_PIPELINE:
		if (need_pass(e, PASS_COMPUTE)) {
			struct obj *p = lookup(e, cmd->u.handle.handle, OBJ_COMPUTE_PIPELINE, "compute pipeline");
			if (p)
				obj_set(e, &e->compute_pipeline, p);
		}
		break;
	case MTL_CMD_SET_COMPUTE_TEXTURE:
		if (need_pass(e, PASS_COMPUTE))
			set_texture(e, e->ctex, &cmd->u.set_texture);
		break;
	case MTL_CMD_SET_COMPUTE_BYTES:
		if (need_pass(e, PASS_COMPUTE))
			set_bytes(e, e->cbytes, &cmd->u.set_bytes);
		break;
	case MTL_CMD_DISPATCH_THREADS: cmd_dispatch(e, &cmd->u.dispatch); break;
	case MTL_CMD_COPY_TEXTURE_REGION: cmd_copy(e, &cmd->u.copy); break;
	case MTL_CMD_PRESENT_AND_COMMIT:
		if (close_open_pass(e, "PRESENT_AND_COMMIT") == 0)
			do_present(e, cmd->u.present.frame_id);
		break;
	case MTL_CMD_SET_CURSOR_IMAGE: cmd_cursor_image(e, &cmd->u.cursor_image); break;
	case MTL_CMD_SET_CURSOR_POSITION:
		e->cursor_x = cmd->u.cursor_position.x;
		e->cursor_y = cmd->u.cursor_position.y;
		break;
	case MTL_CMD_SET_CURSOR_VISIBLE: e->cursor_visible = cmd->u.cursor_visible.visible != 0; break;
	case MTL_CMD_SET_CURSOR_FROM_TEXTURE: cmd_cursor_from_texture(e, &cmd->u.cursor_from_texture); break;
	default:
		issue(e, REPLAY_IGN_MALFORMED, "unknown method 0x%04x", cmd->method);
		break;
	}
	if (e->stats.ignored == before)
		e->stats.executed++;
}

enum replay_result replay_submit(struct replay_engine *e, const void *bytes, size_t len)
{
	if (e->stopped)
		return REPLAY_STOPPED;
	struct mtl_decoder d;
	struct mtl_cmd cmd;
	mtl_decoder_init(&d, bytes, len);
	e->cur_submission = e->stats.submissions++;
	e->stats.bytes += len;
	for (;;) {
		enum mtl_status st = mtl_decoder_next(&d, &cmd);
		if (st == MTL_END)
			break;
		e->stats.commands++;
		e->cur_offset = cmd.offset;
		e->cur_method = cmd.method;
		if (!cmd.fields_valid) {
			issue(e, REPLAY_IGN_MALFORMED, "%s (byte %zu)", mtl_status_message(cmd.status),
			      cmd.error_offset);
		} else {
			execute(e, &cmd);
		}
		if (e->stopped)
			return REPLAY_STOPPED;
	}
	return REPLAY_OK;
}

/* ---- lifecycle ------------------------------------------------------------ */

const struct render_backend *render_backend_find(const char *name)
{
	if (!name || !strcmp(name, "soft"))
		return &render_backend_soft;
	if (!strcmp(name, "null"))
		return &render_backend_null;
#ifdef METALVISOR_HAVE_METAL
	if (!strcmp(name, "metal"))
		return &render_backend_metal; /* render/metal/backend_metal.m, macOS only */
#endif
	return NULL;
}

struct replay_engine *replay_create(const struct replay_config *cfg, char *err, size_t errlen)
{
	char dummy[1];
	if (!err || !errlen) {
		err = dummy;
		errlen = sizeof dummy;
	}
	err[0] = 0;
	const struct render_backend *bk = render_backend_find(cfg->backend);
	if (!bk) {
		snprintf(err, errlen, "unknown backend '%s' (known: soft, null)", cfg->backend);
		return NULL;
	}
	uint32_t w = cfg->width ? cfg->width : 1280, h = cfg->height ? cfg->height : 800;
	if (w > MAX_DISPLAY_DIM || h > MAX_DISPLAY_DIM || (cfg->width == 0) != (cfg->height == 0)) {
		snprintf(err, errlen, "display size %ux%u is not 1..%u in both dimensions", cfg->width, cfg->height,
			 MAX_DISPLAY_DIM);
		return NULL;
	}
	struct replay_engine *e = calloc(1, sizeof *e);
	if (!e) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	e->cfg = *cfg;
	if (!e->cfg.refresh_hz)
		e->cfg.refresh_hz = 60;
	e->bk = bk;
	struct rb_create_args args = { .threads = cfg->threads };
	e->be = bk->create(&args, err, errlen);
	if (!e->be) {
		free(e);
		return NULL;
	}
	if (make_drawable(e, w, h, err, errlen)) {
		bk->destroy(e->be);
		free(e);
		return NULL;
	}
	return e;
}

void replay_destroy(struct replay_engine *e)
{
	if (!e)
		return;
	end_pass(e);
	for (size_t i = 0; i < e->table_cap; i++)
		if (e->table[i].key && e->table[i].obj)
			obj_unref(e, e->table[i].obj);
	free(e->table);
	obj_unref(e, e->drawable);
	for (int i = 0; i < RB_MAX_BUFFERS; i++) {
		free(e->vbytes[i].data);
		free(e->fbytes[i].data);
		free(e->cbytes[i].data);
	}
	e->bk->destroy(e->be);
	free(e->presented);
	free(e->frame);
	free(e->cursor);
	free(e);
}

int replay_set_display(struct replay_engine *e, uint32_t width, uint32_t height)
{
	if (!width || !height || width > MAX_DISPLAY_DIM || height > MAX_DISPLAY_DIM)
		return -1;
	if (width == e->width && height == e->height)
		return 0;
	char err[128];
	if (make_drawable(e, width, height, err, sizeof err))
		return -1;
	e->have_frame = 0;
	return 0;
}

const char *replay_last_error(const struct replay_engine *e)
{
	return e->last_error;
}

int replay_read_frame(struct replay_engine *e, struct replay_frame *out)
{
	out->pixels = e->frame;
	out->width = e->frame_w;
	out->height = e->frame_h;
	out->stride = (size_t)e->frame_w * 4;
	out->frame_id = e->frame_id;
	out->frame_index = e->frame_index;
	return 0;
}

int replay_capture_png(struct replay_engine *e, const char *path, char *err, size_t errlen)
{
	struct replay_frame f;
	replay_read_frame(e, &f);
	return replay_write_png(path, &f, err, errlen);
}

void replay_get_stats(const struct replay_engine *e, struct replay_stats *out)
{
	*out = e->stats;
	out->live_objects = e->table_live;
}

const char *replay_backend_name(const struct replay_engine *e)
{
	return e->bk->name;
}
