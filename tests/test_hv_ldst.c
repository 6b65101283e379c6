/* test_hv_ldst.c - address ranges of AArch64 loads/stores (hv/src/a64_ldst.c).
 * Encodings assembled with GNU as (aarch64-linux-gnu-as -march=armv8.1-a). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "a64_ldst.h"

static struct a64_regs regs(void)
{
	struct a64_regs r;
	for (unsigned i = 0; i < 31; i++)
		r.x[i] = 0x1000ull * (i + 1); /* x0 = 0x1000, x1 = 0x2000, ... */
	r.sp = 0x80000;
	return r;
}

static void expect(uint32_t insn, uint64_t pc, const struct a64_regs *r, uint64_t addr, uint64_t len,
		   int store)
{
	struct a64_access a;
	assert_int_equal(a64_ldst_decode(insn, pc, r, &a), 0);
	assert_int_equal(a.addr, addr);
	assert_int_equal(a.len, len);
	assert_int_equal(a.store, store);
}

static void single_register(void **state)
{
	(void)state;
	struct a64_regs r = regs();
	expect(0xb9400820, 0, &r, 0x2000 + 8, 4, 0); /* ldr w0, [x1, #8] */
	expect(0xf9000be2, 0, &r, 0x80000 + 16, 8, 1); /* str x2, [sp, #16] */
	expect(0xf85f8083, 0, &r, 0x5000 - 8, 8, 0); /* ldur x3, [x4, #-8] */
	expect(0xf84104c5, 0, &r, 0x7000, 8, 0); /* ldr x5, [x6], #16 (post: base) */
	expect(0xb81fcd07, 0, &r, 0x9000 - 4, 4, 1); /* str w7, [x8, #-4]! */
	expect(0x79000420, 0, &r, 0x2000 + 2, 2, 1); /* strh w0, [x1, #2] */
	expect(0xb9800483, 0, &r, 0x5000 + 4, 4, 0); /* ldrsw x3, [x4, #4] */
	expect(0xf8401841, 0, &r, 0x3000 + 1, 8, 0); /* ldtr x1, [x2, #1] */
	expect(0x3dc00b02, 0, &r, 0x19000 + 32, 16, 0); /* ldr q2, [x24, #32] */
	expect(0xfd000323, 0, &r, 0x1a000, 8, 1); /* str d3, [x25] */
}

static void register_offset(void **state)
{
	(void)state;
	struct a64_regs r = regs();
	expect(0xf86b7949, 0, &r, 0xb000 + (0xc000ull << 3), 8, 0); /* ldr x9, [x10, x11, lsl #3] */
	r.x[14] = 0xFFFFFFFFull; /* w14 = -1 */
	expect(0x386ec9ac, 0, &r, 0xe000 - 1, 1, 0); /* ldrb w12, [x13, w14, sxtw] */
	r.x[17] = 0xABCD00000010ull; /* uxtw keeps the low 32 bits */
	expect(0xb8715a0f, 0, &r, 0x11000 + (0x10 << 2), 4, 0); /* ldr w15, [x16, w17, uxtw #2] */
}

static void pairs_literals_exclusives(void **state)
{
	(void)state;
	struct a64_regs r = regs();
	expect(0xa97f4e92, 0, &r, 0x15000 - 16, 16, 0); /* ldp x18, x19, [x20, #-16] */
	expect(0x29815bf5, 0, &r, 0x80000 + 8, 8, 1); /* stp w21, w22, [sp, #8]! */
	expect(0xac8106e0, 0, &r, 0x18000, 32, 1); /* stp q0, q1, [x23], #32 */
	expect(0x58000040, 0x40201000, &r, 0x40201008, 8, 0); /* ldr x0, .+8 */
	expect(0xc85f7f7a, 0, &r, 0x1c000, 8, 0); /* ldxr x26, [x27] */
	expect(0x889fffbc, 0, &r, 0x1e000, 4, 1); /* stlr w28, [x29] */
	expect(0xc87f8440, 0, &r, 0x3000, 16, 0); /* ldaxp x0, x1, [x2] */
}

static void not_covered(void **state)
{
	(void)state;
	struct a64_regs r = regs();
	struct a64_access a;
	assert_int_equal(a64_ldst_decode(0xf8200041, 0, &r, &a), -1); /* ldadd x0, x1, [x2] */
	assert_int_equal(a64_ldst_decode(0x4c407000, 0, &r, &a), -1); /* ld1 {v0.16b}, [x0] */
	assert_int_equal(a64_ldst_decode(0x8b020020, 0, &r, &a), -1); /* add x0, x1, x2 */
	assert_int_equal(a64_ldst_decode(0xd503201f, 0, &r, &a), -1); /* nop */
	assert_int_equal(a64_ldst_decode(0x00000000, 0, &r, &a), -1); /* udf #0 */
	assert_int_equal(a64_ldst_decode(0xedededed, 0, &r, &a), -1); /* SIMD pair, opc 11: unallocated (found by fuzz_hv_mmu) */
	/* Every encoding decodes or refuses without touching anything else. */
	for (uint64_t i = 0; i < 0x100000000ull; i += 0x10001ull)
		(void)a64_ldst_decode((uint32_t)i, 0, &r, &a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(single_register),
		cmocka_unit_test(register_offset),
		cmocka_unit_test(pairs_literals_exclusives),
		cmocka_unit_test(not_covered),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
