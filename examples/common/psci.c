/* psci.c - PSCI 1.0 calls over HVC (SMC Calling Convention). */
#include "runtime.h"

uint64_t hvc_call(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t x0 __asm__("x0") = fn;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;
	__asm__ volatile("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : "memory");
	return x0;
}

uint32_t psci_version(void) { return (uint32_t)hvc_call(PSCI_VERSION, 0, 0, 0); }

int psci_cpu_on(uint64_t mpidr, uint64_t entry, uint64_t context)
{
	return (int)(int64_t)hvc_call(PSCI_CPU_ON, mpidr, entry, context);
}

void psci_cpu_off(void)
{
	hvc_call(PSCI_CPU_OFF, 0, 0, 0);
	for (;;)
		wfi();
}

int psci_affinity_info(uint64_t mpidr)
{
	return (int)(int64_t)hvc_call(PSCI_AFFINITY_INFO, mpidr, 0, 0);
}

void psci_system_off(void)
{
	hvc_call(PSCI_SYSTEM_OFF, 0, 0, 0);
	for (;;)
		wfi();
}

void psci_system_reset(void)
{
	hvc_call(PSCI_SYSTEM_RESET, 0, 0, 0);
	for (;;)
		wfi();
}

int psci_features(uint32_t fn) { return (int)(int64_t)hvc_call(PSCI_FEATURES, fn, 0, 0); }
