/* test_hv_psci.c - PSCI 1.0 dispatch: results and error codes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "psci.h"

static enum psci_power power[4];
static uint64_t last_entry, last_ctx;
static int offs, sys_off, sys_reset;

static enum psci_power st(void *ctx, unsigned cpu) { return power[cpu]; }
static int valid(void *ctx, uint64_t pa) { return pa >= 0x40000000 && pa < 0x50000000; }
static void on(void *ctx, unsigned cpu, uint64_t e, uint64_t c)
{
	power[cpu] = PSCI_POWER_ON;
	last_entry = e;
	last_ctx = c;
}
static void off(void *ctx, unsigned cpu)
{
	power[cpu] = PSCI_POWER_OFF;
	offs++;
}
static void soff(void *ctx) { sys_off++; }
static void sreset(void *ctx) { sys_reset++; }

static const struct psci_ops ops = { NULL, 4, st, valid, on, off, soff, sreset };

static int64_t call(unsigned cpu, uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
	uint64_t x[4] = { fn, a1, a2, a3 };
	psci_call(&ops, cpu, x);
	return (int64_t)x[0];
}

static int setup(void **state)
{
	for (int i = 0; i < 4; i++)
		power[i] = PSCI_POWER_OFF;
	power[0] = PSCI_POWER_ON;
	offs = sys_off = sys_reset = 0;
	last_entry = last_ctx = 0;
	return 0;
}

static void test_version(void **state)
{
	assert_int_equal(call(0, PSCI_0_2_VERSION, 0, 0, 0), 0x10000);
	assert_int_equal(call(0, SMCCC_VERSION, 0, 0, 0), 0x10001);
}

static void test_cpu_on(void **state)
{
	assert_int_equal(call(0, PSCI_CPU_ON_64, 2, 0x40201000, 0x1234567890ull), PSCI_RET_SUCCESS);
	assert_int_equal(power[2], PSCI_POWER_ON);
	assert_int_equal(last_entry, 0x40201000);
	assert_int_equal(last_ctx, 0x1234567890ull);
	assert_int_equal(call(0, PSCI_CPU_ON_64, 2, 0x40201000, 0), PSCI_RET_ALREADY_ON);
	assert_int_equal(call(0, PSCI_CPU_ON_64, 0, 0x40201000, 0), PSCI_RET_ALREADY_ON);
}

static void test_cpu_on_errors(void **state)
{
	assert_int_equal(call(0, PSCI_CPU_ON_64, 4, 0x40201000, 0), PSCI_RET_INVALID_PARAMETERS);
	assert_int_equal(call(0, PSCI_CPU_ON_64, 0x101, 0x40201000, 0), PSCI_RET_INVALID_PARAMETERS);
	assert_int_equal(call(0, PSCI_CPU_ON_64, 1, 0x1000, 0), PSCI_RET_INVALID_ADDRESS);
	assert_int_equal(power[1], PSCI_POWER_OFF);
	power[3] = PSCI_POWER_ON_PENDING;
	assert_int_equal(call(0, PSCI_CPU_ON_64, 3, 0x40201000, 0), PSCI_RET_ON_PENDING);
}

static void test_smc32_arguments_are_32_bit(void **state)
{
	/* Upper halves of SMC32 arguments are ignored. */
	assert_int_equal(call(0, PSCI_CPU_ON_32, 0xFFFFFFFF00000001ull, 0xAB40201000ull, 0x5500000007ull),
			 PSCI_RET_SUCCESS);
	assert_int_equal(last_entry, 0x40201000);
	assert_int_equal(last_ctx, 7);
}

static void test_affinity_info(void **state)
{
	assert_int_equal(call(0, PSCI_AFFINITY_INFO_64, 0, 0, 0), 0);
	assert_int_equal(call(0, PSCI_AFFINITY_INFO_64, 1, 0, 0), 1);
	power[1] = PSCI_POWER_ON_PENDING;
	assert_int_equal(call(0, PSCI_AFFINITY_INFO_32, 1, 0, 0), 2);
	assert_int_equal(call(0, PSCI_AFFINITY_INFO_64, 9, 0, 0), PSCI_RET_INVALID_PARAMETERS);
	assert_int_equal(call(0, PSCI_AFFINITY_INFO_64, 0, 1, 0), PSCI_RET_INVALID_PARAMETERS);
}

static void test_cpu_off_and_system(void **state)
{
	power[1] = PSCI_POWER_ON;
	call(1, PSCI_CPU_OFF, 0, 0, 0);
	assert_int_equal(power[1], PSCI_POWER_OFF);
	assert_int_equal(offs, 1);
	call(0, PSCI_SYSTEM_OFF, 0, 0, 0);
	assert_int_equal(sys_off, 1);
	call(0, PSCI_SYSTEM_RESET, 0, 0, 0);
	assert_int_equal(sys_reset, 1);
}

static void test_features(void **state)
{
	assert_int_equal(call(0, PSCI_FEATURES, PSCI_CPU_ON_64, 0, 0), 0);
	assert_int_equal(call(0, PSCI_FEATURES, PSCI_SYSTEM_OFF, 0, 0), 0);
	assert_int_equal(call(0, PSCI_FEATURES, SMCCC_VERSION, 0, 0), 0);
	assert_int_equal(call(0, PSCI_FEATURES, 0x8400000Eu, 0, 0), PSCI_RET_NOT_SUPPORTED);
	assert_int_equal(call(0, PSCI_FEATURES, 0xC4000012u, 0, 0), PSCI_RET_NOT_SUPPORTED);
}

static void test_unknown_function(void **state)
{
	assert_int_equal(call(0, 0x8400DEAD, 0, 0, 0), PSCI_RET_NOT_SUPPORTED);
	assert_int_equal(call(0, 0xC2000000, 0, 0, 0), PSCI_RET_NOT_SUPPORTED);
	assert_int_equal(sys_off + sys_reset + offs, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_version, setup),
		cmocka_unit_test_setup(test_cpu_on, setup),
		cmocka_unit_test_setup(test_cpu_on_errors, setup),
		cmocka_unit_test_setup(test_smc32_arguments_are_32_bit, setup),
		cmocka_unit_test_setup(test_affinity_info, setup),
		cmocka_unit_test_setup(test_cpu_off_and_system, setup),
		cmocka_unit_test_setup(test_features, setup),
		cmocka_unit_test_setup(test_unknown_function, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
