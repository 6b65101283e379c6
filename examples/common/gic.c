/* gic.c - GICv3 distributor, redistributor and CPU interface; virtual timer. */
#include "runtime.h"

#define GICD_CTLR 0x0000
#define GICD_TYPER 0x0004
#define GICD_IGROUPR 0x0080
#define GICD_ISENABLER 0x0100
#define GICD_ICENABLER 0x0180
#define GICD_IPRIORITYR 0x0400
#define GICD_ICFGR 0x0C00
#define GICD_IROUTER 0x6000
#define GICD_CTLR_RWP (1u << 31)

#define GICR_TYPER 0x0008
#define GICR_WAKER 0x0014
#define GICR_SGI 0x10000
#define GICR_IGROUPR0 (GICR_SGI + 0x0080)
#define GICR_ISENABLER0 (GICR_SGI + 0x0100)
#define GICR_ICENABLER0 (GICR_SGI + 0x0180)
#define GICR_IPRIORITYR (GICR_SGI + 0x0400)
#define WAKER_PROCESSOR_SLEEP (1u << 1)
#define WAKER_CHILDREN_ASLEEP (1u << 2)
#define TYPER_LAST (1u << 4)

#define ICC_SRE_EL1 S3_0_C12_C12_5
#define ICC_PMR_EL1 S3_0_C4_C6_0
#define ICC_IGRPEN1_EL1 S3_0_C12_C12_7
#define ICC_IAR1_EL1 S3_0_C12_C12_0
#define ICC_EOIR1_EL1 S3_0_C12_C12_1
#define ICC_SGI1R_EL1 S3_0_C12_C11_5
#define ICC_BPR1_EL1 S3_0_C12_C12_3
#define ICC_CTLR_EL1 S3_0_C12_C12_4

#define MAX_INTID 1024
static struct {
	irq_handler_fn fn;
	void *arg;
} handlers[MAX_INTID];

static uintptr_t redist[MAX_CPUS];

static uintptr_t my_redist(void)
{
	unsigned cpu = cpu_id();
	if (redist[cpu])
		return redist[cpu];
	/* Walk the redistributor frames until GICR_TYPER.Last, matching the
	 * affinity in GICR_TYPER[63:32] against our MPIDR. */
	for (uintptr_t r = GICR_BASE;; r += GICR_STRIDE) {
		uint64_t typer = mmio_read64(r + GICR_TYPER);
		if ((typer >> 32) == cpu) {
			redist[cpu] = r;
			return r;
		}
		if (typer & TYPER_LAST)
			break;
	}
	panic("no GICv3 redistributor for CPU %u\n", cpu);
}

static void dist_wait_rwp(void)
{
	while (mmio_read32(GICD_BASE + GICD_CTLR) & GICD_CTLR_RWP)
		;
}

void gic_init(void)
{
	mmio_write32(GICD_BASE + GICD_CTLR, 0);
	dist_wait_rwp();
	unsigned lines = ((mmio_read32(GICD_BASE + GICD_TYPER) & 0x1f) + 1) * 32;
	if (lines > MAX_INTID)
		lines = MAX_INTID;
	for (unsigned i = 32; i < lines; i += 32) {
		mmio_write32(GICD_BASE + GICD_ICENABLER + i / 8, 0xffffffffu);
		mmio_write32(GICD_BASE + GICD_IGROUPR + i / 8, 0xffffffffu);
	}
	for (unsigned i = 32; i < lines; i += 4)
		mmio_write32(GICD_BASE + GICD_IPRIORITYR + i, 0xa0a0a0a0u);
	for (unsigned i = 32; i < lines; i += 16)
		mmio_write32(GICD_BASE + GICD_ICFGR + i / 4, 0); /* level */
	/* ARE (bit 4), EnableGrp1 (bit 1), EnableGrp0 (bit 0) */
	mmio_write32(GICD_BASE + GICD_CTLR, (1u << 4) | 3u);
	dist_wait_rwp();
}

void gic_init_cpu(void)
{
	uintptr_t r = my_redist();
	uint32_t waker = mmio_read32(r + GICR_WAKER);
	mmio_write32(r + GICR_WAKER, waker & ~WAKER_PROCESSOR_SLEEP);
	while (mmio_read32(r + GICR_WAKER) & WAKER_CHILDREN_ASLEEP)
		;
	mmio_write32(r + GICR_ICENABLER0, 0xffffffffu);
	mmio_write32(r + GICR_IGROUPR0, 0xffffffffu);
	for (unsigned i = 0; i < 32; i += 4)
		mmio_write32(r + GICR_IPRIORITYR + i, 0xa0a0a0a0u);
	WRITE_SYSREG(ICC_SRE_EL1, READ_SYSREG(ICC_SRE_EL1) | 1);
	__asm__ volatile("isb");
	WRITE_SYSREG(ICC_PMR_EL1, 0xf0);
	WRITE_SYSREG(ICC_BPR1_EL1, 0);
	WRITE_SYSREG(ICC_CTLR_EL1, 0); /* EOImode 0: EOI also deactivates */
	WRITE_SYSREG(ICC_IGRPEN1_EL1, 1);
	__asm__ volatile("isb");
}

void gic_enable(unsigned intid)
{
	if (intid < 32) {
		mmio_write32(my_redist() + GICR_ISENABLER0, 1u << intid);
	} else {
		mmio_write64(GICD_BASE + GICD_IROUTER + 8 * intid, 0); /* CPU 0 */
		mmio_write32(GICD_BASE + GICD_ISENABLER + (intid / 32) * 4, 1u << (intid % 32));
	}
}

void gic_disable(unsigned intid)
{
	if (intid < 32)
		mmio_write32(my_redist() + GICR_ICENABLER0, 1u << intid);
	else
		mmio_write32(GICD_BASE + GICD_ICENABLER + (intid / 32) * 4, 1u << (intid % 32));
}

void irq_register(unsigned intid, irq_handler_fn fn, void *arg)
{
	if (intid >= MAX_INTID)
		panic("irq_register: INTID %u out of range\n", intid);
	handlers[intid].arg = arg;
	handlers[intid].fn = fn;
	gic_enable(intid);
}

void gic_send_sgi(unsigned cpu, unsigned intid)
{
	uint64_t v = ((uint64_t)(intid & 15) << 24) | (1u << (cpu & 15));
	__asm__ volatile("dsb ishst" ::: "memory");
	WRITE_SYSREG(ICC_SGI1R_EL1, v);
	__asm__ volatile("isb");
}

/* Called from exception_entry for IRQs. */
void gic_handle_irq(void);
void gic_handle_irq(void)
{
	for (;;) {
		uint32_t intid = (uint32_t)READ_SYSREG(ICC_IAR1_EL1) & 0xffffff;
		if (intid >= 1020)
			return; /* spurious: nothing (more) pending */
		if (intid < MAX_INTID && handlers[intid].fn)
			handlers[intid].fn(intid, handlers[intid].arg);
		else
			printf("cpu%u: unexpected IRQ %u\n", cpu_id(), intid);
		WRITE_SYSREG(ICC_EOIR1_EL1, intid);
	}
}

uint64_t timer_freq(void) { return READ_SYSREG(cntfrq_el0); }

uint64_t timer_now(void)
{
	__asm__ volatile("isb");
	return READ_SYSREG(cntvct_el0);
}

void timer_arm(uint64_t ticks)
{
	WRITE_SYSREG(cntv_tval_el0, ticks);
	WRITE_SYSREG(cntv_ctl_el0, 1); /* ENABLE, IMASK clear */
	__asm__ volatile("isb");
}

void timer_disarm(void)
{
	WRITE_SYSREG(cntv_ctl_el0, 0);
	__asm__ volatile("isb");
}

void timer_delay_us(uint64_t us)
{
	uint64_t end = timer_now() + us * timer_freq() / 1000000u;
	while (timer_now() < end)
		;
}
