/* runtime.c - C side of the entry points: main, secondary CPUs, exceptions. */
#include "runtime.h"

void runtime_main(const void *dtb) __attribute__((noreturn));
void runtime_secondary(uint64_t index) __attribute__((noreturn));
void exception_entry(uint64_t kind, uint64_t *frame);
void gic_handle_irq(void);
extern char secondary_entry[];

static struct {
	void (*fn)(void *arg);
	void *arg;
} start_slots[MAX_CPUS];

unsigned cpu_id(void) { return (unsigned)(READ_SYSREG(mpidr_el1) & 0xff); }

void runtime_main(const void *dtb)
{
	int rc = main(dtb);
	printf("main returned %d, powering off\n", rc);
	psci_system_off();
}

void runtime_secondary(uint64_t index)
{
	void (*fn)(void *) = __atomic_load_n(&start_slots[index].fn, __ATOMIC_ACQUIRE);
	if (fn)
		fn(start_slots[index].arg);
	psci_cpu_off();
}

int cpu_start(unsigned cpu, void (*fn)(void *arg), void *arg)
{
	if (cpu >= MAX_CPUS)
		return PSCI_INVALID_PARAMETERS;
	start_slots[cpu].arg = arg;
	__atomic_store_n(&start_slots[cpu].fn, fn, __ATOMIC_RELEASE);
	return psci_cpu_on(cpu, (uint64_t)(uintptr_t)secondary_entry, cpu);
}

int (*sync_exception_hook)(uint64_t esr, uint64_t *frame);

void exception_entry(uint64_t kind, uint64_t *frame)
{
	if (kind == 1 || kind == 5 || kind == 9) {
		gic_handle_irq();
		return;
	}
	if ((kind & 3) == 0 && sync_exception_hook &&
	    sync_exception_hook(READ_SYSREG(esr_el1), frame))
		return;
	static const char *const names[] = { "sync", "irq", "fiq", "serror" };
	panic("cpu%u: unexpected %s exception (vector %lu): ESR=0x%lx ELR=0x%lx FAR=0x%lx\n",
	      cpu_id(), names[kind & 3], (unsigned long)kind, READ_SYSREG(esr_el1), frame[31],
	      READ_SYSREG(far_el1));
}

void panic(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	uart_puts("PANIC: ");
	uart_puts(buf);
	psci_system_reset();
}

int cmdline_get(const char *cmdline, const char *key, char *out, size_t outsize)
{
	size_t klen = strlen(key);
	for (const char *p = cmdline; p && *p;) {
		while (*p == ' ')
			p++;
		if (strncmp(p, key, klen) == 0 && p[klen] == '=') {
			p += klen + 1;
			size_t n = 0;
			while (p[n] && p[n] != ' ' && n + 1 < outsize) {
				out[n] = p[n];
				n++;
			}
			if (outsize)
				out[n] = '\0';
			return 1;
		}
		while (*p && *p != ' ')
			p++;
	}
	return 0;
}

unsigned long parse_ulong(const char *s, unsigned long dflt)
{
	unsigned long v = 0;
	if (!s || !*s)
		return dflt;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return dflt;
		v = v * 10 + (unsigned long)(*s - '0');
	}
	return v;
}
