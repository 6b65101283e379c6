/*
 * loop - the UART-only loop kernel of the instructions-per-second benchmark.
 *
 * Runs `iters` iterations (bootargs "iters=N" when a DTB is passed in x0,
 * else LOOP_DEFAULT_ITERS) of a 10-instruction loop body holding one load
 * and one store, prints a checksum and powers off with PSCI SYSTEM_OFF.
 * It needs nothing but the PL011 and PSCI, so the very same ELF runs under
 * metalvisor and under qemu-system-aarch64 -M virt (which gives an ELF
 * kernel no DTB pointer).
 */
#include "runtime.h"

#define LOOP_DEFAULT_ITERS 50000000ul
#define LOOP_INSNS_PER_ITER 10

static uint64_t buffer[512];

int main(const void *dtb)
{
	unsigned long iters = LOOP_DEFAULT_ITERS;
	char val[32];
	if (dt_init(dtb) == 0 && cmdline_get(dt_bootargs(), "iters", val, sizeof val))
		iters = parse_ulong(val, LOOP_DEFAULT_ITERS);
	printf("loop: %lu iterations of %d instructions\n", iters, LOOP_INSNS_PER_ITER);

	uint64_t n = iters, acc = 0x9e3779b97f4a7c15ull, idx = 0, k = 1;
	uint64_t *base = buffer;
	__asm__ volatile("1:\n"
			 "ldr x9, [%[base], %[idx]]\n"
			 "add x9, x9, %[k]\n"
			 "eor %[acc], %[acc], x9\n"
			 "add %[idx], %[idx], #8\n"
			 "and %[idx], %[idx], #0xff8\n"
			 "str %[acc], [%[base], %[idx]]\n"
			 "add %[k], %[k], #1\n"
			 "ror %[acc], %[acc], #7\n"
			 "subs %[n], %[n], #1\n"
			 "b.ne 1b\n"
			 : [n] "+r"(n), [acc] "+r"(acc), [idx] "+r"(idx), [k] "+r"(k)
			 : [base] "r"(base)
			 : "x9", "cc", "memory");
	printf("loop: done, checksum %016lx\n", (unsigned long)acc);
	psci_system_off();
}
