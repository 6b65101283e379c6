/*
 * mtlrec — pack raw command buffers into a .mtlrec recording, and unpack a
 * recording back into the raw stream, byte for byte.
 *
 *   mtlrec pack [--resolution WxH] [--level N] IN... -o OUT.mtlrec
 *   mtlrec unpack IN.mtlrec -o OUT.bin
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "stream.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: mtlrec pack [--resolution WxH] [--level N] [--chunk BYTES] IN... -o OUT.mtlrec\n"
		"       mtlrec unpack [--raw] IN -o OUT.bin\n"
		"\n"
		"pack: read raw command buffers (commands back to back, as a guest writes\n"
		"them; a .mtlrec input is copied record by record) and write a recording.\n"
		"Methods 0x0001-0x00FF go on queue 0, the rest on queue 1; a run of\n"
		"consecutive commands on one queue is one submission, and a\n"
		"PRESENT_AND_COMMIT ends its submission and its frame. Bytes are kept\n"
		"exactly as given, malformed or not.\n"
		"  --resolution WxH  display size recorded for raw input (default 1024x768)\n"
		"  --level N         zstd level (default 3)\n"
		"  --chunk BYTES     chunk size target (default 1 MiB)\n"
		"\n"
		"unpack: write the submissions of a recording back to back: the raw\n"
		"stream, byte-identical to what was packed.\n"
		"\n"
		"Exit: 0 ok, 1 the input was truncated (what it held was written),\n"
		"2 usage error, unreadable or corrupt input, or a write error.\n");
}

static int do_pack(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"resolution", required_argument, NULL, 'r'},
		{"level", required_argument, NULL, 'l'},
		{"chunk", required_argument, NULL, 'c'},
		{"output", required_argument, NULL, 'o'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct mtl_stream_options sopt;
	mtl_stream_options_init(&sopt);
	struct mtlrec_writer_options wopt = {0};
	wopt.tool = "mtlrec " METALVISOR_VERSION;
	const char *out = NULL;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
		uint64_t v;
		switch (c) {
		case 'r':
			if (tool_stream_resolution_arg(&sopt, optarg) != 0)
				return TOOL_EXIT_USAGE;
			break;
		case 'l':
			if (tool_parse_u64(optarg, &v) != 0 || v < 1 || v > 22)
				return tool_usage_error("--level: expected 1..22, got '%s'", optarg);
			wopt.level = (int)v;
			break;
		case 'c':
			if (tool_parse_u64(optarg, &v) != 0 || v < 256 || v > (256u << 20))
				return tool_usage_error("--chunk: expected 256..268435456 bytes, got '%s'", optarg);
			wopt.chunk_target = (size_t)v;
			break;
		case 'o':
			out = optarg;
			break;
		case 'h':
			usage(stdout);
			return TOOL_EXIT_OK;
		default:
			return tool_usage_error("pack: unknown option");
		}
	}
	if (!out)
		return tool_usage_error("pack: -o OUT.mtlrec is required");
	if (optind >= argc)
		return tool_usage_error("pack: no input files");

	char err[512];
	/* open every input first, so a missing one leaves no half-written output */
	int n = argc - optind;
	struct mtl_stream **in = calloc((size_t)n, sizeof *in);
	if (!in) {
		tool_error(NULL, "out of memory");
		return TOOL_EXIT_USAGE;
	}
	int rc = TOOL_EXIT_OK;
	for (int i = 0; i < n; i++) {
		in[i] = tool_stream_open(argv[optind + i], &sopt);
		if (!in[i]) {
			rc = TOOL_EXIT_USAGE;
			goto done;
		}
	}
	/* the display: the first recording's, else the raw options' */
	struct mtlrec_display display = sopt.raw_display;
	for (int i = 0; i < n; i++) {
		if (mtl_stream_is_recording(in[i])) {
			display = *mtl_stream_display(in[i]);
			break;
		}
	}
	struct mtlrec_writer *w = mtlrec_writer_open(out, &display, &wopt, err, sizeof err);
	if (!w) {
		tool_error_msg(err);
		rc = TOOL_EXIT_USAGE;
		goto done;
	}
	/* raw input has no guest clock: timestamps advance one refresh per frame */
	uint64_t frame_ns = 1000000000ull / (display.refresh_hz ? display.refresh_hz : 60);
	uint64_t frames_before = 0;
	for (int i = 0; i < n && rc == TOOL_EXIT_OK; i++) {
		struct mtl_stream_item it;
		int r;
		uint32_t last_frame = 0;
		while ((r = mtl_stream_next(in[i], &it, err, sizeof err)) == 1) {
			uint64_t ts = mtl_stream_is_recording(in[i]) ? it.timestamp
								      : (frames_before + it.frame) * frame_ns;
			last_frame = it.frame;
			if (it.kind == MTL_STREAM_SUBMISSION) {
				last_frame = it.frame + mtlrec_count_presents(it.bytes, it.len);
				if (mtlrec_writer_add(w, it.queue, MTLREC_SUBMISSION, ts, it.bytes, it.len) != 0)
					break;
			} else if (it.kind == MTL_STREAM_RECORD) {
				if (mtlrec_writer_add(w, 0, it.record_kind, ts, it.bytes, it.len) != 0)
					break;
			}
		}
		frames_before += last_frame;
		if (r < 0) {
			tool_error_msg(err);
			rc = TOOL_EXIT_USAGE;
		} else if (mtlrec_writer_error(w)) {
			tool_error_msg(mtlrec_writer_error(w));
			rc = TOOL_EXIT_USAGE;
		} else if (mtl_stream_rec_info(in[i]) && mtl_stream_rec_info(in[i])->truncated) {
			tool_error(argv[optind + i], "truncated recording: packed the %llu bytes recovered",
				   (unsigned long long)mtl_stream_rec_info(in[i])->bytes_recovered);
		}
	}
	if (mtlrec_writer_close(w, err, sizeof err) != 0) {
		tool_error_msg(err);
		rc = TOOL_EXIT_USAGE;
	}
	if (rc != TOOL_EXIT_OK)
		unlink(out);
done:
	for (int i = 0; i < n; i++)
		mtl_stream_close(in[i]);
	free(in);
	return rc;
}

static int do_unpack(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"raw", no_argument, NULL, 'R'},
		{"output", required_argument, NULL, 'o'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct mtl_stream_options sopt;
	mtl_stream_options_init(&sopt);
	const char *out = NULL;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'R':
			sopt.force_raw = 1;
			break;
		case 'o':
			out = optarg;
			break;
		case 'h':
			usage(stdout);
			return TOOL_EXIT_OK;
		default:
			return tool_usage_error("unpack: unknown option");
		}
	}
	if (!out)
		return tool_usage_error("unpack: -o OUT.bin is required");
	if (optind + 1 != argc)
		return tool_usage_error("unpack: expected exactly one input file");
	const char *in_path = argv[optind];
	char err[512];
	struct mtl_stream *in = tool_stream_open(in_path, &sopt);
	if (!in)
		return TOOL_EXIT_USAGE;
	FILE *f = fopen(out, "wb");
	if (!f) {
		tool_error(out, "cannot create: %s", strerror(errno));
		mtl_stream_close(in);
		return TOOL_EXIT_USAGE;
	}
	int rc = TOOL_EXIT_OK, r;
	struct mtl_stream_item it;
	while ((r = mtl_stream_next(in, &it, err, sizeof err)) == 1) {
		if (it.kind == MTL_STREAM_SUBMISSION && it.len && fwrite(it.bytes, 1, it.len, f) != it.len) {
			tool_error(out, "write failed: %s", strerror(errno));
			rc = TOOL_EXIT_USAGE;
			break;
		}
	}
	if (r < 0) {
		tool_error_msg(err);
		rc = TOOL_EXIT_USAGE;
	}
	if (fclose(f) != 0 && rc == TOOL_EXIT_OK) {
		tool_error(out, "write failed: %s", strerror(errno));
		rc = TOOL_EXIT_USAGE;
	}
	const struct mtlrec_info *info = mtl_stream_rec_info(in);
	if (rc == TOOL_EXIT_OK && info && info->truncated) {
		tool_error(in_path, "truncated recording (no footer): wrote the %llu submissions held in the %llu bytes recovered",
			   (unsigned long long)info->submissions, (unsigned long long)info->bytes_recovered);
		rc = TOOL_EXIT_FINDINGS;
	}
	mtl_stream_close(in);
	return rc;
}

int main(int argc, char **argv)
{
	tool_set_name("mtlrec");
	if (argc < 2)
		return tool_usage_error("missing command (pack or unpack)");
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return TOOL_EXIT_OK;
	}
	if (!strcmp(argv[1], "pack"))
		return do_pack(argc - 1, argv + 1);
	if (!strcmp(argv[1], "unpack"))
		return do_unpack(argc - 1, argv + 1);
	return tool_usage_error("unknown command '%s' (expected pack or unpack)", argv[1]);
}
