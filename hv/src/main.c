/*
 * main.c - metalvisor: boot an ARM64 ELF kernel on the machine of
 * DESIGN.md section 2.  Exit status: see hv_config_usage() / enum
 * hv_exit_status (0 power-off, 1 guest error, 2 usage/bad kernel,
 * 3 timeout, 4 reset, 5 host error).
 */
#include "config.h"
#include "machine.h"

#include <stdio.h>

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
	rc = machine_load(m, cfg.kernel_path);
	if (rc == 0)
		rc = machine_run(m);
	machine_destroy(m);
	fflush(stdout);
	return rc;
}
