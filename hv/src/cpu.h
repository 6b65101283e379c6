/*
 * cpu.h - the CPU backend interface: what the machine needs from whatever
 * runs guest instructions (Unicorn here; KVM on Linux/arm64; HVF on macOS).
 *
 * The machine creates one backend with N vCPUs, maps guest RAM and the MMIO
 * windows into it, sets each vCPU's initial state and then calls hvcpu_run()
 * on one vCPU at a time.  Whatever the backend cannot do itself it hands
 * back through struct cpu_host callbacks: MMIO accesses, system registers it
 * does not implement (the GICv3 CPU interface, the virtual timer, MPIDR),
 * and HVC calls (PSCI).  Backends with an in-kernel interrupt controller
 * and timer (KVM, HVF with its vGIC) report has_irqchip and take SPI lines
 * directly; the others get IRQs delivered with hvcpu_take_irq().
 */
#ifndef HV_CPU_H
#define HV_CPU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* System register encoding as in MRS/MSR and ESR_ELx.ISS:
 * op0<<14 | op1<<11 | CRn<<7 | CRm<<3 | op2. */
#define SYSREG(op0, op1, crn, crm, op2)                                          \
	((uint32_t)(op0) << 14 | (uint32_t)(op1) << 11 | (uint32_t)(crn) << 7 |  \
	 (uint32_t)(crm) << 3 | (uint32_t)(op2))

struct cpu_host {
	void *ctx;
	/* Guest access to an MMIO window (the machine finds the device). */
	uint64_t (*mmio_read)(void *ctx, unsigned cpu, uint64_t pa, unsigned size);
	void (*mmio_write)(void *ctx, unsigned cpu, uint64_t pa, uint64_t val, unsigned size);
	/* System registers the backend leaves to the machine: return 0 when
	 * handled, -1 when the register is unknown (the guest gets UNDEF). */
	int (*sysreg_read)(void *ctx, unsigned cpu, uint32_t enc, uint64_t *val);
	int (*sysreg_write)(void *ctx, unsigned cpu, uint32_t enc, uint64_t val);
	/* HVC #imm: x[0..3] in and out (SMC Calling Convention). */
	void (*hvc)(void *ctx, unsigned cpu, uint16_t imm, uint64_t x[4]);
	/* Optional (may be NULL): a --verbose log line about something the
	 * backend did on its own, e.g. an abort delivered to the guest. */
	void (*log)(void *ctx, unsigned cpu, const char *msg);
};

/*
 * Per-vCPU instruction accounting shared with the machine: the backend adds
 * executed instructions to *count and ends hvcpu_run() once *count >= *limit
 * (at the next block boundary).  The machine may lower *limit at any time
 * from a callback.  Backends that cannot count (KVM, HVF) leave count alone
 * and return from hvcpu_run() on their own exits.
 */
struct cpu_counter {
	uint64_t count;
	uint64_t limit;
	/* Set by the machine while an IRQ is pending but PSTATE.I masks it:
	 * the backend then stops at the first block where the guest has
	 * unmasked IRQs (MSR DAIFClr ends a translation block), so the IRQ is
	 * taken at once instead of at the end of the time slice. */
	int irq_waiting;
};

enum cpu_exit {
	CPU_EXIT_LIMIT, /* instruction limit reached or hvcpu_kick() called */
	CPU_EXIT_WFI, /* the vCPU executed WFI: idle until an interrupt */
	CPU_EXIT_SYSTEM_OFF, /* in-kernel PSCI SYSTEM_OFF (KVM) */
	CPU_EXIT_SYSTEM_RESET, /* in-kernel PSCI SYSTEM_RESET (KVM) */
	CPU_EXIT_ERROR, /* the guest did something the backend cannot continue from */
};

enum cpu_reg {
	CPU_REG_X0 = 0, /* X0..X30 are CPU_REG_X0 + n */
	CPU_REG_SP = 31, /* SP of the current exception level (SP_EL1 in EL1h) */
	CPU_REG_PC,
	CPU_REG_PSTATE,
	CPU_REG_COUNT
};

struct cpu_backend;

/* Create a backend for ncpus vCPUs.  NULL with a message in err on failure. */
struct cpu_backend *hvcpu_create(const struct cpu_host *host, unsigned ncpus,
				       struct cpu_counter *counters, char *err, size_t errlen);
void hvcpu_destroy(struct cpu_backend *b);
/* Name of the backend ("unicorn", "kvm", ...) for logs. */
const char *hvcpu_name(const struct cpu_backend *b);
/* True when interrupts and the timer live in the backend (KVM vGIC). */
bool hvcpu_has_irqchip(const struct cpu_backend *b);

/* Map guest RAM (host memory shared by every vCPU) and an MMIO window. */
int hvcpu_map_ram(struct cpu_backend *b, uint64_t gpa, void *host, uint64_t size);
int hvcpu_map_mmio(struct cpu_backend *b, uint64_t gpa, uint64_t size);

/* Architectural boot state: EL1h, DAIF masked (PSTATE 0x3C5), MMU off,
 * CPACR_EL1.FPEN = 0b11, PC = entry, X0 = x0, other GPRs 0. */
int hvcpu_reset(struct cpu_backend *b, unsigned cpu, uint64_t entry, uint64_t x0);

/* Run vCPU `cpu` until an exit (see enum cpu_exit). */
enum cpu_exit hvcpu_run(struct cpu_backend *b, unsigned cpu);
/* From a host callback: make the running vCPU return from hvcpu_run() soon. */
void hvcpu_kick(struct cpu_backend *b, unsigned cpu);

int hvcpu_get_reg(struct cpu_backend *b, unsigned cpu, enum cpu_reg r, uint64_t *val);
int hvcpu_set_reg(struct cpu_backend *b, unsigned cpu, enum cpu_reg r, uint64_t val);

/* Without an irqchip: take an IRQ exception now if PSTATE.I is clear
 * (as the architecture does: SPSR_EL1 = PSTATE, ELR_EL1 = PC, DAIF set,
 * EL1h, PC = VBAR_EL1 + vector offset).  Returns 1 taken, 0 masked, -1 error. */
int hvcpu_take_irq(struct cpu_backend *b, unsigned cpu);
/* With an irqchip: drive an SPI line. */
int hvcpu_set_spi(struct cpu_backend *b, unsigned spi, int level);

/* A description of the last CPU_EXIT_ERROR. */
const char *hvcpu_last_error(const struct cpu_backend *b, unsigned cpu);

#endif
