/*
 * render/backend.h — the interface between the replay engine and a
 * rendering backend (soft, null, metal).
 *
 * The engine validates every command against DESIGN.md §3 before it calls
 * a backend: handles are resolved to live objects, enums are in range,
 * regions lie inside their textures, attachments agree in size. A backend
 * therefore never sees a malformed request; it only renders. Objects
 * (textures, libraries, functions, pipelines) are opaque pointers the
 * backend creates; the engine reference-counts them and destroys each once
 * nothing (handle table, bound state, pipeline) refers to it any more.
 * Samplers and depth-stencil states are plain descriptions owned by the
 * engine.
 */
#ifndef RENDER_BACKEND_H
#define RENDER_BACKEND_H

#include <stddef.h>
#include <stdint.h>

#define RB_MAX_BUFFERS 31  /* buffer indices 0..30 */
#define RB_MAX_TEXTURES 31
#define RB_MAX_SAMPLERS 16

struct rb_texture_desc {
	uint32_t width, height;
	uint8_t format;   /* enum mtl_pixel_format */
	uint8_t samples;  /* 1 or 4 */
	uint8_t usage;    /* MTL_USAGE_* bits, 0 already mapped to shaderRead */
};

struct rb_render_pipeline_desc {
	void *vertex_fn, *fragment_fn; /* backend function objects */
	uint8_t blend, write_mask, stencil_format, sample_count, pixel_format;
};

/* Index 0 = front face, 1 = back face. */
struct rb_depth_stencil {
	uint8_t stencil_enabled;
	uint8_t compare[2], pass_op[2], fail_op[2];
};

struct rb_sampler {
	uint8_t min, mag, s_mode, t_mode;
};

struct rb_bytes {
	const uint8_t *data; /* NULL when unbound */
	uint32_t len;
};

struct rb_pass {
	void *color;      /* never NULL */
	void *resolve;    /* NULL unless the engine decided a resolve happens */
	void *stencil;    /* NULL when absent or dropped (size mismatch) */
	uint8_t load;     /* dontCare, load, clear; blitRetained arrives as load after the engine copied */
	uint8_t store;    /* dontCare, store, multisampleResolve (only with resolve != NULL) */
	float clear[4];
};

struct rb_draw_state {
	void *pipeline;
	const struct rb_depth_stencil *depth_stencil; /* NULL: stencil test off */
	uint32_t stencil_ref;
	int scissor_enabled;
	uint16_t scissor[4]; /* x, y, w, h, already clamped to the attachment */
	struct rb_bytes vertex_bytes[RB_MAX_BUFFERS];
	struct rb_bytes fragment_bytes[RB_MAX_BUFFERS];
	void *fragment_textures[RB_MAX_TEXTURES];
	const struct rb_sampler *fragment_samplers[RB_MAX_SAMPLERS];
};

struct rb_compute_state {
	void *pipeline;
	struct rb_bytes bytes[RB_MAX_BUFFERS];
	void *textures[RB_MAX_TEXTURES];
};

struct rb_create_args {
	unsigned threads; /* 0 = all online cores */
};

/*
 * Operations returning int give 0 on success and -1 on failure with a
 * sentence in err. Creation functions return NULL on failure.
 */
struct render_backend {
	const char *name;
	void *(*create)(const struct rb_create_args *args, char *err, size_t errlen);
	void (*destroy)(void *be);

	void *(*texture_create)(void *be, const struct rb_texture_desc *desc, char *err, size_t errlen);
	void (*texture_destroy)(void *be, void *tex);
	/* Rows of w*bpp bytes, bytes_per_row apart; the engine checked sizes. */
	void (*texture_upload)(void *be, void *tex, uint32_t x, uint32_t y, uint32_t w, uint32_t h,
			       const uint8_t *pixels, size_t bytes_per_row);
	/* Read a region as 8-bit display RGBA (multisample: averaged). */
	void (*texture_read_rgba8)(void *be, void *tex, uint32_t x, uint32_t y, uint32_t w, uint32_t h,
				   uint8_t *out, size_t stride);
	/* Overwrite the whole texture (every sample) from 8-bit display RGBA of its size. */
	void (*texture_write_rgba8)(void *be, void *tex, const uint8_t *in, size_t stride);

	void *(*library_create)(void *be, const char *source, size_t len, char *err, size_t errlen);
	void (*library_destroy)(void *be, void *lib);
	void *(*function_create)(void *be, void *lib, const char *name, size_t len, char *err, size_t errlen);
	void (*function_destroy)(void *be, void *fn);
	void *(*render_pipeline_create)(void *be, const struct rb_render_pipeline_desc *desc, char *err,
					size_t errlen);
	void *(*compute_pipeline_create)(void *be, void *fn, char *err, size_t errlen);
	void (*pipeline_destroy)(void *be, void *pipe);

	void (*begin_render_pass)(void *be, const struct rb_pass *pass);
	void (*end_render_pass)(void *be);
	/* Returns the number of primitives drawn. */
	uint64_t (*draw)(void *be, const struct rb_draw_state *st, unsigned primitive, uint32_t start,
			 uint32_t count);
	void (*dispatch)(void *be, const struct rb_compute_state *st, const uint16_t grid[3],
			 const uint16_t threadgroup[3]);
	void (*copy_region)(void *be, void *src, void *dst, uint32_t sx, uint32_t sy, uint32_t w, uint32_t h,
			    uint32_t dx, uint32_t dy);
	/* After draw/dispatch: 1 and a sentence in err when a shader stopped
	 * with a run-time error (loop limit, out-of-bounds access) and the
	 * work was dropped; 0 otherwise. May be NULL. */
	int (*take_error)(void *be, char *err, size_t errlen);
};

extern const struct render_backend render_backend_soft;
extern const struct render_backend render_backend_null;
#ifdef METALVISOR_HAVE_METAL
extern const struct render_backend render_backend_metal; /* render/metal/, macOS */
#endif

/* "soft", "null"; NULL when unknown. */
const struct render_backend *render_backend_find(const char *name);

#endif
