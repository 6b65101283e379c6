/*
 * bench_validate.c — validator throughput against decode alone.
 *
 * Builds a valid stream in memory with the encoder: a setup prologue
 * (library, functions, pipelines, textures, sampler, depth-stencil state),
 * then UI-like frames (rounded rectangles with inline parameters and
 * vertices, glyph runs with a texture and sampler, scissor, a periodic icon
 * upload + blit and a small compute pass, a present per frame), split into
 * one submission per frame as a guest submits them. In the same run it
 * times, best of 6 rounds each (alternating which runs first),
 *   - decode alone: mtl_decoder_next over every submission, reading the
 *     decoded method and size (the baseline), and
 *   - validation: mtl_validator_submit of every submission into one
 *     validator (which decodes and checks every command against the state),
 * and prints MB/s, commands/s and the ratio. Target: validation >= 0.5x
 * decode alone. A second mix of small commands only shows the per-command
 * cost. The stream is valid: the run fails if the validator finds anything.
 *
 *   bench_validate [MiB]     (default 64)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mtlproto/decode.h"
#include "mtlproto/encode.h"
#include "mtlproto/validate.h"

#include "bench_common.h"

static const char src[] = "#include <metal_stdlib>\nusing namespace metal;\n/* bench library */\n";

static void prologue(struct mtl_encoder *e)
{
	mtl_enc_compile_library(e, 1, src, (uint32_t)strlen(src));
	mtl_enc_get_function(e, 2, 1, "vs", 2);
	mtl_enc_get_function(e, 3, 1, "fs_rect", 7);
	mtl_enc_get_function(e, 4, 1, "fs_glyph", 8);
	mtl_enc_get_function(e, 5, 1, "k", 1);
	mtl_enc_create_render_pipeline(e, 10, 2, 3, 1, MTL_WRITE_ALL, 0, 1, MTL_PIXEL_BGRA8_UNORM_SRGB);
	mtl_enc_create_render_pipeline(e, 11, 2, 4, 1, MTL_WRITE_ALL, 0, 1, MTL_PIXEL_BGRA8_UNORM_SRGB);
	mtl_enc_create_compute_pipeline(e, 12, 5);
	mtl_enc_create_texture(e, 20, 512, 512, MTL_PIXEL_R8_UNORM, 0, 1, MTL_USAGE_SHADER_READ);
	mtl_enc_create_texture(e, 21, 32, 32, MTL_PIXEL_BGRA8_UNORM, 0, 1, MTL_USAGE_SHADER_READ);
	mtl_enc_create_texture(e, 22, 256, 256, MTL_PIXEL_BGRA8_UNORM, 0, 1, MTL_USAGE_SHADER_READ);
	mtl_enc_create_texture(e, 23, 256, 256, MTL_PIXEL_RGBA8_UNORM, 0, 1,
			       MTL_USAGE_SHADER_READ | MTL_USAGE_SHADER_WRITE);
	mtl_enc_create_sampler(e, 30, 1, 1, 0, 0);
}

static int encode_small_frame(struct mtl_encoder *e, uint32_t frame, const uint8_t *junk)
{
	(void)junk;
	mtl_enc_begin_render_pass(e, MTL_DRAWABLE_HANDLE, 0, 0, MTL_LOAD_LOAD, MTL_STORE_STORE, 0, 0, 0, 0, 0, 1);
	for (uint32_t i = 0; i < 64; i++) {
		mtl_enc_set_render_pipeline(e, 10 + (i & 1));
		mtl_enc_set_fragment_texture(e, 20 + (i & 1) * 2, 0);
		mtl_enc_set_stencil_ref(e, i);
		mtl_enc_set_scissor(e, (uint16_t)i, (uint16_t)i, 100, 100);
		mtl_enc_draw_primitives(e, MTL_PRIMITIVE_POINT, 0, 0);
	}
	mtl_enc_end_render_pass(e);
	mtl_enc_present_and_commit(e, frame);
	return !mtl_enc_overflowed(e);
}

struct stream {
	uint8_t *buf;
	size_t len;
	size_t *cut; /* submission boundaries: cut[i]..cut[i+1] */
	size_t nsub;
	uint64_t commands;
};

static int build(struct stream *s, size_t bytes, int (*frame_fn)(struct mtl_encoder *, uint32_t, const uint8_t *))
{
	static uint8_t junk[8192];
	for (size_t i = 0; i < sizeof junk; i++)
		junk[i] = (uint8_t)(i * 131u + 7u);
	s->buf = malloc(bytes);
	size_t maxsub = bytes / 64 + 2;
	s->cut = malloc(maxsub * sizeof *s->cut);
	if (!s->buf || !s->cut)
		return -1;
	struct mtl_encoder e;
	mtl_enc_init(&e, s->buf, bytes);
	s->nsub = 0;
	s->cut[s->nsub++] = 0;
	prologue(&e);
	s->cut[s->nsub++] = e.len;
	for (uint32_t f = 0;; f++) {
		size_t before = e.len;
		if (!frame_fn(&e, f, junk) || s->nsub + 1 >= maxsub) {
			e.len = before;
			break;
		}
		s->cut[s->nsub++] = e.len;
	}
	s->len = e.len;
	s->nsub--; /* number of submissions */
	struct mtl_decoder d;
	struct mtl_cmd c;
	mtl_decoder_init(&d, s->buf, s->len);
	s->commands = 0;
	while (mtl_decoder_next(&d, &c) == MTL_OK)
		s->commands++;
	return 0;
}

static uint64_t decode_all(const struct stream *s)
{
	uint64_t h = 0;
	for (size_t i = 0; i < s->nsub; i++) {
		struct mtl_decoder d;
		struct mtl_cmd c;
		mtl_decoder_init(&d, s->buf + s->cut[i], s->cut[i + 1] - s->cut[i]);
		while (mtl_decoder_next(&d, &c) != MTL_END)
			h += c.method + c.payload_size + (uint64_t)c.fields_valid;
	}
	return h;
}

static uint64_t found;
static void on_finding(void *user, const struct mtl_finding *f)
{
	(void)user;
	if (found++ < 3)
		fprintf(stderr, "bench_validate: unexpected finding [%s] at command %llu: %s\n", f->rule,
			(unsigned long long)f->command, f->message);
}

static int validate_all(const struct stream *s)
{
	struct mtl_validate_options o = { 1024, 768, 0, on_finding, NULL, NULL };
	struct mtl_validator *v = mtl_validator_create(&o);
	if (!v)
		return -1;
	for (size_t i = 0; i < s->nsub; i++)
		mtl_validator_submit(v, s->buf + s->cut[i], s->cut[i + 1] - s->cut[i], 1, i);
	mtl_validator_finish(v);
	int ok = mtl_validator_commands(v) == s->commands;
	mtl_validator_destroy(v);
	return ok ? 0 : -1;
}

static int run(const char *name, size_t bytes, int (*frame_fn)(struct mtl_encoder *, uint32_t, const uint8_t *))
{
	struct stream s;
	if (build(&s, bytes, frame_fn) < 0) {
		fprintf(stderr, "bench_validate: out of memory\n");
		return -1;
	}
	double best_dec = 1e9, best_val = 1e9;
	volatile uint64_t sink = 0;
	for (int round = 0; round < 6; round++) {
		/* alternate which goes first, so neither always meets a warm cache */
		double td = 1e9, tv = 1e9;
		for (int k = 0; k < 2; k++) {
			if ((k == 0) == (round % 2 == 0)) {
				double t0 = bench_now();
				sink += decode_all(&s);
				td = bench_now() - t0;
			} else {
				double t0 = bench_now();
				if (validate_all(&s) < 0) {
					fprintf(stderr, "bench_validate: validator failed\n");
					return -1;
				}
				tv = bench_now() - t0;
			}
		}
		if (td < best_dec)
			best_dec = td;
		if (tv < best_val)
			best_val = tv;
	}
	(void)sink;
	double mb = (double)s.len / 1e6;
	printf("%-22s %8.1f MB %9llu cmds %6zu subs | decode %8.0f MB/s %6.1f Mcmd/s | validate %8.0f MB/s %6.1f Mcmd/s "
	       "| validate/decode %.2fx\n",
	       name, mb, (unsigned long long)s.commands, s.nsub, mb / best_dec, (double)s.commands / best_dec / 1e6,
	       mb / best_val, (double)s.commands / best_val / 1e6, best_dec / best_val);
	free(s.buf);
	free(s.cut);
	return found ? -1 : 0;
}

int main(int argc, char **argv)
{
	size_t mib = 64;
	if (argc > 1) {
		char *end;
		unsigned long v = strtoul(argv[1], &end, 10);
		if (*end || v == 0 || v > 4096) {
			fprintf(stderr, "usage: bench_validate [MiB]\n");
			return 2;
		}
		mib = v;
	}
	printf("bench_validate: validation vs decode alone, best of 6 (target validate/decode >= 0.5x)\n");
	if (run("realistic UI mix", mib << 20, bench_encode_ui_frame) < 0)
		return 1;
	if (run("small commands only", (mib << 20) / 4, encode_small_frame) < 0)
		return 1;
	return 0;
}
