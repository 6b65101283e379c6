/*
 * mtlinfo — what a recording or raw command stream holds: format version,
 * display config, frames, submissions, commands, a count per method, raw
 * and file bytes and the ratio, chunks, truncation and recovery.
 *
 *   mtlinfo [--json] [--raw] [--resolution WxH] FILE
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fields.h"
#include "stream.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: mtlinfo [--json] [--raw] [--resolution WxH] FILE\n"
		"\n"
		"Summarise a .mtlrec recording or a raw command buffer: format version,\n"
		"display, frames (PRESENT_AND_COMMITs), submissions, commands, commands\n"
		"per method, malformed commands, raw and file bytes, compression ratio,\n"
		"chunks, and whether the file was truncated (and how much was recovered).\n"
		"  --json            one JSON object\n"
		"  --raw             read FILE as a raw command buffer even if it has the magic\n"
		"  --resolution WxH  display size of raw input (default 1024x768)\n"
		"\n"
		"Exit: 0 ok, 2 usage error, unreadable or corrupt input.\n");
}

struct counts {
	uint64_t frames, submissions, commands, malformed, bytes_raw;
	uint64_t method[MTL_METHOD_COUNT];
	uint64_t unknown_method;
	uint64_t records[256];
	uint64_t queue_submissions[2];
};

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"json", no_argument, NULL, 'j'},
		{"raw", no_argument, NULL, 'R'},
		{"resolution", required_argument, NULL, 'r'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	tool_set_name("mtlinfo");
	struct mtl_stream_options sopt;
	mtl_stream_options_init(&sopt);
	int json = 0, c;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'j': json = 1; break;
		case 'R': sopt.force_raw = 1; break;
		case 'r':
			if (tool_stream_resolution_arg(&sopt, optarg) != 0)
				return TOOL_EXIT_USAGE;
			break;
		case 'h': usage(stdout); return TOOL_EXIT_OK;
		default: return tool_usage_error("unknown option");
		}
	}
	if (optind + 1 != argc)
		return tool_usage_error("expected exactly one FILE");
	const char *path = argv[optind];
	char err[512];
	struct mtl_stream *s = tool_stream_open(path, &sopt);
	if (!s)
		return TOOL_EXIT_USAGE;
	struct counts *n = calloc(1, sizeof *n);
	if (!n) {
		tool_error(path, "out of memory");
		mtl_stream_close(s);
		return TOOL_EXIT_USAGE;
	}
	struct mtl_stream_item it;
	int r, rc = TOOL_EXIT_OK;
	uint32_t last_frame = 0;
	while ((r = mtl_stream_next(s, &it, err, sizeof err)) == 1) {
		switch (it.kind) {
		case MTL_STREAM_SUBMISSION:
			n->submissions++;
			n->queue_submissions[it.queue ? 1 : 0]++;
			n->bytes_raw += it.len;
			n->records[MTLREC_SUBMISSION]++;
			break;
		case MTL_STREAM_COMMAND: {
			n->commands++;
			if (it.cmd.status < 0)
				n->malformed++;
			int whole = it.cmd.status != MTL_ERR_TRUNCATED_HEADER && it.cmd.status != MTL_ERR_PAYLOAD_PAST_END;
			if (whole) {
				int mi = mtl_method_index(it.cmd.method);
				if (mi >= 0)
					n->method[mi]++;
				else
					n->unknown_method++;
				if (it.cmd.method == MTL_CMD_PRESENT_AND_COMMIT)
					last_frame = it.frame + 1;
			}
			break;
		}
		case MTL_STREAM_RECORD:
			n->records[it.record_kind]++;
			n->bytes_raw += it.len;
			break;
		}
	}
	n->frames = last_frame;
	if (r < 0) {
		tool_error_msg(err);
		rc = TOOL_EXIT_USAGE;
	}
	const struct mtlrec_info *info = mtl_stream_rec_info(s);
	const struct mtlrec_display *d = mtl_stream_display(s);
	uint64_t bytes_file = mtl_stream_file_size(s);
	double ratio = bytes_file ? (double)n->bytes_raw / (double)bytes_file : 0.0;
	uint64_t unknown_records = 0;
	for (int k = 0; k < 256; k++) {
		if (k < MTLREC_SUBMISSION || k > MTLREC_CAPTURE)
			unknown_records += n->records[k];
	}
	if (json) {
		struct tool_json j, m, dj, rj;
		tool_json_begin(&j, stdout);
		tool_json_key_str(&j, "file", path);
		tool_json_key_str(&j, "format", info ? "mtlrec" : "raw");
		if (info) {
			tool_json_key_u64(&j, "version", info->version);
			tool_json_key_str(&j, "tool", info->tool);
		} else {
			tool_json_key_null(&j, "version");
			tool_json_key_null(&j, "tool");
		}
		tool_json_key(&j, "display");
		tool_json_begin(&dj, stdout);
		tool_json_key_u64(&dj, "width", d->width);
		tool_json_key_u64(&dj, "height", d->height);
		tool_json_key_u64(&dj, "refresh_hz", d->refresh_hz);
		tool_json_key_u64(&dj, "scale", d->scale);
		tool_json_key_u64(&dj, "has_display", d->has_display);
		tool_json_end(&dj);
		tool_json_key_u64(&j, "frames", n->frames);
		tool_json_key_u64(&j, "submissions", n->submissions);
		tool_json_key_u64(&j, "commands", n->commands);
		tool_json_key_u64(&j, "malformed_commands", n->malformed);
		tool_json_key(&j, "methods");
		tool_json_begin(&m, stdout);
		for (int i = 0; i < MTL_METHOD_COUNT; i++) {
			if (n->method[i])
				tool_json_key_u64(&m, mtl_method_name(mtl_method_at(i)), n->method[i]);
		}
		if (n->unknown_method)
			tool_json_key_u64(&m, "unknown", n->unknown_method);
		tool_json_end(&m);
		tool_json_key(&j, "records");
		tool_json_begin(&rj, stdout);
		for (int k = MTLREC_SUBMISSION; k <= MTLREC_CAPTURE; k++)
			tool_json_key_u64(&rj, mtl_stream_record_kind_name((uint8_t)k), n->records[k]);
		tool_json_key_u64(&rj, "unknown", unknown_records);
		tool_json_end(&rj);
		tool_json_key_u64(&j, "bytes_raw", n->bytes_raw);
		tool_json_key_u64(&j, "bytes_file", bytes_file);
		tool_json_key_double(&j, "ratio", ratio);
		tool_json_key_u64(&j, "chunks", info ? info->chunks : 0);
		tool_json_key_bool(&j, "truncated", info ? info->truncated : 0);
		tool_json_key_u64(&j, "bytes_recovered", info && info->truncated ? info->bytes_recovered : bytes_file);
		tool_json_key_bool(&j, "complete", r == 0);
		tool_json_end(&j);
		fputc('\n', stdout);
	} else {
		printf("file:         %s\n", path);
		if (info)
			printf("format:       .mtlrec version %u (written by %s)\n", info->version,
			       info->tool[0] ? info->tool : "?");
		else
			printf("format:       raw command buffer\n");
		printf("display:      %ux%u @ %u Hz, scale %u, %s\n", d->width, d->height, d->refresh_hz, d->scale,
		       d->has_display ? "display" : "headless");
		printf("frames:       %llu\n", (unsigned long long)n->frames);
		printf("submissions:  %llu (queue 0: %llu, queue 1: %llu)\n", (unsigned long long)n->submissions,
		       (unsigned long long)n->queue_submissions[0], (unsigned long long)n->queue_submissions[1]);
		printf("commands:     %llu (%llu malformed)\n", (unsigned long long)n->commands,
		       (unsigned long long)n->malformed);
		for (int i = 0; i < MTL_METHOD_COUNT; i++) {
			if (n->method[i])
				printf("  %-28s %llu\n", mtl_method_name(mtl_method_at(i)), (unsigned long long)n->method[i]);
		}
		if (n->unknown_method)
			printf("  %-28s %llu\n", "(unknown method)", (unsigned long long)n->unknown_method);
		printf("records:      ");
		for (int k = MTLREC_SUBMISSION; k <= MTLREC_CAPTURE; k++)
			printf("%s %llu%s", mtl_stream_record_kind_name((uint8_t)k), (unsigned long long)n->records[k],
			       k < MTLREC_CAPTURE ? ", " : "");
		if (unknown_records)
			printf(", unknown %llu", (unsigned long long)unknown_records);
		printf("\n");
		printf("bytes:        %llu raw, %llu in the file (ratio %.2f)\n", (unsigned long long)n->bytes_raw,
		       (unsigned long long)bytes_file, ratio);
		if (info) {
			printf("chunks:       %llu\n", (unsigned long long)info->chunks);
			if (info->truncated)
				printf("truncated:    yes, no usable footer: %llu of %llu bytes held whole chunks and were recovered\n",
				       (unsigned long long)info->bytes_recovered, (unsigned long long)bytes_file);
			else
				printf("truncated:    no\n");
		}
	}
	free(n);
	mtl_stream_close(s);
	return rc;
}
