/*
 * psci.h - PSCI 1.0 (Arm DEN 0022) over HVC, SMC Calling Convention.
 *
 * The machine supplies the operations; psci_call() decodes the function
 * id in x[0], checks the arguments and writes the result to x[0].
 */
#ifndef HV_PSCI_H
#define HV_PSCI_H

#include <stdint.h>

#define PSCI_0_2_VERSION 0x84000000u
#define PSCI_CPU_SUSPEND_32 0x84000001u
#define PSCI_CPU_SUSPEND_64 0xC4000001u
#define PSCI_CPU_OFF 0x84000002u
#define PSCI_CPU_ON_32 0x84000003u
#define PSCI_CPU_ON_64 0xC4000003u
#define PSCI_AFFINITY_INFO_32 0x84000004u
#define PSCI_AFFINITY_INFO_64 0xC4000004u
#define PSCI_MIGRATE_INFO_TYPE 0x84000006u
#define PSCI_SYSTEM_OFF 0x84000008u
#define PSCI_SYSTEM_RESET 0x84000009u
#define PSCI_FEATURES 0x8400000Au
#define SMCCC_VERSION 0x80000000u
#define SMCCC_ARCH_FEATURES 0x80000001u

#define PSCI_RET_SUCCESS 0
#define PSCI_RET_NOT_SUPPORTED (-1)
#define PSCI_RET_INVALID_PARAMETERS (-2)
#define PSCI_RET_DENIED (-3)
#define PSCI_RET_ALREADY_ON (-4)
#define PSCI_RET_ON_PENDING (-5)
#define PSCI_RET_INTERNAL_FAILURE (-6)
#define PSCI_RET_INVALID_ADDRESS (-9)

enum psci_power { PSCI_POWER_ON = 0, PSCI_POWER_OFF = 1, PSCI_POWER_ON_PENDING = 2 };

struct psci_ops {
	void *ctx;
	unsigned ncpus;
	enum psci_power (*state)(void *ctx, unsigned cpu);
	/* Is [pa, pa+4) executable guest RAM? */
	int (*valid_entry)(void *ctx, uint64_t pa);
	/* Start `cpu` at entry with x0 = context_id (same state as the boot CPU). */
	void (*cpu_on)(void *ctx, unsigned cpu, uint64_t entry, uint64_t context_id);
	void (*cpu_off)(void *ctx, unsigned cpu);
	void (*system_off)(void *ctx);
	void (*system_reset)(void *ctx);
};

/* Handle one call from `cpu`: x[0] function id, x[1..3] arguments; the
 * return value goes to x[0] (x[1..3] are left unchanged, as SMCCC allows). */
void psci_call(const struct psci_ops *ops, unsigned cpu, uint64_t x[4]);

#endif
