/* log.c - one line per message on stderr, prefixed "metalvisor: ". */
#include "log.h"

#include "machine.h"

#include <stdio.h>
#include <string.h>

void hv_vlog(int verbose, int always, const char *fmt, va_list ap)
{
	if (!always && !verbose)
		return;
	char line[1024];
	vsnprintf(line, sizeof line, fmt, ap);
	size_t n = strlen(line);
	fprintf(stderr, "metalvisor: %s%s", line, n && line[n - 1] == '\n' ? "" : "\n");
}

void hv_log(struct machine *m, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	hv_vlog(m ? machine_config(m)->verbose : 0, 0, fmt, ap);
	va_end(ap);
}

void hv_err(struct machine *m, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	hv_vlog(1, 1, fmt, ap);
	va_end(ap);
}
