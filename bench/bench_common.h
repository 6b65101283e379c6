/*
 * bench/bench_common.h — what the codec benchmarks share: a monotonic clock
 * and the UI-like frame that bench_decode and bench_validate both time, so
 * their numbers describe the same command mix.
 *
 * Header-only and static: each benchmark is one program.
 */
#ifndef BENCH_COMMON_H
#define BENCH_COMMON_H

#include <stdint.h>
#include <time.h>

#include "mtlproto/encode.h"

static inline double bench_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/*
 * One UI-like frame: a cursor move, rounded rectangles (inline parameters
 * and 6 vertices each), glyph runs of 2..21 quads with a texture and
 * sampler, an icon upload + blit every 16th frame, a small compute pass
 * every 8th, and a present. It uses pipelines 10-12, textures 20-23 and
 * sampler 30 (bench_validate creates them first). JUNK supplies the
 * parameter, vertex and pixel bytes: at least 4096 of them (the icon).
 * Returns 0 when the buffer is full.
 */
static inline int bench_encode_ui_frame(struct mtl_encoder *e, uint32_t frame, const uint8_t *junk)
{
	mtl_enc_set_cursor_position(e, (float)(frame % 1024), 300.0f);
	mtl_enc_begin_render_pass(e, MTL_DRAWABLE_HANDLE, 0, 0, MTL_LOAD_CLEAR, MTL_STORE_STORE, 0, 0,
				  0.1f, 0.1f, 0.12f, 1.0f);
	mtl_enc_set_render_pipeline(e, 10);
	for (int i = 0; i < 24; i++) {          /* rounded rects: params + 6 vertices */
		mtl_enc_set_fragment_bytes(e, 0, junk, 16);
		mtl_enc_set_vertex_bytes(e, 0, junk + i, 6 * MTL_VERTEX_STRIDE);
		mtl_enc_draw_primitives(e, MTL_PRIMITIVE_TRIANGLE, 0, 6);
	}
	mtl_enc_set_scissor(e, 220, 44, 804, 724);
	mtl_enc_set_render_pipeline(e, 11);
	mtl_enc_set_fragment_texture(e, 20, 0);
	mtl_enc_set_fragment_sampler(e, 30, 0);
	for (int i = 0; i < 8; i++) {           /* glyph runs of 2..21 quads */
		uint32_t quads = 2 + (uint32_t)((frame + (uint32_t)i * 5) % 20);
		mtl_enc_set_vertex_bytes(e, 0, junk, quads * 6 * MTL_VERTEX_STRIDE);
		mtl_enc_draw_primitives(e, MTL_PRIMITIVE_TRIANGLE, 0, quads * 6);
	}
	mtl_enc_end_render_pass(e);
	if (frame % 16 == 0) {                  /* an icon upload now and then */
		mtl_enc_upload_texture(e, 21, 0, 0, 32, 32, 128, junk, 32 * 32 * 4);
		mtl_enc_begin_blit_pass(e);
		mtl_enc_copy_texture_region(e, 21, 22, 0, 0, 32, 32, 64, 64);
		mtl_enc_end_blit_pass(e);
	}
	if (frame % 8 == 0) {                   /* a small compute pass */
		mtl_enc_begin_compute_pass(e);
		mtl_enc_set_compute_pipeline(e, 12);
		mtl_enc_set_compute_texture(e, 23, 0);
		mtl_enc_set_compute_bytes(e, 0, junk, 16);
		mtl_enc_dispatch_threads(e, 256, 256, 1, 16, 16, 1);
		mtl_enc_end_compute_pass(e);
	}
	mtl_enc_present_and_commit(e, frame);
	return !mtl_enc_overflowed(e);
}

#endif
