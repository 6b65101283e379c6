/* config.c - metalvisor's command line (names from DESIGN.md section 2). */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void hv_config_defaults(struct hv_config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->ram_mib = HV_DEFAULT_RAM_MIB;
	cfg->cpus = HV_DEFAULT_CPUS;
	cfg->width = HV_DEFAULT_WIDTH;
	cfg->height = HV_DEFAULT_HEIGHT;
	cfg->refresh_hz = HV_DEFAULT_REFRESH_HZ;
	cfg->sigusr1_capture_path = "metalvisor-capture.png";
}

void hv_config_usage(FILE *out, const char *argv0)
{
	fprintf(out,
		"usage: %s [options] KERNEL.elf\n"
		"Boot an ARM64 ELF kernel on the metalvisor machine (DESIGN.md section 2).\n"
		"\n"
		"machine:\n"
		"  --ram MIB             guest RAM in MiB at 0x40000000 (default %u, 16..%u)\n"
		"  --cpus N              number of vCPUs (default %u, 1..%u)\n"
		"  --append STR          kernel command line (/chosen/bootargs)\n"
		"  --realtime            guest time from the host clock (default: virtual time\n"
		"                        derived from executed instructions, reproducible)\n"
		"  --timeout SECONDS     stop after this much guest time (exit status 3)\n"
		"  --verbose             log machine events to stderr (repeat for more)\n"
		"devices:\n"
		"  --share DIR           export DIR to the guest over virtio-9p\n"
		"  --no-gpu              leave the virtio-metal device out\n"
		"  --resolution WxH      display size (default %ux%u)\n"
		"  --record FILE.mtlrec  record every Metal submission\n"
		"  --validate            log validator findings as they happen\n"
		"  --capture N PATH      write the frame presented with frame_id N to PATH (PNG)\n"
		"  --capture N,M,.. PREFIX  write those frames to PREFIX-NNN.png, exit after the last\n"
		"  --events FILE         script of input and capture actions keyed by frame_id\n"
		"  SIGUSR1               capture the next presented frame to %s\n"
		"  --help                this text\n"
		"\n"
		"exit status: 0 guest powered off (PSCI SYSTEM_OFF) or all captures written,\n"
		"  1 guest error (fault, unhandled exception, all CPUs off), 2 usage error or\n"
		"  bad/unreadable kernel, 3 timeout, 4 guest asked for PSCI SYSTEM_RESET,\n"
		"  5 host error, 128+N stopped by signal N (SIGINT, SIGTERM).\n",
		argv0, HV_DEFAULT_RAM_MIB, 65536u, HV_DEFAULT_CPUS, HV_MAX_CPUS, HV_DEFAULT_WIDTH,
		HV_DEFAULT_HEIGHT, "metalvisor-capture.png");
}

static int parse_u32(const char *s, uint32_t lo, uint32_t hi, uint32_t *out)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi || s[0] == '-')
		return -1;
	*out = (uint32_t)v;
	return 0;
}

static int parse_capture(struct hv_capture *c, const char *frames, const char *path)
{
	memset(c, 0, sizeof *c);
	const char *p = frames;
	while (*p) {
		char *end;
		errno = 0;
		unsigned long v = strtoul(p, &end, 10);
		if (errno || end == p || v > UINT32_MAX || *p == '-')
			return -1;
		if (c->nframes == HV_MAX_CAPTURE_FRAMES)
			return -1;
		c->frames[c->nframes++] = (uint32_t)v;
		if (*end == ',') {
			p = end + 1;
			if (!*p)
				return -1;
		} else if (*end == '\0') {
			p = end;
		} else {
			return -1;
		}
	}
	if (c->nframes == 0 || !*path)
		return -1;
	c->multi = strchr(frames, ',') != NULL;
	c->path = path;
	return 0;
}

int hv_config_parse(struct hv_config *cfg, int argc, char **argv, FILE *err)
{
	const char *me = argc > 0 ? argv[0] : "metalvisor";
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v1 = i + 1 < argc ? argv[i + 1] : NULL;
#define NEED(n)                                                                         \
	do {                                                                            \
		if (i + (n) >= argc) {                                                  \
			fprintf(err, "%s: %s needs %d argument%s\n", me, a, n, n > 1 ? "s" : ""); \
			return -1;                                                      \
		}                                                                       \
	} while (0)
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			hv_config_usage(stdout, me);
			return 1;
		} else if (!strcmp(a, "--verbose") || !strcmp(a, "-v")) {
			cfg->verbose++;
		} else if (!strcmp(a, "--no-gpu")) {
			cfg->no_gpu = true;
		} else if (!strcmp(a, "--realtime")) {
			cfg->realtime = true;
		} else if (!strcmp(a, "--validate")) {
			cfg->validate = true;
		} else if (!strcmp(a, "--ram")) {
			NEED(1);
			if (parse_u32(v1, 16, 65536, &cfg->ram_mib)) {
				fprintf(err, "%s: --ram '%s': expected MiB between 16 and 65536\n", me, v1);
				return -1;
			}
			i++;
		} else if (!strcmp(a, "--cpus")) {
			NEED(1);
			if (parse_u32(v1, 1, HV_MAX_CPUS, &cfg->cpus)) {
				fprintf(err, "%s: --cpus '%s': expected 1..%u\n", me, v1, HV_MAX_CPUS);
				return -1;
			}
			i++;
		} else if (!strcmp(a, "--timeout")) {
			NEED(1);
			char *end;
			errno = 0;
			double t = strtod(v1, &end);
			if (errno || end == v1 || *end || !(t > 0) || t > 1e6) {
				fprintf(err, "%s: --timeout '%s': expected seconds > 0\n", me, v1);
				return -1;
			}
			cfg->timeout_s = t;
			i++;
		} else if (!strcmp(a, "--append")) {
			NEED(1);
			cfg->append = v1;
			i++;
		} else if (!strcmp(a, "--share")) {
			NEED(1);
			cfg->share_dir = v1;
			i++;
		} else if (!strcmp(a, "--record")) {
			NEED(1);
			cfg->record_path = v1;
			i++;
		} else if (!strcmp(a, "--events")) {
			NEED(1);
			cfg->events_path = v1;
			i++;
		} else if (!strcmp(a, "--resolution")) {
			NEED(1);
			unsigned w, h;
			char extra;
			if (sscanf(v1, "%ux%u%c", &w, &h, &extra) != 2 || w == 0 || h == 0 ||
			    w > 8192 || h > 8192) {
				fprintf(err, "%s: --resolution '%s': expected WxH, each 1..8192\n", me, v1);
				return -1;
			}
			cfg->width = w;
			cfg->height = h;
			i++;
		} else if (!strcmp(a, "--capture")) {
			NEED(2);
			if (cfg->ncaptures == HV_MAX_CAPTURES) {
				fprintf(err, "%s: at most %u --capture options\n", me, HV_MAX_CAPTURES);
				return -1;
			}
			if (parse_capture(&cfg->captures[cfg->ncaptures], v1, argv[i + 2])) {
				fprintf(err,
					"%s: --capture '%s' '%s': expected a frame id N (or N,M,.. up to %u) and a path\n",
					me, v1, argv[i + 2], HV_MAX_CAPTURE_FRAMES);
				return -1;
			}
			cfg->ncaptures++;
			i += 2;
		} else if (a[0] == '-' && a[1] != '\0') {
			fprintf(err, "%s: unknown option '%s' (see --help)\n", me, a);
			return -1;
		} else if (!cfg->kernel_path) {
			cfg->kernel_path = a;
		} else {
			fprintf(err, "%s: more than one kernel given ('%s' and '%s')\n", me,
				cfg->kernel_path, a);
			return -1;
		}
#undef NEED
	}
	if (!cfg->kernel_path) {
		fprintf(err, "%s: no kernel given (usage: %s [options] KERNEL.elf, see --help)\n", me, me);
		return -1;
	}
	return 0;
}
