/*
 * mmu - a guest that runs the way real kernels do: with the MMU and caches
 * on.  CPU 0 builds 4K-granule translation tables (an identity map of RAM
 * as Normal write-back memory and of the device regions as Device-nGnRE),
 * turns on SCTLR_EL1.M/C/I and then exercises, through those tables:
 *  - the GICv3 CPU interface (ICC_* system registers, trapped and decoded
 *    by the hypervisor from a virtual PC) and virtual-timer interrupts;
 *  - PSCI over HVC: VERSION, then CPU_ON of CPU 1, which enables its own
 *    MMU on the same tables, takes timer interrupts and sends CPU 0 an SGI;
 *  - a load and a store to a physical address with nothing behind it
 *    (mapped as Device memory here): each must arrive as a synchronous
 *    external abort (Data Abort, DFSC 0x10) in the vector table; the
 *    handler prints ESR/FAR and skips the instruction;
 *  - a read of a VA the tables leave unmapped at level 2 and a write to
 *    one unmapped at level 1: translation faults (DFSC 0x06 / 0x05, WnR
 *    for the write) in the vector table, skipped the same way;
 *  - (4K granule) a write to a read-only page and a read of a page with
 *    the access flag clear: permission and access flag faults (DFSC 0x0F,
 *    0x0B), skipped;
 *  - (4K granule) calls into a Normal mapping of a PA past RAM and into an
 *    unmapped VA: instruction aborts (IFSC 0x10 / 0x06) that return to
 *    the caller;
 *  - a higher-half alias of RAM through TTBR1_EL1, read and executed from
 *    (a trapped ICC_PMR_EL1 read at a TTBR1 address);
 * then powers off with PSCI SYSTEM_OFF (main returns 0).
 *
 * bootargs "fault=novbar" clears VBAR_EL1 before the unmapped load: with
 * no vectors installed the hypervisor stops the machine instead.
 * bootargs "granule=16k" / "granule=64k" build the same maps with 16 KiB
 * granules (32 MiB blocks, walks from level 1) or 64 KiB granules
 * (512 MiB blocks, walks of one level 2); then VA 0x80000000 faults at
 * level 2 (ESR 0x96000046) instead of level 1.
 *
 * Output lines a test can rely on (all start with "mmu: "):
 *   "mmu: cpu0 MMU on"  "mmu: cpu1 MMU on"  "mmu: 4K granule"
 *   "mmu: cpu0 timer ticks 3"  "mmu: cpu1 timer ticks 3"
 *   "mmu: PSCI version 1.0"  "mmu: cpu0 got SGI 2 from cpu1"
 *   "mmu: data abort on read: ESR 0x96000010 FAR 0x20000000, skipped"
 *   "mmu: data abort on write: ESR 0x96000050 FAR 0x20000008, skipped"
 *   "mmu: translation fault on read: ESR 0x96000006 FAR 0x60000000, skipped"
 *   "mmu: translation fault on write: ESR 0x96000045 FAR 0x80000000, skipped"
 *   "mmu: permission fault on write: ESR 0x9600004f, FAR is the page, skipped"  (4K)
 *   "mmu: access flag fault on read: ESR 0x9600000b, FAR is the page + 8, skipped"  (4K)
 *   "mmu: instruction abort: ESR 0x86000010 FAR 0x7fe00000, returned"  (4K)
 *   "mmu: instruction translation fault: ESR 0x86000006 FAR 0x60000000, returned"  (4K)
 *   "mmu: TTBR1 alias reads 0x600dcafe"
 *   "mmu: ran at a TTBR1 address, ICC_PMR_EL1 0xf0"
 *   "mmu: done"
 */
#include "runtime.h"

#define PAGE 4096ull
#define RAM_BASE 0x40000000ull
#define UNBACKED_PA 0x20000000ull /* no RAM, no device on this machine */
#define PA_PAST_RAM_BLOCK 0x7FE00000ull /* past RAM with the default --ram */
#define SGI_HELLO 2u
#define TIMER_TICKS 3u
#define TIMER_PERIOD_US 200u

/* Translation regime: 4K granule, 39-bit VAs (T0SZ = T1SZ = 25), so a
 * walk starts at level 1 (1 GiB entries); level 2 maps 2 MiB, level 3 4 KiB. */
#define TXSZ 25ull
#define HIGH_BASE 0xFFFFFF8000000000ull /* first VA of TTBR1's 512 GiB */

/* Descriptor bits (VMSAv8-64, stage 1). */
#define D_VALID (1ull << 0)
#define D_TABLE (1ull << 1) /* table at levels 1-2, page at level 3 */
#define D_ATTR(i) ((uint64_t)(i) << 2) /* MAIR_EL1 index */
#define D_SH_INNER (3ull << 8)
#define D_AF (1ull << 10)
#define D_PXN (1ull << 53)
#define D_UXN (1ull << 54)
#define ATTR_DEVICE 0 /* MAIR attr0 = 0x04 Device-nGnRE */
#define ATTR_NORMAL 1 /* MAIR attr1 = 0xFF Normal, inner/outer WB RW-allocate */
#define BLOCK_NORMAL (D_VALID | D_ATTR(ATTR_NORMAL) | D_SH_INNER | D_AF)
#define PAGE_NORMAL (BLOCK_NORMAL | D_TABLE)
#define BLOCK_DEVICE (D_VALID | D_ATTR(ATTR_DEVICE) | D_AF | D_PXN | D_UXN)

static uint64_t l1[512] __attribute__((aligned(4096)));
static uint64_t l1_high[512] __attribute__((aligned(4096)));
static uint64_t l2_dev[512] __attribute__((aligned(4096)));
static uint64_t l2_ram[512] __attribute__((aligned(4096)));
static uint64_t l3_ram[2][512] __attribute__((aligned(4096))); /* first 4 MiB of RAM in pages */
/* 16K granule (T0SZ 25: level 1 has 8 entries of 64 GiB, level 2 2048 of
 * 32 MiB) and 64K granule (the walk starts at level 2: 1024 entries of
 * 512 MiB); tables are aligned to their granule. */
static uint64_t g16_l1[2048] __attribute__((aligned(16384)));
static uint64_t g16_l1_high[2048] __attribute__((aligned(16384)));
static uint64_t g16_l2[2048] __attribute__((aligned(16384)));
static uint64_t g16_l2_high[2048] __attribute__((aligned(16384)));
static uint64_t g64_l2[1024] __attribute__((aligned(65536)));
static uint64_t g64_l2_high[1024] __attribute__((aligned(65536)));

/* Two pages the 4K tables map specially: read-only, and without the
 * access flag (the permission/access-flag fault tests). */
static uint8_t ro_page[4096] __attribute__((aligned(4096)));
static uint8_t noaf_page[4096] __attribute__((aligned(4096)));

/* What build_tables() chose, for mmu_enable() on every CPU. */
static unsigned granule_kb = 4;
static uint64_t ttbr0_table, ttbr1_table;

static volatile uint32_t ticks[MAX_CPUS];
static volatile uint32_t sgi_seen;
static volatile uint32_t cpu1_done;
static uint64_t period;
static volatile uint32_t magic = 0x600dcafe;

/* --- translation tables ---------------------------------------------------- */

/* 16K granule: 32 MiB blocks for the devices and RAM, both halves. */
static void build_tables_16k(uint64_t ram_size)
{
	static const uint64_t dev[] = { GICD_BASE /* + PL011 */, 0x0A000000ull, UNBACKED_PA };
	for (unsigned i = 0; i < sizeof dev / sizeof dev[0]; i++)
		g16_l2[dev[i] >> 25] = dev[i] | BLOCK_DEVICE;
	for (uint64_t off = 0; off < ram_size && off < (1ull << 30); off += 1ull << 25) {
		g16_l2[(RAM_BASE + off) >> 25] = (RAM_BASE + off) | BLOCK_NORMAL;
		g16_l2_high[off >> 25] = (RAM_BASE + off) | BLOCK_NORMAL;
	}
	g16_l1[0] = (uint64_t)(uintptr_t)g16_l2 | D_VALID | D_TABLE;
	g16_l1_high[0] = (uint64_t)(uintptr_t)g16_l2_high | D_VALID | D_TABLE;
	ttbr0_table = (uint64_t)(uintptr_t)g16_l1;
	ttbr1_table = (uint64_t)(uintptr_t)g16_l1_high;
}

/* 64K granule: 512 MiB blocks (devices below 512 MiB, the unbacked PA's
 * block, RAM), walks of one level. */
static void build_tables_64k(void)
{
	g64_l2[0] = 0 | BLOCK_DEVICE;
	g64_l2[UNBACKED_PA >> 29] = UNBACKED_PA | BLOCK_DEVICE;
	g64_l2[RAM_BASE >> 29] = RAM_BASE | BLOCK_NORMAL;
	g64_l2_high[0] = RAM_BASE | BLOCK_NORMAL;
	ttbr0_table = (uint64_t)(uintptr_t)g64_l2;
	ttbr1_table = (uint64_t)(uintptr_t)g64_l2_high;
}

static void build_tables(uint64_t ram_size, unsigned kb)
{
	granule_kb = kb;
	if (kb == 16) {
		build_tables_16k(ram_size);
		dsb_sy();
		return;
	}
	if (kb == 64) {
		build_tables_64k();
		dsb_sy();
		return;
	}
	/* Devices: 2 MiB Device-nGnRE blocks over the GIC (distributor and
	 * redistributors share one block), the PL011, virtio-mmio, and the
	 * unbacked PA the abort test uses. */
	static const uint64_t dev[] = { GICD_BASE, UART_BASE, 0x0A000000ull, UNBACKED_PA };
	for (unsigned i = 0; i < sizeof dev / sizeof dev[0]; i++)
		l2_dev[(dev[i] >> 21) & 511] = (dev[i] & ~0x1FFFFFull) | BLOCK_DEVICE;
	l1[0] = (uint64_t)(uintptr_t)l2_dev | D_VALID | D_TABLE;
	/* RAM: the first 4 MiB (DTB, this kernel) in 4 KiB pages, the rest in
	 * 2 MiB blocks. */
	for (unsigned t = 0; t < 2; t++) {
		for (unsigned i = 0; i < 512; i++)
			l3_ram[t][i] = (RAM_BASE + ((uint64_t)t << 21) + i * PAGE) | PAGE_NORMAL;
		l2_ram[t] = (uint64_t)(uintptr_t)l3_ram[t] | D_VALID | D_TABLE;
	}
	uint64_t ro = (uint64_t)(uintptr_t)ro_page - RAM_BASE, noaf = (uint64_t)(uintptr_t)noaf_page - RAM_BASE;
	if (ro < (4ull << 20) && noaf < (4ull << 20)) {
		l3_ram[ro >> 21][(ro >> 12) & 511] |= 1ull << 7; /* AP[2]: read-only */
		l3_ram[noaf >> 21][(noaf >> 12) & 511] &= ~D_AF;
	}
	for (uint64_t off = 2ull << 21; off < ram_size && off < (1ull << 30); off += 1ull << 21)
		l2_ram[off >> 21] = (RAM_BASE + off) | BLOCK_NORMAL;
	/* The last 2 MiB below 2 GiB as Normal, executable memory, although no
	 * RAM is there (unless --ram says so): the fetch-abort test calls it. */
	if (ram_size <= PA_PAST_RAM_BLOCK - RAM_BASE)
		l2_ram[511] = PA_PAST_RAM_BLOCK | BLOCK_NORMAL;
	l1[1] = (uint64_t)(uintptr_t)l2_ram | D_VALID | D_TABLE;
	/* TTBR1: the same RAM at HIGH_BASE + (PA - RAM_BASE). */
	l1_high[0] = (uint64_t)(uintptr_t)l2_ram | D_VALID | D_TABLE;
	ttbr0_table = (uint64_t)(uintptr_t)l1;
	ttbr1_table = (uint64_t)(uintptr_t)l1_high;
	dsb_sy();
}

/* MAIR/TCR/TTBRs, then SCTLR_EL1.M, C and I (the Arm ARM's order: tables
 * visible, TLB clean, then enable, with ISBs between). */
static void mmu_enable(void)
{
	WRITE_SYSREG(mair_el1, 0xFF04ull);
	/* TG0: 00 4K, 10 16K, 01 64K; TG1: 10 4K, 01 16K, 11 64K. */
	uint64_t tg0 = granule_kb == 16 ? 2 : granule_kb == 64 ? 1 : 0;
	uint64_t tg1 = granule_kb == 16 ? 1 : granule_kb == 64 ? 3 : 2;
	uint64_t tcr = TXSZ | (1ull << 8) | (1ull << 10) | (3ull << 12) | (tg0 << 14) /* TTBR0: WB, inner sh */
		       | (TXSZ << 16) | (1ull << 24) | (1ull << 26) | (3ull << 28) |
		       (tg1 << 30) /* TTBR1: WB, inner sh */
		       | (2ull << 32); /* IPS 40 bits */
	WRITE_SYSREG(tcr_el1, tcr);
	WRITE_SYSREG(ttbr0_el1, ttbr0_table);
	WRITE_SYSREG(ttbr1_el1, ttbr1_table);
	__asm__ volatile("isb; tlbi vmalle1; dsb ish; isb" ::: "memory");
	uint64_t sctlr = READ_SYSREG(sctlr_el1);
	sctlr |= (1ull << 0) | (1ull << 2) | (1ull << 12);
	WRITE_SYSREG(sctlr_el1, sctlr);
	__asm__ volatile("isb" ::: "memory");
}

/* --- interrupts ------------------------------------------------------------ */

static void on_timer(unsigned intid, void *arg)
{
	uint32_t t = ++ticks[cpu_id()];
	if (t < TIMER_TICKS)
		timer_arm(period); /* level-triggered: re-arm or disarm before EOI */
	else
		timer_disarm();
}

static void on_sgi(unsigned intid, void *arg)
{
	__atomic_store_n(&sgi_seen, 1, __ATOMIC_RELEASE);
}

/* Sleep until *flag >= want (IRQs masked around the check and WFI). */
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

static void timer_test(void)
{
	unsigned me = cpu_id();
	irq_register(INTID_VTIMER, on_timer, NULL);
	timer_arm(period);
	wait_for(&ticks[me], TIMER_TICKS);
	printf("mmu: cpu%u timer ticks %u\n", me, (unsigned)ticks[me]);
}

static void cpu1_main(void *arg)
{
	mmu_enable();
	printf("mmu: cpu%u MMU on\n", cpu_id());
	gic_init_cpu();
	irq_enable();
	timer_test();
	gic_send_sgi(0, SGI_HELLO);
	__atomic_store_n(&cpu1_done, 1, __ATOMIC_RELEASE);
	/* returning powers this CPU off (PSCI CPU_OFF) */
}

/* --- aborts ---------------------------------------------------------------- */

static volatile uint64_t abort_esr, abort_far;
static volatile uint32_t aborts;

static volatile uint64_t abort_elr;

static int on_sync(uint64_t esr, uint64_t *frame)
{
	unsigned ec = (unsigned)(esr >> 26);
	if (ec != 0x25 && ec != 0x21)
		return 0; /* not a data or instruction abort from EL1: panic */
	abort_esr = esr;
	abort_far = READ_SYSREG(far_el1);
	abort_elr = frame[31];
	aborts++;
	if (ec == 0x25)
		frame[31] += 4; /* skip the faulting instruction */
	else
		frame[31] = frame[30]; /* a call into nothing: return to the caller */
	return 1;
}

static void abort_test(int novbar)
{
	volatile uint32_t *p = (volatile uint32_t *)(uintptr_t)UNBACKED_PA;
	sync_exception_hook = on_sync;
	if (novbar) {
		printf("mmu: clearing VBAR_EL1, then reading PA 0x%lx\n", (unsigned long)UNBACKED_PA);
		WRITE_SYSREG(vbar_el1, 0);
		__asm__ volatile("isb" ::: "memory");
	}
	uint32_t v = p[0];
	(void)v;
	if (aborts != 1)
		panic("mmu: the read of PA 0x%lx did not abort\n", (unsigned long)UNBACKED_PA);
	printf("mmu: data abort on read: ESR 0x%lx FAR 0x%lx, skipped\n", (unsigned long)abort_esr,
	       (unsigned long)abort_far);
	p[2] = 0x1234;
	if (aborts != 2)
		panic("mmu: the write to PA 0x%lx did not abort\n", (unsigned long)UNBACKED_PA + 8);
	printf("mmu: data abort on write: ESR 0x%lx FAR 0x%lx, skipped\n", (unsigned long)abort_esr,
	       (unsigned long)abort_far);
	sync_exception_hook = NULL;
}

/* VAs the tables leave unmapped: 0x60000000 is in l1[1]'s range but past
 * the end of RAM (an empty level-2 entry with 256 MiB), 0x80000000 has no
 * level-1 entry at all. */
#define VA_NO_L2 0x60000000ul
#define VA_NO_L1 0x80000000ul

static void translation_fault_test(void)
{
	sync_exception_hook = on_sync;
	unsigned before = aborts;
	uint32_t v = *(volatile uint32_t *)VA_NO_L2;
	(void)v;
	if (aborts != before + 1)
		panic("mmu: the read of VA 0x%lx did not fault\n", VA_NO_L2);
	printf("mmu: translation fault on read: ESR 0x%lx FAR 0x%lx, skipped\n",
	       (unsigned long)abort_esr, (unsigned long)abort_far);
	*(volatile uint64_t *)VA_NO_L1 = 1;
	if (aborts != before + 2)
		panic("mmu: the write to VA 0x%lx did not fault\n", VA_NO_L1);
	printf("mmu: translation fault on write: ESR 0x%lx FAR 0x%lx, skipped\n",
	       (unsigned long)abort_esr, (unsigned long)abort_far);
	sync_exception_hook = NULL;
}

/* Instruction fetches: from a PA with nothing behind it (mapped as Normal,
 * executable memory: a synchronous external abort, IFSC 0x10) and from a
 * VA the tables leave unmapped (a translation fault, IFSC 0x06). */
/* A write to a read-only page (permission fault, level 3) and a read of a
 * page whose access flag is clear (access flag fault, level 3). */
static void permission_fault_test(void)
{
	sync_exception_hook = on_sync;
	unsigned before = aborts;
	uint32_t v = *(volatile uint32_t *)ro_page; /* reading is allowed */
	*(volatile uint32_t *)ro_page = v + 1;
	if (aborts != before + 1 || abort_far != (uint64_t)(uintptr_t)ro_page)
		panic("mmu: the write to the read-only page did not fault\n");
	printf("mmu: permission fault on write: ESR 0x%lx, FAR is the page, skipped\n",
	       (unsigned long)abort_esr);
	v = *(volatile uint32_t *)(noaf_page + 8);
	(void)v;
	if (aborts != before + 2 || abort_far != (uint64_t)(uintptr_t)noaf_page + 8)
		panic("mmu: the read of the page without AF did not fault\n");
	printf("mmu: access flag fault on read: ESR 0x%lx, FAR is the page + 8, skipped\n",
	       (unsigned long)abort_esr);
	sync_exception_hook = NULL;
}

static void fetch_abort_test(void)
{
	sync_exception_hook = on_sync;
	unsigned before = aborts;
	void (*fn)(void) = (void (*)(void))(uintptr_t)PA_PAST_RAM_BLOCK;
	fn();
	if (aborts != before + 1 || abort_elr != PA_PAST_RAM_BLOCK)
		panic("mmu: the call to PA 0x%lx did not abort\n", (unsigned long)PA_PAST_RAM_BLOCK);
	printf("mmu: instruction abort: ESR 0x%lx FAR 0x%lx, returned\n", (unsigned long)abort_esr,
	       (unsigned long)abort_far);
	fn = (void (*)(void))(uintptr_t)VA_NO_L2;
	fn();
	if (aborts != before + 2 || abort_elr != VA_NO_L2)
		panic("mmu: the call to VA 0x%lx did not fault\n", VA_NO_L2);
	printf("mmu: instruction translation fault: ESR 0x%lx FAR 0x%lx, returned\n",
	       (unsigned long)abort_esr, (unsigned long)abort_far);
	sync_exception_hook = NULL;
}

/* --- higher half ----------------------------------------------------------- */

/* A leaf function run through its TTBR1 alias: the ICC_PMR_EL1 read traps
 * to the hypervisor with a PC in TTBR1's range. */
static __attribute__((noinline)) uint64_t read_pmr(void)
{
	uint64_t v;
	__asm__ volatile("mrs %0, S3_0_C4_C6_0" : "=r"(v));
	return v;
}

static uint64_t high_alias(const void *p)
{
	return HIGH_BASE + ((uint64_t)(uintptr_t)p - RAM_BASE);
}

static void high_half_test(void)
{
	const volatile uint32_t *m = (const volatile uint32_t *)high_alias((const void *)&magic);
	printf("mmu: TTBR1 alias reads 0x%x\n", (unsigned)*m);
	uint64_t (*fn)(void) = (uint64_t(*)(void))high_alias((const void *)read_pmr);
	uint64_t pmr = fn();
	printf("mmu: ran at a TTBR1 address, ICC_PMR_EL1 0x%lx\n", (unsigned long)pmr);
}

/* --------------------------------------------------------------------------- */

int main(const void *dtb)
{
	uint64_t ram_base = RAM_BASE, ram_size = 0x10000000;
	if (dt_init(dtb) == 0) {
		int mem = dt_path("/memory@40000000");
		if (mem >= 0)
			dt_reg(mem, 0, &ram_base, &ram_size);
	}
	char fault[16] = "";
	cmdline_get(dt_bootargs(), "fault", fault, sizeof fault);

	char gran[8] = "4k";
	cmdline_get(dt_bootargs(), "granule", gran, sizeof gran);
	unsigned kb = !strcmp(gran, "16k") ? 16 : !strcmp(gran, "64k") ? 64 : 4;
	build_tables(ram_size, kb);
	mmu_enable();
	uint64_t sctlr = READ_SYSREG(sctlr_el1);
	if (!(sctlr & 1))
		panic("mmu: SCTLR_EL1.M did not stick (0x%lx)\n", (unsigned long)sctlr);
	printf("mmu: cpu0 MMU on (SCTLR_EL1 0x%lx, %lu MiB of RAM mapped)\n", (unsigned long)sctlr,
	       (unsigned long)(ram_size >> 20));
	printf("mmu: %uK granule\n", granule_kb);

	period = timer_freq() * TIMER_PERIOD_US / 1000000;
	gic_init();
	gic_init_cpu();
	irq_register(SGI_HELLO, on_sgi, NULL);
	irq_enable();
	timer_test();

	uint32_t v = psci_version();
	printf("mmu: PSCI version %u.%u\n", (unsigned)(v >> 16), (unsigned)(v & 0xFFFF));
	if (dt_count_cpus() > 1) {
		int rc = cpu_start(1, cpu1_main, NULL);
		if (rc != PSCI_SUCCESS)
			panic("mmu: CPU_ON of cpu1 failed: %d\n", rc);
		wait_for(&cpu1_done, 1);
		wait_for(&sgi_seen, 1);
		printf("mmu: cpu0 got SGI %u from cpu1\n", SGI_HELLO);
	}

	abort_test(!strcmp(fault, "novbar"));
	translation_fault_test();
	if (granule_kb == 4) {
		permission_fault_test();
		fetch_abort_test();
	}
	high_half_test();
	printf("mmu: done\n");
	return 0;
}
