/*
 * a64_ldst.h - what address range an AArch64 load/store instruction
 * accesses, from its encoding and the register values before it runs.
 *
 * The hypervisor needs this where the emulator reports a fault without the
 * instruction or the address (Unicorn 2.1.1: the faulting instruction of
 * an unmapped access, the VA of a table fault).  Covered (Arm ARM C4.1.4,
 * "Loads and Stores"): single register with unsigned scaled immediate,
 * unscaled immediate, pre/post-index, unprivileged and register offset
 * (UXTW/SXTW/LSL/SXTX, shifted); pairs (offset, pre, post, non-temporal);
 * load literal; exclusives and load-acquire/store-release.  Not covered
 * (a64_ldst_decode returns -1): SIMD structure loads (LD1..LD4), atomics
 * (LDADD, CAS, SWP...), PAC loads (LDRAA), and anything not a load/store.
 */
#ifndef HV_A64_LDST_H
#define HV_A64_LDST_H

#include <stdbool.h>
#include <stdint.h>

/* Register values the address depends on: x[0..30], then sp (x[31] is SP
 * as a base register; XZR as an offset register reads 0). */
struct a64_regs {
	uint64_t x[31];
	uint64_t sp;
};

struct a64_access {
	uint64_t addr; /* first byte accessed */
	uint64_t len; /* bytes accessed (both registers of a pair) */
	bool store; /* writes memory */
};

/* Decode `insn` at `pc`.  0, or -1 when it is not a load/store covered here. */
int a64_ldst_decode(uint32_t insn, uint64_t pc, const struct a64_regs *regs, struct a64_access *out);

#endif
