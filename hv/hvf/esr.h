/*
 * esr.h - decoding the ESR_EL2 syndromes the HVF backend emulates (Arm ARM,
 * "ESR_EL2": ISS encodings for data aborts and for trapped MSR/MRS).
 *
 * Kept apart from cpu_hvf.c and free of Apple headers so that the decoding
 * is compiled and tested on every host (hv/hvf/test_esr.c, run by make
 * check), although the backend itself only builds on macOS.
 */
#ifndef HV_HVF_ESR_H
#define HV_HVF_ESR_H

#include <stdbool.h>
#include <stdint.h>

#include "cpu.h" /* SYSREG() */

/* Exception classes (ESR_ELx.EC, bits 31:26). */
#define ESR_EC_WFX 0x01u
#define ESR_EC_HVC64 0x16u
#define ESR_EC_SMC64 0x17u
#define ESR_EC_SYSREG 0x18u
#define ESR_EC_IABT_LOWER 0x20u
#define ESR_EC_DABT_LOWER 0x24u

static inline unsigned esr_class(uint64_t esr) { return (unsigned)(esr >> 26) & 0x3Fu; }
static inline uint32_t esr_iss(uint64_t esr) { return (uint32_t)esr & 0x1FFFFFFu; }

/* A data abort's instruction syndrome: ISV[24] SAS[23:22] SSE[21] SRT[20:16]
 * SF[15] WnR[6].  Without ISV the access (load/store pair, writeback) cannot
 * be emulated from the syndrome alone. */
struct esr_dabt {
	bool valid; /* ISV */
	bool write; /* WnR */
	bool sign_extend; /* SSE */
	bool reg64; /* SF: Xt (else Wt) */
	unsigned size; /* bytes: 1, 2, 4, 8 */
	unsigned rt; /* 31 = XZR */
};

static inline struct esr_dabt esr_decode_dabt(uint64_t esr)
{
	uint32_t iss = esr_iss(esr);
	struct esr_dabt d;
	d.valid = (iss >> 24) & 1;
	d.size = 1u << ((iss >> 22) & 3);
	d.sign_extend = (iss >> 21) & 1;
	d.rt = (iss >> 16) & 31;
	d.reg64 = (iss >> 15) & 1;
	d.write = (iss >> 6) & 1;
	return d;
}

/* The value a load writes to its register, from the raw bytes read. */
static inline uint64_t esr_dabt_load_value(const struct esr_dabt *d, uint64_t raw)
{
	uint64_t mask = d->size >= 8 ? UINT64_MAX : (1ull << (d->size * 8)) - 1;
	uint64_t v = raw & mask;
	if (d->sign_extend && d->size < 8 && ((v >> (d->size * 8 - 1)) & 1))
		v |= ~mask;
	if (!d->reg64)
		v &= 0xFFFFFFFFull; /* a W register: the upper half is zeroed */
	return v;
}

/* The value a store writes, from its source register. */
static inline uint64_t esr_dabt_store_value(const struct esr_dabt *d, uint64_t reg)
{
	return d->size >= 8 ? reg : reg & ((1ull << (d->size * 8)) - 1);
}

/* A trapped MSR/MRS (EC 0x18): Op0[21:20] Op2[19:17] Op1[16:14] CRn[13:10]
 * Rt[9:5] CRm[4:1] Direction[0] (1 = read, MRS).  enc is cpu.h's SYSREG()
 * encoding, the one the machine's handlers take. */
struct esr_sysreg {
	uint32_t enc;
	unsigned rt;
	bool read;
};

static inline struct esr_sysreg esr_decode_sysreg(uint64_t esr)
{
	uint32_t iss = esr_iss(esr);
	struct esr_sysreg s;
	s.enc = SYSREG((iss >> 20) & 3, (iss >> 14) & 7, (iss >> 10) & 15, (iss >> 1) & 15, (iss >> 17) & 7);
	s.rt = (iss >> 5) & 31;
	s.read = iss & 1;
	return s;
}

/* EC 0x01: TI[0] = 0 for WFI, 1 for WFE. */
static inline bool esr_wfx_is_wfe(uint64_t esr) { return esr_iss(esr) & 1; }

#endif
