/*
 * mtldump — one line per command of a recording or raw command stream:
 * frame, command index, queue, byte offset, method and every decoded field.
 *
 *   mtldump [--json] [--frames A-B] [--hex] [--raw] [--resolution WxH] FILE
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
		"usage: mtldump [--json] [--frames A-B] [--hex] [--raw] [--resolution WxH] FILE\n"
		"\n"
		"Print every command of a .mtlrec recording or a raw command buffer, one\n"
		"per line: frame (presents before it), command index over the whole\n"
		"stream, queue, byte offset (raw: in the file; .mtlrec: within its\n"
		"submission), size, method and every decoded field by name. Malformed\n"
		"commands are shown with their error. In text mode, non-command records\n"
		"of a recording (config, vsync, input, capture) are shown as '#' lines.\n"
		"  --json            one JSON object per command per line: frame, index,\n"
		"                    queue, offset, size, submission, method, the fields;\n"
		"                    and status/error/error_offset for a malformed one\n"
		"  --frames A-B      only frames A..B (also A, A-, -B); seeks via the index\n"
		"  --hex             the command's bytes in hex (text: next line; JSON: \"hex\")\n"
		"  --raw             read FILE as a raw command buffer even if it has the magic\n"
		"  --resolution WxH  display size of raw input (default 1024x768)\n"
		"\n"
		"Exit: 0 ok, 2 usage error, unreadable or corrupt input.\n");
}

static void json_field(void *ctx, const struct tool_field *f)
{
	struct tool_json *j = ctx;
	switch (f->type) {
	case TOOL_FIELD_UINT:
	case TOOL_FIELD_HANDLE:
		tool_json_key_u64(j, f->name, f->u);
		break;
	case TOOL_FIELD_INT:
		tool_json_key_i64(j, f->name, f->i);
		break;
	case TOOL_FIELD_FLOAT:
		tool_json_key_double(j, f->name, f->f);
		break;
	case TOOL_FIELD_ENUM:
		/* Metal's name when the value is in range, else the number */
		if (f->str)
			tool_json_key_str(j, f->name, f->str);
		else
			tool_json_key_u64(j, f->name, f->u);
		break;
	case TOOL_FIELD_TEXT:
		tool_json_key_bytes_str(j, f->name, f->bytes, f->len);
		break;
	case TOOL_FIELD_BYTES:
		/* inline data as hex; its length is the len field or data_len */
		tool_json_key(j, f->name);
		fputc('"', j->f);
		tool_write_hex(j->f, f->bytes, f->len);
		fputc('"', j->f);
		break;
	}
}

static void text_field(void *ctx, const struct tool_field *f)
{
	tool_field_print_text(stdout, f, 48);
}

static void print_json(const struct mtl_stream_item *it, int hex)
{
	struct tool_json j;
	char label[8];
	int header = it->cmd.status != MTL_ERR_TRUNCATED_HEADER;
	tool_json_begin(&j, stdout);
	tool_json_key_u64(&j, "frame", it->frame);
	tool_json_key_u64(&j, "index", it->index);
	tool_json_key_u64(&j, "queue", it->queue);
	tool_json_key_u64(&j, "offset", it->offset);
	tool_json_key_u64(&j, "size", it->cmd_size);
	tool_json_key_u64(&j, "submission", it->submission);
	if (header)
		tool_json_key_str(&j, "method", tool_method_label(it->cmd.method, label));
	else
		tool_json_key_null(&j, "method");
	if (it->cmd.status < 0) {
		tool_json_key_str(&j, "status", mtl_status_name(it->cmd.status));
		tool_json_key_str(&j, "error", mtl_status_message(it->cmd.status));
		tool_json_key_u64(&j, "error_offset", it->offset - it->cmd.offset + it->cmd.error_offset);
		if (header) {
			tool_json_key_u64(&j, "flags", it->cmd.flags);
			tool_json_key_u64(&j, "payload_size", it->cmd.payload_size);
		}
	}
	tool_cmd_fields(&it->cmd, json_field, &j);
	if (hex) {
		tool_json_key(&j, "hex");
		fputc('"', stdout);
		tool_write_hex(stdout, it->bytes, it->len);
		fputc('"', stdout);
	}
	tool_json_end(&j);
	fputc('\n', stdout);
}

static void print_text(const struct mtl_stream_item *it, int hex)
{
	char label[8];
	int header = it->cmd.status != MTL_ERR_TRUNCATED_HEADER;
	printf("frame=%u index=%llu queue=%u offset=%llu size=%u %s", it->frame, (unsigned long long)it->index,
	       it->queue, (unsigned long long)it->offset, it->cmd_size,
	       header ? tool_method_label(it->cmd.method, label) : "(truncated)");
	tool_cmd_fields(&it->cmd, text_field, NULL);
	if (it->cmd.status < 0) {
		printf(" ERROR %s at offset %llu: %s", mtl_status_name(it->cmd.status),
		       (unsigned long long)(it->offset - it->cmd.offset + it->cmd.error_offset),
		       mtl_status_message(it->cmd.status));
		if (header)
			printf(" (flags=%u payload_size=%u)", it->cmd.flags, it->cmd.payload_size);
	}
	fputc('\n', stdout);
	if (hex) {
		for (uint32_t i = 0; i < it->len; i += 32) {
			fputs("    ", stdout);
			tool_write_hex(stdout, it->bytes + i, it->len - i < 32 ? it->len - i : 32);
			fputc('\n', stdout);
		}
	}
}

static void print_record_text(const struct mtl_stream_item *it)
{
	printf("# frame=%u record=%llu %s t=%llu len=%u", it->frame, (unsigned long long)it->record_index,
	       mtl_stream_record_kind_name(it->record_kind), (unsigned long long)it->timestamp, it->len);
	if (it->record_kind == MTLREC_CONFIG && it->len >= 20) {
		printf(" %ux%u @%u Hz scale %u display %u", mtl_rd32(it->bytes), mtl_rd32(it->bytes + 4),
		       mtl_rd32(it->bytes + 8), mtl_rd32(it->bytes + 12), mtl_rd32(it->bytes + 16));
	} else if (it->record_kind == MTLREC_CAPTURE && it->len >= 4) {
		printf(" frame_id=%u", mtl_rd32(it->bytes));
	} else if (it->len) {
		fputc(' ', stdout);
		tool_write_hex(stdout, it->bytes, it->len < 64 ? it->len : 64);
	}
	fputc('\n', stdout);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"json", no_argument, NULL, 'j'},
		{"frames", required_argument, NULL, 'f'},
		{"hex", no_argument, NULL, 'x'},
		{"raw", no_argument, NULL, 'R'},
		{"resolution", required_argument, NULL, 'r'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	tool_set_name("mtldump");
	struct mtl_stream_options sopt;
	mtl_stream_options_init(&sopt);
	int json = 0, hex = 0, c;
	uint64_t first = 0, last = UINT64_MAX;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'j': json = 1; break;
		case 'x': hex = 1; break;
		case 'R': sopt.force_raw = 1; break;
		case 'f':
			if (tool_parse_frame_range(optarg, &first, &last) != 0)
				return tool_usage_error("--frames: expected A-B, A, A- or -B, got '%s'", optarg);
			break;
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
	int rc = TOOL_EXIT_OK;
	const struct mtlrec_info *info = mtl_stream_rec_info(s);
	if (info && info->truncated)
		tool_error(path, "truncated recording (no usable footer): showing the %llu of %llu bytes that hold whole chunks",
			   (unsigned long long)info->bytes_recovered, (unsigned long long)info->bytes_file);
	if (first > 0 && mtl_stream_seek_frame(s, first, err, sizeof err) != 0) {
		/* a range past the end is empty, not an error */
		int empty = strstr(err, "no frame") != NULL;
		if (!empty)
			tool_error_msg(err);
		mtl_stream_close(s);
		return empty ? TOOL_EXIT_OK : TOOL_EXIT_USAGE;
	}
	struct mtl_stream_item it;
	int r;
	while ((r = mtl_stream_next(s, &it, err, sizeof err)) == 1) {
		if (it.frame > last)
			break;
		if (it.frame < first)
			continue;
		if (it.kind == MTL_STREAM_COMMAND) {
			if (json)
				print_json(&it, hex);
			else
				print_text(&it, hex);
		} else if (it.kind == MTL_STREAM_RECORD && !json) {
			print_record_text(&it);
		}
	}
	if (r < 0) {
		fflush(stdout);
		tool_error_msg(err);
		rc = TOOL_EXIT_USAGE;
	}
	if (fflush(stdout) != 0)
		rc = TOOL_EXIT_USAGE;
	mtl_stream_close(s);
	return rc;
}
