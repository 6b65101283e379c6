/*
 * bench/bench_rec.c — the .mtlrec container against zstd itself, in one run.
 *
 *  1. A 64 MiB stream of 480 near-identical UI frames (rects and text glyph
 *     quads, ~136 KiB a frame, a few bytes change per frame): ratio of
 *     whole-file zstd, per-frame zstd, .mtlrec (key + prefix chunks) and
 *     .mtlrec with every chunk independent; write and read throughput of
 *     .mtlrec against calling zstd directly at the same level and against
 *     the zstd command line.
 *  2. Compression ratio on the corpus .bin files (.mtlrec vs zstd on each whole file).
 *  3. Seek: time to the first record of frame N in a recording of >= 1 GiB
 *     (raw and on disk: texture uploads of noise keep it large), written to
 *     build/ and deleted afterwards.
 *
 *   bench_rec [WORKDIR]     (default: build; needs ~1.1 GiB free there)
 *
 * Prints ratios against the baselines; docs/BENCHMARKS.md has the results.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <zstd.h>

#include "mtlproto/encode.h"
#include "mtlproto/rec.h"

#include "bench_common.h"

static uint64_t file_size(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? (uint64_t)st.st_size : 0;
}

static void die(const char *what)
{
	fprintf(stderr, "bench_rec: %s\n", what);
	exit(1);
}

/* ---- the UI stream ------------------------------------------------------ */

struct frames {
	uint8_t *buf;
	size_t len;
	size_t *start; /* frame i is buf[start[i] .. start[i+1]) */
	int n;
	size_t setup_len; /* queue-0 prefix before frame 0 */
};

static void quad(float *v, float x0, float y0, float x1, float y1, float u0, float v0, float u1, float v1,
		 const float rgba[4])
{
	const float xs[6] = {x0, x1, x0, x1, x1, x0}, ys[6] = {y0, y0, y1, y0, y1, y1};
	const float us[6] = {u0, u1, u0, u1, u1, u0}, vs[6] = {v0, v0, v1, v0, v1, v1};
	for (int i = 0; i < 6; i++) {
		float *p = v + i * 8;
		p[0] = xs[i]; p[1] = ys[i]; p[2] = us[i]; p[3] = vs[i];
		memcpy(p + 4, rgba, 4 * sizeof(float));
	}
}

/* One UI frame: a panel of widgets (rects) and lines of text (glyph quads);
 * only the clock digits, a progress bar's width and the cursor move. */
static void ui_frame(struct mtl_encoder *e, int f)
{
	static const float palette[6][4] = {
		{0.12f, 0.13f, 0.15f, 1}, {0.20f, 0.22f, 0.25f, 1}, {0.26f, 0.52f, 0.96f, 1},
		{0.90f, 0.91f, 0.93f, 1}, {0.96f, 0.35f, 0.30f, 0.9f}, {0.30f, 0.75f, 0.40f, 1},
	};
	static const char text[] = "The quick brown fox jumps over the lazy dog. Settings  Display  Network  "
				   "Sound  Keyboard  Battery 87%  Wi-Fi connected  Bluetooth on  12:34:56";
	float v[48];
	mtl_enc_begin_render_pass(e, MTL_DRAWABLE_HANDLE, 0, 0, 2, 1, 0, 0, 0.1f, 0.1f, 0.12f, 1);
	mtl_enc_set_render_pipeline(e, 1);
	for (int w = 0; w < 290; w++) {
		int col = w % 10, row = w / 10;
		float x0 = -0.95f + (float)col * 0.19f, y0 = -0.95f + (float)row * 0.065f;
		float x1 = x0 + 0.17f, y1 = y0 + 0.05f;
		if (w == 7) /* a progress bar */
			x1 = x0 + 0.001f * (float)(f % 170);
		quad(v, x0, y0, x1, y1, 0, 0, 1, 1, palette[(w * 7 + row) % 6]);
		mtl_enc_set_vertex_bytes(e, 0, v, sizeof v);
		mtl_enc_draw_primitives(e, 0, 0, 6);
	}
	mtl_enc_set_render_pipeline(e, 2);
	mtl_enc_set_fragment_texture(e, 30, 0);
	mtl_enc_set_fragment_sampler(e, 31, 0);
	for (int g = 0; g < 300; g++) {
		int line = g / 50, pos = g % 50;
		char ch = text[(g * 3 + line) % (sizeof text - 1)];
		if (line == 5 && pos >= 44) /* the clock: seconds tick */
			ch = (char)('0' + (f / (pos == 49 ? 1 : 10) + pos) % 10);
		float x0 = -0.9f + (float)pos * 0.035f, y0 = 0.5f + (float)line * 0.07f;
		float u0 = (float)(ch % 16) / 16.0f, v0 = (float)(ch / 16) / 8.0f;
		quad(v, x0, y0, x0 + 0.03f, y0 + 0.06f, u0, v0, u0 + 0.0625f, v0 + 0.125f, palette[3]);
		mtl_enc_set_vertex_bytes(e, 0, v, sizeof v);
		mtl_enc_draw_primitives(e, 0, 0, 6);
	}
	mtl_enc_end_render_pass(e);
	mtl_enc_set_cursor_position(e, 100.0f + (float)(f % 50), 200.0f);
	mtl_enc_present_and_commit(e, (uint32_t)f);
}

static struct frames make_ui_stream(int nframes)
{
	struct frames fr = {0};
	size_t cap = (size_t)nframes * 150 * 1024 + 65536;
	fr.buf = malloc(cap);
	fr.start = malloc(sizeof(size_t) * ((size_t)nframes + 1));
	if (!fr.buf || !fr.start)
		die("out of memory");
	struct mtl_encoder e;
	mtl_enc_init(&e, fr.buf, cap);
	mtl_enc_create_texture(&e, 30, 512, 256, 3, 0, 1, 1);
	mtl_enc_create_sampler(&e, 31, 1, 1, 0, 0);
	fr.setup_len = e.len;
	for (int f = 0; f < nframes; f++) {
		fr.start[f] = e.len;
		ui_frame(&e, f);
	}
	fr.start[nframes] = e.len;
	if (mtl_enc_overflowed(&e))
		die("stream buffer too small");
	fr.len = e.len;
	fr.n = nframes;
	return fr;
}

/* ---- helpers ---------------------------------------------------------------- */

static double write_rec(const char *path, const struct frames *fr, int level, uint64_t key_interval)
{
	char err[256];
	struct mtlrec_display d = {1024, 768, 60, 1, 1};
	struct mtlrec_writer_options opt = {0};
	opt.level = level;
	opt.key_interval = key_interval;
	opt.tool = "bench_rec";
	double t0 = bench_now();
	struct mtlrec_writer *w = mtlrec_writer_open(path, &d, &opt, err, sizeof err);
	if (!w)
		die(err);
	if (mtlrec_writer_add(w, 0, MTLREC_SUBMISSION, 0, fr->buf, (uint32_t)fr->setup_len) != 0)
		die("add");
	for (int f = 0; f < fr->n; f++) {
		if (mtlrec_writer_add(w, 1, MTLREC_SUBMISSION, (uint64_t)f * 16666667u, fr->buf + fr->start[f],
				      (uint32_t)(fr->start[f + 1] - fr->start[f])) != 0)
			die(mtlrec_writer_error(w));
	}
	if (mtlrec_writer_close(w, err, sizeof err) != 0)
		die(err);
	return bench_now() - t0;
}

/* Read every record; returns seconds, checks the byte count. */
static double read_rec(const char *path, uint64_t want_bytes)
{
	char err[256];
	double t0 = bench_now();
	struct mtlrec_reader *r = mtlrec_reader_open(path, err, sizeof err);
	if (!r)
		die(err);
	struct mtlrec_record rec;
	uint64_t got = 0;
	int rc;
	while ((rc = mtlrec_reader_next(r, &rec, err, sizeof err)) == 1)
		got += rec.len;
	if (rc < 0)
		die(err);
	mtlrec_reader_close(r);
	double t = bench_now() - t0;
	if (got != want_bytes)
		die("read back a different number of bytes");
	return t;
}

static int write_file(const char *path, const void *b, size_t len)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return -1;
	size_t n = fwrite(b, 1, len, f);
	return fclose(f) == 0 && n == len ? 0 : -1;
}

/* Run a shell command, return seconds (or -1 when it failed). */
static double timed_system(const char *cmd)
{
	double t0 = bench_now();
	int rc = system(cmd);
	double t = bench_now() - t0;
	return rc == 0 ? t : -1.0;
}

/* ---- 1. the UI stream --------------------------------------------------- */

static void bench_ui(const char *dir)
{
	const int level = 3;
	struct frames fr = make_ui_stream(480);
	double mib = (double)fr.len / (1 << 20);
	printf("== 480 near-identical UI frames: %.1f MiB raw, %.1f KiB per frame, level %d\n", mib,
	       (double)(fr.len - fr.setup_len) / fr.n / 1024, level);

	/* whole-file zstd, one call */
	size_t bound = ZSTD_compressBound(fr.len);
	uint8_t *dst = malloc(bound);
	uint8_t *back = malloc(fr.len);
	if (!dst || !back)
		die("out of memory");
	ZSTD_CCtx *cctx = ZSTD_createCCtx();
	double t0 = bench_now();
	size_t whole = ZSTD_compressCCtx(cctx, dst, bound, fr.buf, fr.len, level);
	double t_zc = bench_now() - t0;
	if (ZSTD_isError(whole))
		die("zstd");
	t0 = bench_now();
	size_t dn = ZSTD_decompress(back, fr.len, dst, whole);
	double t_zd = bench_now() - t0;
	if (ZSTD_isError(dn) || dn != fr.len || memcmp(back, fr.buf, fr.len) != 0)
		die("zstd round trip");

	/* each frame on its own */
	size_t per_frame = 0;
	for (int f = 0; f < fr.n; f++) {
		size_t n = ZSTD_compressCCtx(cctx, dst, bound, fr.buf + fr.start[f], fr.start[f + 1] - fr.start[f], level);
		if (ZSTD_isError(n))
			die("zstd");
		per_frame += n;
	}

	char path[512], raw[512], cmd[1600];
	snprintf(path, sizeof path, "%s/bench_rec_ui.mtlrec", dir);
	snprintf(raw, sizeof raw, "%s/bench_rec_ui.bin", dir);
	double best_w = 1e9, best_r = 1e9;
	for (int i = 0; i < 3; i++) {
		double tw = write_rec(path, &fr, level, 0);
		double tr = read_rec(path, fr.len);
		if (tw < best_w) best_w = tw;
		if (tr < best_r) best_r = tr;
	}
	uint64_t ours = file_size(path);
	char indep[512];
	snprintf(indep, sizeof indep, "%s/bench_rec_ui_indep.mtlrec", dir);
	write_rec(indep, &fr, level, 1);
	uint64_t ours_indep = file_size(indep);

	/* the zstd command line on the same bytes */
	double t_cli_c = -1, t_cli_d = -1;
	uint64_t cli = 0;
	if (write_file(raw, fr.buf, fr.len) == 0) {
		snprintf(cmd, sizeof cmd, "zstd -q -f -%d '%s' -o '%s.zst' 2>/dev/null", level, raw, raw);
		t_cli_c = timed_system(cmd);
		snprintf(cmd, sizeof cmd, "%s.zst", raw);
		cli = file_size(cmd);
		snprintf(cmd, sizeof cmd, "zstd -q -d -c '%s.zst' > /dev/null 2>/dev/null", raw);
		t_cli_d = timed_system(cmd);
		snprintf(cmd, sizeof cmd, "%s.zst", raw);
		unlink(cmd);
		unlink(raw);
	}

	printf("ratio  whole-file zstd -%d (library)      %8.1fx  (%zu bytes)\n", level, (double)fr.len / whole, whole);
	if (cli)
		printf("ratio  whole-file zstd -%d (command line) %8.1fx  (%llu bytes)\n", level, (double)fr.len / cli,
		       (unsigned long long)cli);
	printf("ratio  each frame on its own              %8.1fx  (%zu bytes)\n", (double)fr.len / per_frame, per_frame);
	printf("ratio  .mtlrec, key + prefix chunks        %8.1fx  (%llu bytes) = whole-file / %.2f\n",
	       (double)fr.len / ours, (unsigned long long)ours, (double)ours / whole);
	printf("ratio  .mtlrec, every chunk independent    %8.1fx  (%llu bytes)\n", (double)fr.len / ours_indep,
	       (unsigned long long)ours_indep);
	printf("write  .mtlrec %7.0f MB/s   zstd library %7.0f MB/s   ours/library %.2f", fr.len / best_w / 1e6,
	       fr.len / t_zc / 1e6, t_zc / best_w);
	if (t_cli_c > 0)
		printf("   zstd CLI %7.0f MB/s   ours/CLI %.2f", fr.len / t_cli_c / 1e6, t_cli_c / best_w);
	printf("\n");
	printf("read   .mtlrec %7.0f MB/s   zstd library %7.0f MB/s   ours/library %.2f", fr.len / best_r / 1e6,
	       fr.len / t_zd / 1e6, t_zd / best_r);
	if (t_cli_d > 0)
		printf("   zstd CLI %7.0f MB/s   ours/CLI %.2f", fr.len / t_cli_d / 1e6, t_cli_d / best_r);
	printf("\n");
	unlink(path);
	unlink(indep);
	ZSTD_freeCCtx(cctx);
	free(dst);
	free(back);
	free(fr.buf);
	free(fr.start);
}

/* ---- 2. the corpus -------------------------------------------------------- */

static void bench_corpus(const char *dir)
{
	DIR *dp = opendir("corpus");
	if (!dp) {
		printf("== corpus: no corpus/ directory (run from the top of the tree)\n");
		return;
	}
	printf("== corpus (raw bytes -> .mtlrec file vs zstd -3 of the whole file)\n");
	struct dirent *de;
	uint64_t tot_raw = 0, tot_rec = 0, tot_z = 0;
	char path[512];
	snprintf(path, sizeof path, "%s/bench_rec_corpus.mtlrec", dir);
	while ((de = readdir(dp))) {
		size_t nl = strlen(de->d_name);
		if (nl < 5 || strcmp(de->d_name + nl - 4, ".bin") != 0)
			continue;
		char in[512];
		snprintf(in, sizeof in, "corpus/%s", de->d_name);
		FILE *f = fopen(in, "rb");
		if (!f)
			continue;
		uint64_t sz = file_size(in);
		uint8_t *b = malloc(sz ? sz : 1);
		if (!b || fread(b, 1, sz, f) != sz) {
			fclose(f);
			free(b);
			continue;
		}
		fclose(f);
		/* one submission per frame, as `mtlrec pack` splits (roughly:
		 * this bench cuts at presents only) */
		struct frames fr = {b, sz, NULL, 0, 0};
		size_t cap = 16, pos = 0;
		fr.start = malloc(cap * sizeof *fr.start);
		fr.start[fr.n] = 0;
		while (pos + 8 <= sz) {
			uint32_t ps = mtl_rd32(b + pos + 4);
			if ((uint64_t)pos + 8 + ps > sz)
				break;
			pos += 8 + ps;
			if (mtl_rd16(b + pos - 8 - ps) == MTL_CMD_PRESENT_AND_COMMIT || pos + 8 > sz) {
				if ((size_t)fr.n + 2 >= cap) {
					cap *= 2;
					fr.start = realloc(fr.start, cap * sizeof *fr.start);
				}
				fr.start[++fr.n] = pos;
			}
		}
		fr.start[fr.n] = sz; /* the tail goes with the last frame */
		if (fr.n == 0) {
			fr.n = 1;
			fr.start[1] = sz;
		}
		write_rec(path, &fr, 3, 0);
		uint64_t rec = file_size(path);
		size_t bound = ZSTD_compressBound(sz);
		uint8_t *dst = malloc(bound);
		size_t z = ZSTD_compress(dst, bound, b, sz, 3);
		printf("  %-22s %9llu -> .mtlrec %8llu (%6.1fx)   zstd -3 %8zu (%6.1fx)\n", de->d_name,
		       (unsigned long long)sz, (unsigned long long)rec, (double)sz / rec, z, (double)sz / z);
		tot_raw += sz;
		tot_rec += rec;
		tot_z += z;
		free(dst);
		free(fr.start);
		free(b);
	}
	closedir(dp);
	unlink(path);
	if (tot_raw)
		printf("  %-22s %9llu -> .mtlrec %8llu (%6.1fx)   zstd -3 %8llu (%6.1fx)\n", "total",
		       (unsigned long long)tot_raw, (unsigned long long)tot_rec, (double)tot_raw / tot_rec,
		       (unsigned long long)tot_z, (double)tot_raw / tot_z);
}

/* ---- 3. seek in a >= 1 GiB recording --------------------------------------- */

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static void bench_seek(const char *dir)
{
	char path[512], err[256];
	snprintf(path, sizeof path, "%s/bench_rec_seek.mtlrec", dir);
	const uint64_t target = 1ull << 30;
	enum { PIX = 256 * 256 * 4 };
	/* a frame: a 256x256 texture upload of noise (256 KiB, incompressible,
	 * so the file itself passes 1 GiB) and a UI frame */
	size_t cap = 512 * 1024;
	uint8_t *buf = malloc(cap), *pix = malloc(PIX);
	if (!buf || !pix)
		die("out of memory");
	struct mtlrec_writer_options opt = {0};
	opt.tool = "bench_rec";
	struct mtlrec_display d = {1024, 768, 60, 1, 1};
	double t0 = bench_now();
	struct mtlrec_writer *w = mtlrec_writer_open(path, &d, &opt, err, sizeof err);
	if (!w)
		die(err);
	uint64_t raw = 0, noise = 0;
	int frames = 0;
	while (noise < target + (target >> 4)) {
		struct mtl_encoder e;
		mtl_enc_init(&e, buf, cap);
		for (size_t i = 0; i < PIX; i += 8) {
			uint64_t x = rng();
			memcpy(pix + i, &x, 8);
		}
		mtl_enc_upload_texture(&e, 30, 0, 0, 256, 256, 1024, pix, PIX);
		noise += PIX;
		if (mtlrec_writer_add(w, 0, MTLREC_SUBMISSION, 0, buf, (uint32_t)e.len) != 0)
			die(mtlrec_writer_error(w));
		raw += e.len;
		mtl_enc_init(&e, buf, cap);
		ui_frame(&e, frames);
		if (mtlrec_writer_add(w, 1, MTLREC_SUBMISSION, (uint64_t)frames * 16666667u, buf, (uint32_t)e.len) != 0)
			die(mtlrec_writer_error(w));
		raw += e.len;
		frames++;
	}
	if (mtlrec_writer_close(w, err, sizeof err) != 0)
		die(err);
	double t_write = bench_now() - t0;
	uint64_t fsize = file_size(path);
	printf("== seek: %.2f GiB raw, %.2f GiB file, %d frames (written in %.1f s)\n", raw / 1073741824.0,
	       fsize / 1073741824.0, frames, t_write);

	t0 = bench_now();
	struct mtlrec_reader *r = mtlrec_reader_open(path, err, sizeof err);
	if (!r)
		die(err);
	double t_open = bench_now() - t0;
	enum { N = 200 };
	double t[N];
	struct mtlrec_record rec;
	for (int i = 0; i < N; i++) {
		uint64_t f = rng() % (uint64_t)frames;
		double s0 = bench_now();
		if (mtlrec_reader_seek_frame(r, f, err, sizeof err) != 0 || mtlrec_reader_next(r, &rec, err, sizeof err) != 1)
			die(err);
		t[i] = bench_now() - s0;
		if (rec.frame != f && !(rec.frame < f))
			die("seek landed on the wrong frame");
	}
	qsort(t, N, sizeof t[0], cmp_double);
	/* baseline: reading the same file from the start to the middle frame */
	t0 = bench_now();
	if (mtlrec_reader_rewind(r, err, sizeof err) != 0)
		die(err);
	uint64_t half = 0;
	while (mtlrec_reader_next(r, &rec, err, sizeof err) == 1 && rec.frame < (uint32_t)(frames / 2))
		half++;
	double t_scan = bench_now() - t0;
	mtlrec_reader_close(r);
	printf("seek   open %.2f ms; seek+first record over %d random frames: median %.2f ms, p90 %.2f ms, max %.2f ms\n",
	       t_open * 1e3, N, t[N / 2] * 1e3, t[N * 9 / 10] * 1e3, t[N - 1] * 1e3);
	printf("seek   baseline: reading from the start to frame %d takes %.0f ms (%.0fx the median seek)\n",
	       frames / 2, t_scan * 1e3, t_scan / t[N / 2]);
	unlink(path);
	free(buf);
	free(pix);
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "build";
	mkdir(dir, 0755);
	bench_ui(dir);
	bench_corpus(dir);
	bench_seek(dir);
	return 0;
}
