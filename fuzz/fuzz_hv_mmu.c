/*
 * fuzz_hv_mmu.c - a hostile guest's translation tables and instructions:
 * the software stage-1 walk (hv/src/mmu_walk.c) over fuzzed TCR/TTBRs, VA
 * and RAM contents, and the load/store decoder (hv/src/a64_ldst.c) over
 * fuzzed encodings and registers.  Invariants: table reads stay inside
 * the fake RAM, a walk is at most four reads, a successful translation
 * keeps the offset inside its block, access checks give 0 or an access
 * flag / permission fault code.
 * Input: 8 bytes TCR, 8 TTBR0, 8 TTBR1, 8 VA, 4 instruction, rest RAM.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../hv/src/a64_ldst.h"
#include "../hv/src/mmu_walk.h"

#define RAM_BASE 0x40000000ull
#define RAM_MAX 0x10000u

struct fake_ram {
	const uint8_t *bytes;
	size_t size;
	unsigned reads;
};

static int read64(void *ctx, uint64_t pa, uint64_t *val)
{
	struct fake_ram *r = ctx;
	r->reads++;
	if (pa < RAM_BASE || pa - RAM_BASE >= r->size || r->size - (pa - RAM_BASE) < 8)
		return -1;
	memcpy(val, r->bytes + (pa - RAM_BASE), 8);
	return 0;
}

static uint64_t le64(const uint8_t *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 36)
		return 0;
	struct mmu_regs regs = { .sctlr = 1, .tcr = le64(data), .ttbr0 = le64(data + 8),
				 .ttbr1 = le64(data + 16) };
	/* Point the tables into the fake RAM most of the time. */
	if (!(regs.ttbr0 & 1))
		regs.ttbr0 = RAM_BASE + (regs.ttbr0 & (RAM_MAX - 1));
	if (!(regs.ttbr1 & 1))
		regs.ttbr1 = RAM_BASE + (regs.ttbr1 & (RAM_MAX - 1));
	uint64_t va = le64(data + 24);
	uint32_t insn;
	memcpy(&insn, data + 32, 4);
	struct fake_ram ram = { .bytes = data + 36, .size = size - 36 > RAM_MAX ? RAM_MAX : size - 36 };

	struct mmu_result r;
	enum mmu_fault f = mmu_translate(&regs, va, read64, &ram, &r);
	if (ram.reads > 4)
		abort();
	if (f == MMU_OK) {
		if (r.block_size == 0 || (r.block_size & (r.block_size - 1)))
			abort();
		if ((r.pa ^ va) & (r.block_size - 1))
			abort();
		unsigned fsc = mmu_access_fault(&regs, &r, insn & 1, (insn >> 1) & 1, (insn >> 2) & 1);
		if (fsc != 0 && (fsc < 0x08 || fsc > 0x0F))
			abort();
	} else if (mmu_fault_name(f) == NULL) {
		abort();
	}

	struct a64_regs ar;
	for (unsigned i = 0; i < 31; i++)
		ar.x[i] = va + i * 0x1111;
	ar.sp = regs.ttbr0;
	struct a64_access acc;
	if (a64_ldst_decode(insn, va, &ar, &acc) == 0 && (acc.len == 0 || acc.len > 32))
		abort();
	return 0;
}
