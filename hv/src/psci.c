/* psci.c - PSCI 1.0 function dispatch and argument checks. */
#include "psci.h"

#include <stdbool.h>

/* Target CPU from an MPIDR-format argument: Aff0 = CPU index, higher
 * affinity levels must be 0.  -1 if no such CPU. */
static int target_cpu(const struct psci_ops *ops, uint64_t mpidr)
{
	if (mpidr & ~0xFFull)
		return -1;
	if ((unsigned)mpidr >= ops->ncpus)
		return -1;
	return (int)mpidr;
}

static bool supported(uint32_t fn)
{
	switch (fn) {
	case PSCI_0_2_VERSION: case PSCI_CPU_SUSPEND_32: case PSCI_CPU_SUSPEND_64:
	case PSCI_CPU_OFF: case PSCI_CPU_ON_32: case PSCI_CPU_ON_64:
	case PSCI_AFFINITY_INFO_32: case PSCI_AFFINITY_INFO_64: case PSCI_MIGRATE_INFO_TYPE:
	case PSCI_SYSTEM_OFF: case PSCI_SYSTEM_RESET: case PSCI_FEATURES: case SMCCC_VERSION:
		return true;
	}
	return false;
}

void psci_call(const struct psci_ops *ops, unsigned cpu, uint64_t x[4])
{
	uint32_t fn = (uint32_t)x[0];
	bool smc32 = !(fn & 0x40000000u);
	uint64_t a1 = x[1], a2 = x[2], a3 = x[3];
	int64_t ret = PSCI_RET_NOT_SUPPORTED;
	if (smc32) { /* SMC32 calls take 32-bit arguments */
		a1 = (uint32_t)a1;
		a2 = (uint32_t)a2;
		a3 = (uint32_t)a3;
	}
	switch (fn) {
	case PSCI_0_2_VERSION:
		ret = 0x00010000; /* 1.0 */
		break;
	case SMCCC_VERSION:
		ret = 0x00010001; /* SMCCC 1.1 */
		break;
	case SMCCC_ARCH_FEATURES:
		ret = PSCI_RET_NOT_SUPPORTED;
		break;
	case PSCI_CPU_SUSPEND_32:
	case PSCI_CPU_SUSPEND_64:
		/* Standby: returning at once is a valid (spurious) wake-up. */
		ret = PSCI_RET_SUCCESS;
		break;
	case PSCI_CPU_OFF:
		ops->cpu_off(ops->ctx, cpu);
		ret = PSCI_RET_SUCCESS; /* not seen by the guest: the CPU is off */
		break;
	case PSCI_CPU_ON_32:
	case PSCI_CPU_ON_64: {
		int t = target_cpu(ops, a1);
		if (t < 0) {
			ret = PSCI_RET_INVALID_PARAMETERS;
		} else {
			enum psci_power s = ops->state(ops->ctx, (unsigned)t);
			if (s == PSCI_POWER_ON)
				ret = PSCI_RET_ALREADY_ON;
			else if (s == PSCI_POWER_ON_PENDING)
				ret = PSCI_RET_ON_PENDING;
			else if (!ops->valid_entry(ops->ctx, a2))
				ret = PSCI_RET_INVALID_ADDRESS;
			else {
				ops->cpu_on(ops->ctx, (unsigned)t, a2, a3);
				ret = PSCI_RET_SUCCESS;
			}
		}
		break;
	}
	case PSCI_AFFINITY_INFO_32:
	case PSCI_AFFINITY_INFO_64: {
		int t = target_cpu(ops, a1);
		/* Only affinity level 0 exists here (one CPU per cluster level 0). */
		if (t < 0 || a2 != 0)
			ret = PSCI_RET_INVALID_PARAMETERS;
		else
			ret = ops->state(ops->ctx, (unsigned)t);
		break;
	}
	case PSCI_MIGRATE_INFO_TYPE:
		ret = 2; /* no Trusted OS: migration not required */
		break;
	case PSCI_SYSTEM_OFF:
		ops->system_off(ops->ctx);
		ret = PSCI_RET_SUCCESS;
		break;
	case PSCI_SYSTEM_RESET:
		ops->system_reset(ops->ctx);
		ret = PSCI_RET_SUCCESS;
		break;
	case PSCI_FEATURES:
		/* CPU_SUSPEND's feature flags: original power_state format (0). */
		ret = supported((uint32_t)a1) ? PSCI_RET_SUCCESS : PSCI_RET_NOT_SUPPORTED;
		break;
	}
	x[0] = (uint64_t)ret;
}
