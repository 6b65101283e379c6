/*
 * main.c - metalvisor: boot an ARM64 ELF kernel on the machine of
 * DESIGN.md section 2.  Exit status: see hv_config_usage() / enum
 * hv_exit_status (0 power-off, 1 guest error, 2 usage/bad kernel,
 * 3 timeout, 4 reset, 5 host error).
 */
#include "config.h"
#include "machine.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

static struct machine *running;

static void on_signal(int sig)
{
	if (running)
		machine_stop_on_signal(running, sig);
}

int main(int argc, char **argv)
{
	struct hv_config cfg;
	hv_config_defaults(&cfg);
	int rc = hv_config_parse(&cfg, argc, argv, stderr);
	if (rc > 0)
		return HV_EXIT_POWEROFF;
	if (rc < 0)
		return HV_EXIT_USAGE;
	/* Guest UART output is ours to flush (line by line in the PL011). */
	setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	struct machine *m = machine_create(&cfg);
	if (!m)
		return HV_EXIT_HOST_ERROR;
	/* SIGINT/SIGTERM stop the guest cleanly (stdin's flags are restored,
	 * recordings closed); exit status 128 + signal. */
	running = m;
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	rc = machine_load(m, cfg.kernel_path);
	if (rc == 0)
		rc = machine_run(m);
	running = NULL;
	machine_destroy(m);
	fflush(stdout);
	return rc;
}
