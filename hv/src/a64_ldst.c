/*
 * a64_ldst.c - address ranges of AArch64 loads and stores (see a64_ldst.h).
 * Encodings: Arm ARM C4.1.4 and the per-class tables (op0 bits 31:28,
 * op1 bit 26, op2 bits 24:23, op3 bits 21:16, op4 bits 11:10).
 */
#include "a64_ldst.h"

static uint64_t sign_extend(uint64_t v, unsigned bits)
{
	uint64_t m = 1ull << (bits - 1);
	v &= (m << 1) - 1;
	return (v ^ m) - m;
}

static uint64_t base(const struct a64_regs *r, unsigned n)
{
	return n == 31 ? r->sp : r->x[n];
}

int a64_ldst_decode(uint32_t insn, uint64_t pc, const struct a64_regs *regs, struct a64_access *out)
{
	const unsigned rn = (insn >> 5) & 31;
	const unsigned size = insn >> 30;
	const bool simd = (insn >> 26) & 1;
	const bool l_bit = (insn >> 22) & 1;

	if ((insn & 0x3B000000u) == 0x18000000u) { /* load literal (LDR, LDRSW, PRFM) */
		out->addr = pc + (sign_extend(insn >> 5, 19) << 2);
		out->len = simd ? 4ull << size : (size == 0 ? 4 : 8);
		out->store = false;
		return 0;
	}
	if ((insn & 0x3F000000u) == 0x08000000u) { /* exclusives, acquire/release */
		if (simd)
			return -1;
		out->addr = base(regs, rn);
		out->len = (insn & (1u << 21)) && size >= 2 ? 2ull << size : 1ull << size;
		out->store = !l_bit;
		return 0;
	}
	if ((insn & 0x3A000000u) == 0x28000000u) { /* pairs */
		const unsigned mode = (insn >> 23) & 3; /* 0 non-temporal, 1 post, 2 offset, 3 pre */
		const unsigned opc = insn >> 30;
		if (opc == 3)
			return -1; /* unallocated */
		/* int: opc 00 W, 01 LDPSW (W), 10 X; SIMD: 00 S, 01 D, 10 Q */
		const unsigned scale = simd ? 2 + opc : (opc == 2 ? 3 : 2);
		const uint64_t off = sign_extend(insn >> 15, 7) << scale;
		out->addr = base(regs, rn) + (mode == 1 ? 0 : off);
		out->len = 2ull << scale;
		out->store = !l_bit;
		return 0;
	}
	if ((insn & 0x3A000000u) != 0x38000000u)
		return -1;
	/* Single register.  opc (23:22): integer 00 store, 01 load, 1x signed
	 * load or PRFM; SIMD 00/01 store/load, 10/11 store/load of Q. */
	const unsigned opc = (insn >> 22) & 3;
	unsigned scale = size;
	if (simd && (opc & 2)) {
		if (size != 0)
			return -1;
		scale = 4;
	}
	out->len = 1ull << scale;
	out->store = simd ? !l_bit : opc == 0;
	if (insn & (1u << 24)) { /* unsigned scaled 12-bit immediate */
		out->addr = base(regs, rn) + ((uint64_t)((insn >> 10) & 0xFFF) << scale);
		return 0;
	}
	if (insn & (1u << 21)) {
		if (((insn >> 10) & 3) != 2)
			return -1; /* atomics, PAC */
		const unsigned rm = (insn >> 16) & 31;
		const unsigned option = (insn >> 13) & 7;
		uint64_t m = rm == 31 ? 0 : regs->x[rm];
		if (option == 2)
			m = (uint32_t)m; /* UXTW */
		else if (option == 6)
			m = sign_extend(m, 32); /* SXTW */
		else if (option != 3 && option != 7)
			return -1; /* LSL (011) and SXTX (111) use the whole register */
		if ((insn >> 12) & 1)
			m <<= scale;
		out->addr = base(regs, rn) + m;
		return 0;
	}
	const unsigned mode = (insn >> 10) & 3; /* 0 unscaled, 1 post, 2 unprivileged, 3 pre */
	const uint64_t off = sign_extend(insn >> 12, 9);
	out->addr = base(regs, rn) + (mode == 1 ? 0 : off);
	return 0;
}
