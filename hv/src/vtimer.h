/*
 * vtimer.h - the Arm generic timer as an emulated CPU sees it: the counter
 * (CNTVCT/CNTPCT, CNTFRQ), and per CPU the virtual (CNTV_*, PPI 27) and
 * physical (CNTP_*, PPI 30) EL1 timers.  CNTVOFF is 0, so both count the
 * same guest time: ticks = guest ns / (1e9 / HV_CNTFRQ_HZ).
 */
#ifndef HV_VTIMER_H
#define HV_VTIMER_H

#include <stdbool.h>
#include <stdint.h>

#define VTIMER_PPI_VIRT 27u
#define VTIMER_PPI_PHYS 30u
#define VTIMER_NS_PER_TICK 16u /* 1e9 / 62.5 MHz */

struct vtimer_cpu {
	uint64_t ctl[2]; /* [0] virtual, [1] physical: ENABLE bit 0, IMASK bit 1 */
	uint64_t cval[2];
	uint64_t kctl; /* CNTKCTL_EL1, stored only */
};

static inline uint64_t vtimer_ticks(uint64_t now_ns) { return now_ns / VTIMER_NS_PER_TICK; }

/* MRS/MSR of a timer register: 0 handled, -1 not a timer register. */
int vtimer_sysreg_read(struct vtimer_cpu *t, uint32_t enc, uint64_t now_ns, uint64_t *val);
int vtimer_sysreg_write(struct vtimer_cpu *t, uint32_t enc, uint64_t now_ns, uint64_t val);
/* Output level of timer `which` (0 virtual, 1 physical) at now_ns. */
bool vtimer_level(const struct vtimer_cpu *t, unsigned which, uint64_t now_ns);
/* Guest time (ns) at which a timer's condition becomes true, UINT64_MAX if
 * it is disabled or masked. */
uint64_t vtimer_deadline(const struct vtimer_cpu *t, unsigned which);

#endif
