/*
 * mtlshader — check and reflect Metal Shading Language sources with
 * metalvisor's own MSL front end (no Metal needed).
 *
 *   mtlshader check [--quiet] FILE.metal...   exit 0 clean, 1 errors, 2 unreadable
 *   mtlshader reflect [--json] FILE.metal     entry points, inputs, resources
 *   mtlshader run ...                         run a kernel (the executor's msl_tool_run)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "json.h"
#include "msl/exec.h"
#include "msl/msl.h"

static void usage(FILE *o)
{
	fprintf(o,
		"usage: mtlshader check [--quiet] [--json] FILE.metal...\n"
		"       mtlshader reflect [--json] FILE.metal\n"
		"       mtlshader run FILE.metal --kernel NAME ...   (mtlshader run --help)\n"
		"\n"
		"Check MSL sources with metalvisor's front end, or print the interface of\n"
		"their entry points (stage_in attributes, outputs, bound resources).\n"
		"Errors are printed as FILE:LINE:COL: error: message, with the line and a caret.\n"
		"\n"
		"  check     exit 0 when every file is clean, 1 when any has errors,\n"
		"            2 when a file cannot be read; --json prints\n"
		"            {\"files\":[{\"file\",\"ok\",\"entry_points\",\"diagnostics\":[{\"line\",\"col\",\"severity\",\"message\"}]}]}\n"
		"  reflect   --json prints {\"functions\":[{\"name\",\"stage\",\"stage_in\",...,\n"
		"            \"resources\":[{\"kind\",\"index\",\"name\",\"type\"}]}]}\n"
		"  run       execute a kernel on given inputs with the software executor\n"
		"  --help    this text\n");
}

/* Read a whole file; at most the front end's limit + 1 so it can say "too big". */
static char *read_file(const char *path, size_t *len)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (!f) {
		tool_error(path, "cannot open: %s", strerror(errno));
		return NULL;
	}
	size_t cap = 64 * 1024, n = 0, limit = (size_t)MSL_MAX_SOURCE_BYTES + 1;
	char *buf = malloc(cap);
	while (buf) {
		if (n == cap) {
			cap *= 2;
			char *nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = nb;
		}
		size_t want = cap - n < limit - n ? cap - n : limit - n;
		size_t got = fread(buf + n, 1, want, f);
		n += got;
		if (got == 0 || n >= limit)
			break;
	}
	bool err = ferror(f);
	if (f != stdin)
		fclose(f);
	if (!buf || err) {
		tool_error(path, "cannot read: %s", buf ? strerror(errno) : "out of memory");
		free(buf);
		return NULL;
	}
	*len = n;
	return buf;
}

static const char *severity_name(enum msl_severity s)
{
	return s == MSL_SEV_ERROR ? "error" : s == MSL_SEV_WARNING ? "warning" : "note";
}

static void json_file(struct tool_json *files, const char *path, const struct msl_program *prog,
		      const struct msl_diag_list *d, const char *read_error)
{
	tool_json_elem(files);
	struct tool_json o;
	tool_json_begin(&o, files->f);
	tool_json_key_str(&o, "file", path);
	tool_json_key_bool(&o, "ok", prog != NULL);
	if (read_error)
		tool_json_key_str(&o, "read_error", read_error);
	tool_json_key_u64(&o, "entry_points", prog ? msl_program_entry_count(prog) : 0);
	tool_json_key(&o, "diagnostics");
	struct tool_json a;
	tool_json_begin_array(&a, files->f);
	for (size_t k = 0; d && k < d->count; k++) {
		tool_json_elem(&a);
		struct tool_json g;
		tool_json_begin(&g, files->f);
		tool_json_key_u64(&g, "line", d->items[k].line);
		tool_json_key_u64(&g, "col", d->items[k].col);
		tool_json_key_str(&g, "severity", severity_name(d->items[k].severity));
		tool_json_key_str(&g, "message", d->items[k].message);
		tool_json_end(&g);
	}
	tool_json_end_array(&a);
	tool_json_end(&o);
}

static int cmd_check(int argc, char **argv)
{
	bool quiet = false, json = false;
	int nfiles = 0, rc = TOOL_EXIT_OK;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--quiet") == 0 || strcmp(argv[i], "-q") == 0)
			quiet = true;
		else if (strcmp(argv[i], "--json") == 0)
			json = true;
		else if (strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			return TOOL_EXIT_OK;
		} else if (argv[i][0] == '-' && argv[i][1])
			return tool_usage_error("check: unknown option '%s'", argv[i]);
		else
			nfiles++;
	}
	if (nfiles == 0)
		return tool_usage_error("check: no input files");
	struct tool_json root, files;
	if (json) {
		tool_json_begin(&root, stdout);
		tool_json_key(&root, "files");
		tool_json_begin_array(&files, stdout);
	}
	for (int i = 1; i < argc; i++) {
		if (argv[i][0] == '-' && argv[i][1])
			continue;
		size_t len;
		char *src = read_file(argv[i], &len);
		if (!src) {
			rc = TOOL_EXIT_USAGE;
			if (json)
				json_file(&files, argv[i], NULL, NULL, strerror(errno));
			continue;
		}
		struct msl_diag_list d;
		msl_diag_list_init(&d);
		struct msl_program *prog = msl_compile(src, len, argv[i], &d);
		if (json)
			json_file(&files, argv[i], prog, &d, NULL);
		else
			msl_diag_print(&d, src, len, stderr);
		if (!prog) {
			if (rc == TOOL_EXIT_OK)
				rc = TOOL_EXIT_FINDINGS;
		} else if (!quiet && !json) {
			printf("%s: ok (%zu entry point%s)\n", argv[i], msl_program_entry_count(prog),
			       msl_program_entry_count(prog) == 1 ? "" : "s");
		}
		msl_program_free(prog);
		msl_diag_list_free(&d);
		free(src);
	}
	if (json) {
		tool_json_end_array(&files);
		tool_json_end(&root);
		fputc('\n', stdout);
	}
	return rc;
}

static void print_fields(const char *title, const struct msl_reflect_field *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		printf("    %-9s %-10s %-16s", i ? "" : title, v[i].type, v[i].name);
		if (v[i].attr != MSL_ATTR_NONE) {
			if (v[i].attr == MSL_ATTR_ATTRIBUTE || v[i].attr == MSL_ATTR_COLOR)
				printf(" [[%s(%u)]]", msl_attr_name(v[i].attr), v[i].index);
			else
				printf(" [[%s]]", msl_attr_name(v[i].attr));
		}
		if (v[i].flat)
			printf(" [[flat]]");
		printf("\n");
	}
}

static int cmd_reflect(int argc, char **argv)
{
	bool json = false;
	const char *path = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			json = true;
		else if (strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			return TOOL_EXIT_OK;
		} else if (argv[i][0] == '-' && argv[i][1])
			return tool_usage_error("reflect: unknown option '%s'", argv[i]);
		else if (path)
			return tool_usage_error("reflect: one file at a time");
		else
			path = argv[i];
	}
	if (!path)
		return tool_usage_error("reflect: no input file");
	size_t len;
	char *src = read_file(path, &len);
	if (!src)
		return TOOL_EXIT_USAGE;
	struct msl_diag_list d;
	msl_diag_list_init(&d);
	struct msl_program *prog = msl_compile(src, len, path, &d);
	msl_diag_print(&d, src, len, stderr);
	int rc = TOOL_EXIT_OK;
	if (!prog) {
		rc = TOOL_EXIT_FINDINGS;
		goto out;
	}
	struct msl_reflection r;
	if (msl_reflect(prog, &r) != 0) {
		tool_error(path, "out of memory");
		rc = TOOL_EXIT_USAGE;
		goto out;
	}
	if (json) {
		msl_reflection_write_json(&r, stdout);
	} else {
		for (size_t i = 0; i < r.function_count; i++) {
			const struct msl_reflect_function *f = &r.functions[i];
			printf("%s %s -> %s\n", msl_stage_name(f->stage), f->name, f->output_type);
			if (f->stage_in_type)
				printf("  stage_in %s\n", f->stage_in_type);
			print_fields("in", f->stage_in, f->stage_in_count);
			print_fields("builtin", f->builtins, f->builtin_count);
			print_fields("out", f->outputs, f->output_count);
			for (size_t k = 0; k < f->resource_count; k++) {
				const struct msl_reflect_resource *res = &f->resources[k];
				printf("    %-9s %s(%u) %s : %s", k ? "" : "resource", msl_resource_kind_name(res->kind),
				       res->index, res->name, res->type);
				if (res->kind == MSL_RES_BUFFER && res->size)
					printf(" (%u bytes)", res->size);
				printf("\n");
			}
		}
	}
	msl_reflection_free(&r);
out:
	msl_program_free(prog);
	msl_diag_list_free(&d);
	free(src);
	return rc;
}

int main(int argc, char **argv)
{
	tool_set_name("mtlshader");
	if (argc < 2)
		return tool_usage_error("missing command (check, reflect, run)");
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return TOOL_EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("mtlshader %s\n", METALVISOR_VERSION);
		return TOOL_EXIT_OK;
	}
	if (strcmp(argv[1], "check") == 0)
		return cmd_check(argc - 1, argv + 1);
	if (strcmp(argv[1], "reflect") == 0)
		return cmd_reflect(argc - 1, argv + 1);
	if (strcmp(argv[1], "run") == 0)
		return msl_tool_run(argc - 1, argv + 1);
	return tool_usage_error("unknown command '%s'", argv[1]);
}
