/*
 * mmu_walk.h - AArch64 stage-1 address translation (VMSAv8-64) done in
 * software, for a hypervisor that has to look at guest memory the way the
 * guest's EL1 sees it: the instruction word of a trapped MRS/MSR/HVC, the
 * WFI before a stop, the faulting VA of an abort.
 *
 * What it promises:
 *  - The translation regime of EL1&0: TTBR0_EL1 for VAs with bit 55 clear,
 *    TTBR1_EL1 for bit 55 set; T0SZ/T1SZ (clamped to 16..39 as a CPU
 *    without 52-bit or small-translation-table support does), TG0/TG1
 *    granules 4K, 16K and 64K, EPD0/EPD1, TBI0/TBI1 (top byte ignored),
 *    the starting level the granule and TxSZ give, table, block and page
 *    descriptors, and the output size TCR_EL1.IPS allows.
 *  - SCTLR_EL1.M clear: the identity (the MMU is off).
 *  - Table reads go through the caller's read function, which says whether
 *    the physical address is readable (inside guest RAM): a hostile guest's
 *    tables (pointing anywhere, any bits set) give a fault result, never a
 *    wild host access.  The walk is at most 4 reads long.
 *  - Permissions, access flags and attributes are not checked here: the
 *    result carries the final descriptor and the table descriptors' upper
 *    attributes so a caller can (mmu_access_fault()).
 */
#ifndef HV_MMU_WALK_H
#define HV_MMU_WALK_H

#include <stdint.h>

/* The EL1 system registers a stage-1 walk depends on. */
struct mmu_regs {
	uint64_t sctlr; /* SCTLR_EL1: bit 0 = M */
	uint64_t tcr; /* TCR_EL1 */
	uint64_t ttbr0; /* TTBR0_EL1 */
	uint64_t ttbr1; /* TTBR1_EL1 */
};

/* Read the 64-bit little-endian word at guest physical pa (8-aligned) into
 * *val: 0, or -1 when pa is not in guest RAM. */
typedef int (*mmu_read64_fn)(void *ctx, uint64_t pa, uint64_t *val);

enum mmu_fault {
	MMU_OK = 0,
	MMU_FAULT_TRANSLATION, /* VA out of range, walk disabled, invalid or reserved descriptor */
	MMU_FAULT_ADDRESS_SIZE, /* a table or output address beyond TCR_EL1.IPS */
	MMU_FAULT_WALK_ABORT, /* a table lies outside guest RAM (external abort on the walk) */
};

struct mmu_result {
	enum mmu_fault fault;
	uint64_t pa; /* the output address (MMU_OK) */
	int level; /* level of the last descriptor read (or where the fault was); -1 MMU off */
	unsigned granule_shift; /* 12, 14 or 16 (0 with the MMU off) */
	uint64_t block_size; /* bytes mapped by the final descriptor */
	uint64_t desc; /* the final block/page descriptor (MMU_OK) */
	uint64_t table_attrs; /* bits 63:59 of every table descriptor on the way, OR'ed
			       * (NSTable, APTable[1:0], UXNTable, PXNTable) */
};

/* Translate va.  Returns r->fault (MMU_OK = 0 on success). */
enum mmu_fault mmu_translate(const struct mmu_regs *regs, uint64_t va, mmu_read64_fn read64,
			     void *ctx, struct mmu_result *r);

/*
 * For a translation that succeeded, would this access fault anyway?  Checks
 * in the Arm ARM's priority order: access flag (AF = 0; no hardware AF
 * update on this CPU), then permissions from AP[2:1], PXN/UXN and the
 * hierarchical APTable/PXNTable/UXNTable bits: a write to read-only, an
 * EL0 access to EL1-only memory, a fetch from execute-never (PXN at EL1,
 * UXN at EL0; EL0-writable memory is never executable at EL1; SCTLR_EL1.WXN
 * makes writable memory execute-never).
 * Returns 0 (allowed), or the fault status code: 0x08 + level (access
 * flag) or 0x0C + level (permission).  PAN is not modelled (the CPU is
 * ARMv8.0).
 */
unsigned mmu_access_fault(const struct mmu_regs *regs, const struct mmu_result *r, int el0, int write,
			  int fetch);

/* "translation fault" etc., for log lines. */
const char *mmu_fault_name(enum mmu_fault f);

#endif
