/*
 * cpu_unicorn.c - the portable CPU backend: Unicorn (>= 2.1) emulating
 * ARMv8-A at EL1, one uc_engine per vCPU, all sharing one RAM mapping.
 *
 * Unicorn facts this relies on (measured on 2.1.1, issue 7 part 0):
 *  - MRS/MSR of a system register Unicorn does not implement, and HVC (EL2
 *    is absent), raise EXCP_UDEF (1) through UC_HOOK_INTR with the PC at the
 *    instruction: we decode the instruction word, emulate it, skip it.
 *  - Implemented registers (CNTVCT_EL0, CNTFRQ_EL0, MPIDR_EL1, CNTV_*) are
 *    overridden by UC_HOOK_INSN on MRS/MSR: returning 1 skips the access.
 *  - WFI makes uc_emu_start return.
 *  - A UC_HOOK_BLOCK hook sees every executed translation block with its
 *    size; counting size/4 per block is exact and costs ~20%.
 *  - FP/SIMD never traps, whatever CPACR_EL1 says.
 *  - uc_mem_read takes physical addresses; Unicorn 2.1.1 has no API to
 *    translate a guest VA (uc_vmem_translate came later), so with the MMU
 *    on, the instruction word of a trapped MRS/MSR/HVC/SVC/BRK and the WFI
 *    test read through our own stage-1 walk (mmu_walk.c) of the guest's
 *    tables in RAM.
 *  - An access to a physical address with nothing behind it reaches
 *    UC_HOOK_MEM_UNMAPPED; returning false ends uc_emu_start with the PC
 *    at the start of the faulting translation block (registers as just
 *    before the faulting instruction), so hvcpu_run() finds the
 *    instruction and delivers the synchronous external abort (see
 *    find_faulting_insn() and deliver_abort()).
 *  - Faults of the guest's own tables arrive as QEMU exceptions 3/4 in
 *    UC_HOOK_INTR with the PC at the instruction but no syndrome: see
 *    deliver_mmu_abort().
 *  - SCR_EL3 resets to 0 (RW = 0): hvcpu_reset() sets RW, see there.
 */
#include "a64_ldst.h"
#include "cpu.h"
#include "mmu_walk.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicorn/unicorn.h>

#if UC_API_MAJOR < 2 || (UC_API_MAJOR == 2 && UC_API_MINOR < 1)
#error "metalvisor needs Unicorn >= 2.1 (bookworm's 2.0 runs guest stores 19x slower): run make deps"
#endif

#define EXCP_UDEF 1 /* QEMU's exception numbers (target/arm/cpu.h) */
#define EXCP_SWI 2
#define EXCP_PREFETCH_ABORT 3
#define EXCP_DATA_ABORT 4
#define EXCP_BKPT 7
#define INSN_WFI 0xD503207Fu
#define PSTATE_I (1u << 7)
#define PSTATE_BOOT 0x3C5u /* EL1h, D A I F masked */

/* An access to an unmapped PA, noted by hook_unmapped() for hvcpu_run(). */
struct pending_abort {
	bool pending;
	uc_mem_type type;
	uint64_t addr; /* the address Unicorn reports: the VA the guest used */
	int size;
};

struct ucpu {
	struct cpu_backend *b;
	unsigned index;
	uc_engine *uc;
	struct cpu_counter *ctr;
	int error; /* set by a hook that stopped the vCPU on a fault */
	char errmsg[256];
	struct pending_abort abort;
	uint64_t block_pc; /* the last translation block entered (hook_block) */
	uint32_t block_size;
};

/* Guest RAM as mapped with hvcpu_map_ram(), for the software table walk. */
#define MAX_RAM_MAPS 4
struct ram_map {
	uint64_t gpa;
	uint8_t *host;
	uint64_t size;
};

struct mmio_window;

struct cpu_backend {
	struct cpu_host host;
	unsigned ncpus;
	struct mmio_window **windows; /* Unicorn keeps pointers to these */
	unsigned nwindows;
	struct ram_map ram[MAX_RAM_MAPS];
	unsigned nram;
	struct ucpu cpus[];
};

static void set_error(struct ucpu *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void set_error(struct ucpu *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->errmsg, sizeof c->errmsg, fmt, ap);
	va_end(ap);
	c->error = 1;
	uc_emu_stop(c->uc);
}

/* Unicorn register id of Xn (n 0..30), XZR for 31. */
static int xreg_id(unsigned n)
{
	if (n <= 28)
		return UC_ARM64_REG_X0 + (int)n;
	if (n == 29)
		return UC_ARM64_REG_X29;
	if (n == 30)
		return UC_ARM64_REG_X30;
	return UC_ARM64_REG_XZR;
}

static uint64_t rd(uc_engine *uc, int id)
{
	uint64_t v = 0;
	uc_reg_read(uc, id, &v);
	return v;
}

static void wr(uc_engine *uc, int id, uint64_t v) { uc_reg_write(uc, id, &v); }

static void wr_cp(uc_engine *uc, uint32_t op0, uint32_t op1, uint32_t crn, uint32_t crm,
		  uint32_t op2, uint64_t v)
{
	uc_arm64_cp_reg cp = { .crn = crn, .crm = crm, .op0 = op0, .op1 = op1, .op2 = op2, .val = v };
	uc_reg_write(uc, UC_ARM64_REG_CP_REG, &cp);
}

static uint64_t rd_cp(uc_engine *uc, uint32_t op0, uint32_t op1, uint32_t crn, uint32_t crm,
		      uint32_t op2)
{
	uc_arm64_cp_reg cp = { .crn = crn, .crm = crm, .op0 = op0, .op1 = op1, .op2 = op2 };
	uc_reg_read(uc, UC_ARM64_REG_CP_REG, &cp);
	return cp.val;
}

/* Host pointer to guest RAM [pa, pa+len), or NULL (overflow-safe). */
static uint8_t *ram_ptr(struct cpu_backend *b, uint64_t pa, uint64_t len)
{
	for (unsigned i = 0; i < b->nram; i++) {
		const struct ram_map *r = &b->ram[i];
		if (pa >= r->gpa && pa - r->gpa <= r->size && len <= r->size - (pa - r->gpa))
			return r->host + (pa - r->gpa);
	}
	return NULL;
}

/* mmu_read64_fn over guest RAM only: tables in MMIO or nowhere fault. */
static int walk_read64(void *ctx, uint64_t pa, uint64_t *val)
{
	const uint8_t *p = ram_ptr(ctx, pa, 8);
	if (!p)
		return -1;
	memcpy(val, p, 8); /* guest and host are little-endian */
	return 0;
}

/*
 * Guest VA -> PA as the vCPU's EL1&0 stage 1 sees it right now (the
 * identity while SCTLR_EL1.M is clear).  0, or -1 with *why set.
 */
static int guest_va_to_pa(struct ucpu *c, uint64_t va, uint64_t *pa, const char **why)
{
	struct mmu_regs regs = { .sctlr = rd_cp(c->uc, 3, 0, 1, 0, 0) };
	if (regs.sctlr & 1) {
		regs.tcr = rd_cp(c->uc, 3, 0, 2, 0, 2);
		regs.ttbr0 = rd(c->uc, UC_ARM64_REG_TTBR0_EL1);
		regs.ttbr1 = rd(c->uc, UC_ARM64_REG_TTBR1_EL1);
	}
	struct mmu_result r;
	enum mmu_fault f = mmu_translate(&regs, va, walk_read64, c->b, &r);
	if (f != MMU_OK) {
		*why = mmu_fault_name(f);
		return -1;
	}
	*pa = r.pa;
	return 0;
}

/* Read the instruction word at guest VA pc (through the guest's tables). */
static int read_insn(struct ucpu *c, uint64_t pc, uint32_t *insn, const char **why)
{
	uint64_t pa;
	if (guest_va_to_pa(c, pc, &pa, why) != 0)
		return -1;
	const uint8_t *p = ram_ptr(c->b, pa, 4); /* code runs from RAM only, never MMIO */
	if (!p) {
		*why = "not in guest RAM";
		return -1;
	}
	memcpy(insn, p, 4);
	return 0;
}

/*
 * Take an exception to EL1 as the architecture does: SPSR_EL1 = PSTATE,
 * ELR_EL1 = elr, ESR_EL1 = *esr (synchronous exceptions), PSTATE = NZCV
 * kept | D A I F set | EL1h (SS, IL, PAN... cleared), the SP we leave
 * banked, PC = VBAR_EL1 + the vector for where we came from + kind.
 * Returns 1, or -1 from EL2/EL3 (never reached on this machine).
 */
#define VEC_SYNC 0x000u
#define VEC_IRQ 0x080u
static int take_exception(uc_engine *uc, unsigned kind, uint64_t elr, const uint64_t *esr)
{
	uint64_t pstate = rd(uc, UC_ARM64_REG_PSTATE);
	unsigned el = (pstate >> 2) & 3;
	uint64_t offset;
	if (el == 1)
		offset = (pstate & 1) ? 0x200 : 0x000; /* current EL with SP_EL1 / SP_EL0 */
	else if (el == 0)
		offset = (pstate & 0x10) ? 0x600 : 0x400; /* lower EL, AArch32 / AArch64 */
	else
		return -1;
	uint64_t sp = rd(uc, UC_ARM64_REG_SP);
	wr_cp(uc, 3, 0, 4, 0, 0, pstate); /* SPSR_EL1 */
	wr(uc, UC_ARM64_REG_ELR_EL1, elr);
	if (esr)
		wr(uc, UC_ARM64_REG_ESR_EL1, *esr);
	bool was_el1h = el == 1 && (pstate & 1);
	if (!was_el1h)
		wr(uc, UC_ARM64_REG_SP_EL0, sp);
	wr(uc, UC_ARM64_REG_PSTATE, (pstate & 0xF0000000u) | PSTATE_BOOT);
	if (!was_el1h)
		wr(uc, UC_ARM64_REG_SP, rd(uc, UC_ARM64_REG_SP_EL1));
	wr(uc, UC_ARM64_REG_PC, rd(uc, UC_ARM64_REG_VBAR_EL1) + offset + kind);
	return 1;
}

/* --- hooks ------------------------------------------------------------------- */

static void hook_block(uc_engine *uc, uint64_t addr, uint32_t size, void *user)
{
	struct ucpu *c = user;
	struct cpu_counter *ctr = c->ctr;
	c->block_pc = addr;
	c->block_size = size;
	ctr->count += size / 4;
	if (ctr->count >= ctr->limit) {
		uc_emu_stop(uc);
	} else if (ctr->irq_waiting) {
		uint64_t pstate = 0;
		uc_reg_read(uc, UC_ARM64_REG_PSTATE, &pstate);
		if (!(pstate & PSTATE_I))
			uc_emu_stop(uc);
	}
}

/*
 * Registers Unicorn does not implement must NOT be skipped from the
 * UC_HOOK_INSN hook: Unicorn then restarts the translation block forever
 * (measured on 2.1.1).  They are left to the UNDEF path (hook_intr).  The
 * GICv3 CPU interface (ICC_*: op0=3 op1=0 CRn=12 CRm 8/9/11/12, and
 * ICC_PMR_EL1 = CRn 4 CRm 6) is the set the machine emulates that way.
 */
static bool unicorn_lacks(const uc_arm64_cp_reg *cp)
{
	if (cp->op0 != 3 || cp->op1 != 0)
		return false;
	if (cp->crn == 12 && (cp->crm == 8 || cp->crm == 9 || cp->crm == 11 || cp->crm == 12))
		return true;
	return cp->crn == 4 && cp->crm == 6 && cp->op2 == 0;
}

static uint32_t hook_mrs(uc_engine *uc, uc_arm64_reg reg, const uc_arm64_cp_reg *cp, void *user)
{
	struct ucpu *c = user;
	uint64_t val;
	uint32_t enc = SYSREG(cp->op0, cp->op1, cp->crn, cp->crm, cp->op2);
	if (unicorn_lacks(cp))
		return 0;
	if (c->b->host.sysreg_read(c->b->host.ctx, c->index, enc, &val) != 0)
		return 0; /* not ours: let Unicorn read it */
	if (reg != UC_ARM64_REG_XZR)
		uc_reg_write(uc, reg, &val);
	return 1;
}

static uint32_t hook_msr(uc_engine *uc, uc_arm64_reg reg, const uc_arm64_cp_reg *cp, void *user)
{
	struct ucpu *c = user;
	uint32_t enc = SYSREG(cp->op0, cp->op1, cp->crn, cp->crm, cp->op2);
	uint64_t val = cp->val; /* Unicorn passes Xt's value */
	if (unicorn_lacks(cp))
		return 0;
	return c->b->host.sysreg_write(c->b->host.ctx, c->index, enc, val) == 0;
}

/* Decode load/store `insn` at `pc` with the vCPU's current registers
 * (a64_ldst.c).  0, or -1 when it is not a load/store covered there. */
static int decode_access(uc_engine *uc, uint32_t insn, uint64_t pc, struct a64_access *acc)
{
	struct a64_regs regs;
	for (unsigned i = 0; i <= 30; i++)
		regs.x[i] = rd(uc, xreg_id(i));
	regs.sp = rd(uc, UC_ARM64_REG_SP);
	return a64_ldst_decode(insn, pc, &regs, acc);
}

/*
 * A Data or Prefetch Abort that Unicorn's own MMU raised (QEMU exceptions
 * 4 and 3) from the guest's translation tables.  Unicorn 2.1.1 does not
 * say why or where, but it does restore the PC to the faulting
 * instruction.  The fault address comes from decoding that instruction
 * (the PC itself for a fetch), the fault status from our own walk of the
 * same tables: translation fault (FSC 0x04 + level), address size fault
 * (0x00 + level) or a synchronous external abort on the walk (0x14 +
 * level).  When our walk finds a valid mapping the fault is a permission,
 * access-flag or alignment fault that we cannot tell apart: stop with a
 * message rather than deliver a guessed syndrome.
 */
static void deliver_mmu_abort(struct ucpu *c, bool fetch)
{
	uc_engine *uc = c->uc;
	uint64_t pc = rd(uc, UC_ARM64_REG_PC);
	uint64_t va = pc;
	bool store = false;
	const char *why;
	if (!fetch) {
		uint32_t insn;
		struct a64_access acc;
		if (read_insn(c, pc, &insn, &why) != 0) {
			set_error(c, "data abort at PC 0x%" PRIx64 ", whose instruction cannot be read (%s)",
				  pc, why);
			return;
		}
		if (decode_access(uc, insn, pc, &acc) != 0) {
			set_error(c, "data abort at PC 0x%" PRIx64 " by instruction 0x%08" PRIx32
				  " that the backend cannot decode: not delivered to the guest", pc, insn);
			return;
		}
		va = acc.addr;
		store = acc.store;
	}
	struct mmu_regs regs = { .sctlr = rd_cp(uc, 3, 0, 1, 0, 0),
				 .tcr = rd_cp(uc, 3, 0, 2, 0, 2),
				 .ttbr0 = rd(uc, UC_ARM64_REG_TTBR0_EL1),
				 .ttbr1 = rd(uc, UC_ARM64_REG_TTBR1_EL1) };
	struct mmu_result r;
	enum mmu_fault f = mmu_translate(&regs, va, walk_read64, c->b, &r);
	bool from_el0 = ((rd(uc, UC_ARM64_REG_PSTATE) >> 2) & 3) == 0;
	unsigned level = r.level < 0 ? 0 : (unsigned)r.level;
	uint64_t fsc;
	const char *kind;
	if (f == MMU_OK) {
		fsc = mmu_access_fault(&regs, &r, from_el0, store, fetch);
		kind = (fsc & ~3u) == 0x08 ? "access flag fault" : "permission fault";
	} else {
		fsc = f == MMU_FAULT_TRANSLATION    ? 0x04 + level
		      : f == MMU_FAULT_ADDRESS_SIZE ? 0x00 + level
						    : 0x14 + level;
		kind = mmu_fault_name(f);
	}
	if (fsc == 0 || rd(uc, UC_ARM64_REG_VBAR_EL1) == 0) {
		set_error(c, "%s abort at PC 0x%" PRIx64 " on VA 0x%" PRIx64 " (%s)%s",
			  fetch ? "instruction" : "data", pc, va,
			  fsc == 0 ? "the guest's tables allow it: an alignment fault or another the backend "
				     "cannot tell apart"
				   : kind,
			  fsc == 0 ? ", not delivered to the guest"
				   : ", not delivered: no exception vectors (VBAR_EL1 is 0)");
		return;
	}
	uint64_t ec = fetch ? (from_el0 ? 0x20 : 0x21) : (from_el0 ? 0x24 : 0x25);
	uint64_t esr = ec << 26 | 1u << 25 | (store ? 1u << 6 : 0) | fsc;
	take_exception(uc, VEC_SYNC, pc, &esr);
	wr(uc, UC_ARM64_REG_FAR_EL1, va);
	if (c->b->host.log) {
		char msg[200];
		snprintf(msg, sizeof msg,
			 "%s abort at PC 0x%" PRIx64 " on VA 0x%" PRIx64 " (%s, level %u) delivered to the guest,"
			 " ESR_EL1 0x%" PRIx64 " FAR_EL1 0x%" PRIx64,
			 fetch ? "instruction" : "data", pc, va, kind, level, esr, va);
		c->b->host.log(c->b->host.ctx, c->index, msg);
	}
}

/* An UNDEF Unicorn could not handle: HVC or a system register it lacks. */
static void hook_intr(uc_engine *uc, uint32_t intno, void *user)
{
	struct ucpu *c = user;
	uint64_t pc = rd(uc, UC_ARM64_REG_PC);
	uint32_t insn;
	if (intno == EXCP_SWI || intno == EXCP_BKPT) {
		/* SVC: PC is already past it (the preferred return address).
		 * BRK: PC is at it.  Syndromes per the Arm ARM (ESR_ELx, EC
		 * 0x15 SVC from AArch64, 0x3C BRK), IL = 1, ISS = imm16. */
		uint64_t at = intno == EXCP_SWI ? pc - 4 : pc;
		uint32_t w = 0;
		uint32_t pattern = intno == EXCP_SWI ? 0xD4000001u : 0xD4200000u;
		const char *why;
		if (read_insn(c, at, &w, &why) == 0 && (w & 0xFFE0001Fu) == pattern) {
			uint64_t esr = (uint64_t)(intno == EXCP_SWI ? 0x15 : 0x3C) << 26 | 1u << 25 |
				       ((w >> 5) & 0xFFFF);
			take_exception(uc, VEC_SYNC, pc, &esr);
			return;
		}
	}
	if (intno == EXCP_PREFETCH_ABORT || intno == EXCP_DATA_ABORT) {
		deliver_mmu_abort(c, intno == EXCP_PREFETCH_ABORT);
		return;
	}
	if (intno != EXCP_UDEF) {
		/* QEMU's exception numbers (target/arm/cpu.h). */
		static const char *const names[] = { [2] = "SVC", [3] = "prefetch abort",
						     [4] = "data abort", [7] = "BRK/breakpoint" };
		const char *name = intno < sizeof names / sizeof names[0] && names[intno]
					   ? names[intno]
					   : "exception";
		set_error(c, "unhandled %s (exception %u) at PC 0x%" PRIx64
			  ": only SVC, BRK, UNDEF and HVC are handled, this is not delivered to the guest",
			  name, intno, pc);
		return;
	}
	const char *why;
	if (read_insn(c, pc, &insn, &why) != 0) {
		set_error(c, "undefined instruction at unreadable PC 0x%" PRIx64 " (%s)", pc, why);
		return;
	}
	if ((insn & 0xFFE0001Fu) == 0xD4000002u) { /* HVC #imm16 */
		uint64_t x[4];
		for (unsigned i = 0; i < 4; i++)
			x[i] = rd(uc, xreg_id(i));
		c->b->host.hvc(c->b->host.ctx, c->index, (uint16_t)(insn >> 5), x);
		for (unsigned i = 0; i < 4; i++)
			wr(uc, xreg_id(i), x[i]);
		/* HVC's preferred return address is the next instruction. */
		wr(uc, UC_ARM64_REG_PC, pc + 4);
		return;
	}
	if ((insn & 0xFFD00000u) == 0xD5100000u) { /* MRS / MSR (register) */
		bool read = insn & (1u << 21);
		unsigned rt = insn & 31;
		uint32_t enc = (insn >> 5) & 0xFFFF; /* o0 op1 CRn CRm op2 */
		enc |= 1u << 15; /* op0 = 2 + o0 */
		if (read) {
			uint64_t val;
			if (c->b->host.sysreg_read(c->b->host.ctx, c->index, enc, &val) != 0)
				goto undef;
			if (rt != 31)
				wr(uc, xreg_id(rt), val);
		} else {
			uint64_t val = rt == 31 ? 0 : rd(uc, xreg_id(rt));
			if (c->b->host.sysreg_write(c->b->host.ctx, c->index, enc, val) != 0)
				goto undef;
		}
		wr(uc, UC_ARM64_REG_PC, pc + 4);
		return;
	}
undef:
	set_error(c,
		  "undefined instruction 0x%08" PRIx32 " at PC 0x%" PRIx64
		  " (system register op0=%u op1=%u CRn=%u CRm=%u op2=%u not emulated)",
		  insn, pc, 2 + ((insn >> 19) & 1), (insn >> 16) & 7, (insn >> 12) & 15,
		  (insn >> 8) & 15, (insn >> 5) & 7);
}

static const char *access_name(uc_mem_type type)
{
	return type == UC_MEM_WRITE_UNMAPPED  ? "write to"
	       : type == UC_MEM_FETCH_UNMAPPED ? "instruction fetch from"
					       : "read from";
}

/*
 * An access outside RAM and every MMIO window.  On hardware the guest takes
 * a synchronous external abort; we note it and stop, and hvcpu_run()
 * delivers it once uc_emu_start has returned (the hook runs in the middle
 * of the instruction, where registers are not ours to change).  A guest
 * without vectors (VBAR_EL1 = 0: nothing installed yet), or one whose
 * vectors themselves cannot be fetched, is stopped with the address.
 */
static bool hook_unmapped(uc_engine *uc, uc_mem_type type, uint64_t addr, int size, int64_t value,
			  void *user)
{
	struct ucpu *c = user;
	uint64_t vbar = rd(uc, UC_ARM64_REG_VBAR_EL1);
	bool in_vectors = type == UC_MEM_FETCH_UNMAPPED && addr >= vbar && addr - vbar < 0x800;
	if (vbar == 0 || in_vectors) {
		set_error(c, "%s unmapped physical address 0x%" PRIx64 " (%d bytes) at PC 0x%" PRIx64 "%s",
			  access_name(type), addr, size, rd(uc, UC_ARM64_REG_PC),
			  vbar == 0 ? " (no exception vectors: VBAR_EL1 is 0)"
				    : " (the exception vectors are not in memory)");
		return false;
	}
	c->abort = (struct pending_abort){ .pending = true, .type = type, .addr = addr, .size = size };
	return false;
}

/*
 * Unicorn leaves the PC at the start of the translation block when an
 * access faults (its FAQ: the PC is only synced per instruction with
 * UC_HOOK_CODE or memory hooks, which cost 5-20x), but the registers are
 * those just before the faulting instruction.  So the faulting
 * instruction is the first load/store of that block whose address,
 * computed from the current registers, covers the faulting address.
 * (Ambiguous only when an earlier access of the same block used a base
 * register that a later instruction moved onto the faulting address.)
 */
static bool find_faulting_insn(struct ucpu *c, uint64_t addr, uint64_t *pc_out)
{
	uint64_t start = rd(c->uc, UC_ARM64_REG_PC);
	uint64_t end = c->block_pc == start ? start + c->block_size : start + 4;
	for (uint64_t pc = start; pc < end; pc += 4) {
		uint32_t insn;
		const char *why;
		struct a64_access acc;
		if (read_insn(c, pc, &insn, &why) != 0)
			return false;
		if (decode_access(c->uc, insn, pc, &acc) == 0 && addr - acc.addr < acc.len) {
			*pc_out = pc;
			return true;
		}
	}
	return false;
}

/*
 * Take the synchronous external abort noted by hook_unmapped() (Arm ARM,
 * ESR_ELx): Data Abort EC 0x25 (0x24 from EL0) with WnR for a write, or
 * Instruction Abort EC 0x21 (0x20 from EL0); IL = 1; xFSC 0x10
 * "synchronous external abort, not on a translation table walk"; FAR_EL1
 * = the faulting VA; ELR_EL1 = the faulting instruction.
 */
static void deliver_abort(struct ucpu *c)
{
	const struct pending_abort a = c->abort;
	c->abort.pending = false;
	uc_engine *uc = c->uc;
	uint64_t pc = rd(uc, UC_ARM64_REG_PC);
	bool precise = a.type == UC_MEM_FETCH_UNMAPPED || find_faulting_insn(c, a.addr, &pc);
	bool from_el0 = ((rd(uc, UC_ARM64_REG_PSTATE) >> 2) & 3) == 0;
	bool fetch = a.type == UC_MEM_FETCH_UNMAPPED;
	uint64_t ec = fetch ? (from_el0 ? 0x20 : 0x21) : (from_el0 ? 0x24 : 0x25);
	uint64_t esr = ec << 26 | 1u << 25 | 0x10;
	if (a.type == UC_MEM_WRITE_UNMAPPED)
		esr |= 1u << 6; /* WnR */
	uint64_t elr = fetch ? a.addr : pc;
	take_exception(uc, VEC_SYNC, elr, &esr);
	wr(uc, UC_ARM64_REG_FAR_EL1, a.addr);
	if (c->b->host.log) {
		char msg[200];
		snprintf(msg, sizeof msg,
			 "%s unmapped address 0x%" PRIx64 " (%d bytes) at PC 0x%" PRIx64
			 ": synchronous external abort to the guest, ESR_EL1 0x%" PRIx64
			 " FAR_EL1 0x%" PRIx64 "%s",
			 access_name(a.type), a.addr, a.size, elr, esr, a.addr,
			 precise ? "" : " (faulting instruction not found: ELR is its block's start)");
		c->b->host.log(c->b->host.ctx, c->index, msg);
	}
}

/* MMIO windows: one dispatcher for every vCPU; user data is the vCPU. */
struct mmio_window {
	struct ucpu *c;
	uint64_t base;
};

static uint64_t mmio_rd(uc_engine *uc, uint64_t off, unsigned size, void *user)
{
	struct mmio_window *w = user;
	return w->c->b->host.mmio_read(w->c->b->host.ctx, w->c->index, w->base + off, size);
}

static void mmio_wr(uc_engine *uc, uint64_t off, unsigned size, uint64_t val, void *user)
{
	struct mmio_window *w = user;
	w->c->b->host.mmio_write(w->c->b->host.ctx, w->c->index, w->base + off, val, size);
}

/* --- interface ---------------------------------------------------------------- */

struct cpu_backend *hvcpu_create(const struct cpu_host *host, unsigned ncpus,
				       struct cpu_counter *counters, char *err, size_t errlen)
{
	struct cpu_backend *b = calloc(1, sizeof *b + ncpus * sizeof b->cpus[0]);
	if (!b) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	b->host = *host;
	b->ncpus = ncpus;
	for (unsigned i = 0; i < ncpus; i++) {
		struct ucpu *c = &b->cpus[i];
		c->b = b;
		c->index = i;
		c->ctr = &counters[i];
		uc_err e = uc_open(UC_ARCH_ARM64, UC_MODE_ARM, &c->uc);
		if (e != UC_ERR_OK) {
			snprintf(err, errlen, "uc_open: %s", uc_strerror(e));
			hvcpu_destroy(b);
			return NULL;
		}
		uc_ctl_set_cpu_model(c->uc, UC_CPU_ARM64_A72);
		uc_hook h;
		e = uc_hook_add(c->uc, &h, UC_HOOK_BLOCK, (void *)hook_block, c, 1, 0);
		if (e == UC_ERR_OK)
			e = uc_hook_add(c->uc, &h, UC_HOOK_INTR, (void *)hook_intr, c, 1, 0);
		if (e == UC_ERR_OK)
			e = uc_hook_add(c->uc, &h, UC_HOOK_MEM_UNMAPPED, (void *)hook_unmapped, c, 1, 0);
		if (e == UC_ERR_OK)
			e = uc_hook_add(c->uc, &h, UC_HOOK_INSN, (void *)hook_mrs, c, 1, 0,
					UC_ARM64_INS_MRS);
		if (e == UC_ERR_OK)
			e = uc_hook_add(c->uc, &h, UC_HOOK_INSN, (void *)hook_msr, c, 1, 0,
					UC_ARM64_INS_MSR);
		if (e != UC_ERR_OK) {
			snprintf(err, errlen, "uc_hook_add: %s", uc_strerror(e));
			hvcpu_destroy(b);
			return NULL;
		}
	}
	return b;
}

void hvcpu_destroy(struct cpu_backend *b)
{
	if (!b)
		return;
	for (unsigned i = 0; i < b->ncpus; i++)
		if (b->cpus[i].uc)
			uc_close(b->cpus[i].uc);
	for (unsigned i = 0; i < b->nwindows; i++)
		free(b->windows[i]);
	free(b->windows);
	free(b);
}

const char *hvcpu_name(const struct cpu_backend *b)
{
	static char name[32];
	unsigned major, minor;
	uc_version(&major, &minor);
	snprintf(name, sizeof name, "unicorn %u.%u", major, minor);
	return name;
}
bool hvcpu_has_irqchip(const struct cpu_backend *b) { return false; }
int hvcpu_set_spi(struct cpu_backend *b, unsigned spi, int level) { return -1; }

int hvcpu_map_ram(struct cpu_backend *b, uint64_t gpa, void *host, uint64_t size)
{
	if (b->nram == MAX_RAM_MAPS)
		return -1;
	b->ram[b->nram++] = (struct ram_map){ .gpa = gpa, .host = host, .size = size };
	for (unsigned i = 0; i < b->ncpus; i++)
		if (uc_mem_map_ptr(b->cpus[i].uc, gpa, size, UC_PROT_ALL, host) != UC_ERR_OK)
			return -1;
	return 0;
}

int hvcpu_map_mmio(struct cpu_backend *b, uint64_t gpa, uint64_t size)
{
	for (unsigned i = 0; i < b->ncpus; i++) {
		struct mmio_window **nw = realloc(b->windows, (b->nwindows + 1) * sizeof *nw);
		if (!nw)
			return -1;
		b->windows = nw;
		struct mmio_window *w = malloc(sizeof *w);
		if (!w)
			return -1;
		b->windows[b->nwindows++] = w; /* freed with the backend */
		w->c = &b->cpus[i];
		w->base = gpa;
		if (uc_mmio_map(b->cpus[i].uc, gpa, size, mmio_rd, w, mmio_wr, w) != UC_ERR_OK)
			return -1;
	}
	return 0;
}

int hvcpu_reset(struct cpu_backend *b, unsigned cpu, uint64_t entry, uint64_t x0)
{
	uc_engine *uc = b->cpus[cpu].uc;
	for (unsigned i = 0; i <= 30; i++)
		wr(uc, xreg_id(i), 0);
	/* SCR_EL3.RW = 1 (measured on 2.1.1): Unicorn's Cortex-A72 has EL3
	 * and resets SCR_EL3 to 0, so QEMU treats EL1 as AArch32 wherever it
	 * asks arm_el_is_aa64(): every ERET from EL1 to EL1 was an "illegal
	 * return" (PSTATE.IL set, not enforced) and the stage-1 walk was the
	 * 32-bit LPAE one, where an identity map below 2 GiB happens to work
	 * but any TTBR1 (higher-half) address faults.  NS stays 0 (as before):
	 * in Non-secure state the model's EL2 would bring HCR_EL2/CNTHCTL_EL2
	 * into play. */
	wr_cp(uc, 3, 6, 1, 1, 0, 1u << 10);
	wr(uc, UC_ARM64_REG_PSTATE, PSTATE_BOOT);
	wr(uc, UC_ARM64_REG_SP, 0);
	wr(uc, UC_ARM64_REG_CPACR_EL1, 3u << 20);
	wr(uc, UC_ARM64_REG_X0, x0);
	wr(uc, UC_ARM64_REG_PC, entry);
	b->cpus[cpu].error = 0;
	b->cpus[cpu].abort.pending = false;
	return 0;
}

enum cpu_exit hvcpu_run(struct cpu_backend *b, unsigned cpu)
{
	struct ucpu *c = &b->cpus[cpu];
	if (c->ctr->count >= c->ctr->limit)
		return CPU_EXIT_LIMIT;
	uint64_t pc = rd(c->uc, UC_ARM64_REG_PC);
	uc_err e = uc_emu_start(c->uc, pc, UINT64_MAX - 3, 0, 0);
	if (c->error)
		return CPU_EXIT_ERROR;
	if (c->abort.pending) {
		/* The guest's handler runs in the next slice. */
		deliver_abort(c);
		return CPU_EXIT_LIMIT;
	}
	if (e != UC_ERR_OK) {
		uint64_t at = rd(c->uc, UC_ARM64_REG_PC);
		snprintf(c->errmsg, sizeof c->errmsg, "%s (PC 0x%" PRIx64 ")", uc_strerror(e), at);
		return CPU_EXIT_ERROR;
	}
	if (c->ctr->count >= c->ctr->limit)
		return CPU_EXIT_LIMIT;
	/* Stopped without reaching the limit: a kick, or WFI (PC is past it). */
	uint32_t insn = 0;
	uint64_t now = rd(c->uc, UC_ARM64_REG_PC);
	const char *why;
	if (now >= 4 && read_insn(c, now - 4, &insn, &why) == 0 && insn == INSN_WFI)
		return CPU_EXIT_WFI;
	return CPU_EXIT_LIMIT;
}

void hvcpu_kick(struct cpu_backend *b, unsigned cpu)
{
	/* Make the block hook stop at the next block. */
	b->cpus[cpu].ctr->limit = b->cpus[cpu].ctr->count;
	uc_emu_stop(b->cpus[cpu].uc);
}

static int reg_id(enum cpu_reg r)
{
	if (r <= 30)
		return xreg_id((unsigned)r);
	if (r == CPU_REG_SP)
		return UC_ARM64_REG_SP;
	if (r == CPU_REG_PC)
		return UC_ARM64_REG_PC;
	if (r == CPU_REG_PSTATE)
		return UC_ARM64_REG_PSTATE;
	return -1;
}

int hvcpu_get_reg(struct cpu_backend *b, unsigned cpu, enum cpu_reg r, uint64_t *val)
{
	int id = reg_id(r);
	if (id < 0 || cpu >= b->ncpus)
		return -1;
	return uc_reg_read(b->cpus[cpu].uc, id, val) == UC_ERR_OK ? 0 : -1;
}

int hvcpu_set_reg(struct cpu_backend *b, unsigned cpu, enum cpu_reg r, uint64_t val)
{
	int id = reg_id(r);
	if (id < 0 || cpu >= b->ncpus)
		return -1;
	return uc_reg_write(b->cpus[cpu].uc, id, &val) == UC_ERR_OK ? 0 : -1;
}

int hvcpu_take_irq(struct cpu_backend *b, unsigned cpu)
{
	uc_engine *uc = b->cpus[cpu].uc;
	if (rd(uc, UC_ARM64_REG_PSTATE) & PSTATE_I)
		return 0;
	return take_exception(uc, VEC_IRQ, rd(uc, UC_ARM64_REG_PC), NULL);
}

const char *hvcpu_last_error(const struct cpu_backend *b, unsigned cpu)
{
	return b->cpus[cpu].errmsg[0] ? b->cpus[cpu].errmsg : "unknown error";
}
