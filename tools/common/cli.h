/*
 * tools/common/cli.h — small helpers every tool's command line shares:
 * argument parsing of sizes and frame ranges, and error messages in one
 * format ("PROG: FILE: why").
 *
 * Exit codes of every tool (DESIGN §1): 0 ok, 1 findings or a failed
 * check, 2 usage error or unreadable input.
 */
#ifndef TOOLS_COMMON_CLI_H
#define TOOLS_COMMON_CLI_H

#include <stdint.h>
#include <stdio.h>

#define TOOL_EXIT_OK 0
#define TOOL_EXIT_FINDINGS 1
#define TOOL_EXIT_USAGE 2

/* "WxH" (decimal, each 1..65535; 'x' or 'X'). 0 ok, -1 malformed. */
int tool_parse_resolution(const char *s, uint32_t *w, uint32_t *h);

/* A frame range: "A-B" (inclusive), "A" (just A), "A-" (A to the end),
 * "-B" (0 to B). Sets *last to UINT64_MAX for an open end. 0 ok, -1
 * malformed or A > B. */
int tool_parse_frame_range(const char *s, uint64_t *first, uint64_t *last);

/* A non-negative decimal integer (no sign, no trailing junk). 0 ok, -1. */
int tool_parse_u64(const char *s, uint64_t *v);

/* Messages to stderr: "PROG: FILE: <fmt>\n" (file omitted when NULL) and
 * "PROG: <fmt>\n". tool_set_name sets PROG once in main. */
void tool_set_name(const char *prog);
const char *tool_name(void);
void tool_error(const char *file, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A message that already has the "FILE: ..." form (as the libraries'
 * err buffers do) printed as "PROG: msg". */
void tool_error_msg(const char *msg);
/* "PROG: <fmt>\nTry 'PROG --help'.\n" and returns TOOL_EXIT_USAGE. */
int tool_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
