/*
 * smp - bring up every CPU with PSCI CPU_ON; each reports over the UART,
 * takes virtual-timer interrupts and exchanges SGIs with its neighbour;
 * then CPU 0 checks PSCI's answers and powers off.
 *
 * Output lines a test can rely on:
 *   "smp: cpu N online"              once per CPU
 *   "smp: cpu N timer ticks 3"       three timer interrupts taken on CPU N
 *   "smp: cpu N got SGI from M"      the ring of SGIs
 *   "smp: all N CPUs reported at counter C"  the success line before SYSTEM_OFF
 * C is CNTVCT_EL0: with metalvisor's virtual time it is the same on every
 * run, which is what the determinism test checks.
 */
#include "runtime.h"

#define SGI_RING 1u
#define TIMER_TICKS 3u
#define TIMER_PERIOD_US 200u

static volatile unsigned ncpus;
static volatile uint32_t ticks[MAX_CPUS];
static volatile uint32_t sgi_from[MAX_CPUS];
static volatile uint32_t sgi_seen[MAX_CPUS];
static volatile uint32_t done[MAX_CPUS];
static uint64_t period;

static void on_timer(unsigned intid, void *arg)
{
	unsigned me = cpu_id();
	uint32_t t = ++ticks[me];
	/* The virtual timer is level-triggered: re-arm or disable it before EOI. */
	if (t < TIMER_TICKS)
		timer_arm(period);
	else
		timer_disarm();
}

static void on_sgi(unsigned intid, void *arg)
{
	unsigned me = cpu_id();
	sgi_from[me] = (me + ncpus - 1) % ncpus;
	__atomic_store_n(&sgi_seen[me], 1, __ATOMIC_RELEASE);
}

/*
 * Sleep until *flag >= want.  IRQs are masked around the check and the WFI
 * (WFI still wakes on a pending, masked IRQ), so an interrupt that sets the
 * flag between the check and the WFI cannot be lost.
 */
static void wait_for(volatile uint32_t *flag, uint32_t want)
{
	for (;;) {
		irq_disable();
		if (__atomic_load_n(flag, __ATOMIC_ACQUIRE) >= want)
			break;
		wfi();
		irq_enable();
	}
	irq_enable();
}

static void cpu_work(void)
{
	unsigned me = cpu_id();
	gic_init_cpu();
	irq_register(INTID_VTIMER, on_timer, NULL);
	irq_register(SGI_RING, on_sgi, NULL);
	printf("smp: cpu %u online (mpidr 0x%lx)\n", me, (unsigned long)READ_SYSREG(mpidr_el1));
	irq_enable();
	timer_arm(period);
	wait_for(&ticks[me], TIMER_TICKS);
	printf("smp: cpu %u timer ticks %u\n", me, (unsigned)ticks[me]);
	/* Ring: wait until every CPU is ticking, then poke the next one. */
	gic_send_sgi((me + 1) % ncpus, SGI_RING);
	wait_for(&sgi_seen[me], 1);
	printf("smp: cpu %u got SGI from %u\n", me, (unsigned)sgi_from[me]);
	__atomic_store_n(&done[me], 1, __ATOMIC_RELEASE);
}

static void secondary(void *arg)
{
	cpu_work();
	psci_cpu_off();
}

/*
 * bootargs "fault=KIND" makes the guest misbehave on purpose, for the
 * hypervisor's error-path tests: undef (a system register nobody
 * implements), unmapped (a load from an address with nothing behind it),
 * brk (a breakpoint with no handler: panics), panic (the runtime's panic():
 * PSCI SYSTEM_RESET).  "fault=svc" is not a fault: an SVC is delivered to
 * the vector table, handled and returned from, then the guest goes on.
 */
static int on_sync(uint64_t esr, uint64_t *frame)
{
	if (esr >> 26 != 0x15)
		return 0;
	frame[0] = 0x5c0000 | (esr & 0xffff); /* the SVC's "return value" in x0 */
	return 1;
}

static void misbehave(const char *kind)
{
	if (!strcmp(kind, "svc")) {
		sync_exception_hook = on_sync;
		register uint64_t x0 __asm__("x0") = 0;
		__asm__ volatile("svc #0x42" : "+r"(x0) : : "memory");
		printf("smp: SVC #0x42 taken and returned, x0 = 0x%lx\n", (unsigned long)x0);
		sync_exception_hook = NULL;
		return;
	}
	printf("smp: misbehaving on purpose: %s\n", kind);
	if (!strcmp(kind, "undef"))
		(void)READ_SYSREG(S3_0_C15_C0_0);
	else if (!strcmp(kind, "unmapped"))
		(void)mmio_read32(0x20000000ul);
	else if (!strcmp(kind, "brk"))
		__asm__ volatile("brk #0x7" ::: "memory");
	else if (!strcmp(kind, "panic"))
		panic("smp: asked to panic\n");
	printf("smp: fault=%s did not stop the machine\n", kind);
	psci_system_reset();
}

/*
 * bootargs "echo=N": read N bytes from the UART with its receive interrupt
 * (SPI 1, INTID 33), print them, power off.  Tests the host's stdin path.
 */
#define UART_INTID 33u
static volatile uint32_t rx_count;
static char rx_buf[64];

static void on_uart(unsigned intid, void *arg)
{
	int c;
	while ((c = uart_getc()) >= 0)
		if (rx_count < sizeof rx_buf - 1)
			rx_buf[rx_count++] = (char)c;
}

static void echo(unsigned n)
{
	if (n > sizeof rx_buf - 1)
		n = sizeof rx_buf - 1;
	gic_init();
	gic_init_cpu();
	irq_register(UART_INTID, on_uart, NULL);
	mmio_write32(UART_BASE + 0x038, 1u << 4 | 1u << 6); /* UARTIMSC: RXIM, RTIM */
	printf("smp: waiting for %u bytes on the UART\n", n);
	irq_enable();
	wait_for(&rx_count, n);
	rx_buf[rx_count] = '\0';
	printf("smp: got '%s'\n", rx_buf);
	psci_system_off();
}

int main(const void *dtb)
{
	if (dt_init(dtb) != 0)
		panic("smp: x0 does not point at a DTB\n");
	char fault[16];
	if (cmdline_get(dt_bootargs(), "fault", fault, sizeof fault))
		misbehave(fault);
	if (cmdline_get(dt_bootargs(), "echo", fault, sizeof fault))
		echo((unsigned)parse_ulong(fault, 1));
	ncpus = dt_count_cpus();
	if (ncpus == 0 || ncpus > MAX_CPUS)
		panic("smp: bad CPU count %u in the DTB\n", ncpus);
	uint32_t v = psci_version();
	printf("smp: %u CPUs, PSCI %u.%u, timer %lu Hz, bootargs \"%s\"\n", ncpus, v >> 16,
	       v & 0xffff, (unsigned long)timer_freq(), dt_bootargs());
	period = timer_freq() * TIMER_PERIOD_US / 1000000u;
	gic_init();
	for (unsigned c = 1; c < ncpus; c++) {
		int rc = cpu_start(c, secondary, NULL);
		if (rc != PSCI_SUCCESS)
			panic("smp: CPU_ON %u failed: %d\n", c, rc);
	}
	/* PSCI error paths a kernel depends on. */
	if (ncpus > 1 && psci_cpu_on(1, 0x40200000, 0) != PSCI_ALREADY_ON &&
	    psci_affinity_info(1) == 0)
		panic("smp: CPU_ON of a running CPU did not say ALREADY_ON\n");
	if (psci_cpu_on(MAX_CPUS + 5, 0x40200000, 0) != PSCI_INVALID_PARAMETERS)
		panic("smp: CPU_ON of a missing CPU did not say INVALID_PARAMETERS\n");
	if (psci_features(0x8400DEADu) != PSCI_NOT_SUPPORTED)
		panic("smp: FEATURES of an unknown function did not say NOT_SUPPORTED\n");
	if (psci_features(PSCI_CPU_ON) != PSCI_SUCCESS)
		panic("smp: FEATURES(CPU_ON) is not supported\n");

	cpu_work();
	/* Nothing interrupts CPU 0 when another CPU finishes: poll. */
	for (unsigned c = 0; c < ncpus; c++)
		while (!__atomic_load_n(&done[c], __ATOMIC_ACQUIRE))
			timer_delay_us(10);
	/* Secondaries call CPU_OFF after reporting: wait for AFFINITY_INFO OFF. */
	for (unsigned c = 1; c < ncpus; c++)
		while (psci_affinity_info(c) != 1)
			timer_delay_us(10);
	printf("smp: all %u CPUs reported at counter %lu\n", ncpus, (unsigned long)timer_now());
	psci_system_off();
}
