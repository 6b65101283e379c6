/*
 * mtlreplay — replay a recording (.mtlrec) or a raw command stream to
 * pixels with the software renderer, without a VM or a GPU.
 *
 *   mtlreplay bug.mtlrec --capture 12 frame.png
 *
 * Captures match PRESENT_AND_COMMIT frame_ids the way the hypervisor's
 * --capture does: --capture N takes the first present with frame_id N.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "json.h"
#include "render/replay.h"
#include "replay_opts.h"
#include "stream.h"

#define MAX_CAPTURES 256
#define MAX_SHOWN_ISSUES 10
#define MAX_JSON_ISSUES 1000

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: mtlreplay [OPTIONS] FILE\n"
		"Replay a .mtlrec recording or a raw command stream and capture frames as PNG.\n"
		"\n"
		"  --backend soft|null        renderer (default soft; null keeps state only)\n"
		"  --resolution WxH           drawable size (default: the recording's display,\n"
		"                             1024x768 for raw input)\n"
		"  --frames A-B               stop after frame B; --capture-all keeps A..B only\n"
		"  --capture N PATH           write the first present with frame_id N to PATH\n"
		"  --capture N,M,.. PREFIX    several frames to PREFIX-NNN.png (NNN = frame_id)\n"
		"  --capture-all DIR          every present to DIR/frame-NNNNNN.png (index order)\n"
		"  --loop N                   replay the whole input N times (fresh state each time;\n"
		"                             captures come from the first pass)\n"
		"  --threads N                render threads (0 = all cores, the default)\n"
		"  --strict                   stop at the first misuse instead of ignoring it\n"
		"  --raw                      read FILE as a raw stream even if it looks like .mtlrec\n"
		"  --verbose                  report every ignored command, not just the first %d\n"
		"  --quiet                    no summary\n"
		"  --json                     the summary as one JSON object on stdout (with every\n"
		"                             ignored command under \"issues\", up to 1000)\n"
		"  --help                     this text\n"
		"\n"
		"Exit status: 0 ok, 1 a requested frame never came or --strict stopped,\n"
		"2 usage error or unreadable input.\n",
		MAX_SHOWN_ISSUES);
}

struct capture {
	uint32_t frame_id;
	char *path;
	int done;
};

struct ctx {
	struct replay_engine *eng;
	const char *file;
	struct capture caps[MAX_CAPTURES];
	unsigned ncaps;
	const char *capture_all;
	uint64_t first, last;
	int first_pass;
	int failed;
	int verbose;
	int json;
	struct json_issue {
		uint64_t submission, command;
		size_t offset;
		uint16_t method;
		enum replay_reason reason;
		char *message;
	} *jissues;
	size_t njissues;
	uint64_t shown_issues;
	uint64_t presents;
};

static void on_present(void *user, uint32_t frame_id)
{
	struct ctx *c = user;
	uint64_t index = c->presents++;
	if (!c->first_pass)
		return;
	char err[512];
	for (unsigned i = 0; i < c->ncaps; i++) {
		if (c->caps[i].done || c->caps[i].frame_id != frame_id)
			continue;
		c->caps[i].done = 1;
		if (replay_capture_png(c->eng, c->caps[i].path, err, sizeof err)) {
			tool_error_msg(err);
			c->failed = 2;
		}
	}
	if (c->capture_all && index >= c->first && index <= c->last) {
		char path[4096];
		snprintf(path, sizeof path, "%s/frame-%06llu.png", c->capture_all, (unsigned long long)index);
		if (replay_capture_png(c->eng, path, err, sizeof err)) {
			tool_error_msg(err);
			c->failed = 2;
		}
	}
}

static void on_issue(void *user, const struct replay_issue *is)
{
	struct ctx *c = user;
	if (!c->first_pass)
		return;
	if (c->json) {
		if (c->njissues < MAX_JSON_ISSUES) {
			if (!c->jissues)
				c->jissues = calloc(MAX_JSON_ISSUES, sizeof *c->jissues);
			if (c->jissues)
				c->jissues[c->njissues++] = (struct json_issue){ is->submission, is->command, is->offset,
										 is->method, is->reason, strdup(is->message) };
		}
		return;
	}
	if (!c->verbose && c->shown_issues >= MAX_SHOWN_ISSUES) {
		c->shown_issues++;
		return;
	}
	c->shown_issues++;
	const char *m = mtl_method_name(is->method);
	fprintf(stderr, "%s: %s: submission %llu, command %llu (%s) at byte %zu: ignored (%s): %s\n", tool_name(),
		c->file, (unsigned long long)is->submission, (unsigned long long)is->command, m ? m : "?",
		is->offset, replay_reason_name(is->reason), is->message);
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int parse_capture_list(struct ctx *c, const char *list, const char *target)
{
	const char *p = list;
	int many = strchr(list, ',') != NULL;
	while (*p) {
		char *end;
		errno = 0;
		unsigned long v = strtoul(p, &end, 10);
		if (end == p || errno || v > UINT32_MAX || (*end && *end != ','))
			return tool_usage_error("--capture: '%s' is not a frame id or a comma-separated list", list);
		if (c->ncaps == MAX_CAPTURES)
			return tool_usage_error("--capture: more than %d frames", MAX_CAPTURES);
		struct capture *cap = &c->caps[c->ncaps++];
		cap->frame_id = (uint32_t)v;
		if (many) {
			size_t n = strlen(target) + 32;
			cap->path = malloc(n);
			if (!cap->path)
				return 2;
			snprintf(cap->path, n, "%s-%03lu.png", target, v);
		} else {
			cap->path = strdup(target);
		}
		p = *end ? end + 1 : end;
	}
	return 0;
}

int main(int argc, char **argv)
{
	tool_set_name("mtlreplay");
	static struct ctx c;
	struct replay_config cfg;
	memset(&cfg, 0, sizeof cfg);
	uint64_t loops = 1;
	int quiet = 0;
	struct tool_replay_opts opts;
	tool_replay_opts_init(&opts);
	c.first = 0;
	c.last = UINT64_MAX;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *next = i + 1 < argc ? argv[i + 1] : NULL;
		int shared = tool_replay_opts_arg(&opts, argc, argv, &i);
		if (shared < 0)
			return TOOL_EXIT_USAGE;
		if (shared)
			continue;
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(a, "--frames")) {
			if (!next || tool_parse_frame_range(next, &c.first, &c.last))
				return tool_usage_error("--frames needs A-B (also A, A- or -B)");
			i++;
		} else if (!strcmp(a, "--capture")) {
			if (i + 2 >= argc)
				return tool_usage_error("--capture needs N PATH or N,M,.. PREFIX");
			int rc = parse_capture_list(&c, argv[i + 1], argv[i + 2]);
			if (rc)
				return rc;
			i += 2;
		} else if (!strcmp(a, "--capture-all")) {
			if (!next)
				return tool_usage_error("--capture-all needs a directory");
			c.capture_all = argv[++i];
		} else if (!strcmp(a, "--loop")) {
			if (!next || tool_parse_u64(next, &loops) || loops == 0 || loops > 1000000)
				return tool_usage_error("--loop needs a count of 1 or more");
			i++;
		} else if (!strcmp(a, "--strict")) {
			cfg.strict = 1;
		} else if (!strcmp(a, "--verbose")) {
			c.verbose = 1;
		} else if (!strcmp(a, "--quiet")) {
			quiet = 1;
		} else if (!strcmp(a, "--json")) {
			c.json = 1;
		} else {
			return tool_usage_error("unknown option '%s'", a);
		}
	}
	if (tool_replay_opts_finish(&opts))
		return TOOL_EXIT_USAGE;
	const char *file = opts.file;
	const uint32_t res_w = opts.res_w, res_h = opts.res_h;
	cfg.backend = opts.backend;
	if (c.capture_all) {
		struct stat st;
		if (stat(c.capture_all, &st) && mkdir(c.capture_all, 0777)) {
			tool_error(c.capture_all, "cannot create directory: %s", strerror(errno));
			return 2;
		}
	}
	char err[512];
	struct mtl_stream *s = tool_stream_open(file, &opts.sopt);
	if (!s)
		return 2;
	const struct mtlrec_display *disp = mtl_stream_display(s);
	const struct mtlrec_info *info = mtl_stream_rec_info(s);
	if (info && info->truncated)
		tool_error(file, "recording is cut off (no usable footer): replaying the %llu bytes of whole chunks "
			   "recovered, %llu frames", (unsigned long long)info->bytes_recovered,
			   (unsigned long long)info->frames);
	c.file = file;
	cfg.width = res_w ? res_w : disp->width;
	cfg.height = res_h ? res_h : disp->height;
	cfg.refresh_hz = disp->refresh_hz;
	cfg.threads = (unsigned)opts.threads;
	cfg.on_present = on_present;
	cfg.on_issue = on_issue;
	cfg.user = &c;
	int progress = isatty(2) && !quiet && !c.json;
	uint64_t file_size = mtl_stream_file_size(s);
	double t0 = now_s(), last_draw = t0;
	int rc = 0, stopped = 0;
	struct replay_stats total;
	memset(&total, 0, sizeof total);
	for (uint64_t loop = 0; loop < loops && !rc && !stopped; loop++) {
		c.first_pass = loop == 0;
		c.presents = 0;
		c.eng = replay_create(&cfg, err, sizeof err);
		if (!c.eng) {
			tool_error(file, "%s", err);
			mtl_stream_close(s);
			return 2;
		}
		if (loop && mtl_stream_rewind(s, err, sizeof err)) {
			tool_error_msg(err);
			rc = 2;
		}
		struct mtl_stream_item it;
		int r;
		uint64_t bytes_done = 0;
		while (!rc && (r = mtl_stream_next(s, &it, err, sizeof err)) != 0) {
			if (r < 0) {
				tool_error_msg(err);
				rc = 2;
				break;
			}
			if (c.presents > c.last)
				break;
			if (it.kind == MTL_STREAM_RECORD && it.record_kind == MTLREC_CONFIG && !res_w && it.len >= 8) {
				uint32_t w = mtl_rd32(it.bytes), h = mtl_rd32(it.bytes + 4);
				if (replay_set_display(c.eng, w, h))
					tool_error(file, "record %llu: display config %ux%u ignored",
						   (unsigned long long)it.record_index, w, h);
			}
			if (it.kind != MTL_STREAM_SUBMISSION)
				continue;
			bytes_done += it.len;
			if (replay_submit(c.eng, it.bytes, it.len) == REPLAY_STOPPED) {
				tool_error(file, "--strict: %s", replay_last_error(c.eng));
				stopped = 1;
				break;
			}
			if (progress && now_s() - last_draw > 0.25 && now_s() - t0 > 1.0) {
				last_draw = now_s();
				double frac = file_size && !mtl_stream_is_recording(s) ? (double)bytes_done / file_size : -1;
				if (frac >= 0)
					fprintf(stderr, "\r[%-40.*s] %3d%%  frame %llu", (int)(frac * 40),
						"########################################", (int)(frac * 100),
						(unsigned long long)c.presents);
				else
					fprintf(stderr, "\rframe %llu", (unsigned long long)c.presents);
			}
		}
		struct replay_stats st;
		replay_get_stats(c.eng, &st);
		if (loop == 0)
			total = st;
		else {
			total.submissions += st.submissions;
			total.frames += st.frames;
			total.commands += st.commands;
			total.executed += st.executed;
			total.ignored += st.ignored;
			for (int k = 0; k < REPLAY_REASON_COUNT; k++)
				total.ignored_by[k] += st.ignored_by[k];
			total.draws += st.draws;
			total.dispatches += st.dispatches;
			total.passes += st.passes;
			total.primitives += st.primitives;
			total.bytes += st.bytes;
		}
		replay_destroy(c.eng);
		c.eng = NULL;
	}
	if (progress && now_s() - t0 > 1.0)
		fprintf(stderr, "\r%60s\r", "");
	double secs = now_s() - t0;
	mtl_stream_close(s);
	for (unsigned i = 0; i < c.ncaps; i++) {
		if (!c.caps[i].done && !rc) {
			tool_error(file, "no PRESENT_AND_COMMIT with frame_id %u; %s not written", c.caps[i].frame_id,
				   c.caps[i].path);
			rc = 1;
		}
		free(c.caps[i].path);
	}
	if (!c.verbose && c.shown_issues > MAX_SHOWN_ISSUES)
		fprintf(stderr, "%s: %s: ... %llu more ignored commands (--verbose shows all)\n", tool_name(), file,
			(unsigned long long)(c.shown_issues - MAX_SHOWN_ISSUES));
	if (c.json) {
		struct tool_json j, r, a;
		tool_json_begin(&j, stdout);
		tool_json_key_str(&j, "file", file);
		tool_json_key_str(&j, "backend", cfg.backend);
		tool_json_key_u64(&j, "width", cfg.width);
		tool_json_key_u64(&j, "height", cfg.height);
		tool_json_key_u64(&j, "loops", loops);
		tool_json_key_u64(&j, "submissions", total.submissions);
		tool_json_key_u64(&j, "bytes", total.bytes);
		tool_json_key_u64(&j, "frames", total.frames);
		tool_json_key_u64(&j, "commands", total.commands);
		tool_json_key_u64(&j, "executed", total.executed);
		tool_json_key_u64(&j, "ignored", total.ignored);
		tool_json_key(&j, "ignored_by");
		tool_json_begin(&r, stdout);
		for (int k = 0; k < REPLAY_REASON_COUNT; k++)
			tool_json_key_u64(&r, replay_reason_name(k), total.ignored_by[k]);
		tool_json_end(&r);
		tool_json_key_u64(&j, "draws", total.draws);
		tool_json_key_u64(&j, "dispatches", total.dispatches);
		tool_json_key_u64(&j, "passes", total.passes);
		tool_json_key_u64(&j, "primitives", total.primitives);
		tool_json_key_double(&j, "seconds", secs);
		tool_json_key_bool(&j, "stopped", stopped);
		tool_json_key(&j, "issues");
		tool_json_begin_array(&a, stdout);
		for (size_t k = 0; k < c.njissues; k++) {
			const struct json_issue *is = &c.jissues[k];
			struct tool_json o;
			tool_json_elem(&a);
			tool_json_begin(&o, stdout);
			tool_json_key_u64(&o, "submission", is->submission);
			tool_json_key_u64(&o, "command", is->command);
			tool_json_key_u64(&o, "offset", is->offset);
			tool_json_key_str(&o, "method", mtl_method_name(is->method));
			tool_json_key_str(&o, "reason", replay_reason_name(is->reason));
			tool_json_key_str(&o, "message", is->message);
			tool_json_end(&o);
			free(is->message);
		}
		tool_json_end_array(&a);
		tool_json_end(&j);
		fputc('\n', stdout);
		free(c.jissues);
	} else if (!quiet) {
		printf("%s: %llu frames, %llu commands (%llu ignored", file, (unsigned long long)total.frames,
		       (unsigned long long)total.commands, (unsigned long long)total.ignored);
		for (int r = 0; r < REPLAY_REASON_COUNT; r++)
			if (total.ignored_by[r])
				printf(", %s %llu", replay_reason_name(r), (unsigned long long)total.ignored_by[r]);
		printf("), %llu draws, %llu passes, %.3f s", (unsigned long long)total.draws,
		       (unsigned long long)total.passes, secs);
		if (loops > 1)
			printf(" for %llu loops", (unsigned long long)loops);
		printf(", backend %s\n", cfg.backend);
	}
	if (rc)
		return rc;
	if (c.failed)
		return c.failed;
	return stopped ? 1 : 0;
}
