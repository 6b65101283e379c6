/* vtimer.c - generic timer registers (Arm ARM D11/D12, "The Generic Timer"). */
#include "vtimer.h"

#include "cpu.h"
#include "machine.h"

#define CTL_ENABLE 1u
#define CTL_IMASK 2u
#define CTL_ISTATUS 4u

#define CNTFRQ SYSREG(3, 3, 14, 0, 0)
#define CNTPCT SYSREG(3, 3, 14, 0, 1)
#define CNTVCT SYSREG(3, 3, 14, 0, 2)
#define CNTPCTSS SYSREG(3, 3, 14, 0, 5)
#define CNTVCTSS SYSREG(3, 3, 14, 0, 6)
#define CNTKCTL SYSREG(3, 0, 14, 1, 0)
#define CNTP_TVAL SYSREG(3, 3, 14, 2, 0)
#define CNTP_CTL SYSREG(3, 3, 14, 2, 1)
#define CNTP_CVAL SYSREG(3, 3, 14, 2, 2)
#define CNTV_TVAL SYSREG(3, 3, 14, 3, 0)
#define CNTV_CTL SYSREG(3, 3, 14, 3, 1)
#define CNTV_CVAL SYSREG(3, 3, 14, 3, 2)

static bool condition(const struct vtimer_cpu *t, unsigned w, uint64_t now_ns)
{
	return (t->ctl[w] & CTL_ENABLE) && vtimer_ticks(now_ns) >= t->cval[w];
}

bool vtimer_level(const struct vtimer_cpu *t, unsigned which, uint64_t now_ns)
{
	return condition(t, which, now_ns) && !(t->ctl[which] & CTL_IMASK);
}

uint64_t vtimer_deadline(const struct vtimer_cpu *t, unsigned which)
{
	if (!(t->ctl[which] & CTL_ENABLE) || (t->ctl[which] & CTL_IMASK))
		return UINT64_MAX;
	if (t->cval[which] > UINT64_MAX / VTIMER_NS_PER_TICK)
		return UINT64_MAX;
	return t->cval[which] * VTIMER_NS_PER_TICK;
}

int vtimer_sysreg_read(struct vtimer_cpu *t, uint32_t enc, uint64_t now_ns, uint64_t *val)
{
	uint64_t cnt = vtimer_ticks(now_ns);
	unsigned w = (enc == CNTP_TVAL || enc == CNTP_CTL || enc == CNTP_CVAL) ? 1 : 0;
	switch (enc) {
	case CNTFRQ: *val = HV_CNTFRQ_HZ; return 0;
	case CNTPCT: case CNTVCT: case CNTPCTSS: case CNTVCTSS: *val = cnt; return 0;
	case CNTKCTL: *val = t->kctl; return 0;
	case CNTP_CTL: case CNTV_CTL:
		*val = (t->ctl[w] & (CTL_ENABLE | CTL_IMASK)) |
		       (condition(t, w, now_ns) ? CTL_ISTATUS : 0);
		return 0;
	case CNTP_CVAL: case CNTV_CVAL: *val = t->cval[w]; return 0;
	case CNTP_TVAL: case CNTV_TVAL: /* signed 32-bit CVAL - count */
		*val = (uint32_t)(t->cval[w] - cnt);
		return 0;
	}
	return -1;
}

int vtimer_sysreg_write(struct vtimer_cpu *t, uint32_t enc, uint64_t now_ns, uint64_t val)
{
	unsigned w = (enc == CNTP_TVAL || enc == CNTP_CTL || enc == CNTP_CVAL) ? 1 : 0;
	switch (enc) {
	case CNTFRQ: return 0; /* writable only at the highest EL: ignore */
	case CNTKCTL: t->kctl = val; return 0;
	case CNTP_CTL: case CNTV_CTL: t->ctl[w] = val & (CTL_ENABLE | CTL_IMASK); return 0;
	case CNTP_CVAL: case CNTV_CVAL: t->cval[w] = val; return 0;
	case CNTP_TVAL: case CNTV_TVAL:
		/* CVAL = count + sign-extended TVAL[31:0] */
		t->cval[w] = vtimer_ticks(now_ns) + (uint64_t)(int64_t)(int32_t)(uint32_t)val;
		return 0;
	}
	return -1;
}
