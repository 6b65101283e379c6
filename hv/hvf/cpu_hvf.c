/*
 * cpu_hvf.c - the Hypervisor.framework CPU backend (macOS 15+ on Apple
 * silicon), behind cpu.h.
 *
 * NOT BUILT OR RUN HERE: this project's machines are Linux/x86-64, which
 * have neither <Hypervisor/Hypervisor.h> nor Apple silicon.  mk/native.mk
 * builds it only when `uname -s` is Darwin (target metalvisor-hvf).  The
 * API names and semantics were checked against Apple's Hypervisor
 * documentation; see docs/HYPERVISOR.md, "Hypervisor.framework backend".
 *
 * Shape (the same as the KVM backend, so the machine's has_irqchip path
 * drives it unchanged):
 *  - The GICv3 is Apple's in-kernel one (hv_gic_create, macOS 15+) at the
 *    machine's distributor/redistributor addresses.  It also owns the ICC_*
 *    system registers and the virtual timer's PPI, so guest time is host
 *    time (the machine switches to --realtime for an irqchip backend) and
 *    SPIs go in with hv_gic_set_spi().  Why not the machine's emulated GIC
 *    (hv_vcpu_set_pending_interrupt): under HVF the virtual timer runs
 *    natively and only reports HV_EXIT_REASON_VTIMER_ACTIVATED, and cpu.h
 *    has no way to hand that PPI to the machine's GIC.
 *  - PSCI is NOT in the kernel under HVF (HVC exits to us), but the machine
 *    assumes it is whenever has_irqchip is true (it runs every vCPU and
 *    never sees CPU_ON).  So this backend keeps each vCPU's power state and
 *    answers PSCI itself with hv/src/psci.c, exactly as KVM does in-kernel.
 *  - Everything else that traps comes back through struct cpu_host: data
 *    aborts on MMIO windows (decoded from ESR_EL2's instruction syndrome)
 *    and system registers HVF does not handle.
 *
 * Threads: Hypervisor.framework binds a vCPU to the thread that created it
 * ("call functions that operate on the vCPU from the same thread, with the
 * exception of hv_vcpus_exit").  The machine runs every vCPU from one
 * thread, so each vCPU gets a worker thread here and every per-vCPU call is
 * handed to it and waited for.  Only one thread is ever active at a time
 * (the caller blocks while its worker works), so the machine's
 * single-threaded callbacks stay single-threaded.  The waiting caller is
 * also the watchdog: when the time slice (ctr->limit - ctr->count, in ns)
 * runs out it calls hv_vcpus_exit().
 *
 * Instruction counting: HVF cannot count instructions.  ctr->count advances
 * by the host nanoseconds each hvcpu_run() took, which is the unit the
 * machine's clock uses (1 instruction = 1 ns), so time slices keep their
 * meaning.
 */
#include "cpu.h"
#include "esr.h"
#include "machine.h"
#include "psci.h"

#include <Hypervisor/Hypervisor.h>
#include <errno.h>
#include <inttypes.h>
#include <mach/mach_time.h>
#include <os/object.h> /* os_release() for the GIC configuration */
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PSTATE_BOOT 0x3C5u /* EL1h, D A I F masked */
#define CPACR_FPEN_ALL (3u << 20)
#define MAX_WINDOWS 32
#define IDLE_MAX_NS 1000000u /* longest WFI sleep when every vCPU idles */
/* Shortest time slice.  The machine's quanta (20-200 us) are sized for
 * counted instructions; handing a vCPU to its thread and back costs some
 * microseconds, so shorter slices could end before the guest ran at all. */
#define MIN_SLICE_NS 1000000u
#define MAX_RAM 4

/* CNTV_CTL_EL0 bits. */
#define CNTV_ENABLE 1u
#define CNTV_IMASK 2u

enum vcpu_op { OP_NONE, OP_RESET, OP_RUN, OP_GET, OP_SET, OP_QUIT };

struct hvf_vcpu {
	struct cpu_backend *b;
	unsigned index;
	pthread_t thread;
	bool thread_started;
	struct cpu_counter *ctr;

	/* Owned by the worker thread. */
	bool made; /* hv_vcpu_create succeeded: destroy it on the way out */
	hv_vcpu_t id;
	hv_vcpu_exit_t *exit;

	/* The request slot (guarded by b->lock). */
	enum vcpu_op op;
	bool done;
	int created; /* 0 pending, 1 ok, -1 failed */
	enum cpu_reg reg;
	uint64_t val, x0;
	int rc;
	enum cpu_exit result;
	bool slice_over; /* the caller's watchdog fired */
	bool kicked; /* hvcpu_kick() */

	/* PSCI state (touched only by the one active thread). */
	enum psci_power power;
	bool idle; /* its last run ended in WFI */
	uint64_t on_entry, on_context; /* for a pending CPU_ON */
	int system_exit; /* -1, or CPU_EXIT_SYSTEM_OFF / CPU_EXIT_SYSTEM_RESET */

	char err[256];
};

struct range {
	uint64_t base, size;
};

struct cpu_backend {
	struct cpu_host host;
	unsigned ncpus;
	pthread_mutex_t lock;
	pthread_cond_t cond; /* every request/completion; waiters re-check their own state */
	bool vm_created;
	struct psci_ops psci;
	unsigned psci_caller; /* the vCPU whose HVC is being answered */
	struct range ram[MAX_RAM];
	unsigned nram;
	struct range windows[MAX_WINDOWS];
	unsigned nwindows;
	mach_timebase_info_data_t timebase;
	struct hvf_vcpu cpus[];
};

static void set_error(struct hvf_vcpu *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void set_error(struct hvf_vcpu *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->err, sizeof c->err, fmt, ap);
	va_end(ap);
}

static uint64_t host_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* pthread_cond_timedwait takes a CLOCK_REALTIME deadline. */
static struct timespec realtime_after(uint64_t ns)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	uint64_t t = (uint64_t)ts.tv_nsec + ns % 1000000000ull;
	ts.tv_sec += (time_t)(ns / 1000000000ull + t / 1000000000ull);
	ts.tv_nsec = (long)(t % 1000000000ull);
	return ts;
}

static bool in_ranges(const struct range *r, unsigned n, uint64_t pa, uint64_t len)
{
	for (unsigned i = 0; i < n; i++)
		if (pa >= r[i].base && pa - r[i].base < r[i].size && len <= r[i].size - (pa - r[i].base))
			return true;
	return false;
}

/* --- registers (worker thread only) ----------------------------------------------- */

/* hv_reg_t numbers X0..X30 consecutively (HV_REG_FP and HV_REG_LR are
 * aliases of X29 and X30). */
static uint64_t xreg(struct hvf_vcpu *c, unsigned n)
{
	uint64_t v = 0;
	if (n < 31)
		hv_vcpu_get_reg(c->id, (hv_reg_t)(HV_REG_X0 + n), &v);
	return v; /* n == 31: XZR */
}

static void set_xreg(struct hvf_vcpu *c, unsigned n, uint64_t v)
{
	if (n < 31)
		hv_vcpu_set_reg(c->id, (hv_reg_t)(HV_REG_X0 + n), v);
}

static void advance_pc(struct hvf_vcpu *c)
{
	uint64_t pc = 0;
	hv_vcpu_get_reg(c->id, HV_REG_PC, &pc);
	hv_vcpu_set_reg(c->id, HV_REG_PC, pc + 4);
}

static uint64_t current_pc(struct hvf_vcpu *c)
{
	uint64_t pc = 0;
	hv_vcpu_get_reg(c->id, HV_REG_PC, &pc);
	return pc;
}

static int do_reset(struct hvf_vcpu *c, uint64_t entry, uint64_t x0)
{
	hv_return_t r = HV_SUCCESS;
	for (unsigned i = 0; i < 31 && r == HV_SUCCESS; i++)
		r = hv_vcpu_set_reg(c->id, (hv_reg_t)(HV_REG_X0 + i), 0);
	if (r == HV_SUCCESS)
		r = hv_vcpu_set_reg(c->id, HV_REG_X0, x0);
	if (r == HV_SUCCESS)
		r = hv_vcpu_set_reg(c->id, HV_REG_PC, entry);
	if (r == HV_SUCCESS)
		r = hv_vcpu_set_reg(c->id, HV_REG_CPSR, PSTATE_BOOT);
	if (r == HV_SUCCESS)
		r = hv_vcpu_set_sys_reg(c->id, HV_SYS_REG_SP_EL1, 0);
	if (r == HV_SUCCESS)
		r = hv_vcpu_set_sys_reg(c->id, HV_SYS_REG_CPACR_EL1, CPACR_FPEN_ALL);
	if (r != HV_SUCCESS) {
		set_error(c, "setting boot registers failed (hv_return_t 0x%x)", (unsigned)r);
		return -1;
	}
	c->power = PSCI_POWER_ON;
	return 0;
}

/* CPU_REG_SP is the SP of the current mode: SP_EL1 in EL1h, else SP_EL0. */
static hv_sys_reg_t current_sp(struct hvf_vcpu *c)
{
	uint64_t cpsr = 0;
	hv_vcpu_get_reg(c->id, HV_REG_CPSR, &cpsr);
	return (cpsr & 0xF) == 0x5 ? HV_SYS_REG_SP_EL1 : HV_SYS_REG_SP_EL0;
}

static int do_get(struct hvf_vcpu *c, enum cpu_reg reg, uint64_t *val)
{
	hv_return_t r;
	if (reg <= 30)
		r = hv_vcpu_get_reg(c->id, (hv_reg_t)(HV_REG_X0 + reg), val);
	else if (reg == CPU_REG_SP)
		r = hv_vcpu_get_sys_reg(c->id, current_sp(c), val);
	else if (reg == CPU_REG_PC)
		r = hv_vcpu_get_reg(c->id, HV_REG_PC, val);
	else if (reg == CPU_REG_PSTATE)
		r = hv_vcpu_get_reg(c->id, HV_REG_CPSR, val);
	else
		return -1;
	return r == HV_SUCCESS ? 0 : -1;
}

static int do_set(struct hvf_vcpu *c, enum cpu_reg reg, uint64_t val)
{
	hv_return_t r;
	if (reg <= 30)
		r = hv_vcpu_set_reg(c->id, (hv_reg_t)(HV_REG_X0 + reg), val);
	else if (reg == CPU_REG_SP)
		r = hv_vcpu_set_sys_reg(c->id, current_sp(c), val);
	else if (reg == CPU_REG_PC)
		r = hv_vcpu_set_reg(c->id, HV_REG_PC, val);
	else if (reg == CPU_REG_PSTATE)
		r = hv_vcpu_set_reg(c->id, HV_REG_CPSR, val);
	else
		return -1;
	return r == HV_SUCCESS ? 0 : -1;
}

/* --- PSCI (answered here: HVF has no in-kernel PSCI) -------------------------------- */

static enum psci_power psci_state(void *ctx, unsigned cpu)
{
	struct cpu_backend *b = ctx;
	return b->cpus[cpu].power;
}

static int psci_valid_entry(void *ctx, uint64_t pa)
{
	struct cpu_backend *b = ctx;
	return in_ranges(b->ram, b->nram, pa, 4);
}

/* The target's registers belong to its own thread: record the request and
 * let its next hvcpu_run() apply it. */
static void psci_cpu_on(void *ctx, unsigned cpu, uint64_t entry, uint64_t context_id)
{
	struct cpu_backend *b = ctx;
	b->cpus[cpu].power = PSCI_POWER_ON_PENDING;
	b->cpus[cpu].on_entry = entry;
	b->cpus[cpu].on_context = context_id;
}

static void psci_cpu_off(void *ctx, unsigned cpu)
{
	struct cpu_backend *b = ctx;
	b->cpus[cpu].power = PSCI_POWER_OFF;
}

static void psci_system_off(void *ctx)
{
	struct cpu_backend *b = ctx;
	b->cpus[b->psci_caller].system_exit = CPU_EXIT_SYSTEM_OFF;
}

static void psci_system_reset(void *ctx)
{
	struct cpu_backend *b = ctx;
	b->cpus[b->psci_caller].system_exit = CPU_EXIT_SYSTEM_RESET;
}

/* --- exits (worker thread) ------------------------------------------------------------ */

enum step { STEP_CONTINUE, STEP_STOP, STEP_ERROR };

/* A data abort on a guest-physical address outside RAM: MMIO, emulated
 * from ESR_EL2's instruction syndrome (esr.h). */
static enum step handle_mmio(struct hvf_vcpu *c, uint64_t esr, uint64_t pa)
{
	struct cpu_backend *b = c->b;
	struct esr_dabt d = esr_decode_dabt(esr);
	if (!d.valid) {
		set_error(c,
			  "%s of physical address 0x%" PRIx64 " at PC 0x%" PRIx64
			  " has no instruction syndrome (load/store pair or writeback on MMIO is not emulated)",
			  d.write ? "write" : "read", pa, current_pc(c));
		return STEP_ERROR;
	}
	if (!in_ranges(b->windows, b->nwindows, pa, d.size)) {
		set_error(c, "%s unmapped physical address 0x%" PRIx64 " (%u bytes) at PC 0x%" PRIx64,
			  d.write ? "write to" : "read from", pa, d.size, current_pc(c));
		return STEP_ERROR;
	}
	if (d.write) {
		b->host.mmio_write(b->host.ctx, c->index, pa, esr_dabt_store_value(&d, xreg(c, d.rt)), d.size);
	} else {
		uint64_t raw = b->host.mmio_read(b->host.ctx, c->index, pa, d.size);
		set_xreg(c, d.rt, esr_dabt_load_value(&d, raw));
	}
	advance_pc(c);
	return STEP_CONTINUE;
}

/* MRS/MSR that HVF trapped and does not handle itself (EC 0x18). */
static enum step handle_sysreg(struct hvf_vcpu *c, uint64_t esr)
{
	struct cpu_backend *b = c->b;
	struct esr_sysreg r = esr_decode_sysreg(esr);
	int rc;
	if (r.read) {
		uint64_t v = 0;
		rc = b->host.sysreg_read(b->host.ctx, c->index, r.enc, &v);
		if (rc == 0)
			set_xreg(c, r.rt, v);
	} else {
		rc = b->host.sysreg_write(b->host.ctx, c->index, r.enc, xreg(c, r.rt));
	}
	if (rc != 0) {
		set_error(c,
			  "%s of system register op0=%u op1=%u CRn=%u CRm=%u op2=%u at PC 0x%" PRIx64
			  " is not emulated",
			  r.read ? "read" : "write", (unsigned)(r.enc >> 14) & 3, (unsigned)(r.enc >> 11) & 7,
			  (unsigned)(r.enc >> 7) & 15, (unsigned)(r.enc >> 3) & 15, (unsigned)r.enc & 7,
			  current_pc(c));
		return STEP_ERROR;
	}
	advance_pc(c);
	return STEP_CONTINUE;
}

/* HVC #imm (EC 0x16): PSCI.  HVC traps after it executes, so the PC
 * already points at the next instruction (its preferred return address). */
static enum step handle_hvc(struct hvf_vcpu *c)
{
	struct cpu_backend *b = c->b;
	uint64_t x[4];
	for (unsigned i = 0; i < 4; i++)
		x[i] = xreg(c, i);
	b->psci_caller = c->index;
	psci_call(&b->psci, c->index, x);
	set_xreg(c, 0, x[0]);
	if (c->system_exit >= 0 || c->power != PSCI_POWER_ON)
		return STEP_STOP; /* SYSTEM_OFF/RESET, or CPU_OFF of this vCPU */
	return STEP_CONTINUE;
}

/* True when every other powered-on vCPU last stopped in WFI too. */
static bool others_idle(const struct hvf_vcpu *c)
{
	const struct cpu_backend *b = c->b;
	for (unsigned i = 0; i < b->ncpus; i++) {
		const struct hvf_vcpu *o = &b->cpus[i];
		if (o != c && (o->power == PSCI_POWER_ON_PENDING || (o->power == PSCI_POWER_ON && !o->idle)))
			return false;
	}
	return true;
}

/* WFI: sleep until the guest's virtual timer would fire or the time slice
 * ends (whichever comes first), then give the thread back.  When every
 * vCPU idles, the sleep may run past the slice (up to IDLE_MAX_NS), so an
 * idle guest does not keep a host core busy; machine timers (vsync, UART
 * polling) are then up to that late.  An SPI raised meanwhile is taken at
 * the next hv_vcpu_run(); the in-kernel GIC holds it. */
static void idle_wfi(struct hvf_vcpu *c, uint64_t slice_end_ns)
{
	struct cpu_backend *b = c->b;
	uint64_t now = host_ns();
	uint64_t until = slice_end_ns;
	if (others_idle(c) && until < now + IDLE_MAX_NS)
		until = now + IDLE_MAX_NS;
	uint64_t ctl = 0, cval = 0, offset = 0;
	if (hv_vcpu_get_sys_reg(c->id, HV_SYS_REG_CNTV_CTL_EL0, &ctl) == HV_SUCCESS &&
	    (ctl & (CNTV_ENABLE | CNTV_IMASK)) == CNTV_ENABLE &&
	    hv_vcpu_get_sys_reg(c->id, HV_SYS_REG_CNTV_CVAL_EL0, &cval) == HV_SUCCESS &&
	    hv_vcpu_get_vtimer_offset(c->id, &offset) == HV_SUCCESS) {
		/* The guest's CNTVCT = mach_absolute_time() - CNTVOFF. */
		uint64_t vcount = mach_absolute_time() - offset;
		uint64_t ticks = cval > vcount ? cval - vcount : 0;
		if (ticks < UINT32_MAX) { /* minutes away at most: the product cannot overflow */
			uint64_t ns = ticks * b->timebase.numer / b->timebase.denom;
			if (ns < until - now)
				until = now + ns;
		}
	}
	if (until <= now)
		return;
	pthread_mutex_lock(&b->lock);
	struct timespec ts = realtime_after(until - now);
	while (!c->kicked && (!c->slice_over || until > slice_end_ns)) {
		if (pthread_cond_timedwait(&b->cond, &b->lock, &ts) == ETIMEDOUT)
			break;
	}
	pthread_mutex_unlock(&b->lock);
}

static enum step handle_exception(struct hvf_vcpu *c, uint64_t slice_end_ns)
{
	uint64_t syndrome = c->exit->exception.syndrome;
	unsigned ec = esr_class(syndrome);
	switch (ec) {
	case ESR_EC_DABT_LOWER:
		return handle_mmio(c, syndrome, c->exit->exception.physical_address);
	case ESR_EC_SYSREG:
		return handle_sysreg(c, syndrome);
	case ESR_EC_HVC64:
		return handle_hvc(c);
	case ESR_EC_SMC64:
		/* No secure firmware: SMCCC says unknown calls return -1. */
		set_xreg(c, 0, (uint64_t)(int64_t)-1);
		advance_pc(c);
		return STEP_CONTINUE;
	case ESR_EC_WFX:
		advance_pc(c);
		if (!esr_wfx_is_wfe(syndrome)) { /* WFE just yields */
			c->idle = true;
			idle_wfi(c, slice_end_ns);
		}
		return STEP_STOP;
	case ESR_EC_IABT_LOWER:
		set_error(c, "instruction fetch from unmapped physical address 0x%" PRIx64 " (PC 0x%" PRIx64 ")",
			  c->exit->exception.physical_address, current_pc(c));
		return STEP_ERROR;
	default:
		set_error(c, "unhandled exception class 0x%02x (ESR_EL2 0x%" PRIx64 ") at PC 0x%" PRIx64
			  ", address 0x%" PRIx64,
			  ec, syndrome, current_pc(c), c->exit->exception.physical_address);
		return STEP_ERROR;
	}
}

static bool stop_requested(struct hvf_vcpu *c)
{
	pthread_mutex_lock(&c->b->lock);
	bool stop = c->slice_over || c->kicked;
	pthread_mutex_unlock(&c->b->lock);
	return stop;
}

static enum cpu_exit do_run(struct hvf_vcpu *c, uint64_t slice_end_ns)
{
	if (c->power == PSCI_POWER_ON_PENDING && do_reset(c, c->on_entry, c->on_context) != 0)
		return CPU_EXIT_ERROR;
	if (c->power != PSCI_POWER_ON)
		return CPU_EXIT_LIMIT; /* off: nothing to run until CPU_ON */
	c->idle = false;
	for (;;) {
		if (stop_requested(c))
			return CPU_EXIT_LIMIT;
		hv_return_t r = hv_vcpu_run(c->id);
		if (r != HV_SUCCESS) {
			set_error(c, "hv_vcpu_run failed (hv_return_t 0x%x)", (unsigned)r);
			return CPU_EXIT_ERROR;
		}
		switch (c->exit->reason) {
		case HV_EXIT_REASON_CANCELED: /* hv_vcpus_exit(): slice over or kicked */
			return CPU_EXIT_LIMIT;
		case HV_EXIT_REASON_VTIMER_ACTIVATED:
			/* Not expected with the in-kernel GIC (it takes the timer
			 * PPI itself); unmask and carry on if it comes anyway. */
			hv_vcpu_set_vtimer_mask(c->id, false);
			continue;
		case HV_EXIT_REASON_EXCEPTION:
			switch (handle_exception(c, slice_end_ns)) {
			case STEP_CONTINUE:
				continue;
			case STEP_STOP:
				if (c->system_exit >= 0) {
					enum cpu_exit e = (enum cpu_exit)c->system_exit;
					c->system_exit = -1;
					return e;
				}
				return CPU_EXIT_LIMIT;
			case STEP_ERROR:
				return CPU_EXIT_ERROR;
			}
			break;
		default:
			set_error(c, "unexpected exit reason %u", (unsigned)c->exit->reason);
			return CPU_EXIT_ERROR;
		}
	}
}

/* --- worker threads --------------------------------------------------------------------- */

static int vcpu_init(struct hvf_vcpu *c)
{
	hv_return_t r = hv_vcpu_create(&c->id, &c->exit, NULL);
	if (r != HV_SUCCESS) {
		set_error(c, "hv_vcpu_create failed (hv_return_t 0x%x)", (unsigned)r);
		return -1;
	}
	c->made = true;
	/* MPIDR_EL1.Aff0 = index: the DTB's cpu@N reg, and what places this
	 * vCPU's redistributor (Apple: set the affinity before asking). */
	r = hv_vcpu_set_sys_reg(c->id, HV_SYS_REG_MPIDR_EL1, c->index);
	if (r != HV_SUCCESS) {
		set_error(c, "setting MPIDR_EL1 failed (hv_return_t 0x%x)", (unsigned)r);
		return -1;
	}
	hv_ipa_t rd = 0;
	r = hv_gic_get_redistributor_base(c->id, &rd);
	uint64_t want = HV_GIC_REDIST_BASE + (uint64_t)c->index * HV_GIC_REDIST_STRIDE;
	if (r != HV_SUCCESS || rd != want) {
		set_error(c, "vCPU %u's redistributor is at 0x%" PRIx64 ", the device tree says 0x%" PRIx64,
			  c->index, (uint64_t)rd, want);
		return -1;
	}
	return 0;
}

static void *vcpu_thread(void *arg)
{
	struct hvf_vcpu *c = arg;
	struct cpu_backend *b = c->b;
	/* Signals (SIGINT, SIGUSR1, ...) belong to the machine's thread. */
	sigset_t all;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);

	int ok = vcpu_init(c);
	pthread_mutex_lock(&b->lock);
	c->created = ok == 0 ? 1 : -1;
	pthread_cond_broadcast(&b->cond);
	for (;;) {
		while (c->op == OP_NONE)
			pthread_cond_wait(&b->cond, &b->lock);
		enum vcpu_op op = c->op;
		uint64_t slice_end = c->val;
		pthread_mutex_unlock(&b->lock);
		switch (op) {
		case OP_RESET:
			c->rc = do_reset(c, c->val, c->x0);
			break;
		case OP_RUN: {
			uint64_t t0 = host_ns();
			c->result = do_run(c, slice_end);
			c->ctr->count += host_ns() - t0;
			break;
		}
		case OP_GET:
			c->rc = do_get(c, c->reg, &c->val);
			break;
		case OP_SET:
			c->rc = do_set(c, c->reg, c->val);
			break;
		case OP_QUIT:
		case OP_NONE:
			break;
		}
		pthread_mutex_lock(&b->lock);
		c->op = OP_NONE;
		c->done = true;
		pthread_cond_broadcast(&b->cond);
		if (op == OP_QUIT)
			break;
	}
	pthread_mutex_unlock(&b->lock);
	if (c->made)
		hv_vcpu_destroy(c->id); /* on its own thread, as Apple requires */
	return NULL;
}

/* Hand a request to vCPU c's thread and wait for it.  For OP_RUN, wait at
 * most until slice_end_ns, then force the vCPU out with hv_vcpus_exit()
 * (the one call Apple allows from another thread) and wait for it. */
static void call_vcpu(struct hvf_vcpu *c, enum vcpu_op op)
{
	struct cpu_backend *b = c->b;
	pthread_mutex_lock(&b->lock);
	uint64_t slice_end = c->val;
	c->done = false;
	c->op = op;
	pthread_cond_broadcast(&b->cond);
	bool forced = op != OP_RUN;
	while (!c->done) {
		if (forced) {
			pthread_cond_wait(&b->cond, &b->lock);
			continue;
		}
		uint64_t now = host_ns();
		struct timespec ts = realtime_after(slice_end > now ? slice_end - now : 0);
		if (pthread_cond_timedwait(&b->cond, &b->lock, &ts) == ETIMEDOUT && !c->done) {
			c->slice_over = true;
			hv_vcpus_exit(&c->id, 1);
			pthread_cond_broadcast(&b->cond); /* wakes a WFI sleep */
			forced = true;
		}
	}
	pthread_mutex_unlock(&b->lock);
}

/* --- interface ---------------------------------------------------------------------------- */

struct cpu_backend *hvcpu_create(const struct cpu_host *host, unsigned ncpus,
				 struct cpu_counter *counters, char *err, size_t errlen)
{
	struct cpu_backend *b = calloc(1, sizeof *b + ncpus * sizeof b->cpus[0]);
	if (!b) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	b->host = *host;
	b->ncpus = ncpus;
	pthread_mutex_init(&b->lock, NULL);
	pthread_cond_init(&b->cond, NULL);
	mach_timebase_info(&b->timebase);
	b->psci = (struct psci_ops){ b, ncpus, psci_state, psci_valid_entry, psci_cpu_on,
				     psci_cpu_off, psci_system_off, psci_system_reset };

	hv_return_t r = hv_vm_create(NULL);
	if (r != HV_SUCCESS) {
		snprintf(err, errlen,
			 "hv_vm_create failed (hv_return_t 0x%x): is the binary signed with the "
			 "com.apple.security.hypervisor entitlement?",
			 (unsigned)r);
		goto fail;
	}
	b->vm_created = true;

	/* The in-kernel GICv3 goes in after the VM and before any vCPU. */
	size_t dist_align = 0, redist_align = 0, redist_size = 0, dist_size = 0, region_size = 0;
	uint32_t spi_base = 0, spi_count = 0;
	if (hv_gic_get_distributor_base_alignment(&dist_align) != HV_SUCCESS ||
	    hv_gic_get_redistributor_base_alignment(&redist_align) != HV_SUCCESS ||
	    hv_gic_get_distributor_size(&dist_size) != HV_SUCCESS ||
	    hv_gic_get_redistributor_size(&redist_size) != HV_SUCCESS ||
	    hv_gic_get_redistributor_region_size(&region_size) != HV_SUCCESS ||
	    hv_gic_get_spi_interrupt_range(&spi_base, &spi_count) != HV_SUCCESS) {
		snprintf(err, errlen, "cannot query the in-kernel GIC (needs macOS 15 or later)");
		goto fail;
	}
	/* The redistributor region covers every vCPU the framework supports,
	 * not just ours: it must not swallow the UART above it. */
	if (dist_size > HV_GIC_DIST_SIZE || HV_GIC_REDIST_BASE + region_size > HV_UART_BASE) {
		snprintf(err, errlen,
			 "the in-kernel GIC's distributor (0x%zx bytes) or redistributor region (0x%zx bytes "
			 "from 0x%llx) overlaps the machine's other devices",
			 dist_size, region_size, HV_GIC_REDIST_BASE);
		goto fail;
	}
	if ((dist_align && HV_GIC_DIST_BASE % dist_align) || (redist_align && HV_GIC_REDIST_BASE % redist_align) ||
	    redist_size != HV_GIC_REDIST_STRIDE) {
		snprintf(err, errlen,
			 "the in-kernel GIC wants distributor alignment 0x%zx, redistributor alignment 0x%zx "
			 "and 0x%zx bytes per redistributor; the machine has 0x%llx, 0x%llx and 0x%llx",
			 dist_align, redist_align, redist_size, HV_GIC_DIST_BASE, HV_GIC_REDIST_BASE,
			 HV_GIC_REDIST_STRIDE);
		goto fail;
	}
	uint32_t highest = 32 + HV_VIRTIO_SPI_BASE + HV_VIRTIO_SLOTS - 1;
	if (spi_base > 32 + HV_UART_SPI || spi_base + spi_count <= highest) {
		snprintf(err, errlen, "the in-kernel GIC's SPIs are INTIDs %u..%u; the machine needs %u..%u",
			 spi_base, spi_base + spi_count - 1, 32 + HV_UART_SPI, highest);
		goto fail;
	}
	hv_gic_config_t gic = hv_gic_config_create();
	r = hv_gic_config_set_distributor_base(gic, HV_GIC_DIST_BASE);
	if (r == HV_SUCCESS)
		r = hv_gic_config_set_redistributor_base(gic, HV_GIC_REDIST_BASE);
	if (r == HV_SUCCESS)
		r = hv_gic_create(gic);
	os_release(gic);
	if (r != HV_SUCCESS) {
		snprintf(err, errlen, "hv_gic_create failed (hv_return_t 0x%x)", (unsigned)r);
		goto fail;
	}

	for (unsigned i = 0; i < ncpus; i++) {
		struct hvf_vcpu *c = &b->cpus[i];
		c->b = b;
		c->index = i;
		c->ctr = &counters[i];
		c->power = PSCI_POWER_OFF; /* vCPU 0 comes on with hvcpu_reset() */
		c->system_exit = -1;
		if (pthread_create(&c->thread, NULL, vcpu_thread, c) != 0) {
			snprintf(err, errlen, "cannot start the thread of vCPU %u", i);
			goto fail;
		}
		c->thread_started = true;
		pthread_mutex_lock(&b->lock);
		while (c->created == 0)
			pthread_cond_wait(&b->cond, &b->lock);
		pthread_mutex_unlock(&b->lock);
		if (c->created < 0) {
			snprintf(err, errlen, "vCPU %u: %s", i, c->err);
			goto fail;
		}
	}
	return b;
fail:
	hvcpu_destroy(b);
	return NULL;
}

void hvcpu_destroy(struct cpu_backend *b)
{
	if (!b)
		return;
	for (unsigned i = 0; i < b->ncpus; i++) {
		struct hvf_vcpu *c = &b->cpus[i];
		if (!c->thread_started)
			continue;
		call_vcpu(c, OP_QUIT);
		pthread_join(c->thread, NULL);
	}
	if (b->vm_created)
		hv_vm_destroy(); /* also destroys the GIC */
	pthread_cond_destroy(&b->cond);
	pthread_mutex_destroy(&b->lock);
	free(b);
}

const char *hvcpu_name(const struct cpu_backend *b) { return "hvf"; }
bool hvcpu_has_irqchip(const struct cpu_backend *b) { return true; }

int hvcpu_map_ram(struct cpu_backend *b, uint64_t gpa, void *host, uint64_t size)
{
	if (b->nram == MAX_RAM)
		return -1;
	/* host must be page aligned (16 KiB on Apple silicon); mmap gives that. */
	if (hv_vm_map(host, gpa, size, HV_MEMORY_READ | HV_MEMORY_WRITE | HV_MEMORY_EXEC) != HV_SUCCESS)
		return -1;
	b->ram[b->nram++] = (struct range){ gpa, size };
	return 0;
}

/* Nothing to map: an access to unmapped IPA space is a data abort that
 * comes back to us.  The windows are recorded so that an access outside
 * every window is reported as an error, as the Unicorn backend does. */
int hvcpu_map_mmio(struct cpu_backend *b, uint64_t gpa, uint64_t size)
{
	if (b->nwindows == MAX_WINDOWS)
		return -1;
	b->windows[b->nwindows++] = (struct range){ gpa, size };
	return 0;
}

int hvcpu_reset(struct cpu_backend *b, unsigned cpu, uint64_t entry, uint64_t x0)
{
	if (cpu >= b->ncpus)
		return -1;
	struct hvf_vcpu *c = &b->cpus[cpu];
	c->val = entry;
	c->x0 = x0;
	call_vcpu(c, OP_RESET);
	return c->rc;
}

enum cpu_exit hvcpu_run(struct cpu_backend *b, unsigned cpu)
{
	struct hvf_vcpu *c = &b->cpus[cpu];
	if (c->ctr->count >= c->ctr->limit)
		return CPU_EXIT_LIMIT;
	c->slice_over = false;
	c->kicked = false;
	uint64_t slice = c->ctr->limit - c->ctr->count;
	c->val = host_ns() + (slice < MIN_SLICE_NS ? MIN_SLICE_NS : slice); /* slice end */
	call_vcpu(c, OP_RUN);
	return c->result;
}

void hvcpu_kick(struct cpu_backend *b, unsigned cpu)
{
	struct hvf_vcpu *c = &b->cpus[cpu];
	/* Usually called from a host callback on c's own thread (between
	 * hv_vcpu_run calls): the flag ends the run loop.  From elsewhere,
	 * hv_vcpus_exit also pulls the vCPU out of the guest. */
	pthread_mutex_lock(&b->lock);
	c->kicked = true;
	pthread_cond_broadcast(&b->cond);
	pthread_mutex_unlock(&b->lock);
	if (!pthread_equal(pthread_self(), c->thread))
		hv_vcpus_exit(&c->id, 1);
}

int hvcpu_get_reg(struct cpu_backend *b, unsigned cpu, enum cpu_reg r, uint64_t *val)
{
	if (cpu >= b->ncpus || r >= CPU_REG_COUNT)
		return -1;
	struct hvf_vcpu *c = &b->cpus[cpu];
	c->reg = r;
	call_vcpu(c, OP_GET);
	*val = c->val;
	return c->rc;
}

int hvcpu_set_reg(struct cpu_backend *b, unsigned cpu, enum cpu_reg r, uint64_t val)
{
	if (cpu >= b->ncpus || r >= CPU_REG_COUNT)
		return -1;
	struct hvf_vcpu *c = &b->cpus[cpu];
	c->reg = r;
	c->val = val;
	call_vcpu(c, OP_SET);
	return c->rc;
}

int hvcpu_take_irq(struct cpu_backend *b, unsigned cpu) { return -1; /* the in-kernel GIC does it */ }

/* SPI n is INTID 32 + n, level-sensitive as the device tree says. */
int hvcpu_set_spi(struct cpu_backend *b, unsigned spi, int level)
{
	return hv_gic_set_spi(32 + spi, level != 0) == HV_SUCCESS ? 0 : -1;
}

const char *hvcpu_last_error(const struct cpu_backend *b, unsigned cpu)
{
	return b->cpus[cpu].err[0] ? b->cpus[cpu].err : "unknown error";
}
