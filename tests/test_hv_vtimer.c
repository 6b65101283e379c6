/* test_hv_vtimer.c - generic timer registers: TVAL/CVAL, ISTATUS, IMASK. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "cpu.h"
#include "vtimer.h"

#define CNTFRQ SYSREG(3, 3, 14, 0, 0)
#define CNTVCT SYSREG(3, 3, 14, 0, 2)
#define CNTV_TVAL SYSREG(3, 3, 14, 3, 0)
#define CNTV_CTL SYSREG(3, 3, 14, 3, 1)
#define CNTV_CVAL SYSREG(3, 3, 14, 3, 2)
#define CNTP_CTL SYSREG(3, 3, 14, 2, 1)
#define CNTP_CVAL SYSREG(3, 3, 14, 2, 2)

static uint64_t rd(struct vtimer_cpu *t, uint32_t enc, uint64_t now)
{
	uint64_t v;
	assert_int_equal(vtimer_sysreg_read(t, enc, now, &v), 0);
	return v;
}

static void test_counter_and_frequency(void **state)
{
	struct vtimer_cpu t = { 0 };
	assert_int_equal(rd(&t, CNTFRQ, 0), 62500000);
	assert_int_equal(rd(&t, CNTVCT, 1600), 100); /* 16 ns per tick */
	uint64_t v;
	assert_int_equal(vtimer_sysreg_read(&t, SYSREG(3, 0, 1, 0, 0), 0, &v), -1);
}

static void test_tval_sets_deadline(void **state)
{
	struct vtimer_cpu t = { 0 };
	assert_int_equal(vtimer_sysreg_write(&t, CNTV_TVAL, 1600, 50), 0); /* count 100 + 50 */
	assert_int_equal(rd(&t, CNTV_CVAL, 1600), 150);
	assert_int_equal(vtimer_deadline(&t, 0), UINT64_MAX); /* not enabled */
	vtimer_sysreg_write(&t, CNTV_CTL, 1600, 1);
	assert_int_equal(vtimer_deadline(&t, 0), 150 * 16);
	assert_false(vtimer_level(&t, 0, 150 * 16 - 1));
	assert_true(vtimer_level(&t, 0, 150 * 16));
	assert_int_equal(rd(&t, CNTV_CTL, 150 * 16), 1 | 4); /* ISTATUS */
	/* TVAL reads CVAL - count, signed 32-bit. */
	assert_int_equal(rd(&t, CNTV_TVAL, 160 * 16), (uint32_t)-10);
	/* Negative TVAL: deadline in the past, fires at once. */
	vtimer_sysreg_write(&t, CNTV_TVAL, 1600, (uint32_t)-5);
	assert_int_equal(rd(&t, CNTV_CVAL, 0), 95);
	assert_true(vtimer_level(&t, 0, 1600));
}

static void test_imask_and_disable(void **state)
{
	struct vtimer_cpu t = { 0 };
	vtimer_sysreg_write(&t, CNTV_CVAL, 0, 10);
	vtimer_sysreg_write(&t, CNTV_CTL, 0, 3); /* enabled, masked */
	assert_false(vtimer_level(&t, 0, 1000));
	assert_int_equal(rd(&t, CNTV_CTL, 1000), 3 | 4); /* ISTATUS regardless of IMASK */
	assert_int_equal(vtimer_deadline(&t, 0), UINT64_MAX);
	vtimer_sysreg_write(&t, CNTV_CTL, 0, 0);
	assert_int_equal(rd(&t, CNTV_CTL, 1000), 0);
	/* ISTATUS is read-only. */
	vtimer_sysreg_write(&t, CNTV_CTL, 0, 4);
	assert_int_equal(rd(&t, CNTV_CTL, 0), 0);
}

static void test_physical_timer_is_separate(void **state)
{
	struct vtimer_cpu t = { 0 };
	vtimer_sysreg_write(&t, CNTP_CVAL, 0, 5);
	vtimer_sysreg_write(&t, CNTP_CTL, 0, 1);
	assert_true(vtimer_level(&t, 1, 5 * 16));
	assert_false(vtimer_level(&t, 0, 5 * 16));
	/* A CVAL so large its deadline overflows never fires. */
	vtimer_sysreg_write(&t, CNTP_CVAL, 0, UINT64_MAX - 1);
	assert_int_equal(vtimer_deadline(&t, 1), UINT64_MAX);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counter_and_frequency),
		cmocka_unit_test(test_tval_sets_deadline),
		cmocka_unit_test(test_imask_and_disable),
		cmocka_unit_test(test_physical_timer_is_separate),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
