/*
 * mmu_walk.c - AArch64 stage-1 translation table walk (see mmu_walk.h).
 *
 * The numbers follow the Arm ARM's VMSAv8-64 translation process: a granule
 * of 2^g bytes holds 2^(g-3) descriptors, so each level resolves g-3 VA
 * bits; the last level (3) resolves bits [g+g-4 : g]; the starting level is
 * the one that leaves exactly (64 - TxSZ) input bits resolved.
 */
#include "mmu_walk.h"

#include <stdbool.h>

#define SCTLR_M (1ull << 0)
#define OA_MASK_48 0x0000FFFFFFFFFFFFull
#define DESC_VALID 1ull
#define DESC_TABLE 2ull /* table (levels 0-2) or page (level 3) */

const char *mmu_fault_name(enum mmu_fault f)
{
	switch (f) {
	case MMU_OK:
		return "no fault";
	case MMU_FAULT_TRANSLATION:
		return "translation fault";
	case MMU_FAULT_ADDRESS_SIZE:
		return "address size fault";
	case MMU_FAULT_WALK_ABORT:
		return "translation table outside guest RAM";
	}
	return "unknown fault";
}

/* Granule shift from TCR_EL1.TG0 (00 4K, 01 64K, 10 16K; 11 reserved -> 4K,
 * as QEMU's CPUs choose). */
static unsigned tg0_shift(unsigned tg)
{
	return tg == 1 ? 16 : tg == 2 ? 14 : 12;
}

/* TCR_EL1.TG1 (01 16K, 10 4K, 11 64K; 00 reserved -> 4K). */
static unsigned tg1_shift(unsigned tg)
{
	return tg == 1 ? 14 : tg == 3 ? 16 : 12;
}

/* Physical address size from TCR_EL1.IPS; 52-bit and reserved values give
 * 48 (no FEAT_LPA on this CPU). */
static unsigned pa_bits(uint64_t tcr)
{
	static const unsigned bits[8] = { 32, 36, 40, 42, 44, 48, 48, 48 };
	return bits[(tcr >> 32) & 7];
}

/* May a block descriptor appear at this level with this granule? (4K: levels
 * 1 and 2; 16K and 64K: level 2 only, level 1 needs 52-bit addresses.) */
static bool block_allowed(unsigned g, int level)
{
	if (g == 12)
		return level == 1 || level == 2;
	return level == 2;
}

static enum mmu_fault fail(struct mmu_result *r, enum mmu_fault f, int level)
{
	r->fault = f;
	r->level = level;
	return f;
}

enum mmu_fault mmu_translate(const struct mmu_regs *regs, uint64_t va, mmu_read64_fn read64,
			     void *ctx, struct mmu_result *r)
{
	r->fault = MMU_OK;
	r->pa = 0;
	r->level = -1;
	r->granule_shift = 0;
	r->block_size = 0;
	r->desc = 0;
	r->table_attrs = 0;
	if (!(regs->sctlr & SCTLR_M)) {
		r->pa = va;
		return MMU_OK;
	}
	const uint64_t tcr = regs->tcr;
	const bool upper = (va >> 55) & 1;
	unsigned txsz, g;
	bool disabled, tbi;
	uint64_t ttbr;
	if (upper) {
		txsz = (tcr >> 16) & 63;
		disabled = (tcr >> 23) & 1;
		g = tg1_shift((tcr >> 30) & 3);
		tbi = (tcr >> 38) & 1;
		ttbr = regs->ttbr1;
	} else {
		txsz = tcr & 63;
		disabled = (tcr >> 7) & 1;
		g = tg0_shift((tcr >> 14) & 3);
		tbi = (tcr >> 37) & 1;
		ttbr = regs->ttbr0;
	}
	r->granule_shift = g;
	/* Without FEAT_LVA/FEAT_TTST, out-of-range TxSZ behaves as the nearest
	 * supported value. */
	if (txsz < 16)
		txsz = 16;
	if (txsz > 39)
		txsz = 39;
	const unsigned inputsize = 64 - txsz;

	/* VA bits [top : inputsize] must all equal bit 55 (all 0 for TTBR0,
	 * all 1 for TTBR1); with TBI the top byte is not looked at. */
	const unsigned top = tbi ? 55 : 63;
	const uint64_t range = ((top == 63 ? ~0ull : (1ull << (top + 1)) - 1) >> inputsize)
			       << inputsize;
	if ((va & range) != (upper ? range : 0))
		return fail(r, MMU_FAULT_TRANSLATION, 0);
	if (disabled)
		return fail(r, MMU_FAULT_TRANSLATION, 0);

	const unsigned stride = g - 3;
	const unsigned levels = (inputsize - g + stride - 1) / stride;
	int level = 4 - (int)levels;
	const unsigned pabits = pa_bits(tcr);
	const uint64_t pa_limit_mask = ~((1ull << pabits) - 1);

	/* The first table: its index takes whatever bits are left at the top. */
	unsigned shift = g + (unsigned)(3 - level) * stride;
	unsigned idx_bits = inputsize - shift;
	uint64_t table = ttbr & OA_MASK_48 & ~1ull;
	table &= ~((1ull << (idx_bits + 3)) - 1); /* aligned to the table's size */
	if (table & pa_limit_mask)
		return fail(r, MMU_FAULT_ADDRESS_SIZE, level);

	for (;;) {
		uint64_t index = (va >> shift) & ((1ull << idx_bits) - 1);
		uint64_t desc;
		if (read64(ctx, table + index * 8, &desc) != 0)
			return fail(r, MMU_FAULT_WALK_ABORT, level);
		r->level = level;
		if (!(desc & DESC_VALID))
			return fail(r, MMU_FAULT_TRANSLATION, level);
		if (level < 3 && (desc & DESC_TABLE)) {
			/* Next-level table: address bits [47:g]. */
			uint64_t next = desc & OA_MASK_48 & ~((1ull << g) - 1);
			if (next & pa_limit_mask)
				return fail(r, MMU_FAULT_ADDRESS_SIZE, level);
			r->table_attrs |= desc & (0x1Full << 59);
			table = next;
			level++;
			shift -= stride;
			idx_bits = stride;
			continue;
		}
		if (level < 3 && !block_allowed(g, level))
			return fail(r, MMU_FAULT_TRANSLATION, level);
		if (level == 3 && !(desc & DESC_TABLE))
			return fail(r, MMU_FAULT_TRANSLATION, level); /* reserved encoding */
		/* Block (levels 1-2) or page (level 3): it maps 2^shift bytes. */
		uint64_t size = 1ull << shift;
		uint64_t out = desc & OA_MASK_48 & ~(size - 1);
		if (out & pa_limit_mask)
			return fail(r, MMU_FAULT_ADDRESS_SIZE, level);
		r->pa = out | (va & (size - 1));
		r->block_size = size;
		r->desc = desc;
		return MMU_OK;
	}
}

unsigned mmu_access_fault(const struct mmu_regs *regs, const struct mmu_result *r, int el0, int write,
			  int fetch)
{
	if (!(regs->sctlr & SCTLR_M) || r->fault != MMU_OK)
		return 0;
	const unsigned level = r->level < 0 ? 0 : (unsigned)r->level;
	const uint64_t d = r->desc, t = r->table_attrs;
	if (!(d & (1ull << 10)))
		return 0x08 + level; /* access flag fault */
	/* AP[2] read-only, AP[1] EL0 accessible; APTable[1] (bit 62) read-only,
	 * APTable[0] (bit 61) no EL0 access. */
	const bool read_only = ((d >> 7) & 1) || ((t >> 62) & 1);
	const bool el0_ok = ((d >> 6) & 1) && !((t >> 61) & 1);
	const bool pxn = ((d >> 53) & 1) || ((t >> 59) & 1);
	const bool uxn = ((d >> 54) & 1) || ((t >> 60) & 1);
	const bool wxn = (regs->sctlr >> 19) & 1;
	const bool writable = !read_only && (!el0 || el0_ok);
	bool denied;
	/* At EL1, memory EL0 can write (AP[2:1] = 01) is never executable. */
	const bool el0_writable = !read_only && el0_ok;
	if (fetch)
		denied = (el0 ? uxn || !el0_ok : pxn || el0_writable) || (wxn && writable);
	else
		denied = (el0 && !el0_ok) || (write && read_only);
	return denied ? 0x0C + level : 0;
}
