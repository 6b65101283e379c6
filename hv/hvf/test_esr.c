/*
 * test_esr.c - the HVF backend's ESR_EL2 decoding (hv/hvf/esr.h), tested on
 * every host since the backend itself only builds on macOS.
 *
 * Syndromes are assembled field by field from the Arm ARM's ESR_EL2
 * layout for a named instruction; the trapped-MSR/MRS encodings are also
 * checked against the same register's MRS/MSR instruction word (decoded
 * the way the Unicorn backend does) and against Linux's
 * ESR_ELx_SYS64_ISS_SYS_CNTVCT value, so the two encodings cannot drift
 * apart.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "esr.h"

/* EC | IL (32-bit instruction) | ISS */
static uint64_t syndrome(unsigned ec, uint32_t iss) { return (uint64_t)ec << 26 | 1u << 25 | iss; }

/* Data abort ISS fields; DFSC 0x07 = translation fault, level 3. */
static uint32_t dabt_iss(unsigned sas, unsigned sse, unsigned srt, unsigned sf, unsigned wnr)
{
	return 1u << 24 | sas << 22 | sse << 21 | srt << 16 | sf << 15 | wnr << 6 | 0x07u;
}

static void test_ldrsb_w(void **state)
{
	/* ldrsb w2, [x1] */
	uint64_t esr = syndrome(ESR_EC_DABT_LOWER, dabt_iss(0, 1, 2, 0, 0));
	assert_int_equal(esr, 0x93220007u);
	assert_int_equal(esr_class(esr), ESR_EC_DABT_LOWER);
	struct esr_dabt d = esr_decode_dabt(esr);
	assert_true(d.valid);
	assert_false(d.write);
	assert_true(d.sign_extend);
	assert_false(d.reg64);
	assert_int_equal(d.size, 1);
	assert_int_equal(d.rt, 2);
	assert_int_equal(esr_dabt_load_value(&d, 0x80), 0xFFFFFF80u); /* W: upper half zero */
	assert_int_equal(esr_dabt_load_value(&d, 0x7F), 0x7Fu);
	assert_int_equal(esr_dabt_load_value(&d, 0xABCD12FF), 0xFFFFFFFFu); /* only the byte counts */
}

static void test_ldrsh_x(void **state)
{
	/* ldrsh x3, [x0] */
	struct esr_dabt d = esr_decode_dabt(syndrome(ESR_EC_DABT_LOWER, dabt_iss(1, 1, 3, 1, 0)));
	assert_int_equal(d.size, 2);
	assert_true(d.reg64);
	assert_int_equal(esr_dabt_load_value(&d, 0x8001), 0xFFFFFFFFFFFF8001ull);
	assert_int_equal(esr_dabt_load_value(&d, 0x7001), 0x7001u);
}

static void test_ldr_w_and_x(void **state)
{
	/* ldr w4, [x0]: a 32-bit load zero-extends */
	struct esr_dabt d = esr_decode_dabt(syndrome(ESR_EC_DABT_LOWER, dabt_iss(2, 0, 4, 0, 0)));
	assert_int_equal(d.size, 4);
	assert_int_equal(d.rt, 4);
	assert_int_equal(esr_dabt_load_value(&d, 0xFFFFFFFF92345678ull), 0x92345678u);
	/* ldr x9, [x0] */
	d = esr_decode_dabt(syndrome(ESR_EC_DABT_LOWER, dabt_iss(3, 0, 9, 1, 0)));
	assert_int_equal(d.size, 8);
	assert_int_equal(esr_dabt_load_value(&d, 0x8877665544332211ull), 0x8877665544332211ull);
}

static void test_stores(void **state)
{
	/* str x30, [x0] */
	uint64_t esr = syndrome(ESR_EC_DABT_LOWER, dabt_iss(3, 0, 30, 1, 1));
	assert_int_equal(esr, 0x93DE8047u);
	struct esr_dabt d = esr_decode_dabt(esr);
	assert_true(d.write);
	assert_int_equal(d.rt, 30);
	assert_int_equal(esr_dabt_store_value(&d, 0x1122334455667788ull), 0x1122334455667788ull);
	/* strb w5, [x0] stores the low byte only */
	d = esr_decode_dabt(syndrome(ESR_EC_DABT_LOWER, dabt_iss(0, 0, 5, 0, 1)));
	assert_int_equal(d.size, 1);
	assert_int_equal(esr_dabt_store_value(&d, 0x1FF), 0xFFu);
	/* strh wzr, [x0]: register 31 is XZR */
	d = esr_decode_dabt(syndrome(ESR_EC_DABT_LOWER, dabt_iss(1, 0, 31, 0, 1)));
	assert_int_equal(d.rt, 31);
	assert_int_equal(d.size, 2);
}

static void test_no_syndrome(void **state)
{
	/* ldp x0, x1, [x2] on MMIO: ISV = 0, nothing else is meaningful */
	struct esr_dabt d = esr_decode_dabt(syndrome(ESR_EC_DABT_LOWER, 0x07u));
	assert_false(d.valid);
}

/* ISS of a trapped MSR/MRS, fields as the Arm ARM places them. */
static uint32_t sys_iss(unsigned op0, unsigned op1, unsigned crn, unsigned crm, unsigned op2, unsigned rt,
			unsigned read)
{
	return op0 << 20 | op2 << 17 | op1 << 14 | crn << 10 | rt << 5 | crm << 1 | read;
}

/* MRS Xt / MSR Xt instruction word: 1101 0101 00 L 1 o0 op1 CRn CRm op2 Rt. */
static uint32_t sys_insn(unsigned op0, unsigned op1, unsigned crn, unsigned crm, unsigned op2, unsigned rt,
			 unsigned read)
{
	return 0xD5100000u | read << 21 | (op0 - 2) << 19 | op1 << 16 | crn << 12 | crm << 8 | op2 << 5 | rt;
}

static void test_sysreg_matches_instruction(void **state)
{
	static const unsigned regs[][5] = {
		{ 3, 0, 12, 12, 0 }, /* ICC_IAR1_EL1 */
		{ 3, 0, 12, 12, 1 }, /* ICC_EOIR1_EL1 */
		{ 3, 0, 12, 11, 5 }, /* ICC_SGI1R_EL1 */
		{ 3, 0, 4, 6, 0 }, /* ICC_PMR_EL1 */
		{ 3, 3, 14, 3, 1 }, /* CNTV_CTL_EL0 */
		{ 3, 0, 0, 0, 5 }, /* MPIDR_EL1 */
		{ 2, 0, 0, 2, 2 }, /* MDSCR_EL1 (op0 = 2) */
	};
	for (size_t i = 0; i < sizeof regs / sizeof regs[0]; i++) {
		const unsigned *r = regs[i];
		for (unsigned read = 0; read <= 1; read++) {
			unsigned rt = (unsigned)(7 + i + read) % 32;
			struct esr_sysreg s =
				esr_decode_sysreg(syndrome(ESR_EC_SYSREG, sys_iss(r[0], r[1], r[2], r[3], r[4], rt, read)));
			uint32_t insn = sys_insn(r[0], r[1], r[2], r[3], r[4], rt, read);
			uint32_t from_insn = ((insn >> 5) & 0xFFFFu) | 1u << 15; /* as cpu_unicorn.c */
			assert_int_equal(s.enc, SYSREG(r[0], r[1], r[2], r[3], r[4]));
			assert_int_equal(s.enc, from_insn);
			assert_int_equal(s.rt, rt);
			assert_int_equal(s.read, read);
		}
	}
}

static void test_sysreg_linux_cntvct(void **state)
{
	/* Linux arch/arm64/include/asm/esr.h: ESR_ELx_SYS64_ISS_SYS_CNTVCT =
	 * SYS_VAL(op0 3, op1 3, op2 2, CRn 14, CRm 0) | DIR_READ. */
	struct esr_sysreg s = esr_decode_sysreg(syndrome(ESR_EC_SYSREG, 0x34F801u | 6u << 5));
	assert_int_equal(s.enc, SYSREG(3, 3, 14, 0, 2));
	assert_true(s.read);
	assert_int_equal(s.rt, 6);
}

static void test_wfx(void **state)
{
	assert_int_equal(esr_class(syndrome(ESR_EC_WFX, 0)), ESR_EC_WFX);
	assert_false(esr_wfx_is_wfe(syndrome(ESR_EC_WFX, 0)));
	assert_true(esr_wfx_is_wfe(syndrome(ESR_EC_WFX, 1)));
	assert_int_equal(esr_class(syndrome(ESR_EC_HVC64, 0)), 0x16);
	assert_int_equal(esr_iss(syndrome(ESR_EC_HVC64, 0x1234)), 0x1234);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ldrsb_w),
		cmocka_unit_test(test_ldrsh_x),
		cmocka_unit_test(test_ldr_w_and_x),
		cmocka_unit_test(test_stores),
		cmocka_unit_test(test_no_syndrome),
		cmocka_unit_test(test_sysreg_matches_instruction),
		cmocka_unit_test(test_sysreg_linux_cntvct),
		cmocka_unit_test(test_wfx),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
