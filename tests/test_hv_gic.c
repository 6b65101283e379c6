/* test_hv_gic.c - the emulated GICv3: registers, routing, priorities,
 * level semantics, SGIs, acknowledge/EOI. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "cpu.h"
#include "gic.h"

#define ICC_PMR SYSREG(3, 0, 4, 6, 0)
#define ICC_IAR1 SYSREG(3, 0, 12, 12, 0)
#define ICC_EOIR1 SYSREG(3, 0, 12, 12, 1)
#define ICC_HPPIR1 SYSREG(3, 0, 12, 12, 2)
#define ICC_RPR SYSREG(3, 0, 12, 11, 3)
#define ICC_DIR SYSREG(3, 0, 12, 11, 1)
#define ICC_SGI1R SYSREG(3, 0, 12, 11, 5)
#define ICC_CTLR SYSREG(3, 0, 12, 12, 4)
#define ICC_SRE SYSREG(3, 0, 12, 12, 5)
#define ICC_IGRPEN1 SYSREG(3, 0, 12, 12, 7)
#define RD(cpu, off) ((uint64_t)(cpu) * 0x20000 + (off))
#define SGI(cpu, off) RD(cpu, 0x10000 + (off))

static unsigned wakes[4];
static void wake(void *ctx, unsigned cpu) { wakes[cpu]++; }

static struct gic *g;

static uint64_t sr(unsigned cpu, uint32_t enc)
{
	uint64_t v = 0xdead;
	assert_int_equal(gic_sysreg_read(g, cpu, enc, &v), 0);
	return v;
}
static void sw(unsigned cpu, uint32_t enc, uint64_t v) { assert_int_equal(gic_sysreg_write(g, cpu, enc, v), 0); }

static int setup(void **state)
{
	memset(wakes, 0, sizeof wakes);
	g = gic_create(4, wake, NULL);
	gic_dist_write(g, 0x0, 0x13, 4); /* ARE, Grp1, Grp0 */
	for (unsigned c = 0; c < 4; c++) {
		gic_redist_write(g, RD(c, 0x14), 0, 4); /* wake up */
		gic_redist_write(g, SGI(c, 0x80), 0xffffffff, 4); /* group 1 */
		sw(c, ICC_PMR, 0xf0);
		sw(c, ICC_IGRPEN1, 1);
	}
	for (unsigned i = 32; i < 128; i += 32)
		gic_dist_write(g, 0x80 + i / 8, 0xffffffff, 4);
	return 0;
}

static int teardown(void **state)
{
	gic_destroy(g);
	return 0;
}

static void test_identification(void **state)
{
	assert_int_equal(gic_dist_read(g, 0xFFE8, 4) & 0xF0, 0x30); /* ArchRev 3 */
	assert_int_equal(gic_redist_read(g, RD(0, 0xFFE8), 4) & 0xF0, 0x30);
	assert_int_equal(gic_dist_read(g, 0x4, 4) & 0x1f, 128 / 32 - 1);
	assert_true(gic_dist_read(g, 0x0, 4) & (1u << 4)); /* ARE */
	assert_int_equal(gic_dist_read(g, 0x0, 4) >> 31, 0); /* RWP */
	for (unsigned c = 0; c < 4; c++) {
		uint64_t typer = gic_redist_read(g, RD(c, 0x8), 8);
		assert_int_equal(typer >> 32, c); /* affinity Aff0 */
		assert_int_equal((typer >> 4) & 1, c == 3); /* Last */
		assert_int_equal(gic_redist_read(g, RD(c, 0xC), 4), c);
	}
	assert_int_equal(sr(0, ICC_SRE) & 1, 1);
}

static void test_waker(void **state)
{
	gic_redist_write(g, RD(1, 0x14), 2, 4);
	assert_int_equal(gic_redist_read(g, RD(1, 0x14), 4), 6); /* ProcessorSleep, ChildrenAsleep */
	gic_redist_write(g, RD(1, 0x14), 0, 4);
	assert_int_equal(gic_redist_read(g, RD(1, 0x14), 4), 0);
}

static void test_spi_routing_and_level(void **state)
{
	const unsigned spi = 48, intid = 32 + 48;
	gic_dist_write(g, 0x400 + intid, 0x80, 1); /* priority, byte access */
	assert_int_equal(gic_dist_read(g, 0x400 + (intid & ~3u), 4) >> (8 * (intid & 3)) & 0xff, 0x80);
	gic_dist_write(g, 0x6000 + 8 * intid, 1, 8); /* route to CPU 1 */
	gic_set_spi(g, spi, 1);
	assert_false(gic_irq_pending(g, 1)); /* not enabled yet */
	gic_dist_write(g, 0x100 + (intid / 32) * 4, 1u << (intid % 32), 4);
	assert_true(gic_irq_pending(g, 1));
	assert_false(gic_irq_pending(g, 0));
	assert_int_equal(gic_dist_read(g, 0x200 + (intid / 32) * 4, 4) >> (intid % 32) & 1, 1);
	assert_int_equal(sr(1, ICC_HPPIR1), intid);
	assert_int_equal(sr(1, ICC_IAR1), intid);
	assert_int_equal(sr(1, ICC_RPR), 0x80);
	assert_false(gic_irq_pending(g, 1)); /* active, not pending again */
	assert_int_equal(sr(1, ICC_IAR1), GIC_SPURIOUS);
	sw(1, ICC_EOIR1, intid);
	assert_int_equal(sr(1, ICC_RPR), 0xff);
	/* Level still high: pending again after EOI. */
	assert_true(gic_irq_pending(g, 1));
	gic_set_spi(g, spi, 0);
	assert_false(gic_irq_pending(g, 1));
	/* ICPENDR cannot clear a level that is still asserted. */
	gic_set_spi(g, spi, 1);
	gic_dist_write(g, 0x280 + (intid / 32) * 4, 1u << (intid % 32), 4);
	assert_true(gic_irq_pending(g, 1));
	/* Routed elsewhere, it follows. */
	gic_dist_write(g, 0x6000 + 8 * intid, 2, 4);
	assert_false(gic_irq_pending(g, 1));
	assert_true(gic_irq_pending(g, 2));
}

static void test_edge_spi_latches(void **state)
{
	const unsigned intid = 40;
	gic_dist_write(g, 0xC00 + (intid / 16) * 4, 2u << (2 * (intid % 16)), 4); /* edge */
	gic_dist_write(g, 0x100 + 4, 1u << (intid % 32), 4);
	gic_set_spi(g, intid - 32, 1);
	gic_set_spi(g, intid - 32, 0);
	assert_true(gic_irq_pending(g, 0)); /* the edge was latched */
	assert_int_equal(sr(0, ICC_IAR1), intid);
	sw(0, ICC_EOIR1, intid);
	assert_false(gic_irq_pending(g, 0));
	/* ISPENDR sets, ICPENDR clears. */
	gic_dist_write(g, 0x200 + 4, 1u << (intid % 32), 4);
	assert_true(gic_irq_pending(g, 0));
	gic_dist_write(g, 0x280 + 4, 1u << (intid % 32), 4);
	assert_false(gic_irq_pending(g, 0));
}

static void test_priority_mask_and_preemption(void **state)
{
	/* PPI 27 (timer) at 0xa0, SGI 1 at 0x40, on CPU 0. */
	gic_redist_write(g, SGI(0, 0x400 + 27), 0xa0, 1);
	gic_redist_write(g, SGI(0, 0x400 + 1), 0x40, 1);
	gic_redist_write(g, SGI(0, 0x100), (1u << 27) | (1u << 1), 4);
	gic_set_ppi(g, 0, 27, 1);
	sw(0, ICC_PMR, 0xa0); /* priority must be < PMR */
	assert_false(gic_irq_pending(g, 0));
	sw(0, ICC_PMR, 0xf0);
	assert_true(gic_irq_pending(g, 0));
	assert_int_equal(sr(0, ICC_IAR1), 27);
	/* A higher-priority SGI preempts the running 0xa0. */
	sw(0, ICC_SGI1R, (1ull << 24) | 1); /* INTID 1 to CPU 0 */
	assert_true(gic_irq_pending(g, 0));
	assert_int_equal(sr(0, ICC_IAR1), 1);
	assert_int_equal(sr(0, ICC_RPR), 0x40);
	sw(0, ICC_EOIR1, 1);
	assert_int_equal(sr(0, ICC_RPR), 0xa0);
	gic_set_ppi(g, 0, 27, 0);
	sw(0, ICC_EOIR1, 27);
	assert_false(gic_irq_pending(g, 0));
}

static void test_eoimode_split(void **state)
{
	gic_redist_write(g, SGI(2, 0x100), 1u << 5, 4);
	sw(2, ICC_CTLR, 2); /* EOImode 1: EOI drops priority only */
	sw(0, ICC_SGI1R, (5ull << 24) | (1u << 2));
	assert_int_equal(sr(2, ICC_IAR1), 5);
	sw(2, ICC_EOIR1, 5);
	assert_int_equal(sr(2, ICC_RPR), 0xff);
	sw(0, ICC_SGI1R, (5ull << 24) | (1u << 2));
	assert_false(gic_irq_pending(g, 2)); /* still active */
	sw(2, ICC_DIR, 5);
	assert_true(gic_irq_pending(g, 2));
}

static void test_sgi_targets(void **state)
{
	for (unsigned c = 0; c < 4; c++)
		gic_redist_write(g, SGI(c, 0x100), 1u << 3, 4);
	sw(1, ICC_SGI1R, (3ull << 24) | 0x5); /* CPUs 0 and 2 */
	assert_true(gic_irq_pending(g, 0));
	assert_false(gic_irq_pending(g, 1));
	assert_true(gic_irq_pending(g, 2));
	assert_false(gic_irq_pending(g, 3));
	assert_true(wakes[0] > 0 && wakes[2] > 0);
	assert_int_equal(sr(0, ICC_IAR1), 3);
	assert_int_equal(sr(2, ICC_IAR1), 3);
	/* IRM: everyone but the sender. */
	sw(3, ICC_SGI1R, (3ull << 24) | (1ull << 40));
	assert_true(gic_irq_pending(g, 1));
	assert_false(gic_irq_pending(g, 3));
	/* Aff1 != 0 names CPUs that do not exist here. */
	sw(0, ICC_SGI1R, (3ull << 24) | (1ull << 16) | 0x8);
	assert_false(gic_irq_pending(g, 3));
}

static void test_disabled_groups_mask_everything(void **state)
{
	gic_redist_write(g, SGI(0, 0x100), 1u << 2, 4);
	sw(1, ICC_SGI1R, (2ull << 24) | 1);
	assert_true(gic_irq_pending(g, 0));
	sw(0, ICC_IGRPEN1, 0);
	assert_false(gic_irq_pending(g, 0));
	assert_int_equal(sr(0, ICC_IAR1), GIC_SPURIOUS);
	sw(0, ICC_IGRPEN1, 1);
	gic_dist_write(g, 0x0, 0x10, 4); /* distributor Group 1 off */
	assert_false(gic_irq_pending(g, 0));
	gic_dist_write(g, 0x0, 0x12, 4);
	assert_true(gic_irq_pending(g, 0));
	gic_redist_write(g, RD(0, 0x14), 2, 4); /* redistributor asleep */
	assert_false(gic_irq_pending(g, 0));
}

static void test_unknown_sysreg_and_out_of_range(void **state)
{
	uint64_t v;
	assert_int_equal(gic_sysreg_read(g, 0, SYSREG(3, 0, 1, 0, 0), &v), -1);
	assert_int_equal(gic_sysreg_write(g, 0, SYSREG(3, 0, 1, 0, 0), 0), -1);
	/* Reserved offsets read as zero and ignore writes, no crash. */
	gic_dist_write(g, 0x7FF8, ~0ull, 8);
	assert_int_equal(gic_dist_read(g, 0xF000, 4), 0);
	gic_redist_write(g, RD(9, 0x14), 0, 4); /* CPU 9 does not exist */
	assert_int_equal(gic_redist_read(g, RD(9, 0x8), 8), 0);
	gic_set_spi(g, 500, 1);
	gic_set_ppi(g, 7, 27, 1);
}

/* A guest can write anything anywhere: random accesses never crash (the
 * sanitizer pass of make check watches) and the model stays consistent. */
static void test_random_accesses_are_safe(void **state)
{
	uint64_t x = 0x9E3779B97F4A7C15ull;
	static const unsigned sizes[4] = { 1, 2, 4, 8 };
	for (int i = 0; i < 200000; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		unsigned size = sizes[x & 3];
		uint64_t off = (x >> 8) & 0xFFFF & ~(uint64_t)(size - 1);
		uint64_t roff = (x >> 24) % (4 * 0x20000 + 0x40000); /* past the last frame too */
		roff &= ~(uint64_t)(size - 1);
		switch ((x >> 60) & 7) {
		case 0: gic_dist_write(g, off, x * 31, size); break;
		case 1: (void)gic_dist_read(g, off, size); break;
		case 2: gic_redist_write(g, roff, x * 17, size); break;
		case 3: (void)gic_redist_read(g, roff, size); break;
		case 4: {
			uint64_t v;
			uint32_t enc = SYSREG(3, 0, 12, (x >> 4) & 15, (x >> 9) & 7);
			(void)gic_sysreg_read(g, (unsigned)(x >> 40) & 3, enc, &v);
			break;
		}
		case 5:
			(void)gic_sysreg_write(g, (unsigned)(x >> 40) & 3,
					       SYSREG(3, 0, 12, (x >> 4) & 15, (x >> 9) & 7), x);
			break;
		case 6: gic_set_spi(g, (unsigned)(x >> 20) & 127, (int)(x & 1)); break;
		case 7: gic_set_ppi(g, (unsigned)(x >> 40) & 7, (unsigned)(x >> 20) & 31, (int)(x & 1)); break;
		}
	}
	/* Acknowledging drains to spurious eventually (no INTID is both
	 * returned twice without an EOI and still pending). */
	for (unsigned c = 0; c < 4; c++) {
		sw(c, ICC_PMR, 0xff);
		sw(c, ICC_IGRPEN1, 1);
		for (int n = 0; n < 300; n++) {
			uint64_t id = sr(c, ICC_IAR1);
			if (id == GIC_SPURIOUS)
				break;
			assert_true(id < 128);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_identification, setup, teardown),
		cmocka_unit_test_setup_teardown(test_waker, setup, teardown),
		cmocka_unit_test_setup_teardown(test_spi_routing_and_level, setup, teardown),
		cmocka_unit_test_setup_teardown(test_edge_spi_latches, setup, teardown),
		cmocka_unit_test_setup_teardown(test_priority_mask_and_preemption, setup, teardown),
		cmocka_unit_test_setup_teardown(test_eoimode_split, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sgi_targets, setup, teardown),
		cmocka_unit_test_setup_teardown(test_disabled_groups_mask_everything, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_sysreg_and_out_of_range, setup, teardown),
		cmocka_unit_test_setup_teardown(test_random_accesses_are_safe, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
