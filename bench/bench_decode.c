/*
 * bench_decode.c — decoder throughput against memcpy of the same bytes.
 *
 * Builds a realistic command mix in memory with the encoder (UI-like
 * frames: pipeline and texture binds, inline fragment parameters, vertex
 * bytes for rectangles and glyph runs, draws, the odd texture upload and
 * cursor move, a present per frame) of at least 256 MiB, then in the same
 * run times
 *   - memcpy of the whole buffer into another buffer (the baseline), and
 *   - a full decode walk that reads every decoded field of every command
 *     (views are zero-copy: their bytes are not read, as a replay would
 *     hand them on without copying),
 * and prints MB/s for both and the ratio. Target: decode >= 0.5x memcpy.
 * A second mix of small commands only (about 15 bytes each) shows the
 * per-command cost, the decoder's worst case against memcpy.
 *
 *   bench_decode [MiB]     (default 256)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mtlproto/decode.h"
#include "mtlproto/encode.h"

#include "bench_common.h"

/* A worst case for the decoder: only small state and draw commands
 * (about 14 bytes each), so the per-command cost dominates. */
static int encode_small_frame(struct mtl_encoder *e, uint32_t frame)
{
	mtl_enc_begin_render_pass(e, MTL_DRAWABLE_HANDLE, 0, 0, MTL_LOAD_LOAD, MTL_STORE_STORE, 0, 0, 0, 0, 0, 1);
	for (uint32_t i = 0; i < 64; i++) {
		mtl_enc_set_render_pipeline(e, 10 + (i & 1));
		mtl_enc_set_fragment_texture(e, 20 + (i & 3), 0);
		mtl_enc_set_stencil_ref(e, i);
		mtl_enc_set_scissor(e, (uint16_t)i, (uint16_t)i, 100, 100);
		mtl_enc_draw_primitives(e, MTL_PRIMITIVE_TRIANGLE_STRIP, i * 4, 4);
	}
	mtl_enc_end_render_pass(e);
	mtl_enc_present_and_commit(e, frame);
	return !mtl_enc_overflowed(e);
}

/* Read every decoded field; returns a checksum so nothing is optimised away. */
static uint64_t use_fields(const struct mtl_cmd *c)
{
	uint64_t h = c->method + c->payload_size;
	switch (c->method) {
	case MTL_CMD_SET_VERTEX_BYTES:
	case MTL_CMD_SET_FRAGMENT_BYTES:
	case MTL_CMD_SET_COMPUTE_BYTES:
		return h + c->u.set_bytes.index + c->u.set_bytes.len + (uintptr_t)c->u.set_bytes.data;
	case MTL_CMD_DRAW_PRIMITIVES:
		return h + c->u.draw.primitive + c->u.draw.start + c->u.draw.count;
	case MTL_CMD_SET_RENDER_PIPELINE:
	case MTL_CMD_SET_COMPUTE_PIPELINE:
		return h + c->u.handle.handle;
	case MTL_CMD_SET_FRAGMENT_TEXTURE:
	case MTL_CMD_SET_COMPUTE_TEXTURE:
		return h + c->u.set_texture.tex + c->u.set_texture.index;
	case MTL_CMD_SET_FRAGMENT_SAMPLER:
		return h + c->u.set_sampler.sampler + c->u.set_sampler.index;
	case MTL_CMD_BEGIN_RENDER_PASS: {
		const struct mtl_begin_render_pass *p = &c->u.begin_render_pass;
		return h + p->color + p->resolve + p->stencil + p->load + p->store + p->stencil_load +
		       p->stencil_store + (uint64_t)(p->clear[0] + p->clear[1] + p->clear[2] + p->clear[3]);
	}
	case MTL_CMD_SET_SCISSOR:
		return h + c->u.set_scissor.x + c->u.set_scissor.y + c->u.set_scissor.w + c->u.set_scissor.h;
	case MTL_CMD_UPLOAD_TEXTURE: {
		const struct mtl_upload_texture *u = &c->u.upload_texture;
		return h + u->tex + u->x + u->y + u->w + u->h + u->bytes_per_row + u->pixels_len +
		       (uintptr_t)u->pixels;
	}
	case MTL_CMD_COPY_TEXTURE_REGION: {
		const struct mtl_copy_texture_region *p = &c->u.copy;
		return h + p->src + p->dst + p->src_x + p->src_y + p->w + p->h + p->dst_x + p->dst_y;
	}
	case MTL_CMD_DISPATCH_THREADS:
		return h + c->u.dispatch.grid[0] + c->u.dispatch.grid[1] + c->u.dispatch.grid[2] +
		       c->u.dispatch.threadgroup[0] + c->u.dispatch.threadgroup[1] + c->u.dispatch.threadgroup[2];
	case MTL_CMD_SET_CURSOR_POSITION:
		return h + (uint64_t)(c->u.cursor_position.x + c->u.cursor_position.y);
	case MTL_CMD_PRESENT_AND_COMMIT:
		return h + c->u.present.frame_id;
	default:
		return h;
	}
}

typedef int (*frame_fn)(struct mtl_encoder *e, uint32_t frame, const uint8_t *junk);

static int encode_small_frame_j(struct mtl_encoder *e, uint32_t frame, const uint8_t *junk)
{
	(void)junk;
	return encode_small_frame(e, frame);
}

static uint8_t junk[8192];

/* Encode whole frames until at least `mib` MiB, then time memcpy and the
 * decode walk over the same bytes, best of several rounds. */
static int run(const char *label, frame_fn gen, uint8_t *src, uint8_t *dst, size_t cap, size_t mib)
{
	struct mtl_encoder e;
	mtl_enc_init(&e, src, cap);
	uint32_t frames = 0;
	double t0 = bench_now();
	while (e.len < (mib << 20)) {
		size_t before = e.len;
		if (!gen(&e, frames, junk)) {
			e.len = before; /* drop the partial frame */
			break;
		}
		frames++;
	}
	double t_enc = bench_now() - t0;
	size_t len = e.len;
	memset(dst, 0, cap); /* fault the pages in before timing */

	/* Count commands (and check the stream is clean). */
	struct mtl_decoder d;
	struct mtl_cmd c;
	size_t commands = 0;
	mtl_decoder_init(&d, src, len);
	enum mtl_status s;
	while ((s = mtl_decoder_next(&d, &c)) == MTL_OK)
		commands++;
	if (s != MTL_END) {
		fprintf(stderr, "bench_decode: the generated stream does not decode: %s at %zu\n",
			mtl_status_name(s), c.error_offset);
		return 1;
	}

	enum { ROUNDS = 5 };
	double best_copy = 1e30, best_dec = 1e30;
	uint64_t check = 0;
	for (int r = 0; r < ROUNDS; r++) {
		t0 = bench_now();
		memcpy(dst, src, len);
		double t = bench_now() - t0;
		check += dst[len - 1 - (size_t)r];
		if (t < best_copy)
			best_copy = t;

		t0 = bench_now();
		uint64_t h = 0;
		mtl_decoder_init(&d, src, len);
		while (mtl_decoder_next(&d, &c) == MTL_OK)
			h += use_fields(&c);
		t = bench_now() - t0;
		check += h;
		if (t < best_dec)
			best_dec = t;
	}

	double mb = (double)len / 1e6;
	double copy_mbs = mb / best_copy, dec_mbs = mb / best_dec;
	printf("%s: %.1f MiB, %u frames, %zu commands (avg %.1f bytes/command)\n", label,
	       (double)len / (1 << 20), frames, commands, (double)len / (double)commands);
	printf("  encode (setup, once)    %9.0f MB/s\n", mb / t_enc);
	printf("  memcpy  (baseline)      %9.0f MB/s   best of %d\n", copy_mbs, ROUNDS);
	printf("  decode walk             %9.0f MB/s   %.1f M commands/s\n", dec_mbs,
	       (double)commands / best_dec / 1e6);
	printf("  ratio decode/memcpy     %9.2fx   [checksum %llx]\n", dec_mbs / copy_mbs,
	       (unsigned long long)(check & 0xFFFF));
	return 0;
}

int main(int argc, char **argv)
{
	size_t mib = 256;
	if (argc > 1) {
		if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
			printf("usage: bench_decode [MiB]   decode throughput vs memcpy (default 256 MiB)\n");
			return 0;
		}
		char *end;
		unsigned long v = strtoul(argv[1], &end, 10);
		if (*end || v == 0 || v > 4096) {
			fprintf(stderr, "bench_decode: bad size '%s' (MiB, 1..4096)\n", argv[1]);
			return 2;
		}
		mib = v;
	}
	size_t cap = (mib << 20) + (1u << 20);
	uint8_t *src = malloc(cap), *dst = malloc(cap);
	if (!src || !dst) {
		fprintf(stderr, "bench_decode: cannot allocate 2 x %zu MiB\n", cap >> 20);
		return 1;
	}
	for (size_t i = 0; i < sizeof junk; i++)
		junk[i] = (uint8_t)(i * 131 + 7);

	int rc = run("realistic UI mix", bench_encode_ui_frame, src, dst, cap, mib);
	if (rc == 0)
		printf("  target: decode >= 0.50x memcpy on the realistic mix\n");
	if (rc == 0)
		rc = run("small commands only (worst case)", encode_small_frame_j, src, dst, cap, mib);
	free(src);
	free(dst);
	return rc;
}
