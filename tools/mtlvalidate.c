/*
 * mtlvalidate — find every protocol misuse in a recording or raw command
 * stream, with its rule ID and location, like a compiler's diagnostics.
 *
 *   mtlvalidate [--json] [--resolution WxH] [--max-errors N] [--disable RULE,..]
 *               [--werror] [--raw] [--no-msl] [--list-rules] FILE...
 *
 * A thin program over the validator library (mtlproto/validate.h): each FILE
 * is read through the shared input layer (tools/common/stream.h) and its
 * submissions are fed to a fresh validator one by one, exactly as the
 * hypervisor feeds a live guest's. MSL sources are checked through the
 * validator's shader inspector hook with the MSL front end's inspector
 * (msl/inspector.h), the same one metalvisor --validate uses.
 * docs/VALIDATION.md explains every rule.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msl/inspector.h"
#include "mtlproto/validate.h"
#include "stream.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: mtlvalidate [--json] [--resolution WxH] [--max-errors N] [--disable RULE,..]\n"
		"                   [--werror] [--raw] [--no-msl] [--list-rules] FILE...\n"
		"\n"
		"Check .mtlrec recordings or raw command streams for protocol misuse: every\n"
		"finding names its rule, its severity and where it happened:\n"
		"  FILE: frame F, command N (METHOD) at 0xOFFSET: error [rule-id]: message\n"
		"The command index N counts from 0 over the whole stream; OFFSET is the byte\n"
		"offset of the command's header (raw: in the file; .mtlrec: within its\n"
		"submission, which is named). A summary line per FILE follows.\n"
		"  --json            one object: {\"findings\":[{\"rule\",\"severity\",\"frame\",\n"
		"                    \"command\",\"offset\",\"method\",\"message\"}],\"errors\":N,\n"
		"                    \"warnings\":N} (+\"submission\" for .mtlrec input, +\"file\"\n"
		"                    when more than one FILE is given)\n"
		"  --resolution WxH  drawable size of raw input (default 1024x768; a\n"
		"                    recording carries its own)\n"
		"  --max-errors N    stop reporting after N errors per FILE\n"
		"  --disable R,..    turn rules off: exact IDs, or an area prefix like 'texture.'\n"
		"  --werror          warnings count as errors for the exit status\n"
		"  --raw             read FILE as a raw stream even if it has the .mtlrec magic\n"
		"  --no-msl          do not compile COMPILE_LIBRARY sources: skips the shader.*\n"
		"                    rules (compile errors, missing functions, stages, bindings)\n"
		"                    and data.bytes-too-small (buffer sizes come from the MSL)\n"
		"  --list-rules      print every rule (ID, severity, summary) and exit\n"
		"\n"
		"Exit: 0 no error, 1 errors found (or warnings with --werror), 2 usage error\n"
		"or unreadable input.\n");
}

struct run {
	const char *file;
	int json;
	int multi;         /* more than one FILE: name it in JSON findings */
	int recording;
	uint64_t base;     /* raw input: file offset of the current submission */
	uint64_t file_size;
	struct tool_json *findings; /* the JSON array being written */
	uint64_t errors, warnings;  /* over every FILE */
};

static void on_finding(void *user, const struct mtl_finding *f)
{
	struct run *r = user;
	/* an end-of-stream finding is after the last command: for raw input
	 * that is the end of the file */
	uint64_t offset = r->recording ? f->offset : r->base + f->offset;
	if (!f->has_command && !r->recording)
		offset = r->file_size;
	if (f->severity == MTL_SEV_ERROR)
		r->errors++;
	else
		r->warnings++;
	if (r->json) {
		struct tool_json j;
		tool_json_elem(r->findings);
		tool_json_begin(&j, stdout);
		if (r->multi)
			tool_json_key_str(&j, "file", r->file);
		tool_json_key_str(&j, "rule", f->rule);
		tool_json_key_str(&j, "severity", mtl_severity_name(f->severity));
		tool_json_key_u64(&j, "frame", f->frame);
		tool_json_key_u64(&j, "command", f->command);
		tool_json_key_u64(&j, "offset", offset);
		if (r->recording)
			tool_json_key_u64(&j, "submission", f->submission);
		tool_json_key_str(&j, "method", f->method_name);
		tool_json_key_str(&j, "message", f->message);
		tool_json_end(&j);
		return;
	}
	if (!f->has_command)
		printf("%s: frame %llu, end of stream: %s [%s]: %s\n", r->file, (unsigned long long)f->frame,
		       mtl_severity_name(f->severity), f->rule, f->message);
	else if (r->recording)
		printf("%s: frame %llu, command %llu (%s) at 0x%llX in submission %llu: %s [%s]: %s\n", r->file,
		       (unsigned long long)f->frame, (unsigned long long)f->command, f->method_name,
		       (unsigned long long)offset, (unsigned long long)f->submission, mtl_severity_name(f->severity),
		       f->rule, f->message);
	else
		printf("%s: frame %llu, command %llu (%s) at 0x%llX: %s [%s]: %s\n", r->file, (unsigned long long)f->frame,
		       (unsigned long long)f->command, f->method_name, (unsigned long long)offset,
		       mtl_severity_name(f->severity), f->rule, f->message);
}

struct settings {
	struct mtl_stream_options sopt;
	unsigned max_errors;
	char **disabled;
	size_t ndisabled;
	int no_msl;
};

/* Validate one FILE. Returns 0, or TOOL_EXIT_USAGE when it could not be read
 * (findings before a corrupt chunk are still reported). */
static int validate_file(const char *path, const struct settings *set, struct run *r)
{
	char err[512];
	struct mtl_stream *s = tool_stream_open(path, &set->sopt);
	if (!s)
		return TOOL_EXIT_USAGE;
	r->file = path;
	r->recording = mtl_stream_is_recording(s);
	r->base = 0;
	r->file_size = mtl_stream_file_size(s);
	uint64_t errors0 = r->errors, warnings0 = r->warnings;

	const struct mtlrec_info *info = mtl_stream_rec_info(s);
	if (info && info->truncated) {
		fflush(stdout);
		tool_error(path, "the recording was cut off (no usable footer): validating the %llu recovered bytes "
			   "of %llu", (unsigned long long)info->bytes_recovered, (unsigned long long)info->bytes_file);
	}
	const struct mtlrec_display *d = mtl_stream_display(s);
	struct mtl_validate_options o;
	memset(&o, 0, sizeof o);
	o.width = d->width;
	o.height = d->height;
	o.max_errors = set->max_errors;
	o.on_finding = on_finding;
	o.user = r;
	o.shader = set->no_msl ? NULL : msl_shader_inspector();
	struct mtl_validator *v = mtl_validator_create(&o);
	if (!v) {
		mtl_stream_close(s);
		tool_error(path, "out of memory");
		return TOOL_EXIT_USAGE;
	}
	for (size_t i = 0; i < set->ndisabled; i++)
		mtl_validator_disable(v, set->disabled[i]);

	struct mtl_stream_item it;
	int rc;
	uint64_t next_base = 0;
	while ((rc = mtl_stream_next(s, &it, err, sizeof err)) == 1) {
		if (it.kind == MTL_STREAM_SUBMISSION) {
			/* raw submissions tile the file in order */
			r->base = next_base;
			next_base += it.len;
			mtl_validator_submit(v, it.bytes, it.len, it.queue, it.submission);
		} else if (it.kind == MTL_STREAM_RECORD && it.record_kind == MTLREC_CONFIG && it.len >= 8) {
			mtl_validator_set_display(v, mtl_rd32(it.bytes), mtl_rd32(it.bytes + 4));
		}
	}
	int result = 0;
	if (rc < 0) {
		fflush(stdout);
		tool_error_msg(err);
		result = TOOL_EXIT_USAGE;
	} else {
		mtl_validator_finish(v);
	}
	if (!r->json) {
		uint64_t e = r->errors - errors0, w = r->warnings - warnings0;
		printf("%s: %llu error%s, %llu warning%s in %llu commands, %llu frames%s\n", path, (unsigned long long)e,
		       e == 1 ? "" : "s", (unsigned long long)w, w == 1 ? "" : "s",
		       (unsigned long long)mtl_validator_commands(v), (unsigned long long)mtl_validator_frames(v),
		       mtl_validator_limit_reached(v) ? " (stopped reporting at --max-errors)" : "");
	}
	mtl_validator_destroy(v);
	mtl_stream_close(s);
	return result;
}

static int list_rules(int json)
{
	if (json) {
		struct tool_json arr;
		tool_json_begin_array(&arr, stdout);
		for (size_t i = 0; i < mtl_rule_count(); i++) {
			const struct mtl_rule *rule = mtl_rule_at(i);
			struct tool_json j;
			tool_json_elem(&arr);
			tool_json_begin(&j, stdout);
			tool_json_key_str(&j, "rule", rule->id);
			tool_json_key_str(&j, "severity", mtl_severity_name(rule->severity));
			tool_json_key_str(&j, "summary", rule->summary);
			tool_json_end(&j);
		}
		tool_json_end_array(&arr);
		fputc('\n', stdout);
	} else {
		for (size_t i = 0; i < mtl_rule_count(); i++) {
			const struct mtl_rule *rule = mtl_rule_at(i);
			printf("%-34s %-7s %s\n", rule->id, mtl_severity_name(rule->severity), rule->summary);
		}
	}
	return fflush(stdout) == 0 ? TOOL_EXIT_OK : TOOL_EXIT_USAGE;
}

/* Split "a,b,c" into set->disabled; every name must match a rule. */
static int parse_disable(struct settings *set, char *arg)
{
	for (char *tok = strtok(arg, ","); tok; tok = strtok(NULL, ",")) {
		int matches = 0;
		size_t n = strlen(tok);
		for (size_t i = 0; i < mtl_rule_count(); i++) {
			const char *id = mtl_rule_at(i)->id;
			if (n && tok[n - 1] == '.' ? strncmp(id, tok, n) == 0 : strcmp(id, tok) == 0)
				matches++;
		}
		if (!matches)
			return tool_usage_error("--disable: '%s' is not a rule ID or area prefix (see --list-rules)", tok);
		char **grown = realloc(set->disabled, (set->ndisabled + 1) * sizeof *grown);
		if (!grown) {
			tool_error(NULL, "out of memory");
			return TOOL_EXIT_USAGE;
		}
		set->disabled = grown;
		set->disabled[set->ndisabled++] = tok;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "resolution", required_argument, NULL, 'r' },
		{ "max-errors", required_argument, NULL, 'm' },
		{ "disable", required_argument, NULL, 'd' },
		{ "werror", no_argument, NULL, 'W' },
		{ "raw", no_argument, NULL, 'R' },
		{ "list-rules", no_argument, NULL, 'L' },
		{ "no-msl", no_argument, NULL, 'N' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	tool_set_name("mtlvalidate");
	struct settings set;
	memset(&set, 0, sizeof set);
	mtl_stream_options_init(&set.sopt);
	int json = 0, werror = 0, rules = 0, c, rc;
	uint64_t n;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'j': json = 1; break;
		case 'W': werror = 1; break;
		case 'R': set.sopt.force_raw = 1; break;
		case 'L': rules = 1; break;
		case 'N': set.no_msl = 1; break;
		case 'r':
			if (tool_stream_resolution_arg(&set.sopt, optarg) != 0)
				return TOOL_EXIT_USAGE;
			break;
		case 'm':
			if (tool_parse_u64(optarg, &n) != 0 || n == 0 || n > 0xFFFFFFFFu)
				return tool_usage_error("--max-errors: expected a positive number, got '%s'", optarg);
			set.max_errors = (unsigned)n;
			break;
		case 'd':
			if ((rc = parse_disable(&set, optarg)) != 0) {
				free(set.disabled);
				return rc;
			}
			break;
		case 'h':
			usage(stdout);
			free(set.disabled);
			return TOOL_EXIT_OK;
		default:
			free(set.disabled);
			return tool_usage_error("unknown option");
		}
	}
	if (rules) {
		free(set.disabled);
		return list_rules(json);
	}
	if (optind >= argc) {
		free(set.disabled);
		return tool_usage_error("no FILE given");
	}

	struct run r;
	memset(&r, 0, sizeof r);
	r.json = json;
	r.multi = argc - optind > 1;
	struct tool_json top, arr;
	if (json) {
		tool_json_begin(&top, stdout);
		tool_json_key(&top, "findings");
		tool_json_begin_array(&arr, stdout);
		r.findings = &arr;
	}
	int unreadable = 0;
	for (int i = optind; i < argc; i++)
		if (validate_file(argv[i], &set, &r) != 0)
			unreadable = 1;
	if (json) {
		tool_json_end_array(&arr);
		tool_json_key_u64(&top, "errors", r.errors);
		tool_json_key_u64(&top, "warnings", r.warnings);
		tool_json_end(&top);
		fputc('\n', stdout);
	}
	free(set.disabled);
	if (fflush(stdout) != 0)
		return TOOL_EXIT_USAGE;
	if (unreadable)
		return TOOL_EXIT_USAGE;
	if (r.errors || (werror && r.warnings))
		return TOOL_EXIT_FINDINGS;
	return TOOL_EXIT_OK;
}
