/*
 * machine.c - guest RAM, MMIO bus, guest time, timers, vCPU scheduling and
 * the glue between the CPU backend and the emulated GIC, timer, PSCI and
 * PL011.
 *
 * Scheduling: all vCPUs run on this one thread in rounds.  A round is a
 * window of Q nanoseconds of guest time starting at round_base; each
 * powered-on vCPU in turn may execute up to Q instructions in it (one
 * instruction = 1 ns of guest time), stopping early at WFI or at the next
 * timer deadline.  A vCPU's clock inside a round is round_base + the
 * instructions it has executed in that round, so every run of the same
 * kernel sees the same times: boots are reproducible.  With --realtime the
 * clock is the host's monotonic clock instead.
 */
#include "machine.h"

#include "cpu.h"
#include "elf_load.h"
#include "dtb.h"
#include "gic.h"
#include "log.h"
#include "pl011.h"
#include "psci.h"
#include "vtimer.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_MMIO 32
#define MAX_TIMERS 64
#define MAX_WINDOWS 64
#define QUANTUM_SMP 20000u /* instructions (= ns) per vCPU per round */
#define QUANTUM_UP 200000u /* ... when only one vCPU is on */
#define UART_POLL_NS 1000000u /* poll stdin every 1 ms of guest time */
#define MPIDR_EL1 SYSREG(3, 0, 0, 0, 5)

struct mmio_region {
	uint64_t base, size;
	hv_mmio_read_fn read;
	hv_mmio_write_fn write;
	void *ctx;
};

struct hv_timer {
	uint64_t deadline;
	hv_timer_fn fire;
	void *ctx;
	bool armed;
};

struct vcpu {
	enum psci_power power;
	bool wfi; /* waiting for an interrupt */
	struct vtimer_cpu timer;
	uint64_t round_start; /* counter value when this round began */
	uint64_t round_insns; /* instructions executed this round */
};

struct machine {
	struct hv_config cfg;
	uint8_t *ram;
	uint64_t ram_base, ram_size;
	struct cpu_backend *cpu;
	struct cpu_counter ctr[HV_MAX_CPUS];
	struct vcpu vcpu[HV_MAX_CPUS];
	unsigned ncpus;
	struct gic *gic;
	struct pl011 *uart;
	int uart_timer;
	struct mmio_region mmio[MAX_MMIO];
	unsigned nmmio;
	struct {
		uint64_t base, size;
	} windows[MAX_WINDOWS];
	unsigned nwindows;
	struct hv_timer timers[MAX_TIMERS];
	struct psci_ops psci;
	/* time */
	uint64_t round_base; /* guest ns at the start of this round */
	uint64_t quantum;
	int current; /* vCPU running now, -1 between runs */
	int clock_cpu; /* whose clock machine_now_ns() reads between its runs */
	struct timespec t0;
	/* exit */
	bool exit_requested;
	int exit_status;
	char exit_why[512];
	uint64_t entry;
	bool virtio_up;
	int stdin_flags; /* restored at exit: stdin may be the user's terminal */
	volatile sig_atomic_t signalled;
};

void machine_stop_on_signal(struct machine *m, int sig) { m->signalled = sig; }

static void check_signal(struct machine *m)
{
	if (m->signalled && !m->exit_requested) {
		char why[64];
		snprintf(why, sizeof why, "stopped by signal %d", (int)m->signalled);
		machine_request_exit(m, 128 + m->signalled, why);
	}
}

/* --- small accessors ----------------------------------------------------------- */

const struct hv_config *machine_config(const struct machine *m) { return &m->cfg; }
unsigned machine_ncpus(const struct machine *m) { return m->ncpus; }
uint64_t machine_ram_base(const struct machine *m) { return m->ram_base; }
uint64_t machine_ram_size(const struct machine *m) { return m->ram_size; }

void *machine_gpa(struct machine *m, uint64_t gpa, uint64_t len)
{
	if (gpa < m->ram_base)
		return NULL;
	uint64_t off = gpa - m->ram_base;
	if (off > m->ram_size || len > m->ram_size - off)
		return NULL;
	if (off == m->ram_size && len == 0)
		return NULL; /* "inside RAM" means a byte of RAM at gpa */
	return m->ram + off;
}

static uint64_t host_ns(const struct machine *m)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)(ts.tv_sec - m->t0.tv_sec) * 1000000000ull + (uint64_t)ts.tv_nsec -
	       (uint64_t)m->t0.tv_nsec;
}

/* Guest time as seen by vCPU c. */
static uint64_t cpu_now(struct machine *m, unsigned c)
{
	if (m->cfg.realtime)
		return host_ns(m);
	return m->round_base + (m->ctr[c].count - m->vcpu[c].round_start);
}

uint64_t machine_now_ns(struct machine *m)
{
	if (m->cfg.realtime)
		return host_ns(m);
	if (m->current >= 0)
		return cpu_now(m, (unsigned)m->current);
	if (m->clock_cpu >= 0) /* timer callbacks fired on vCPU clock_cpu's clock */
		return cpu_now(m, (unsigned)m->clock_cpu);
	return m->round_base;
}

/* --- exits ------------------------------------------------------------------------ */

void machine_request_exit(struct machine *m, int status, const char *why)
{
	if (m->exit_requested)
		return;
	m->exit_requested = true;
	m->exit_status = status;
	snprintf(m->exit_why, sizeof m->exit_why, "%s", why ? why : "");
	if (m->current >= 0)
		hvcpu_kick(m->cpu, (unsigned)m->current);
}

/* --- timers ------------------------------------------------------------------------- */

/* The earliest deadline vCPU c must stop at (machine timers and its own
 * generic timers), UINT64_MAX if none. */
static uint64_t next_deadline(struct machine *m, int c)
{
	uint64_t d = UINT64_MAX;
	for (unsigned i = 0; i < MAX_TIMERS; i++)
		if (m->timers[i].armed && m->timers[i].deadline < d)
			d = m->timers[i].deadline;
	if (c >= 0) {
		struct vcpu *v = &m->vcpu[c];
		uint64_t now = cpu_now(m, (unsigned)c);
		for (unsigned w = 0; w < 2; w++) {
			uint64_t t = vtimer_deadline(&v->timer, w);
			if (t > now && t < d)
				d = t;
		}
	}
	return d;
}

/* Lower the running vCPU's instruction limit so it stops at `deadline`. */
static void clamp_running(struct machine *m, uint64_t deadline)
{
	if (m->current < 0 || m->cfg.realtime)
		return;
	unsigned c = (unsigned)m->current;
	uint64_t now = cpu_now(m, c);
	if (deadline <= now) {
		hvcpu_kick(m->cpu, c);
		return;
	}
	uint64_t limit = m->ctr[c].count + (deadline - now);
	if (limit < m->ctr[c].limit)
		m->ctr[c].limit = limit;
}

int machine_add_timer(struct machine *m, uint64_t deadline_ns, hv_timer_fn fire, void *ctx)
{
	for (unsigned i = 0; i < MAX_TIMERS; i++) {
		if (!m->timers[i].armed) {
			m->timers[i] = (struct hv_timer){ deadline_ns, fire, ctx, true };
			clamp_running(m, deadline_ns);
			return (int)i;
		}
	}
	hv_err(m, "timer table full (%d timers)", MAX_TIMERS);
	return -1;
}

void machine_cancel_timer(struct machine *m, int id)
{
	if (id >= 0 && id < MAX_TIMERS)
		m->timers[id].armed = false;
}

/* Fire every machine timer due at `now` (in deadline order, then by slot,
 * so the order is reproducible). */
static void fire_timers(struct machine *m, uint64_t now)
{
	for (;;) {
		int best = -1;
		for (unsigned i = 0; i < MAX_TIMERS; i++)
			if (m->timers[i].armed && m->timers[i].deadline <= now &&
			    (best < 0 || m->timers[i].deadline < m->timers[best].deadline))
				best = (int)i;
		if (best < 0)
			return;
		m->timers[best].armed = false;
		m->timers[best].fire(m->timers[best].ctx, now);
	}
}

/* Drive vCPU c's timer PPIs from its generic timers. */
static void update_timer_lines(struct machine *m, unsigned c)
{
	uint64_t now = cpu_now(m, c);
	gic_set_ppi(m->gic, c, VTIMER_PPI_VIRT, vtimer_level(&m->vcpu[c].timer, 0, now));
	gic_set_ppi(m->gic, c, VTIMER_PPI_PHYS, vtimer_level(&m->vcpu[c].timer, 1, now));
}

/* --- MMIO bus ----------------------------------------------------------------------- */

static bool window_covers(const struct machine *m, uint64_t page)
{
	for (unsigned i = 0; i < m->nwindows; i++)
		if (page >= m->windows[i].base && page - m->windows[i].base < m->windows[i].size)
			return true;
	return false;
}

int machine_add_mmio(struct machine *m, uint64_t base, uint64_t size, hv_mmio_read_fn read,
		     hv_mmio_write_fn write, void *ctx)
{
	if (size == 0 || base + size < base) {
		hv_err(m, "MMIO window 0x%" PRIx64 "+0x%" PRIx64 " is empty or wraps", base, size);
		return -1;
	}
	if (base < m->ram_base + m->ram_size && m->ram_base < base + size) {
		hv_err(m, "MMIO window 0x%" PRIx64 "+0x%" PRIx64 " overlaps RAM", base, size);
		return -1;
	}
	for (unsigned i = 0; i < m->nmmio; i++) {
		if (base < m->mmio[i].base + m->mmio[i].size && m->mmio[i].base < base + size) {
			hv_err(m, "MMIO window 0x%" PRIx64 "+0x%" PRIx64 " overlaps 0x%" PRIx64 "+0x%" PRIx64,
			       base, size, m->mmio[i].base, m->mmio[i].size);
			return -1;
		}
	}
	if (m->nmmio == MAX_MMIO) {
		hv_err(m, "MMIO table full (%d windows)", MAX_MMIO);
		return -1;
	}
	/* Map the pages not mapped yet (devices may share a page). */
	uint64_t first = base & ~0xFFFull, last = (base + size - 1) & ~0xFFFull;
	for (uint64_t p = first;; p += 0x1000) {
		if (!window_covers(m, p)) {
			uint64_t run = p;
			while (run + 0x1000 <= last && !window_covers(m, run + 0x1000))
				run += 0x1000;
			if (m->nwindows == MAX_WINDOWS ||
			    hvcpu_map_mmio(m->cpu, p, run + 0x1000 - p) != 0) {
				hv_err(m, "cannot map MMIO window 0x%" PRIx64 "+0x%" PRIx64, p,
				       run + 0x1000 - p);
				return -1;
			}
			m->windows[m->nwindows].base = p;
			m->windows[m->nwindows].size = run + 0x1000 - p;
			m->nwindows++;
			p = run;
		}
		if (p == last)
			break;
	}
	m->mmio[m->nmmio++] = (struct mmio_region){ base, size, read, write, ctx };
	return 0;
}

static struct mmio_region *find_mmio(struct machine *m, uint64_t pa, unsigned size)
{
	for (unsigned i = 0; i < m->nmmio; i++) {
		struct mmio_region *r = &m->mmio[i];
		if (pa >= r->base && pa - r->base < r->size)
			return r;
	}
	return NULL;
}

static uint64_t bus_read(void *ctx, unsigned cpu, uint64_t pa, unsigned size)
{
	struct machine *m = ctx;
	struct mmio_region *r = find_mmio(m, pa, size);
	if (!r || !r->read) {
		hv_log(m, "cpu%u: read of unassigned MMIO 0x%" PRIx64 " (%u bytes) reads as 0", cpu,
		       pa, size);
		return 0;
	}
	return r->read(r->ctx, pa - r->base, size);
}

static void bus_write(void *ctx, unsigned cpu, uint64_t pa, uint64_t val, unsigned size)
{
	struct machine *m = ctx;
	struct mmio_region *r = find_mmio(m, pa, size);
	if (!r || !r->write) {
		hv_log(m, "cpu%u: write 0x%" PRIx64 " to unassigned MMIO 0x%" PRIx64 " (%u bytes) ignored",
		       cpu, val, pa, size);
		return;
	}
	r->write(r->ctx, pa - r->base, val, size);
}

/* --- interrupts ---------------------------------------------------------------------- */

void machine_set_spi(struct machine *m, unsigned spi, int level)
{
	if (hvcpu_has_irqchip(m->cpu))
		hvcpu_set_spi(m->cpu, spi, level);
	else
		gic_set_spi(m->gic, spi, level);
}

/* The GIC says an interrupt may now be deliverable to cpu. */
static void gic_wake(void *ctx, unsigned cpu)
{
	struct machine *m = ctx;
	if (m->current >= 0 && (unsigned)m->current == cpu && gic_irq_pending(m->gic, cpu))
		hvcpu_kick(m->cpu, cpu); /* the run loop delivers it or marks it waiting */
}

static void uart_irq(void *ctx, int level) { machine_set_spi(ctx, HV_UART_SPI, level); }

static void uart_poll(void *ctx, uint64_t now)
{
	struct machine *m = ctx;
	pl011_poll_input(m->uart);
	m->uart_timer = machine_add_timer(m, now + UART_POLL_NS, uart_poll, m);
}

/* GIC MMIO adapters */
static uint64_t gicd_read(void *ctx, uint64_t off, unsigned size) { return gic_dist_read(ctx, off, size); }
static void gicd_write(void *ctx, uint64_t off, uint64_t v, unsigned size) { gic_dist_write(ctx, off, v, size); }
static uint64_t gicr_read(void *ctx, uint64_t off, unsigned size) { return gic_redist_read(ctx, off, size); }
static void gicr_write(void *ctx, uint64_t off, uint64_t v, unsigned size) { gic_redist_write(ctx, off, v, size); }

/* --- system registers and HVC --------------------------------------------------------- */

static int sysreg_read(void *ctx, unsigned cpu, uint32_t enc, uint64_t *val)
{
	struct machine *m = ctx;
	if (enc == MPIDR_EL1) {
		*val = 0x80000000ull | cpu; /* RES1, Aff0 = CPU index */
		return 0;
	}
	if (vtimer_sysreg_read(&m->vcpu[cpu].timer, enc, cpu_now(m, cpu), val) == 0)
		return 0;
	return gic_sysreg_read(m->gic, cpu, enc, val);
}

static int sysreg_write(void *ctx, unsigned cpu, uint32_t enc, uint64_t val)
{
	struct machine *m = ctx;
	if (vtimer_sysreg_write(&m->vcpu[cpu].timer, enc, cpu_now(m, cpu), val) == 0) {
		update_timer_lines(m, cpu);
		clamp_running(m, next_deadline(m, (int)cpu));
		return 0;
	}
	if (enc == MPIDR_EL1)
		return 0;
	return gic_sysreg_write(m->gic, cpu, enc, val);
}

static void hvc(void *ctx, unsigned cpu, uint16_t imm, uint64_t x[4])
{
	struct machine *m = ctx;
	uint64_t fn = x[0];
	psci_call(&m->psci, cpu, x);
	hv_log(m, "cpu%u: HVC #%u function 0x%" PRIx64 " -> %" PRId64, cpu, imm, fn, (int64_t)x[0]);
}

static enum psci_power psci_state(void *ctx, unsigned cpu)
{
	struct machine *m = ctx;
	return m->vcpu[cpu].power;
}

static int psci_valid_entry(void *ctx, uint64_t pa) { return machine_gpa(ctx, pa, 4) != NULL; }

static void psci_cpu_on(void *ctx, unsigned cpu, uint64_t entry, uint64_t context_id)
{
	struct machine *m = ctx;
	hvcpu_reset(m->cpu, cpu, entry, context_id);
	m->vcpu[cpu].power = PSCI_POWER_ON;
	m->vcpu[cpu].wfi = false;
	memset(&m->vcpu[cpu].timer, 0, sizeof m->vcpu[cpu].timer);
	/* It joins the current round with its clock at the caller's time. */
	uint64_t now = machine_now_ns(m);
	m->vcpu[cpu].round_start = m->ctr[cpu].count - (now > m->round_base ? now - m->round_base : 0);
	hv_log(m, "cpu%u: on at 0x%" PRIx64 " (context 0x%" PRIx64 ")", cpu, entry, context_id);
}

static void psci_cpu_off(void *ctx, unsigned cpu)
{
	struct machine *m = ctx;
	m->vcpu[cpu].power = PSCI_POWER_OFF;
	hv_log(m, "cpu%u: off", cpu);
	if (m->current == (int)cpu)
		hvcpu_kick(m->cpu, cpu);
}

static void psci_system_off(void *ctx)
{
	machine_request_exit(ctx, HV_EXIT_POWEROFF, "guest called PSCI SYSTEM_OFF");
}

static void psci_system_reset(void *ctx)
{
	machine_request_exit(ctx, HV_EXIT_RESET, "guest called PSCI SYSTEM_RESET");
}

/* cpu_host.log: what the backend did on its own, for --verbose. */
static void backend_log(void *ctx, unsigned cpu, const char *msg)
{
	hv_log(ctx, "cpu%u: %s", cpu, msg);
}

static void timeout_fire(void *ctx, uint64_t now)
{
	struct machine *m = ctx;
	char why[96];
	snprintf(why, sizeof why, "timeout: %.3f s of %s time elapsed", m->cfg.timeout_s,
		 m->cfg.realtime ? "host" : "guest");
	machine_request_exit(m, HV_EXIT_TIMEOUT, why);
}

/* --- lifecycle ------------------------------------------------------------------------ */

struct machine *machine_create(const struct hv_config *cfg)
{
	struct machine *m = calloc(1, sizeof *m);
	char err[256];
	if (!m) {
		fprintf(stderr, "metalvisor: out of memory\n");
		return NULL;
	}
	m->cfg = *cfg;
	m->ncpus = cfg->cpus;
	m->current = -1;
	m->clock_cpu = -1;
	m->uart_timer = -1;
	m->stdin_flags = -1;
	m->ram_base = HV_RAM_BASE;
	m->ram_size = (uint64_t)cfg->ram_mib << 20;
	clock_gettime(CLOCK_MONOTONIC, &m->t0);
	m->ram = mmap(NULL, m->ram_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m->ram == MAP_FAILED) {
		m->ram = NULL;
		hv_err(m, "cannot allocate %u MiB of guest RAM: %s", cfg->ram_mib, strerror(errno));
		machine_destroy(m);
		return NULL;
	}
	struct cpu_host host = {
		.ctx = m,
		.mmio_read = bus_read,
		.mmio_write = bus_write,
		.sysreg_read = sysreg_read,
		.sysreg_write = sysreg_write,
		.hvc = hvc,
		.log = backend_log,
	};
	m->cpu = hvcpu_create(&host, m->ncpus, m->ctr, err, sizeof err);
	if (!m->cpu) {
		hv_err(m, "CPU backend: %s", err);
		machine_destroy(m);
		return NULL;
	}
	if (hvcpu_map_ram(m->cpu, m->ram_base, m->ram, m->ram_size) != 0) {
		hv_err(m, "cannot map guest RAM into the CPU backend");
		machine_destroy(m);
		return NULL;
	}
	if (hvcpu_has_irqchip(m->cpu) && !m->cfg.realtime) {
		/* No instruction counts from an in-kernel backend: host time. */
		m->cfg.realtime = true;
		hv_log(m, "%s backend: guest time follows the host clock", hvcpu_name(m->cpu));
	}
	m->gic = gic_create(m->ncpus, gic_wake, m);
	/* stdin feeds the UART only when it is a terminal or a pipe. */
	int in_fd = -1;
	struct stat st;
	if (isatty(STDIN_FILENO) || (fstat(STDIN_FILENO, &st) == 0 && S_ISFIFO(st.st_mode))) {
		in_fd = STDIN_FILENO;
		m->stdin_flags = fcntl(in_fd, F_GETFL);
		if (m->stdin_flags >= 0)
			fcntl(in_fd, F_SETFL, m->stdin_flags | O_NONBLOCK);
	}
	m->uart = pl011_create(stdout, in_fd, uart_irq, m);
	if (!m->gic || !m->uart ||
	    machine_add_mmio(m, HV_GIC_DIST_BASE, HV_GIC_DIST_SIZE, gicd_read, gicd_write, m->gic) ||
	    machine_add_mmio(m, HV_GIC_REDIST_BASE, HV_GIC_REDIST_STRIDE * m->ncpus, gicr_read,
			     gicr_write, m->gic) ||
	    machine_add_mmio(m, HV_UART_BASE, HV_UART_SIZE, pl011_read, pl011_write, m->uart)) {
		hv_err(m, "cannot set up the interrupt controller and UART");
		machine_destroy(m);
		return NULL;
	}
	m->psci = (struct psci_ops){ m,	       m->ncpus,       psci_state,	  psci_valid_entry,
				     psci_cpu_on, psci_cpu_off, psci_system_off, psci_system_reset };
	if (in_fd >= 0)
		m->uart_timer = machine_add_timer(m, UART_POLL_NS, uart_poll, m);
	if (cfg->timeout_s > 0)
		machine_add_timer(m, (uint64_t)(cfg->timeout_s * 1e9), timeout_fire, m);
	hv_log(m, "%s backend, %u vCPU(s), %u MiB RAM at 0x%" PRIx64 ", %s time",
	       hvcpu_name(m->cpu), m->ncpus, cfg->ram_mib, m->ram_base,
	       cfg->realtime ? "host" : "virtual");
	return m;
}

int machine_load(struct machine *m, const char *kernel_path)
{
	char err[512];
	size_t size;
	uint8_t *file = elf_read_file(kernel_path, &size, err, sizeof err);
	if (!file) {
		hv_err(m, "%s: %s", kernel_path, err);
		return HV_EXIT_USAGE;
	}
	struct elf_target t = { m->ram, m->ram_base, m->ram_size, m->ram_base, HV_DTB_MAX };
	struct elf_result r;
	int rc = elf_load(file, size, &t, &r, err, sizeof err);
	free(file);
	if (rc != 0) {
		hv_err(m, "%s: %s", kernel_path, err);
		return HV_EXIT_USAGE;
	}
	struct fdt_params fp = { m->ram_base, m->ram_size, m->ncpus, m->cfg.append, HV_VIRTIO_SLOTS };
	if (hv_fdt_build(&fp, m->ram, HV_DTB_MAX, err, sizeof err) != 0) {
		hv_err(m, "%s", err);
		return HV_EXIT_USAGE;
	}
	m->entry = r.entry;
	/* With an in-kernel irqchip, PSCI is in the kernel too: every vCPU is
	 * run and the secondaries wait there until CPU_ON. */
	bool kernel_psci = hvcpu_has_irqchip(m->cpu);
	for (unsigned c = 0; c < m->ncpus; c++)
		m->vcpu[c].power = kernel_psci ? PSCI_POWER_ON : PSCI_POWER_OFF;
	if (hvcpu_reset(m->cpu, 0, r.entry, m->ram_base) != 0) {
		hv_err(m, "cpu0: %s", hvcpu_last_error(m->cpu, 0));
		return HV_EXIT_HOST_ERROR;
	}
	m->vcpu[0].power = PSCI_POWER_ON;
	hv_log(m, "%s: %u segment(s) at [0x%" PRIx64 ", 0x%" PRIx64 "), entry 0x%" PRIx64
		  ", DTB at 0x%" PRIx64,
	       kernel_path, r.nsegments, r.lowest, r.highest, r.entry, m->ram_base);
	return 0;
}

/* Run vCPU c for the rest of its share of this round.  Returns true when
 * it executed anything. */
static bool run_cpu(struct machine *m, unsigned c)
{
	struct vcpu *v = &m->vcpu[c];
	bool ran = false;
	m->clock_cpu = (int)c;
	while (!m->exit_requested && v->power == PSCI_POWER_ON) {
		check_signal(m);
		if (m->exit_requested)
			break;
		uint64_t now = cpu_now(m, c);
		fire_timers(m, now);
		if (m->exit_requested || v->power != PSCI_POWER_ON)
			break;
		bool irqchip = hvcpu_has_irqchip(m->cpu);
		if (!irqchip)
			update_timer_lines(m, c);
		bool pending = !irqchip && gic_irq_pending(m->gic, c);
		if (v->wfi && !pending)
			break; /* asleep until an interrupt: let the others run */
		v->wfi = false;
		int taken = pending ? hvcpu_take_irq(m->cpu, c) : 0;
		if (taken < 0) {
			machine_request_exit(m, HV_EXIT_GUEST_ERROR, "cannot deliver an IRQ at EL2/EL3");
			break;
		}
		/* Pending but masked: stop as soon as the guest unmasks. */
		m->ctr[c].irq_waiting = pending && !taken;
		/* Budget: the rest of the quantum, cut at the next deadline. */
		uint64_t used = m->ctr[c].count - v->round_start;
		if (!m->cfg.realtime && used >= m->quantum)
			break;
		uint64_t budget = m->cfg.realtime ? m->quantum : m->quantum - used;
		uint64_t d = next_deadline(m, (int)c);
		if (!m->cfg.realtime && d != UINT64_MAX && d - now < budget)
			budget = d - now;
		if (budget == 0)
			budget = 1;
		m->ctr[c].limit = m->ctr[c].count + budget;
		uint64_t before = m->ctr[c].count;
		m->current = (int)c;
		enum cpu_exit e = hvcpu_run(m->cpu, c);
		m->current = -1;
		if (m->ctr[c].count != before)
			ran = true;
		if (e == CPU_EXIT_WFI) {
			v->wfi = true;
		} else if (e == CPU_EXIT_ERROR) {
			char why[400];
			snprintf(why, sizeof why, "cpu%u: %s", c, hvcpu_last_error(m->cpu, c));
			machine_request_exit(m, HV_EXIT_GUEST_ERROR, why);
		} else if (e == CPU_EXIT_SYSTEM_OFF) {
			machine_request_exit(m, HV_EXIT_POWEROFF, "guest called PSCI SYSTEM_OFF");
		} else if (e == CPU_EXIT_SYSTEM_RESET) {
			machine_request_exit(m, HV_EXIT_RESET, "guest called PSCI SYSTEM_RESET");
		}
		if (m->cfg.realtime)
			break; /* one quantum per round */
	}
	m->clock_cpu = -1;
	return ran;
}

/* Nothing can run: wait (host time) for input or the next deadline. */
static void idle_realtime(struct machine *m, uint64_t deadline)
{
	uint64_t now = host_ns(m);
	int ms = deadline == UINT64_MAX ? 10 : (deadline > now ? (int)((deadline - now) / 1000000) : 0);
	if (ms > 10)
		ms = 10;
	if (ms > 0)
		poll(NULL, 0, ms);
}

/* With --verbose: where every vCPU stopped (for guest bugs and hangs). */
static void dump_cpus(struct machine *m)
{
	static const char *const power[] = { "on", "off", "on-pending" };
	for (unsigned c = 0; c < m->ncpus; c++) {
		uint64_t pc = 0, ps = 0, sp = 0, lr = 0;
		hvcpu_get_reg(m->cpu, c, CPU_REG_PC, &pc);
		hvcpu_get_reg(m->cpu, c, CPU_REG_PSTATE, &ps);
		hvcpu_get_reg(m->cpu, c, CPU_REG_SP, &sp);
		hvcpu_get_reg(m->cpu, c, CPU_REG_X0 + 30, &lr);
		hv_log(m, "cpu%u: %s%s PC 0x%" PRIx64 " PSTATE 0x%" PRIx64 " SP 0x%" PRIx64
			  " LR 0x%" PRIx64 " instructions %" PRIu64,
		       c, power[m->vcpu[c].power], m->vcpu[c].wfi ? " (WFI)" : "", pc, ps, sp, lr,
		       m->ctr[c].count);
	}
}

int machine_run(struct machine *m)
{
	if (!m->virtio_up && virtio_devices_setup(m, &m->cfg) != 0) {
		hv_err(m, "virtio device setup failed");
		return HV_EXIT_HOST_ERROR;
	}
	m->virtio_up = true;
	while (!m->exit_requested) {
		check_signal(m);
		if (m->exit_requested)
			break;
		unsigned on = 0;
		for (unsigned c = 0; c < m->ncpus; c++)
			if (m->vcpu[c].power == PSCI_POWER_ON)
				on++;
		if (on == 0) {
			machine_request_exit(m, HV_EXIT_GUEST_ERROR, "every CPU is off (PSCI CPU_OFF)");
			break;
		}
		m->quantum = on > 1 ? QUANTUM_SMP : QUANTUM_UP;
		for (unsigned c = 0; c < m->ncpus; c++)
			m->vcpu[c].round_start = m->ctr[c].count;
		bool ran = false;
		for (unsigned c = 0; c < m->ncpus && !m->exit_requested; c++)
			if (m->vcpu[c].power == PSCI_POWER_ON)
				ran |= run_cpu(m, c);
		if (m->exit_requested)
			break;
		if (m->cfg.realtime) {
			if (!ran)
				idle_realtime(m, next_deadline(m, -1));
			fire_timers(m, host_ns(m));
			continue;
		}
		if (ran) {
			m->round_base += m->quantum;
			continue;
		}
		/* Every vCPU sleeps: jump guest time to the next event. */
		uint64_t d = UINT64_MAX;
		for (unsigned c = 0; c < m->ncpus; c++)
			if (m->vcpu[c].power == PSCI_POWER_ON) {
				uint64_t dc = next_deadline(m, (int)c);
				if (dc < d)
					d = dc;
			}
		if (d == UINT64_MAX) {
			machine_request_exit(m, HV_EXIT_GUEST_ERROR,
					     "every CPU waits for an interrupt that can never come");
			break;
		}
		m->round_base = d > m->round_base ? d : m->round_base + 1;
		fire_timers(m, m->round_base);
	}
	fflush(stdout);
	hv_log(m, "exit %d: %s (guest time %.6f s)", m->exit_status, m->exit_why,
	       (double)machine_now_ns(m) / 1e9);
	if (m->exit_status != HV_EXIT_POWEROFF) {
		hv_err(m, "%s", m->exit_why);
		dump_cpus(m);
	}
	return m->exit_status;
}

void machine_destroy(struct machine *m)
{
	if (!m)
		return;
	if (m->virtio_up)
		virtio_devices_teardown(m);
	if (m->uart)
		pl011_destroy(m->uart);
	if (m->stdin_flags >= 0)
		fcntl(STDIN_FILENO, F_SETFL, m->stdin_flags);
	if (m->gic)
		gic_destroy(m->gic);
	if (m->cpu)
		hvcpu_destroy(m->cpu);
	if (m->ram)
		munmap(m->ram, m->ram_size);
	free(m);
}
