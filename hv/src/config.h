/*
 * config.h - the parsed metalvisor command line.
 *
 * main.c fills one struct hv_config from argv (hv_config_parse) and hands it,
 * read-only, to the machine and to the device setup code.  Every option of
 * DESIGN.md section 2 / issue 7 has a field here, even the ones the core
 * itself does not use (capture, record, validate, resolution...): they are
 * carried to the virtio devices.
 */
#ifndef HV_CONFIG_H
#define HV_CONFIG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define HV_DEFAULT_RAM_MIB 256u
#define HV_DEFAULT_CPUS 4u
#define HV_MAX_CPUS 8u
#define HV_DEFAULT_WIDTH 1024u
#define HV_DEFAULT_HEIGHT 768u
#define HV_DEFAULT_REFRESH_HZ 60u
#define HV_MAX_CAPTURES 16u
#define HV_MAX_CAPTURE_FRAMES 64u

/* Exit statuses of the metalvisor program (documented in --help and
 * docs/HYPERVISOR.md). */
enum hv_exit_status {
	HV_EXIT_POWEROFF = 0, /* guest called PSCI SYSTEM_OFF (or all captures done) */
	HV_EXIT_GUEST_ERROR = 1, /* guest fault: unhandled exception, bad access... */
	HV_EXIT_USAGE = 2, /* bad command line or unreadable/invalid kernel */
	HV_EXIT_TIMEOUT = 3, /* --timeout expired before the guest powered off */
	HV_EXIT_RESET = 4, /* guest called PSCI SYSTEM_RESET */
	HV_EXIT_HOST_ERROR = 5, /* host-side failure (backend, device, I/O) */
};

/* One --capture option: either "N PATH" (single frame, path used as is) or
 * "N,M,... PREFIX" (several frames, PREFIX-NNN.png with NNN the frame id,
 * zero-padded to 3 digits). */
struct hv_capture {
	uint32_t frames[HV_MAX_CAPTURE_FRAMES];
	unsigned nframes;
	bool multi; /* true: path is a prefix; false: path is the file name */
	const char *path;
};

struct hv_config {
	const char *kernel_path; /* ELF64 AArch64 kernel (required) */
	uint32_t ram_mib; /* --ram MiB (default 256) */
	uint32_t cpus; /* --cpus N (default 4, 1..HV_MAX_CPUS) */
	int verbose; /* --verbose (may be repeated) */
	double timeout_s; /* --timeout SECONDS, 0 = none; guest time unless --realtime */
	bool realtime; /* --realtime: host clock instead of virtual time */
	const char *append; /* --append STR -> /chosen/bootargs (NULL: empty) */
	const char *share_dir; /* --share DIR (9P), NULL: none */
	bool no_gpu; /* --no-gpu: leave virtio-metal out */
	uint32_t width, height; /* --resolution WxH (default 1024x768) */
	uint32_t refresh_hz; /* vsync rate (60) */
	const char *record_path; /* --record FILE.mtlrec, NULL: none */
	bool validate; /* --validate */
	struct hv_capture captures[HV_MAX_CAPTURES]; /* --capture ... */
	unsigned ncaptures;
	const char *events_path; /* --events FILE, NULL: none */
	const char *sigusr1_capture_path; /* file SIGUSR1 captures write to */
};

/* Fill cfg with the defaults above. */
void hv_config_defaults(struct hv_config *cfg);

/*
 * Parse argv into cfg (after hv_config_defaults).  Returns 0 on success,
 * 1 when --help was printed (caller exits 0), -1 on a usage error (a message
 * naming the bad option has been written to err; caller exits 2).
 */
int hv_config_parse(struct hv_config *cfg, int argc, char **argv, FILE *err);

/* Print the --help text. */
void hv_config_usage(FILE *out, const char *argv0);

#endif
