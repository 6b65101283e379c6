/* test_hv_mmu.c - the software stage-1 walk (hv/src/mmu_walk.c) on
 * translation tables built by hand in a small fake guest RAM. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "mmu_walk.h"

#define RAM_BASE 0x40000000ull
#define RAM_SIZE 0x20000ull /* 128 KiB: room for 64K-granule tables */

static uint64_t ram[RAM_SIZE / 8];
static unsigned reads;

static int read64(void *ctx, uint64_t pa, uint64_t *val)
{
	(void)ctx;
	reads++;
	if (pa < RAM_BASE || pa - RAM_BASE > RAM_SIZE - 8 || (pa & 7))
		return -1;
	*val = ram[(pa - RAM_BASE) / 8];
	return 0;
}

/* Descriptor at table PA `table`, index i. */
static void put(uint64_t table, unsigned i, uint64_t desc)
{
	ram[(table - RAM_BASE) / 8 + i] = desc;
}

#define TABLE(pa) ((pa) | 3ull) /* valid table descriptor */
#define PAGE(pa) ((pa) | 3ull | (1ull << 10)) /* valid page, AF set */
#define BLOCK(pa) ((pa) | 1ull | (1ull << 10)) /* valid block, AF set */
#define SCTLR_M 1ull
#define IPS_48 (5ull << 32)
#define TG1_4K (2ull << 30)

static int setup(void **state)
{
	(void)state;
	memset(ram, 0, sizeof ram);
	reads = 0;
	return 0;
}

static enum mmu_fault xlate(const struct mmu_regs *regs, uint64_t va, struct mmu_result *r)
{
	return mmu_translate(regs, va, read64, NULL, r);
}

static void mmu_off_is_identity(void **state)
{
	(void)state;
	struct mmu_regs regs = { .sctlr = 0, .tcr = 16, .ttbr0 = RAM_BASE };
	struct mmu_result r;
	assert_int_equal(xlate(&regs, 0x1234567890ull, &r), MMU_OK);
	assert_int_equal(r.pa, 0x1234567890ull);
	assert_int_equal(r.level, -1);
	assert_int_equal(reads, 0);
}

/* 4K granule, T0SZ 16: four levels, a 4 KiB page. */
static void four_levels_4k_page(void **state)
{
	(void)state;
	const uint64_t l0 = RAM_BASE, l1 = RAM_BASE + 0x1000, l2 = RAM_BASE + 0x2000,
		       l3 = RAM_BASE + 0x3000;
	const uint64_t va = 0x0000123456789ABCull;
	put(l0, (va >> 39) & 511, TABLE(l1));
	put(l1, (va >> 30) & 511, TABLE(l2));
	put(l2, (va >> 21) & 511, TABLE(l3));
	put(l3, (va >> 12) & 511, PAGE(0x80005000ull) | (1ull << 54) /* XN: ignored */);
	struct mmu_regs regs = { .sctlr = SCTLR_M, .tcr = 16 | IPS_48, .ttbr0 = l0 | (7ull << 48) };
	struct mmu_result r;
	assert_int_equal(xlate(&regs, va, &r), MMU_OK);
	assert_int_equal(r.pa, 0x80005ABCull);
	assert_int_equal(r.level, 3);
	assert_int_equal(r.granule_shift, 12);
	assert_int_equal(r.block_size, 0x1000);
	assert_int_equal(reads, 4);
	/* The neighbouring page has no descriptor: translation fault at level 3. */
	assert_int_equal(xlate(&regs, va + 0x1000, &r), MMU_FAULT_TRANSLATION);
	assert_int_equal(r.level, 3);
	/* A reserved level-3 encoding (bit 1 clear) is a translation fault too. */
	put(l3, ((va >> 12) & 511) + 1, BLOCK(0x80006000ull));
	assert_int_equal(xlate(&regs, va + 0x1000, &r), MMU_FAULT_TRANSLATION);
}

/* 4K granule, T0SZ 25 (39-bit VAs): the walk starts at level 1, which may
 * hold a 1 GiB block; level 2 a 2 MiB block. */
static void blocks_4k_start_level_1(void **state)
{
	(void)state;
	const uint64_t l1 = RAM_BASE, l2 = RAM_BASE + 0x1000;
	put(l1, 0, BLOCK(0x00000000ull)); /* devices, identity */
	put(l1, 1, TABLE(l2));
	put(l2, 1, BLOCK(0x40200000ull));
	put(l2, 2, BLOCK(0x7FE00000ull)); /* not identity */
	struct mmu_regs regs = { .sctlr = SCTLR_M, .tcr = 25 | IPS_48, .ttbr0 = l1 };
	struct mmu_result r;
	assert_int_equal(xlate(&regs, 0x09000018ull, &r), MMU_OK);
	assert_int_equal(r.pa, 0x09000018ull);
	assert_int_equal(r.level, 1);
	assert_int_equal(r.block_size, 1ull << 30);
	assert_int_equal(xlate(&regs, 0x40212345ull, &r), MMU_OK);
	assert_int_equal(r.pa, 0x40212345ull);
	assert_int_equal(r.level, 2);
	assert_int_equal(xlate(&regs, 0x40400010ull, &r), MMU_OK);
	assert_int_equal(r.pa, 0x7FE00010ull);
	/* 39-bit VA range: bit 39 set is outside TTBR0's region. */
	assert_int_equal(xlate(&regs, 1ull << 39, &r), MMU_FAULT_TRANSLATION);
	assert_int_equal(r.level, 0);
	/* EPD0 disables walks through TTBR0. */
	regs.tcr |= 1ull << 7;
	assert_int_equal(xlate(&regs, 0x40212345ull, &r), MMU_FAULT_TRANSLATION);
}

/* A block at level 0 (4K) or level 1 (64K) needs 52-bit addresses: fault. */
static void block_at_wrong_level(void **state)
{
	(void)state;
	put(RAM_BASE, 0, BLOCK(0));
	struct mmu_regs regs = { .sctlr = SCTLR_M, .tcr = 16 | IPS_48, .ttbr0 = RAM_BASE };
	struct mmu_result r;
	assert_int_equal(xlate(&regs, 0x1000, &r), MMU_FAULT_TRANSLATION);
	assert_int_equal(r.level, 0);
	/* 64K granule, T0SZ 16: starts at level 1. */
	regs.tcr = 16 | IPS_48 | (1ull << 14);
	assert_int_equal(xlate(&regs, 0x1000, &r), MMU_FAULT_TRANSLATION);
	assert_int_equal(r.level, 1);
}

/* TTBR1: a higher-half kernel at 0xFFFF800000000000 + x, T1SZ 16. */
static void ttbr1_higher_half(void **state)
{
	(void)state;
	const uint64_t l0 = RAM_BASE + 0x4000, l1 = RAM_BASE + 0x5000, l2 = RAM_BASE + 0x6000;
	const uint64_t va = 0xFFFF800040201008ull;
	put(l0, (va >> 39) & 511, TABLE(l1));
	put(l1, (va >> 30) & 511, TABLE(l2));
	put(l2, (va >> 21) & 511, BLOCK(0x40200000ull));
	struct mmu_regs regs = { .sctlr = SCTLR_M,
				 .tcr = 16 | (16ull << 16) | TG1_4K | IPS_48,
				 .ttbr0 = RAM_BASE,
				 .ttbr1 = l0 | (0x42ull << 48) /* ASID bits */ };
	struct mmu_result r;
	assert_int_equal(xlate(&regs, va, &r), MMU_OK);
	assert_int_equal(r.pa, 0x40201008ull);
	assert_int_equal(r.level, 2);
	/* Bits 63:48 not all ones: outside TTBR1's region. */
	assert_int_equal(xlate(&regs, va & ~(1ull << 60), &r), MMU_FAULT_TRANSLATION);
	/* EPD1 */
	regs.tcr |= 1ull << 23;
	assert_int_equal(xlate(&regs, va, &r), MMU_FAULT_TRANSLATION);
}

/* Top byte ignore: a tagged pointer translates only with TBI0. */
static void top_byte_ignore(void **state)
{
	(void)state;
	const uint64_t l1 = RAM_BASE;
	put(l1, 1, BLOCK(0x40000000ull));
	struct mmu_regs regs = { .sctlr = SCTLR_M, .tcr = 25 | IPS_48, .ttbr0 = l1 };
	struct mmu_result r;
	const uint64_t tagged = 0x5A00000040001000ull;
	assert_int_equal(xlate(&regs, tagged, &r), MMU_FAULT_TRANSLATION);
	regs.tcr |= 1ull << 37;
	assert_int_equal(xlate(&regs, tagged, &r), MMU_OK);
	assert_int_equal(r.pa, 0x40001000ull);
}

/* 16K granule, T0SZ 28 (36-bit VAs): starts at level 2 (32 MiB blocks),
 * level 3 pages of 16 KiB. */
static void granule_16k(void **state)
{
	(void)state;
	const uint64_t l2 = RAM_BASE, l3 = RAM_BASE + 0x4000;
	put(l2, 0x40200000ull >> 25, TABLE(l3));
	put(l3, (0x40204000ull >> 14) & 2047, PAGE(0x41000000ull));
	put(l2, 0x48000000ull >> 25, BLOCK(0x48000000ull));
	struct mmu_regs regs = { .sctlr = SCTLR_M, .tcr = 28 | IPS_48 | (2ull << 14), .ttbr0 = l2 };
	struct mmu_result r;
	assert_int_equal(xlate(&regs, 0x40205678ull, &r), MMU_OK);
	assert_int_equal(r.pa, 0x41001678ull);
	assert_int_equal(r.level, 3);
	assert_int_equal(r.granule_shift, 14);
	assert_int_equal(r.block_size, 0x4000);
	assert_int_equal(xlate(&regs, 0x49234567ull, &r), MMU_OK);
	assert_int_equal(r.pa, 0x49234567ull);
	assert_int_equal(r.block_size, 1ull << 25);
}

/* 64K granule, T0SZ 32 (32-bit VAs): starts at level 2 (8 entries of
 * 512 MiB), level 3 pages of 64 KiB. */
static void granule_64k(void **state)
{
	(void)state;
	const uint64_t l2 = RAM_BASE, l3 = RAM_BASE + 0x10000;
	put(l2, 2, TABLE(l3));
	put(l3, (0x40230000ull >> 16) & 8191, PAGE(0x40010000ull));
	put(l2, 0, BLOCK(0));
	struct mmu_regs regs = { .sctlr = SCTLR_M, .tcr = 32 | IPS_48 | (1ull << 14), .ttbr0 = l2 };
	struct mmu_result r;
	assert_int_equal(xlate(&regs, 0x4023ABCDull, &r), MMU_OK);
	assert_int_equal(r.pa, 0x4001ABCDull);
	assert_int_equal(r.level, 3);
	assert_int_equal(r.block_size, 0x10000);
	assert_int_equal(xlate(&regs, 0x0A000010ull, &r), MMU_OK);
	assert_int_equal(r.pa, 0x0A000010ull);
	assert_int_equal(r.level, 2);
	assert_int_equal(r.block_size, 1ull << 29);
}

/* Hostile tables: pointers outside RAM, above the PA size, tables that
 * point at themselves.  Faults, never a read outside RAM, at most 4 reads. */
static void hostile_tables(void **state)
{
	(void)state;
	struct mmu_regs regs = { .sctlr = SCTLR_M, .tcr = 16 | IPS_48, .ttbr0 = 0x1000 };
	struct mmu_result r;
	/* TTBR0 outside RAM. */
	assert_int_equal(xlate(&regs, 0x40000000ull, &r), MMU_FAULT_WALK_ABORT);
	assert_int_equal(r.level, 0);
	/* A table descriptor pointing past the end of RAM. */
	regs.ttbr0 = RAM_BASE;
	put(RAM_BASE, 0, TABLE(RAM_BASE + RAM_SIZE));
	assert_int_equal(xlate(&regs, 0x40000000ull, &r), MMU_FAULT_WALK_ABORT);
	assert_int_equal(r.level, 1);
	/* A table address beyond a 32-bit IPS. */
	regs.tcr = 16; /* IPS 0: 4 GiB */
	put(RAM_BASE, 0, TABLE(0x100000000ull));
	assert_int_equal(xlate(&regs, 0x40000000ull, &r), MMU_FAULT_ADDRESS_SIZE);
	/* Every level points back at the same table: the walk ends after 4
	 * reads (the level-3 "page" is the table itself). */
	regs.tcr = 16 | IPS_48;
	memset(ram, 0, sizeof ram);
	put(RAM_BASE, 0, TABLE(RAM_BASE));
	reads = 0;
	assert_int_equal(xlate(&regs, 0x123ull, &r), MMU_OK);
	assert_int_equal(r.pa, RAM_BASE + 0x123);
	assert_int_equal(reads, 4);
	/* All ones everywhere. */
	memset(ram, 0xFF, sizeof ram);
	reads = 0;
	enum mmu_fault f = xlate(&regs, 0x0000FFFFFFFFFFF8ull, &r);
	assert_int_not_equal(f, MMU_OK);
	assert_true(reads <= 4);
	/* Absurd TxSZ values are clamped, not trusted. */
	regs.tcr = 63 | IPS_48;
	memset(ram, 0, sizeof ram);
	assert_int_equal(xlate(&regs, 0x1000, &r), MMU_FAULT_TRANSLATION);
	assert_string_equal(mmu_fault_name(MMU_FAULT_WALK_ABORT), "translation table outside guest RAM");
}

/* Access flag and permission checks on a translation that succeeded. */
static void access_faults(void **state)
{
	(void)state;
	const uint64_t l1 = RAM_BASE, l2 = RAM_BASE + 0x1000, l3 = RAM_BASE + 0x2000;
	put(l1, 1, TABLE(l2));
	put(l2, 0, TABLE(l3));
	put(l3, 0, PAGE(0x40000000ull)); /* RW at EL1 only, executable */
	put(l3, 1, PAGE(0x40001000ull) | (1ull << 7)); /* read-only */
	put(l3, 2, PAGE(0x40002000ull) & ~(1ull << 10)); /* AF clear */
	put(l3, 3, PAGE(0x40003000ull) | (1ull << 53)); /* PXN */
	put(l3, 4, PAGE(0x40004000ull) | (1ull << 6)); /* EL0 RW: never executable at EL1 */
	struct mmu_regs regs = { .sctlr = SCTLR_M, .tcr = 25 | IPS_48, .ttbr0 = l1 };
	struct mmu_result r;
	/* mmu_access_fault(regs, r, el0, write, fetch) */
	assert_int_equal(xlate(&regs, 0x40000010ull, &r), MMU_OK);
	assert_int_equal(mmu_access_fault(&regs, &r, 0, 1, 0), 0);
	assert_int_equal(mmu_access_fault(&regs, &r, 0, 0, 1), 0);
	assert_int_equal(mmu_access_fault(&regs, &r, 1, 0, 0), 0x0F); /* EL0: no access */
	assert_int_equal(xlate(&regs, 0x40001010ull, &r), MMU_OK);
	assert_int_equal(mmu_access_fault(&regs, &r, 0, 0, 0), 0);
	assert_int_equal(mmu_access_fault(&regs, &r, 0, 1, 0), 0x0F); /* write to read-only, level 3 */
	assert_int_equal(xlate(&regs, 0x40002010ull, &r), MMU_OK);
	assert_int_equal(mmu_access_fault(&regs, &r, 0, 0, 0), 0x0B); /* access flag, level 3 */
	assert_int_equal(xlate(&regs, 0x40003010ull, &r), MMU_OK);
	assert_int_equal(mmu_access_fault(&regs, &r, 0, 0, 1), 0x0F);
	assert_int_equal(mmu_access_fault(&regs, &r, 0, 0, 0), 0);
	assert_int_equal(xlate(&regs, 0x40004010ull, &r), MMU_OK);
	assert_int_equal(mmu_access_fault(&regs, &r, 0, 0, 1), 0x0F);
	assert_int_equal(mmu_access_fault(&regs, &r, 1, 1, 0), 0);
	/* WXN: writable memory is execute-never. */
	regs.sctlr |= 1ull << 19;
	assert_int_equal(xlate(&regs, 0x40000010ull, &r), MMU_OK);
	assert_int_equal(mmu_access_fault(&regs, &r, 0, 0, 1), 0x0F);
	regs.sctlr &= ~(1ull << 19);
	/* APTable[1] (bit 62) on the level-2 table descriptor: read-only below. */
	put(l2, 0, TABLE(l3) | (1ull << 62));
	assert_int_equal(xlate(&regs, 0x40000010ull, &r), MMU_OK);
	assert_int_equal(mmu_access_fault(&regs, &r, 0, 1, 0), 0x0F);
	/* A block at level 2 with AF clear: access flag fault level 2. */
	put(l2, 1, BLOCK(0x40200000ull) & ~(1ull << 10));
	assert_int_equal(xlate(&regs, 0x40200010ull, &r), MMU_OK);
	assert_int_equal(mmu_access_fault(&regs, &r, 0, 0, 0), 0x0A);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(mmu_off_is_identity, setup),
		cmocka_unit_test_setup(four_levels_4k_page, setup),
		cmocka_unit_test_setup(blocks_4k_start_level_1, setup),
		cmocka_unit_test_setup(block_at_wrong_level, setup),
		cmocka_unit_test_setup(ttbr1_higher_half, setup),
		cmocka_unit_test_setup(top_byte_ignore, setup),
		cmocka_unit_test_setup(granule_16k, setup),
		cmocka_unit_test_setup(granule_64k, setup),
		cmocka_unit_test_setup(hostile_tables, setup),
		cmocka_unit_test_setup(access_faults, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
