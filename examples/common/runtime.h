/*
 * runtime.h - the freestanding runtime every metalvisor example guest links.
 *
 * What it promises:
 *  - start.S enters main(dtb) on CPU 0 with a stack, BSS cleared and the
 *    exception vectors installed (IRQs still masked: call irq_enable()).
 *    Other CPUs are started with cpu_start(), which runs fn(arg) on them
 *    with their own stack and the same vectors.
 *  - printf-style output on the PL011 (one printf call is never interleaved
 *    with another CPU's), PSCI 1.0 calls over HVC, the GICv3 and the
 *    virtual timer, a small read-only FDT reader, and mem* functions.
 * The runtime starts every CPU with the MMU off (all accesses are Device
 * memory, which faults on unaligned access), so it is built with
 * -mstrict-align; a guest may turn the MMU on itself, as examples/mmu does.
 */
#ifndef EXAMPLES_RUNTIME_H
#define EXAMPLES_RUNTIME_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#define MAX_CPUS 8

/* --- entry ---------------------------------------------------------------- */
int main(const void *dtb); /* the guest's; its return value powers off */
/* Index of the calling CPU (MPIDR_EL1.Aff0). */
unsigned cpu_id(void);
/* Start CPU `cpu` (MPIDR Aff0) running fn(arg).  Returns the PSCI status (0 ok). */
int cpu_start(unsigned cpu, void (*fn)(void *arg), void *arg);

/* --- memory / strings (also what GCC may call) --------------------------- */
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);

/* --- UART (PL011 at 0x09000000) ------------------------------------------ */
#define UART_BASE 0x09000000ul
void uart_putc(char c);
void uart_puts(const char *s);
/* Non-blocking read: the byte, or -1 when the receive FIFO is empty. */
int uart_getc(void);
/* %d %i %u %x %X %p %s %c %% with l/ll/z modifiers, width, '0' and '-' flags. */
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* --- PSCI 1.0 over HVC (SMCCC) --------------------------------------------- */
#define PSCI_VERSION 0x84000000u
#define PSCI_CPU_OFF 0x84000002u
#define PSCI_CPU_ON 0xC4000003u
#define PSCI_AFFINITY_INFO 0xC4000004u
#define PSCI_SYSTEM_OFF 0x84000008u
#define PSCI_SYSTEM_RESET 0x84000009u
#define PSCI_FEATURES 0x8400000Au
#define PSCI_SUCCESS 0
#define PSCI_NOT_SUPPORTED (-1)
#define PSCI_INVALID_PARAMETERS (-2)
#define PSCI_DENIED (-3)
#define PSCI_ALREADY_ON (-4)
#define PSCI_ON_PENDING (-5)
#define PSCI_INTERNAL_FAILURE (-6)
uint64_t hvc_call(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3);
uint32_t psci_version(void);
int psci_cpu_on(uint64_t mpidr, uint64_t entry, uint64_t context);
void psci_cpu_off(void) __attribute__((noreturn));
int psci_affinity_info(uint64_t mpidr); /* 0 ON, 1 OFF, 2 ON_PENDING, <0 error */
void psci_system_off(void) __attribute__((noreturn));
void psci_system_reset(void) __attribute__((noreturn));
int psci_features(uint32_t fn);
/* Synchronous exceptions (SVC, BRK, aborts) go to this hook when it is
 * set; it returns 1 when it handled one (the guest resumes at ELR_EL1,
 * frame[31], which it may change), 0 to panic as without a hook.  frame
 * holds x0..x30, ELR, SPSR. */
extern int (*sync_exception_hook)(uint64_t esr, uint64_t *frame);
/* Print a message and reset the machine (metalvisor exits with status 4). */
void panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

/* --- GICv3 ------------------------------------------------------------------ */
#define GICD_BASE 0x08000000ul
#define GICR_BASE 0x080A0000ul
#define GICR_STRIDE 0x20000ul
#define INTID_VTIMER 27u /* PPI 11 */
typedef void (*irq_handler_fn)(unsigned intid, void *arg);
/* Distributor: affinity routing on, group 1 enabled (call once, on CPU 0). */
void gic_init(void);
/* This CPU's redistributor and CPU interface (call on every CPU). */
void gic_init_cpu(void);
/* Enable an interrupt (SGI/PPI: on the calling CPU; SPI: routed to CPU 0,
 * level-triggered).  The handler runs in IRQ context with IRQs masked. */
void irq_register(unsigned intid, irq_handler_fn fn, void *arg);
void gic_enable(unsigned intid);
void gic_disable(unsigned intid);
/* Send SGI `intid` (0..15) to CPU `cpu` (Aff0, Aff1..3 = 0). */
void gic_send_sgi(unsigned cpu, unsigned intid);
static inline void irq_enable(void) { __asm__ volatile("msr daifclr, #2" ::: "memory"); }
static inline void irq_disable(void) { __asm__ volatile("msr daifset, #2" ::: "memory"); }
static inline void wfi(void) { __asm__ volatile("wfi" ::: "memory"); }

/* --- virtual timer (CNTV_*, PPI 27) --------------------------------------- */
uint64_t timer_freq(void); /* CNTFRQ_EL0 */
uint64_t timer_now(void); /* CNTVCT_EL0 */
/* Fire INTID 27 on this CPU after `ticks` counter ticks. */
void timer_arm(uint64_t ticks);
void timer_disarm(void);
/* Busy-wait (WFI between checks is not used: the timer may be in use). */
void timer_delay_us(uint64_t us);

/* --- FDT (read only) ------------------------------------------------------ */
/* Validate the blob header; 0 ok, -1 not a DTB. */
int dt_init(const void *dtb);
/* Offset of the node at a full path ("/chosen"), or -1. */
int dt_path(const char *path);
/* Next node after `after` (-1: from the start) whose compatible list holds compat, or -1. */
int dt_find_compatible(int after, const char *compat);
/* Property value of node `node` (len in *len), or NULL. */
const void *dt_prop(int node, const char *name, uint32_t *len);
/* reg entry `index` of a node, using the root's #address-cells/#size-cells. 0 ok, -1 none. */
int dt_reg(int node, unsigned index, uint64_t *base, uint64_t *size);
/* /chosen bootargs, or "" when there are none. */
const char *dt_bootargs(void);
/* Number of /cpus/cpu@N nodes. */
unsigned dt_count_cpus(void);
/* Big-endian cell helpers. */
static inline uint32_t dt_be32(const void *p)
{
	const uint8_t *b = p;
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

/* --- misc ------------------------------------------------------------------- */
#define READ_SYSREG(name)                                                  \
	({                                                                 \
		uint64_t v_;                                               \
		__asm__ volatile("mrs %0, " #name : "=r"(v_));             \
		v_;                                                        \
	})
#define WRITE_SYSREG(name, v) __asm__ volatile("msr " #name ", %0" ::"r"((uint64_t)(v)) : "memory")
static inline uint32_t mmio_read32(uintptr_t a) { return *(volatile uint32_t *)a; }
static inline void mmio_write32(uintptr_t a, uint32_t v) { *(volatile uint32_t *)a = v; }
static inline uint64_t mmio_read64(uintptr_t a) { return *(volatile uint64_t *)a; }
static inline void mmio_write64(uintptr_t a, uint64_t v) { *(volatile uint64_t *)a = v; }
static inline void dsb_sy(void) { __asm__ volatile("dsb sy" ::: "memory"); }

/* Find "key=value" in a command line; copies value (NUL-terminated) and returns 1. */
int cmdline_get(const char *cmdline, const char *key, char *out, size_t outsize);
/* Parse a decimal unsigned integer; returns 0 when s is not a number. */
unsigned long parse_ulong(const char *s, unsigned long dflt);

#endif
