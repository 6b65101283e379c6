/* tools/common/replay_opts.c — see replay_opts.h. */
#include "replay_opts.h"

#include <string.h>

#include "cli.h"

void tool_replay_opts_init(struct tool_replay_opts *o)
{
	memset(o, 0, sizeof *o);
	o->backend = "soft";
	mtl_stream_options_init(&o->sopt);
}

int tool_replay_opts_arg(struct tool_replay_opts *o, int argc, char **argv, int *i)
{
	const char *a = argv[*i];
	const char *next = *i + 1 < argc ? argv[*i + 1] : NULL;
	if (!strcmp(a, "--backend")) {
		if (!next) {
			tool_usage_error("--backend needs soft or null");
			return -1;
		}
		o->backend = next;
	} else if (!strcmp(a, "--resolution")) {
		if (!next || tool_parse_resolution(next, &o->res_w, &o->res_h)) {
			tool_usage_error("--resolution needs WxH, e.g. 1280x800");
			return -1;
		}
	} else if (!strcmp(a, "--threads")) {
		if (!next || tool_parse_u64(next, &o->threads) || o->threads > 256) {
			tool_usage_error("--threads needs a number 0..256");
			return -1;
		}
	} else if (!strcmp(a, "--raw")) {
		o->sopt.force_raw = 1;
		return 1;
	} else if (a[0] == '-' && a[1]) {
		return 0; /* "-" alone is a file name */
	} else if (o->file) {
		tool_usage_error("more than one input file");
		return -1;
	} else {
		o->file = a;
		return 1;
	}
	(*i)++; /* the option's value */
	return 1;
}

int tool_replay_opts_finish(const struct tool_replay_opts *o)
{
	if (!o->file)
		return tool_usage_error("no input file");
	if (strcmp(o->backend, "soft") && strcmp(o->backend, "null"))
		return tool_usage_error("unknown backend '%s' (soft or null)", o->backend);
	return 0;
}
