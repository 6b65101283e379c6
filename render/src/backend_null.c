/*
 * backend_null.c — a backend that keeps no pixels: every object exists, every
 * draw is accepted and counted, nothing is rendered. Used to measure the
 * decoder and the replay engine alone (mtlbench --backend null) and to
 * replay streams for their state and statistics only. Shader libraries are
 * accepted without compiling, so it also runs where a shader is outside the
 * MSL subset. Frames read back as transparent black.
 */
#include <stdlib.h>
#include <string.h>

#include "mtlproto/wire.h"
#include "render/backend.h"

/* Every object is a small tag, so the engine's reference counting and
 * destroy calls are exercised just as with a real backend. */
struct null_obj {
	int tag;
};

static void *null_create(const struct rb_create_args *args, char *err, size_t errlen)
{
	return calloc(1, sizeof(struct null_obj));
}

static void null_destroy(void *be)
{
	free(be);
}

static void *new_tag(void)
{
	return calloc(1, sizeof(struct null_obj));
}

static void *null_texture_create(void *be, const struct rb_texture_desc *d, char *err, size_t errlen)
{
	return new_tag();
}

static void free_obj(void *be, void *o)
{
	free(o);
}

static void null_texture_upload(void *be, void *tex, uint32_t x, uint32_t y, uint32_t w, uint32_t h,
				const uint8_t *pixels, size_t bpr)
{
}

static void null_texture_read(void *be, void *tex, uint32_t x, uint32_t y, uint32_t w, uint32_t h, uint8_t *out,
			      size_t stride)
{
	for (uint32_t r = 0; r < h; r++)
		memset(out + r * stride, 0, (size_t)w * 4);
}

static void null_texture_write(void *be, void *tex, const uint8_t *in, size_t stride)
{
}

static void *null_library_create(void *be, const char *src, size_t len, char *err, size_t errlen)
{
	return new_tag();
}

static void *null_function_create(void *be, void *lib, const char *name, size_t len, char *err, size_t errlen)
{
	return new_tag();
}

static void *null_render_pipeline_create(void *be, const struct rb_render_pipeline_desc *d, char *err,
					 size_t errlen)
{
	return new_tag();
}

static void *null_compute_pipeline_create(void *be, void *fn, char *err, size_t errlen)
{
	return new_tag();
}

static void null_begin_pass(void *be, const struct rb_pass *p)
{
}

static void null_end_pass(void *be)
{
}

static uint64_t null_draw(void *be, const struct rb_draw_state *st, unsigned prim, uint32_t start, uint32_t count)
{
	switch (prim) {
	case MTL_PRIMITIVE_TRIANGLE: return count / 3;
	case MTL_PRIMITIVE_TRIANGLE_STRIP: return count >= 3 ? count - 2 : 0;
	case MTL_PRIMITIVE_LINE: return count / 2;
	default: return count;
	}
}

static void null_dispatch(void *be, const struct rb_compute_state *st, const uint16_t grid[3], const uint16_t tg[3])
{
}

static void null_copy(void *be, void *src, void *dst, uint32_t sx, uint32_t sy, uint32_t w, uint32_t h, uint32_t dx,
		      uint32_t dy)
{
}

const struct render_backend render_backend_null = {
	.name = "null",
	.create = null_create,
	.destroy = null_destroy,
	.texture_create = null_texture_create,
	.texture_destroy = free_obj,
	.texture_upload = null_texture_upload,
	.texture_read_rgba8 = null_texture_read,
	.texture_write_rgba8 = null_texture_write,
	.library_create = null_library_create,
	.library_destroy = free_obj,
	.function_create = null_function_create,
	.function_destroy = free_obj,
	.render_pipeline_create = null_render_pipeline_create,
	.compute_pipeline_create = null_compute_pipeline_create,
	.pipeline_destroy = free_obj,
	.begin_render_pass = null_begin_pass,
	.end_render_pass = null_end_pass,
	.draw = null_draw,
	.dispatch = null_dispatch,
	.copy_region = null_copy,
};
