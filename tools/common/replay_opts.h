/*
 * tools/common/replay_opts.h — the part of the command line that mtlreplay
 * and mtlbench share: --backend soft|null, --resolution WxH, --threads N,
 * --raw and the one input FILE. Each tool parses its own options around
 * these, so both tools spell and check them the same way.
 */
#ifndef TOOLS_COMMON_REPLAY_OPTS_H
#define TOOLS_COMMON_REPLAY_OPTS_H

#include <stdint.h>

#include "stream.h"

struct tool_replay_opts {
	const char *file;               /* the input; NULL until given */
	const char *backend;            /* "soft" unless --backend */
	uint32_t res_w, res_h;          /* --resolution; 0 = the stream's display */
	uint64_t threads;               /* --threads; 0 = all cores */
	struct mtl_stream_options sopt; /* --raw */
};

void tool_replay_opts_init(struct tool_replay_opts *o);

/* Take argv[*i] when it is one of the shared options (moving *i past its
 * value) or the FILE. 1 taken, 0 not a shared one (the tool's own option,
 * or an unknown one for the tool to refuse), -1 malformed (the usage
 * message is printed; exit TOOL_EXIT_USAGE). */
int tool_replay_opts_arg(struct tool_replay_opts *o, int argc, char **argv, int *i);

/* After the command line: a FILE was given and the backend is one that
 * exists. 0, or TOOL_EXIT_USAGE with the usage message printed. */
int tool_replay_opts_finish(const struct tool_replay_opts *o);

#endif
