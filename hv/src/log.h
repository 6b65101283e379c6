/*
 * log.h - metalvisor's stderr messages.  hv_log()/hv_err() (machine.h) are
 * the device-facing calls; these take the verbosity directly so code that
 * runs before the machine exists (argument parsing, loading) can log too.
 */
#ifndef HV_LOG_H
#define HV_LOG_H

#include <stdarg.h>

void hv_vlog(int verbose, int always, const char *fmt, va_list ap);

#endif
