/* tools/common/cli.c — see cli.h. */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static const char *g_prog = "tool";

void tool_set_name(const char *prog)
{
	const char *slash = prog ? strrchr(prog, '/') : NULL;
	g_prog = slash ? slash + 1 : (prog ? prog : "tool");
}

const char *tool_name(void) { return g_prog; }

int tool_parse_u64(const char *s, uint64_t *v)
{
	if (!s || *s < '0' || *s > '9')
		return -1;
	uint64_t acc = 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		unsigned d = (unsigned)(*s - '0');
		if (acc > (UINT64_MAX - d) / 10)
			return -1; /* overflow */
		acc = acc * 10 + d;
	}
	*v = acc;
	return 0;
}

/* Parse a decimal prefix of s up to the first character in stop (or NUL). */
static int parse_u64_until(const char *s, const char *end, uint64_t *v)
{
	char tmp[32];
	size_t n = (size_t)(end - s);
	if (n == 0 || n >= sizeof tmp)
		return -1;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	return tool_parse_u64(tmp, v);
}

int tool_parse_resolution(const char *s, uint32_t *w, uint32_t *h)
{
	if (!s)
		return -1;
	const char *x = strchr(s, 'x');
	if (!x)
		x = strchr(s, 'X');
	if (!x)
		return -1;
	uint64_t a, b;
	if (parse_u64_until(s, x, &a) != 0 || tool_parse_u64(x + 1, &b) != 0)
		return -1;
	if (a == 0 || b == 0 || a > 65535 || b > 65535)
		return -1;
	*w = (uint32_t)a;
	*h = (uint32_t)b;
	return 0;
}

int tool_parse_frame_range(const char *s, uint64_t *first, uint64_t *last)
{
	if (!s || !*s)
		return -1;
	const char *dash = strchr(s, '-');
	uint64_t a = 0, b = UINT64_MAX;
	if (!dash) {
		if (tool_parse_u64(s, &a) != 0)
			return -1;
		b = a;
	} else {
		if (dash == s && dash[1] == '\0')
			return -1; /* "-" alone */
		if (dash != s && parse_u64_until(s, dash, &a) != 0)
			return -1;
		if (dash[1] != '\0' && tool_parse_u64(dash + 1, &b) != 0)
			return -1;
	}
	if (a > b)
		return -1;
	*first = a;
	*last = b;
	return 0;
}

void tool_error(const char *file, const char *fmt, ...)
{
	va_list ap;
	if (file)
		fprintf(stderr, "%s: %s: ", g_prog, file);
	else
		fprintf(stderr, "%s: ", g_prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void tool_error_msg(const char *msg)
{
	fprintf(stderr, "%s: %s\n", g_prog, msg);
}

int tool_usage_error(const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "%s: ", g_prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s --help'.\n", g_prog);
	return TOOL_EXIT_USAGE;
}
