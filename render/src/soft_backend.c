/*
 * soft_backend.c — the soft backend's objects, passes, blits, worker pool
 * and vtable (see soft.h for the stage files).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mtlproto/decode.h"
#include "mtlproto/wire.h"
#include "soft.h"
#include "soft_formats.h"

const uint8_t soft_sample_pos_4x[4][2] = { { 6, 2 }, { 14, 6 }, { 2, 10 }, { 10, 14 } };

/* ---- worker pool ---------------------------------------------------------- */

static void run_items(struct soft_backend *b, struct soft_worker *w)
{
	for (;;) {
		pthread_mutex_lock(&b->lock);
		uint32_t item = b->next_item < b->job_items ? b->next_item++ : UINT32_MAX;
		pthread_mutex_unlock(&b->lock);
		if (item == UINT32_MAX)
			return;
		b->job(b, w, item);
	}
}

static void *worker_main(void *arg)
{
	struct soft_worker *w = arg;
	struct soft_backend *b = w->b;
	uint64_t seen = 0;
	pthread_mutex_lock(&b->lock);
	for (;;) {
		while (!b->quit && b->generation == seen)
			pthread_cond_wait(&b->wake, &b->lock);
		if (b->quit)
			break;
		seen = b->generation;
		pthread_mutex_unlock(&b->lock);
		run_items(b, w);
		pthread_mutex_lock(&b->lock);
		if (--b->busy == 0)
			pthread_cond_signal(&b->done);
	}
	pthread_mutex_unlock(&b->lock);
	return NULL;
}

void soft_run_parallel(struct soft_backend *b, uint32_t items,
		       void (*job)(struct soft_backend *b, struct soft_worker *w, uint32_t item))
{
	b->job = job;
	b->job_items = items;
	b->next_item = 0;
	if (b->nthreads <= 1 || items <= 1) {
		for (uint32_t i = 0; i < items; i++)
			job(b, &b->workers[0], i);
		return;
	}
	pthread_mutex_lock(&b->lock);
	b->busy = b->nthreads - 1;
	b->generation++;
	pthread_cond_broadcast(&b->wake);
	pthread_mutex_unlock(&b->lock);
	run_items(b, &b->workers[0]);
	pthread_mutex_lock(&b->lock);
	while (b->busy)
		pthread_cond_wait(&b->done, &b->lock);
	pthread_mutex_unlock(&b->lock);
}

void soft_note_exec_error(struct soft_backend *b, const struct msl_exec_error *err)
{
	pthread_mutex_lock(&b->lock);
	if (!b->exec_failed) {
		b->exec_failed = 1;
		b->exec_err = *err;
	}
	pthread_mutex_unlock(&b->lock);
}

static void soft_destroy(void *be);

static void *soft_create(const struct rb_create_args *args, char *err, size_t errlen)
{
	struct soft_backend *b = calloc(1, sizeof *b);
	if (!b) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	unsigned n = args->threads;
	if (n == 0) {
		long c = sysconf(_SC_NPROCESSORS_ONLN);
		n = c > 0 ? (unsigned)c : 1;
	}
	if (n > 64)
		n = 64;
	b->nthreads = n;
	pthread_mutex_init(&b->lock, NULL);
	pthread_cond_init(&b->wake, NULL);
	pthread_cond_init(&b->done, NULL);
	b->workers = calloc(n, sizeof *b->workers);
	b->threads = calloc(n, sizeof *b->threads);
	if (!b->workers || !b->threads)
		goto fail;
	for (unsigned i = 0; i < n; i++) {
		b->workers[i].b = b;
		b->workers[i].index = i;
		if (!(b->workers[i].ctx = msl_exec_ctx_create()))
			goto fail;
	}
	for (unsigned i = 1; i < n; i++) {
		if (pthread_create(&b->threads[i], NULL, worker_main, &b->workers[i])) {
			b->nthreads = i; /* the ones started are joined by destroy */
			goto fail;
		}
	}
	return b;
fail:
	snprintf(err, errlen, "cannot start %u render threads (out of memory or thread limit)", n);
	soft_destroy(b);
	return NULL;
}

static void soft_destroy(void *be)
{
	struct soft_backend *b = be;
	if (!b)
		return;
	pthread_mutex_lock(&b->lock);
	b->quit = 1;
	pthread_cond_broadcast(&b->wake);
	pthread_mutex_unlock(&b->lock);
	for (unsigned i = 1; b->threads && i < b->nthreads; i++)
		pthread_join(b->threads[i], NULL);
	for (unsigned i = 0; b->workers && i < b->nthreads; i++)
		if (b->workers[i].ctx)
			msl_exec_ctx_free(b->workers[i].ctx);
	free(b->workers);
	free(b->threads);
	free(b->tris);
	free(b->verts);
	free(b->varbuf);
	pthread_mutex_destroy(&b->lock);
	pthread_cond_destroy(&b->wake);
	pthread_cond_destroy(&b->done);
	free(b);
}

/* ---- textures ---------------------------------------------------------- */

static void *soft_texture_create(void *be, const struct rb_texture_desc *d, char *err, size_t errlen)
{
	struct soft_texture *t = calloc(1, sizeof *t);
	if (!t) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	t->d = *d;
	t->bpp = mtl_pixel_format_bytes(d->format);
	t->data = calloc((size_t)d->width * d->height * d->samples, t->bpp);
	if (!t->data) {
		free(t);
		snprintf(err, errlen, "out of memory for a %ux%u texture", d->width, d->height);
		return NULL;
	}
	return t;
}

static void soft_texture_destroy(void *be, void *tex)
{
	struct soft_texture *t = tex;
	if (t)
		free(t->data);
	free(t);
}

static void soft_texture_upload(void *be, void *tex, uint32_t x, uint32_t y, uint32_t w, uint32_t h,
				const uint8_t *pixels, size_t bpr)
{
	struct soft_texture *t = tex;
	for (uint32_t r = 0; r < h; r++)
		memcpy(soft_texel(t, x, y + r, 0), pixels + r * bpr, (size_t)w * t->bpp);
}

static void soft_texture_read(void *be, void *tex, uint32_t x, uint32_t y, uint32_t w, uint32_t h, uint8_t *out,
			      size_t stride)
{
	struct soft_texture *t = tex;
	for (uint32_t r = 0; r < h; r++) {
		for (uint32_t c = 0; c < w; c++) {
			uint8_t *o = out + r * stride + (size_t)c * 4;
			if (t->d.samples == 1) {
				soft_texel_to_rgba8(t->d.format, soft_texel(t, x + c, y + r, 0), o);
				continue;
			}
			/* Multisampled: show what a resolve would give. */
			float acc[4] = { 0, 0, 0, 0 }, v[4];
			uint8_t tmp[8];
			for (unsigned s = 0; s < t->d.samples; s++) {
				soft_texel_load(t->d.format, soft_texel(t, x + c, y + r, s), v);
				for (int i = 0; i < 4; i++)
					acc[i] += v[i];
			}
			for (int i = 0; i < 4; i++)
				acc[i] /= (float)t->d.samples;
			soft_texel_store(t->d.format, tmp, acc);
			soft_texel_to_rgba8(t->d.format, tmp, o);
		}
	}
}

static void soft_texture_write(void *be, void *tex, const uint8_t *in, size_t stride)
{
	struct soft_texture *t = tex;
	for (uint32_t y = 0; y < t->d.height; y++)
		for (uint32_t x = 0; x < t->d.width; x++)
			for (unsigned s = 0; s < t->d.samples; s++)
				soft_texel_from_rgba8(t->d.format, soft_texel(t, x, y, s), in + y * stride + x * 4);
}

/* ---- shaders -------------------------------------------------------------- */

static void *soft_library_create(void *be, const char *src, size_t len, char *err, size_t errlen)
{
	struct msl_diag_list diags;
	msl_diag_list_init(&diags);
	struct msl_program *prog = msl_compile(src, len, "library", &diags);
	if (!prog) {
		const struct msl_diag *first = NULL;
		for (size_t i = 0; i < diags.count && !first; i++)
			if (diags.items[i].severity == MSL_SEV_ERROR)
				first = &diags.items[i];
		if (first)
			snprintf(err, errlen, "%u:%u: %s (%zu error(s))", first->line, first->col, first->message,
				 diags.error_count);
		else
			snprintf(err, errlen, "does not compile");
		msl_diag_list_free(&diags);
		return NULL;
	}
	msl_diag_list_free(&diags);
	struct msl_exec_error xerr;
	memset(&xerr, 0, sizeof xerr);
	msl_exec_module *m = msl_exec_module_create(prog, &xerr);
	if (!m) {
		snprintf(err, errlen, "%u:%u: %s", xerr.line, xerr.col, xerr.message);
		msl_program_free(prog);
		return NULL;
	}
	struct soft_library *l = calloc(1, sizeof *l);
	if (!l) {
		msl_exec_module_free(m);
		msl_program_free(prog);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	l->prog = prog;
	l->module = m;
	return l;
}

static void soft_library_destroy(void *be, void *lib)
{
	struct soft_library *l = lib;
	if (!l)
		return;
	msl_exec_module_free(l->module);
	msl_program_free(l->prog);
	free(l);
}

static void *soft_function_create(void *be, void *lib, const char *name, size_t len, char *err, size_t errlen)
{
	struct soft_library *l = lib;
	char buf[256];
	if (len >= sizeof buf || memchr(name, 0, len)) {
		snprintf(err, errlen, "function name is too long or holds a NUL byte");
		return NULL;
	}
	memcpy(buf, name, len);
	buf[len] = 0;
	const msl_exec_entry *entry = msl_exec_find_entry(l->module, buf);
	if (!entry) {
		snprintf(err, errlen, "no entry point named '%s'", buf);
		return NULL;
	}
	struct soft_function *f = calloc(1, sizeof *f);
	if (!f) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	f->entry = entry;
	f->iface = msl_exec_entry_interface(entry);
	return f;
}

static int iface_writes_memory(const struct msl_exec_interface *i)
{
	for (uint32_t r = 0; r < i->n_resources; r++) {
		const struct msl_exec_resource *res = &i->resources[r];
		if (res->kind == MSL_EXEC_RES_BUFFER && res->writable)
			return 1;
		if (res->kind == MSL_EXEC_RES_TEXTURE &&
		    (res->access == MSL_EXEC_ACCESS_WRITE || res->access == MSL_EXEC_ACCESS_READ_WRITE))
			return 1;
	}
	return 0;
}

static void free_plain(void *be, void *p)
{
	free(p);
}

static void *soft_render_pipeline_create(void *be, const struct rb_render_pipeline_desc *d, char *err,
					 size_t errlen)
{
	const struct soft_function *vs = d->vertex_fn, *fs = d->fragment_fn;
	if (vs->iface->stage != MSL_EXEC_VERTEX) {
		snprintf(err, errlen, "'%s' is not a vertex function", vs->iface->name);
		return NULL;
	}
	if (fs && fs->iface->stage != MSL_EXEC_FRAGMENT) {
		snprintf(err, errlen, "'%s' is not a fragment function", fs->iface->name);
		return NULL;
	}
	if (vs->iface->varying_floats > SOFT_MAX_VARYINGS || (fs && fs->iface->varying_floats > SOFT_MAX_VARYINGS) ||
	    vs->iface->attribute_floats > 64) {
		snprintf(err, errlen, "more than %d floats of varyings or attributes", SOFT_MAX_VARYINGS);
		return NULL;
	}
	struct soft_pipeline *p = calloc(1, sizeof *p);
	if (!p) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	p->d = *d;
	p->vs = vs;
	p->fs = fs;
	p->vs_floats = vs->iface->varying_floats;
	/* Vertex attributes from the fixed layout: 0 float2 position @0,
	 * 1 float2 texCoord @8, 2 float4 color @16; missing components read
	 * as Metal's defaults (0, 0, 0, 1). */
	static const uint8_t attr_base[3] = { 0, 8, 16 }, attr_n[3] = { 2, 2, 4 };
	p->attr_floats = vs->iface->attribute_floats;
	memset(p->attr_src, 0xFE, sizeof p->attr_src);
	for (uint32_t i = 0; i < vs->iface->n_attributes; i++) {
		const struct msl_exec_slot *a = &vs->iface->attributes[i];
		if (a->index > 2) {
			snprintf(err, errlen, "vertex attribute %u is not in the fixed vertex layout (0..2)", a->index);
			free(p);
			return NULL;
		}
		for (unsigned k = 0; k < a->components && a->offset + k < 64; k++)
			p->attr_src[a->offset + k] = k < attr_n[a->index] ? (uint8_t)(attr_base[a->index] + 4 * k)
								       : (k == 3 ? 0xFF : 0xFE);
	}
	if (fs) {
		uint32_t link[SOFT_MAX_VARYINGS];
		struct msl_exec_error xerr;
		memset(&xerr, 0, sizeof xerr);
		if (fs->iface->n_varyings > SOFT_MAX_VARYINGS ||
		    msl_exec_link_varyings(vs->iface, fs->iface, link, &xerr) != MSL_EXEC_OK) {
			snprintf(err, errlen, "vertex and fragment functions do not match: %s", xerr.message);
			free(p);
			return NULL;
		}
		p->fs_floats = fs->iface->varying_floats;
		p->writes_memory = iface_writes_memory(fs->iface);
		for (uint32_t i = 0; i < fs->iface->n_varyings; i++) {
			const struct msl_exec_slot *s = &fs->iface->varyings[i];
			for (unsigned k = 0; k < s->components; k++) {
				if (s->offset + k >= SOFT_MAX_VARYINGS || link[i] + k >= p->vs_floats)
					continue;
				p->fs_src[s->offset + k] = link[i] + k;
				p->fs_interp[s->offset + k] = (uint8_t)s->interp;
			}
		}
	}
	return p;
}

static void *soft_compute_pipeline_create(void *be, void *fn, char *err, size_t errlen)
{
	const struct soft_function *f = fn;
	if (f->iface->stage != MSL_EXEC_KERNEL) {
		snprintf(err, errlen, "'%s' is not a kernel function", f->iface->name);
		return NULL;
	}
	struct soft_pipeline *p = calloc(1, sizeof *p);
	if (!p) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	p->compute = 1;
	p->cs = f;
	p->writes_memory = iface_writes_memory(f->iface);
	return p;
}

/* ---- passes ----------------------------------------------------------------- */

static void soft_begin_pass(void *be, const struct rb_pass *p)
{
	struct soft_backend *b = be;
	b->pass.active = 1;
	b->pass.color = p->color;
	b->pass.resolve = p->resolve;
	b->pass.stencil = p->stencil;
	b->pass.store = p->store;
	struct soft_texture *c = p->color;
	if (p->load == MTL_LOAD_CLEAR) {
		uint8_t px[8];
		soft_texel_store(c->d.format, px, p->clear);
		size_t row = (size_t)c->d.width * c->d.samples;
		for (size_t i = 0; i < row; i++)
			memcpy(c->data + i * c->bpp, px, c->bpp);
		for (uint32_t y = 1; y < c->d.height; y++)
			memcpy(c->data + y * row * c->bpp, c->data, row * c->bpp);
	}
	/* The reference host clears the stencil to 0 every pass, whatever the actions. */
	if (p->stencil) {
		struct soft_texture *s = p->stencil;
		memset(s->data, 0, (size_t)s->d.width * s->d.height * s->d.samples);
	}
}

/* Average the samples in linear space (sRGB decoded), then store. Rows
 * are spread over the workers (item = a band of SOFT_TILE rows). A pixel
 * whose samples are all equal is copied: averaging equal values and
 * storing them gives back the same bytes in every format, so the shortcut
 * is exact. */
static void resolve_rows(struct soft_backend *b, struct soft_worker *w, uint32_t item)
{
	struct soft_texture *src = b->pass.color, *dst = b->pass.resolve;
	uint32_t y0 = item * SOFT_TILE, y1 = y0 + SOFT_TILE < src->d.height ? y0 + SOFT_TILE : src->d.height;
	unsigned bpp = src->bpp;
	for (uint32_t y = y0; y < y1; y++) {
		for (uint32_t x = 0; x < src->d.width; x++) {
			const uint8_t *s0 = soft_texel(src, x, y, 0);
			unsigned same = 1;
			if (bpp == 4 && src->d.samples == 4) {
				uint32_t v[4];
				memcpy(v, s0, sizeof v);
				same = v[0] == v[1] && v[0] == v[2] && v[0] == v[3];
			} else {
				for (unsigned s = 1; s < src->d.samples && same; s++)
					same = !memcmp(s0, s0 + s * bpp, bpp);
			}
			if (same) {
				memcpy(soft_texel(dst, x, y, 0), s0, bpp);
				continue;
			}
			float acc[4] = { 0, 0, 0, 0 }, v[4];
			for (unsigned s = 0; s < src->d.samples; s++) {
				soft_texel_load(src->d.format, soft_texel(src, x, y, s), v);
				for (int i = 0; i < 4; i++)
					acc[i] += v[i];
			}
			for (int i = 0; i < 4; i++)
				acc[i] *= 1.0f / (float)src->d.samples;
			soft_texel_store(dst->d.format, soft_texel(dst, x, y, 0), acc);
		}
	}
}

static void soft_end_pass(void *be)
{
	struct soft_backend *b = be;
	if (b->pass.store == MTL_STORE_MULTISAMPLE_RESOLVE && b->pass.resolve)
		soft_run_parallel(b, (b->pass.color->d.height + SOFT_TILE - 1) / SOFT_TILE, resolve_rows);
	memset(&b->pass, 0, sizeof b->pass);
}

/* ---- draws ------------------------------------------------------------------- */

static void bind_buffers(struct soft_backend *b, struct msl_exec_bindings *bind, const struct rb_bytes *bytes,
			 int which)
{
	for (int i = 0; i < RB_MAX_BUFFERS && i < MSL_EXEC_MAX_BUFFERS; i++) {
		if (!bytes[i].data) {
			bind->buffers[i].data = NULL;
			bind->buffers[i].size = 0;
			continue;
		}
		/* A private copy: a shader writing a device buffer must not
		 * change what the next draw sees through the engine. */
		memcpy(b->bytes_copy[which][i], bytes[i].data, bytes[i].len);
		bind->buffers[i].data = b->bytes_copy[which][i];
		bind->buffers[i].size = bytes[i].len;
	}
}

static uint64_t soft_draw(void *be, const struct rb_draw_state *st, unsigned prim, uint32_t start, uint32_t count)
{
	struct soft_backend *b = be;
	const struct soft_pipeline *p = st->pipeline;
	struct soft_texture *c = b->pass.color;
	if (!b->pass.active || !c || p->compute)
		return 0;
	b->st = st;
	b->pipe = p;
	b->exec_failed = 0;
	b->srgb_dec = soft_srgb_decode_table();
	b->unorm_dec = soft_unorm8_decode_table();
	b->srgb_enc = soft_srgb_encoder();
	memset(&b->vs_bind, 0, sizeof b->vs_bind);
	memset(&b->fs_bind, 0, sizeof b->fs_bind);
	bind_buffers(b, &b->vs_bind, st->vertex_bytes, 0);
	bind_buffers(b, &b->fs_bind, st->fragment_bytes, 1);
	for (int i = 0; i < RB_MAX_TEXTURES; i++) {
		if (!st->fragment_textures[i])
			continue;
		soft_texture_view(&b->fs_views[i], st->fragment_textures[i], 1);
		b->fs_bind.textures[i] = &b->fs_views[i];
	}
	for (int i = 0; i < RB_MAX_SAMPLERS; i++) {
		if (!st->fragment_samplers[i])
			continue;
		soft_sampler_from_rb(&b->fs_samplers[i], st->fragment_samplers[i]);
		b->fs_bind.samplers[i] = &b->fs_samplers[i];
	}
	b->clip[0] = 0;
	b->clip[1] = 0;
	b->clip[2] = (int32_t)c->d.width;
	b->clip[3] = (int32_t)c->d.height;
	if (st->scissor_enabled) {
		b->clip[0] = st->scissor[0];
		b->clip[1] = st->scissor[1];
		b->clip[2] = st->scissor[0] + st->scissor[2];
		b->clip[3] = st->scissor[1] + st->scissor[3];
	}
	if (b->clip[2] <= b->clip[0] || b->clip[3] <= b->clip[1])
		return 0;
	b->tiles_x = (c->d.width + SOFT_TILE - 1) / SOFT_TILE;
	b->tiles_y = (c->d.height + SOFT_TILE - 1) / SOFT_TILE;
	/* Tiles may run in parallel only when no tile can see another's
	 * writes: not when the shader writes memory, nor when an attachment is
	 * also bound as a texture (feedback, undefined in Metal but it must
	 * still not depend on the thread count). */
	int serial = p->writes_memory;
	for (int i = 0; i < RB_MAX_TEXTURES && !serial; i++) {
		void *t = st->fragment_textures[i];
		serial = t && (t == (void *)b->pass.color || t == (void *)b->pass.stencil);
	}
	uint32_t tiles = b->tiles_x * b->tiles_y;
	/* Large draws go in chunks of SOFT_DRAW_CHUNK vertices (a multiple of
	 * 6, so triangle lists, lines and strip parity line up), rasterised in
	 * order, which bounds memory whatever the vertex count. */
	uint64_t prims = 0;
	int strip = prim == MTL_PRIMITIVE_TRIANGLE_STRIP;
	for (uint32_t off = 0; off < count && (!strip || off + 2 < count); off += SOFT_DRAW_CHUNK) {
		uint32_t left = count - off;
		uint32_t n = left < SOFT_DRAW_CHUNK + (strip ? 2u : 0u) ? left : SOFT_DRAW_CHUNK + (strip ? 2u : 0u);
		prims += soft_setup_draw(b, prim, start + off, n, SOFT_DRAW_CHUNK);
		if (b->exec_failed)
			break;
		if (b->ntris == 0)
			continue;
		if (serial) {
			for (uint32_t i = 0; i < tiles; i++)
				soft_raster_tile(b, &b->workers[0], i);
		} else {
			soft_run_parallel(b, tiles, soft_raster_tile);
		}
		if (b->exec_failed)
			break;
	}
	return prims;
}

/* ---- blits ------------------------------------------------------------------- */

static void soft_copy(void *be, void *src, void *dst, uint32_t sx, uint32_t sy, uint32_t w, uint32_t h, uint32_t dx,
		      uint32_t dy)
{
	struct soft_texture *s = src, *d = dst;
	size_t row = (size_t)w * s->d.samples * s->bpp;
	if (s == d && sy < dy) { /* overlapping copy within one texture: go bottom-up */
		for (uint32_t r = h; r-- > 0;)
			memmove(soft_texel(d, dx, dy + r, 0), soft_texel(s, sx, sy + r, 0), row);
		return;
	}
	for (uint32_t r = 0; r < h; r++)
		memmove(soft_texel(d, dx, dy + r, 0), soft_texel(s, sx, sy + r, 0), row);
}

static int soft_take_error(void *be, char *err, size_t errlen)
{
	struct soft_backend *b = be;
	if (!b->exec_failed)
		return 0;
	b->exec_failed = 0;
	snprintf(err, errlen, "shader stopped at %u:%u: %s (%s); the rest of this command's work was dropped", b->exec_err.line,
		 b->exec_err.col, b->exec_err.message, msl_exec_status_name(b->exec_err.status));
	return 1;
}

const struct render_backend render_backend_soft = {
	.name = "soft",
	.create = soft_create,
	.destroy = soft_destroy,
	.texture_create = soft_texture_create,
	.texture_destroy = soft_texture_destroy,
	.texture_upload = soft_texture_upload,
	.texture_read_rgba8 = soft_texture_read,
	.texture_write_rgba8 = soft_texture_write,
	.library_create = soft_library_create,
	.library_destroy = soft_library_destroy,
	.function_create = soft_function_create,
	.function_destroy = free_plain,
	.render_pipeline_create = soft_render_pipeline_create,
	.compute_pipeline_create = soft_compute_pipeline_create,
	.pipeline_destroy = free_plain,
	.begin_render_pass = soft_begin_pass,
	.end_render_pass = soft_end_pass,
	.draw = soft_draw,
	.dispatch = soft_dispatch,
	.copy_region = soft_copy,
	.take_error = soft_take_error,
};
