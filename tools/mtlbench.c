/*
 * mtlbench — replay throughput of a recording or raw stream.
 *
 * The input is read into memory once, so timing covers decoding, the
 * replay engine and the backend, not disk or zstd. Each iteration replays
 * the whole input on a fresh engine; a frame's time runs from the previous
 * present (or the iteration's start) to its PRESENT_AND_COMMIT.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "json.h"
#include "render/replay.h"
#include "replay_opts.h"
#include "stream.h"

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: mtlbench [OPTIONS] FILE\n"
		"Measure replay throughput of a .mtlrec recording or a raw command stream.\n"
		"\n"
		"  --backend soft|null   renderer (default soft; null measures decode + engine)\n"
		"  --warmup N            untimed replays first (default 1)\n"
		"  --iterations N        timed replays (default 5)\n"
		"  --threads N           render threads (0 = all cores, the default)\n"
		"  --resolution WxH      drawable size (default: the input's display)\n"
		"  --json                results as one JSON object\n"
		"  --csv                 per-frame times as CSV (iteration,frame,frame_id,ms)\n"
		"  --html REPORT.html    also write a self-contained report with a frame-time plot\n"
		"  --raw                 read FILE as a raw stream\n"
		"  --help                this text\n"
		"\n"
		"Exit status: 0 ok, 2 usage error or unreadable input.\n");
}

struct item {
	int is_config;
	uint32_t w, h;
	uint8_t *bytes;
	uint32_t len;
};

struct frame_time {
	uint32_t iteration, frame, frame_id;
	double ms;
};

struct bench {
	double t_last;
	uint32_t iteration, frame;
	int timed;
	struct frame_time *times;
	size_t n, cap;
};

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void on_present(void *user, uint32_t frame_id)
{
	struct bench *b = user;
	double t = now_s();
	if (b->timed) {
		if (b->n == b->cap) {
			size_t nc = b->cap ? b->cap * 2 : 1024;
			struct frame_time *p = realloc(b->times, nc * sizeof *p);
			if (!p) {
				fprintf(stderr, "mtlbench: out of memory\n");
				exit(2);
			}
			b->times = p;
			b->cap = nc;
		}
		b->times[b->n++] = (struct frame_time){ b->iteration, b->frame, frame_id, (t - b->t_last) * 1e3 };
	}
	b->frame++;
	b->t_last = now_s(); /* excludes this callback's own bookkeeping */
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double percentile(const double *sorted, size_t n, double p)
{
	if (!n)
		return 0;
	double rank = p / 100.0 * (double)(n - 1);
	size_t lo = (size_t)floor(rank), hi = lo + 1 < n ? lo + 1 : lo;
	return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - (double)lo);
}

static void html_escape(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '<') fputs("&lt;", f);
		else if (*s == '>') fputs("&gt;", f);
		else if (*s == '&') fputs("&amp;", f);
		else if (*s == '"') fputs("&quot;", f);
		else fputc(*s, f);
	}
}

struct summary {
	double total_s, median, p95, p99, max, fps, cps, dps, mbps;
	uint64_t frames, commands, draws, bytes, ignored;
};

static int write_html(const char *path, const char *file, const char *backend, const struct bench *b,
		      const struct summary *s, uint64_t iterations)
{
	FILE *f = fopen(path, "w");
	if (!f) {
		tool_error(path, "%s", strerror(errno));
		return -1;
	}
	const int W = 900, H = 320, L = 60, R = 20, T = 20, B = 40;
	double ymax = s->max > 0 ? s->max * 1.05 : 1;
	size_t frames_per_iter = iterations ? b->n / iterations : b->n;
	if (!frames_per_iter)
		frames_per_iter = 1;
	fprintf(f, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>mtlbench: ");
	html_escape(f, file);
	fprintf(f, "</title>\n<style>body{font-family:sans-serif;margin:2em;color:#222}"
		   "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 10px;text-align:right}"
		   "th{background:#f4f4f4}</style></head><body>\n<h1>mtlbench: ");
	html_escape(f, file);
	fprintf(f, "</h1>\n<p>backend <b>");
	html_escape(f, backend);
	fprintf(f, "</b>, %llu timed iterations, %llu frames each</p>\n", (unsigned long long)iterations,
		(unsigned long long)frames_per_iter);
	fprintf(f, "<table><tr><th>median ms</th><th>p95 ms</th><th>p99 ms</th><th>max ms</th><th>frames/s</th>"
		   "<th>commands/s</th><th>draws/s</th><th>MB/s</th></tr>\n");
	fprintf(f, "<tr><td>%.3f</td><td>%.3f</td><td>%.3f</td><td>%.3f</td><td>%.1f</td><td>%.0f</td><td>%.0f</td>"
		   "<td>%.2f</td></tr></table>\n",
		s->median, s->p95, s->p99, s->max, s->fps, s->cps, s->dps, s->mbps);
	fprintf(f, "<h2>Frame times</h2>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
		   "viewBox=\"0 0 %d %d\">\n", W, H, W, H);
	fprintf(f, "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"#fff\"/>\n", W, H);
	fprintf(f, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#000\"/>\n", L, H - B, W - R, H - B);
	fprintf(f, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#000\"/>\n", L, T, L, H - B);
	for (int i = 0; i <= 4; i++) {
		double v = ymax * i / 4;
		double y = (H - B) - (H - B - T) * (double)i / 4;
		fprintf(f, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/>", L, y, W - R, y);
		fprintf(f, "<text x=\"%d\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\">%.2f</text>\n", L - 4,
			y + 4, v);
	}
	fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"12\" text-anchor=\"middle\">frame (all timed iterations)</text>\n",
		(L + W - R) / 2, H - 8);
	fprintf(f, "<text x=\"14\" y=\"%d\" font-size=\"12\" transform=\"rotate(-90 14 %d)\" text-anchor=\"middle\">ms</text>\n",
		(T + H - B) / 2, (T + H - B) / 2);
	double med_y = (H - B) - (H - B - T) * s->median / ymax;
	fprintf(f, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#c33\" stroke-dasharray=\"4 3\"/>\n", L,
		med_y, W - R, med_y);
	fprintf(f, "<polyline fill=\"none\" stroke=\"#2a6fdb\" stroke-width=\"1\" points=\"");
	for (size_t i = 0; i < b->n; i++) {
		double x = L + (W - L - R) * (b->n > 1 ? (double)i / (double)(b->n - 1) : 0.5);
		double y = (H - B) - (H - B - T) * b->times[i].ms / ymax;
		fprintf(f, "%.1f,%.1f ", x, y);
	}
	fprintf(f, "\"/>\n</svg>\n<p>Dashed line: median. Each iteration replays the whole input on a fresh engine; "
		   "a frame's time runs from the previous present to its PRESENT_AND_COMMIT.</p>\n</body></html>\n");
	if (fclose(f)) {
		tool_error(path, "%s", strerror(errno));
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	tool_set_name("mtlbench");
	const char *html = NULL;
	uint64_t warmup = 1, iterations = 5;
	int json = 0, csv = 0;
	struct tool_replay_opts opts;
	tool_replay_opts_init(&opts);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *next = i + 1 < argc ? argv[i + 1] : NULL;
		int shared = tool_replay_opts_arg(&opts, argc, argv, &i);
		if (shared < 0)
			return TOOL_EXIT_USAGE;
		if (shared)
			continue;
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(a, "--warmup")) {
			if (!next || tool_parse_u64(next, &warmup) || warmup > 100000)
				return tool_usage_error("--warmup needs a count");
			i++;
		} else if (!strcmp(a, "--iterations")) {
			if (!next || tool_parse_u64(next, &iterations) || !iterations || iterations > 100000)
				return tool_usage_error("--iterations needs a count of 1 or more");
			i++;
		} else if (!strcmp(a, "--json")) {
			json = 1;
		} else if (!strcmp(a, "--csv")) {
			csv = 1;
		} else if (!strcmp(a, "--html")) {
			if (!next)
				return tool_usage_error("--html needs a file name");
			html = argv[++i];
		} else {
			return tool_usage_error("unknown option '%s'", a);
		}
	}
	if (tool_replay_opts_finish(&opts))
		return TOOL_EXIT_USAGE;
	if (json && csv)
		return tool_usage_error("--json and --csv exclude each other");
	const char *file = opts.file, *backend = opts.backend;
	const uint32_t res_w = opts.res_w, res_h = opts.res_h;

	/* Load everything first. */
	char err[512];
	struct mtl_stream *s = tool_stream_open(file, &opts.sopt);
	if (!s)
		return 2;
	const struct mtlrec_display display = *mtl_stream_display(s), *disp = &display;
	struct item *items = NULL;
	size_t nitems = 0, cap = 0;
	struct mtl_stream_item it;
	int r;
	while ((r = mtl_stream_next(s, &it, err, sizeof err)) != 0) {
		if (r < 0) {
			tool_error_msg(err);
			mtl_stream_close(s);
			return 2;
		}
		int cfg = it.kind == MTL_STREAM_RECORD && it.record_kind == MTLREC_CONFIG && it.len >= 8;
		if (it.kind != MTL_STREAM_SUBMISSION && !cfg)
			continue;
		if (nitems == cap) {
			cap = cap ? cap * 2 : 256;
			struct item *p = realloc(items, cap * sizeof *p);
			if (!p) {
				tool_error(file, "out of memory");
				return 2;
			}
			items = p;
		}
		struct item *x = &items[nitems++];
		memset(x, 0, sizeof *x);
		if (cfg) {
			x->is_config = 1;
			x->w = mtl_rd32(it.bytes);
			x->h = mtl_rd32(it.bytes + 4);
			continue;
		}
		x->bytes = malloc(it.len ? it.len : 1);
		if (!x->bytes) {
			tool_error(file, "out of memory");
			return 2;
		}
		memcpy(x->bytes, it.bytes, it.len);
		x->len = it.len;
	}
	mtl_stream_close(s);

	struct bench b;
	memset(&b, 0, sizeof b);
	struct replay_config cfg;
	memset(&cfg, 0, sizeof cfg);
	cfg.width = res_w ? res_w : disp->width;
	cfg.height = res_h ? res_h : disp->height;
	cfg.backend = backend;
	cfg.threads = (unsigned)opts.threads;
	cfg.on_present = on_present;
	cfg.user = &b;
	struct summary sum;
	memset(&sum, 0, sizeof sum);
	for (uint64_t iter = 0; iter < warmup + iterations; iter++) {
		struct replay_engine *eng = replay_create(&cfg, err, sizeof err);
		if (!eng) {
			tool_error(file, "%s", err);
			return 2;
		}
		b.timed = iter >= warmup;
		b.iteration = (uint32_t)(iter >= warmup ? iter - warmup : iter);
		b.frame = 0;
		double t0 = now_s();
		b.t_last = t0;
		for (size_t i = 0; i < nitems; i++) {
			if (items[i].is_config) {
				if (!res_w)
					replay_set_display(eng, items[i].w, items[i].h);
				continue;
			}
			replay_submit(eng, items[i].bytes, items[i].len);
		}
		double t1 = now_s();
		if (b.timed) {
			struct replay_stats st;
			replay_get_stats(eng, &st);
			sum.total_s += t1 - t0;
			sum.frames += st.frames;
			sum.commands += st.commands;
			sum.draws += st.draws;
			sum.bytes += st.bytes;
			sum.ignored += st.ignored;
		}
		replay_destroy(eng);
	}
	double *sorted = malloc((b.n ? b.n : 1) * sizeof *sorted);
	if (!sorted)
		return 2;
	for (size_t i = 0; i < b.n; i++)
		sorted[i] = b.times[i].ms;
	qsort(sorted, b.n, sizeof *sorted, cmp_double);
	sum.median = percentile(sorted, b.n, 50);
	sum.p95 = percentile(sorted, b.n, 95);
	sum.p99 = percentile(sorted, b.n, 99);
	sum.max = b.n ? sorted[b.n - 1] : 0;
	if (sum.total_s > 0) {
		sum.fps = sum.frames / sum.total_s;
		sum.cps = sum.commands / sum.total_s;
		sum.dps = sum.draws / sum.total_s;
		sum.mbps = sum.bytes / sum.total_s / 1e6;
	}
	if (json) {
		struct tool_json j;
		tool_json_begin(&j, stdout);
		tool_json_key_str(&j, "file", file);
		tool_json_key_str(&j, "backend", backend);
		tool_json_key_u64(&j, "warmup", warmup);
		tool_json_key_u64(&j, "iterations", iterations);
		tool_json_key_u64(&j, "frames", sum.frames);
		tool_json_key_u64(&j, "commands", sum.commands);
		tool_json_key_u64(&j, "ignored", sum.ignored);
		tool_json_key_u64(&j, "draws", sum.draws);
		tool_json_key_u64(&j, "bytes", sum.bytes);
		tool_json_key_double(&j, "seconds", sum.total_s);
		tool_json_key_double(&j, "median_ms", sum.median);
		tool_json_key_double(&j, "p95_ms", sum.p95);
		tool_json_key_double(&j, "p99_ms", sum.p99);
		tool_json_key_double(&j, "max_ms", sum.max);
		tool_json_key_double(&j, "frames_per_s", sum.fps);
		tool_json_key_double(&j, "commands_per_s", sum.cps);
		tool_json_key_double(&j, "draws_per_s", sum.dps);
		tool_json_key_double(&j, "mb_per_s", sum.mbps);
		tool_json_key(&j, "frame_ms");
		struct tool_json a;
		tool_json_begin_array(&a, stdout);
		for (size_t i = 0; i < b.n; i++) {
			tool_json_elem(&a);
			tool_json_write_double(stdout, b.times[i].ms);
		}
		tool_json_end_array(&a);
		tool_json_end(&j);
		fputc('\n', stdout);
	} else if (csv) {
		printf("iteration,frame,frame_id,ms\n");
		for (size_t i = 0; i < b.n; i++)
			printf("%u,%u,%u,%.6f\n", b.times[i].iteration, b.times[i].frame, b.times[i].frame_id,
			       b.times[i].ms);
	} else {
		printf("%s: backend %s, %llu iterations (+%llu warmup), %llu frames, %llu commands, %llu draws\n", file,
		       backend, (unsigned long long)iterations, (unsigned long long)warmup,
		       (unsigned long long)sum.frames, (unsigned long long)sum.commands, (unsigned long long)sum.draws);
		printf("frame ms: median %.3f  p95 %.3f  p99 %.3f  max %.3f\n", sum.median, sum.p95, sum.p99, sum.max);
		printf("throughput: %.1f frames/s  %.0f commands/s  %.0f draws/s  %.2f MB/s\n", sum.fps, sum.cps,
		       sum.dps, sum.mbps);
	}
	int rc = 0;
	if (html && write_html(html, file, backend, &b, &sum, iterations))
		rc = 2;
	for (size_t i = 0; i < nitems; i++)
		free(items[i].bytes);
	free(items);
	free(sorted);
	free(b.times);
	return rc;
}
