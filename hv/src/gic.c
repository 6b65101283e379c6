/*
 * gic.c - emulated GICv3 distributor, redistributors and CPU interface.
 * Register offsets and fields follow the Arm GICv3/v4 architecture
 * specification (IHI 0069); see gic.h for the model's simplifications.
 */
#include "gic.h"

#include "machine.h"
#include "cpu.h"

#include <stdlib.h>
#include <string.h>

#define NR_WORDS (GIC_NR_INTIDS / 32)
#define MAX_ACTIVE 32

/* Per-interrupt state bits, one bitmap word per 32 INTIDs. */
struct irq_bits {
	uint32_t group[NR_WORDS];
	uint32_t enabled[NR_WORDS];
	uint32_t latch[NR_WORDS]; /* pending by edge, ISPENDR or SGI */
	uint32_t level[NR_WORDS]; /* input line level */
	uint32_t active[NR_WORDS];
	uint32_t edge[NR_WORDS]; /* ICFGR: 1 = edge-triggered */
	uint8_t prio[GIC_NR_INTIDS];
};

struct gic_cpu {
	/* Word 0 (SGIs and PPIs) of these bitmaps is this CPU's banked copy;
	 * the SPI words live in struct gic. */
	struct irq_bits banked;
	uint32_t waker;
	uint64_t pmr, bpr1, igrpen1, igrpen0, eoimode;
	/* Active priorities, in activation order (the running priority is
	 * the highest, i.e. numerically lowest, of them). */
	struct {
		uint32_t intid;
		uint8_t prio;
	} act[MAX_ACTIVE];
	unsigned nact;
};

struct gic {
	unsigned ncpus;
	uint32_t ctlr;
	struct irq_bits spi; /* words 1.. */
	uint64_t irouter[GIC_NR_INTIDS];
	void (*wake)(void *ctx, unsigned cpu);
	void *ctx;
	struct gic_cpu cpu[HV_MAX_CPUS];
};

#define GICD_CTLR_ARE (1u << 4)
#define GICD_CTLR_DS (1u << 6)
#define GICD_CTLR_GRP1 (1u << 1)
#define GICD_CTLR_GRP0 (1u << 0)
#define WAKER_SLEEP (1u << 1)
#define WAKER_CHILDREN (1u << 2)
#define PIDR2_GICV3 0x3Bu /* ArchRev 3 in [7:4], JEP106 bits in [3:0] */
#define IIDR_ARM 0x0000043Bu

struct gic *gic_create(unsigned ncpus, void (*wake)(void *ctx, unsigned cpu), void *ctx)
{
	struct gic *g = calloc(1, sizeof *g);
	if (!g)
		return NULL;
	g->ncpus = ncpus > HV_MAX_CPUS ? HV_MAX_CPUS : ncpus;
	g->wake = wake;
	g->ctx = ctx;
	g->ctlr = GICD_CTLR_DS | GICD_CTLR_ARE;
	for (unsigned c = 0; c < g->ncpus; c++) {
		g->cpu[c].waker = WAKER_SLEEP | WAKER_CHILDREN;
		g->cpu[c].banked.edge[0] = 0x0000FFFFu; /* SGIs are edge-triggered */
	}
	return g;
}

void gic_destroy(struct gic *g) { free(g); }

/* The bitmap word holding `intid` for `cpu`. */
static struct irq_bits *bits_for(struct gic *g, unsigned cpu, unsigned intid)
{
	return intid < 32 ? &g->cpu[cpu].banked : &g->spi;
}

static bool test(const uint32_t *w, unsigned intid) { return w[intid / 32] >> (intid % 32) & 1; }
static void set(uint32_t *w, unsigned intid, bool v)
{
	if (v)
		w[intid / 32] |= 1u << (intid % 32);
	else
		w[intid / 32] &= ~(1u << (intid % 32));
}

static bool is_pending(const struct irq_bits *b, unsigned i)
{
	return test(b->latch, i) || (!test(b->edge, i) && test(b->level, i));
}

/* CPU an SPI is routed to (IRM=1, "any CPU", goes to CPU 0). */
static unsigned spi_target(const struct gic *g, unsigned intid)
{
	uint64_t r = g->irouter[intid];
	if (r & (1ull << 31))
		return 0;
	unsigned aff0 = (unsigned)(r & 0xff);
	if ((r & 0xff00ff0000ull) != 0 || aff0 >= g->ncpus)
		return UINT32_MAX; /* routed to a CPU that does not exist */
	return aff0;
}

static void wake_all(struct gic *g)
{
	for (unsigned c = 0; c < g->ncpus; c++)
		g->wake(g->ctx, c);
}

static void wake_for(struct gic *g, unsigned cpu, unsigned intid)
{
	if (intid < 32) {
		g->wake(g->ctx, cpu);
	} else {
		unsigned t = spi_target(g, intid);
		if (t < g->ncpus)
			g->wake(g->ctx, t);
	}
}

static unsigned running_prio(const struct gic_cpu *c)
{
	unsigned p = 0x100; /* idle */
	for (unsigned i = 0; i < c->nact; i++)
		if (c->act[i].prio < p)
			p = c->act[i].prio;
	return p;
}

/* Highest-priority pending, enabled, inactive Group 1 interrupt for cpu,
 * or GIC_SPURIOUS.  mask: also apply PMR and the running priority. */
static unsigned highest_pending(struct gic *g, unsigned cpu, bool mask)
{
	struct gic_cpu *c = &g->cpu[cpu];
	if (!(g->ctlr & GICD_CTLR_GRP1) || !(c->igrpen1 & 1) || (c->waker & WAKER_SLEEP))
		return GIC_SPURIOUS;
	unsigned best = GIC_SPURIOUS, best_prio = 0x100;
	for (unsigned w = 0; w < NR_WORDS; w++) {
		const struct irq_bits *b = w == 0 ? &c->banked : &g->spi;
		uint32_t cand = b->enabled[w] & b->group[w] & ~b->active[w] &
				(b->latch[w] | (b->level[w] & ~b->edge[w]));
		while (cand) {
			unsigned bit = (unsigned)__builtin_ctz(cand);
			cand &= cand - 1;
			unsigned i = w * 32 + bit;
			if (i >= 32 && spi_target(g, i) != cpu)
				continue;
			if (b->prio[i] < best_prio) {
				best_prio = b->prio[i];
				best = i;
			}
		}
	}
	if (best != GIC_SPURIOUS && mask &&
	    (best_prio >= c->pmr || best_prio >= running_prio(c)))
		return GIC_SPURIOUS;
	return best;
}

bool gic_irq_pending(struct gic *g, unsigned cpu)
{
	return cpu < g->ncpus && highest_pending(g, cpu, true) != GIC_SPURIOUS;
}

void gic_set_spi(struct gic *g, unsigned spi, int level)
{
	unsigned intid = 32 + spi;
	if (intid >= GIC_NR_INTIDS)
		return;
	bool was = test(g->spi.level, intid);
	set(g->spi.level, intid, level != 0);
	if (level && !was) {
		if (test(g->spi.edge, intid))
			set(g->spi.latch, intid, true);
		wake_for(g, 0, intid);
	}
}

void gic_set_ppi(struct gic *g, unsigned cpu, unsigned intid, int level)
{
	if (cpu >= g->ncpus || intid < 16 || intid >= 32)
		return;
	struct irq_bits *b = &g->cpu[cpu].banked;
	bool was = test(b->level, intid);
	set(b->level, intid, level != 0);
	if (level && !was) {
		if (test(b->edge, intid))
			set(b->latch, intid, true);
		g->wake(g->ctx, cpu);
	}
}

/* --- register files shared by GICD and GICR_SGI_base ------------------------ */

/* Read/write the per-interrupt registers at `off` (offsets as in the
 * distributor) for INTIDs [first, first+32*nwords) held by b. */
static bool irq_reg_read(struct gic *g, struct irq_bits *b, uint64_t off, unsigned size,
			 unsigned first, unsigned limit, uint64_t *val)
{
	unsigned w;
	if (off >= 0x400 && off < 0x400 + limit) { /* IPRIORITYR, byte-accessible */
		uint64_t v = 0;
		for (unsigned i = 0; i < size && off + i < 0x400 + limit; i++) {
			unsigned intid = (unsigned)(off - 0x400) + i;
			if (intid >= first)
				v |= (uint64_t)b->prio[intid] << (8 * i);
		}
		*val = v;
		return true;
	}
	if (off >= 0xC00 && off < 0xC00 + limit / 4) { /* ICFGR: 2 bits per INTID */
		unsigned base = (unsigned)(off - 0xC00) * 4, v = 0;
		for (unsigned i = 0; i < 16; i++)
			if (base + i < limit && test(b->edge, base + i))
				v |= 2u << (2 * i);
		*val = v;
		return true;
	}
	if (off >= 0x80 && off < 0x400 && size == 4) {
		unsigned reg = (unsigned)(off & ~0x7Fu), idx = (unsigned)(off & 0x7F) / 4;
		w = idx;
		if (w * 32 < first || w * 32 >= limit) {
			*val = 0;
			return true;
		}
		switch (reg) {
		case 0x080: *val = b->group[w]; return true;
		case 0x100: case 0x180: *val = b->enabled[w]; return true;
		case 0x200: case 0x280: {
			uint32_t p = 0;
			for (unsigned i = 0; i < 32; i++)
				if (is_pending(b, w * 32 + i))
					p |= 1u << i;
			*val = p;
			return true;
		}
		case 0x300: case 0x380: *val = b->active[w]; return true;
		}
	}
	return false;
}

static bool irq_reg_write(struct gic *g, unsigned cpu, struct irq_bits *b, uint64_t off,
			  uint64_t val, unsigned size, unsigned first, unsigned limit)
{
	if (off >= 0x400 && off < 0x400 + limit) {
		for (unsigned i = 0; i < size && off + i < 0x400 + limit; i++) {
			unsigned intid = (unsigned)(off - 0x400) + i;
			if (intid >= first)
				b->prio[intid] = (uint8_t)(val >> (8 * i));
		}
		return true;
	}
	if (off >= 0xC00 && off < 0xC00 + limit / 4) {
		unsigned base = (unsigned)(off - 0xC00) * 4;
		for (unsigned i = 0; i < 16; i++) {
			unsigned intid = base + i;
			if (intid < 16 || intid < first || intid >= limit)
				continue; /* SGI configuration is read-only */
			set(b->edge, intid, (val >> (2 * i + 1)) & 1);
		}
		return true;
	}
	if (off >= 0x80 && off < 0x400 && size == 4) {
		unsigned reg = (unsigned)(off & ~0x7Fu), w = (unsigned)(off & 0x7F) / 4;
		uint32_t v = (uint32_t)val;
		if (w * 32 < first || w * 32 >= limit)
			return true; /* RAZ/WI */
		switch (reg) {
		case 0x080: b->group[w] = v; break;
		case 0x100: b->enabled[w] |= v; break;
		case 0x180: b->enabled[w] &= ~v; break;
		case 0x200: b->latch[w] |= v; break;
		case 0x280:
			/* Clears the latch; a level input that is still high stays pending. */
			b->latch[w] &= ~v;
			break;
		case 0x300: b->active[w] |= v; break;
		case 0x380: b->active[w] &= ~v; break;
		default: return false;
		}
		if (w == 0)
			g->wake(g->ctx, cpu);
		else
			wake_all(g);
		return true;
	}
	return false;
}

/* --- distributor ------------------------------------------------------------ */

uint64_t gic_dist_read(struct gic *g, uint64_t off, unsigned size)
{
	uint64_t v = 0;
	switch (off) {
	case 0x0000: return g->ctlr; /* RWP always 0: writes take effect at once */
	case 0x0004: /* TYPER: ITLinesNumber, CPUNumber, IDbits = 10 bits */
		return (GIC_NR_INTIDS / 32 - 1) | ((g->ncpus - 1) & 7) << 5 | 9u << 19;
	case 0x0008: return IIDR_ARM;
	case 0x000C: return 0; /* TYPER2 */
	case 0xFFE8: return PIDR2_GICV3;
	}
	if (off >= 0x6000 && off < 0x6000 + 8 * GIC_NR_INTIDS) { /* IROUTER<n> */
		unsigned intid = (unsigned)(off - 0x6000) / 8;
		if (intid < 32)
			return 0;
		uint64_t r = g->irouter[intid];
		return (off & 4) ? r >> 32 : (size == 8 ? r : (uint32_t)r);
	}
	if (irq_reg_read(g, &g->spi, off, size, 32, GIC_NR_INTIDS, &v))
		return v;
	return 0; /* reserved: RAZ */
}

void gic_dist_write(struct gic *g, uint64_t off, uint64_t val, unsigned size)
{
	if (off == 0x0000) {
		g->ctlr = ((uint32_t)val & (GICD_CTLR_GRP0 | GICD_CTLR_GRP1)) | GICD_CTLR_ARE |
			  GICD_CTLR_DS;
		wake_all(g);
		return;
	}
	if (off >= 0x6000 && off < 0x6000 + 8 * GIC_NR_INTIDS) {
		unsigned intid = (unsigned)(off - 0x6000) / 8;
		if (intid < 32)
			return;
		uint64_t mask = 0xFF000000FFull | (1ull << 31) | 0xFF00ull | 0xFF0000ull;
		uint64_t r = g->irouter[intid];
		if (size == 8)
			r = val;
		else if (off & 4)
			r = (r & 0xFFFFFFFFull) | (val << 32);
		else
			r = (r & ~0xFFFFFFFFull) | (uint32_t)val;
		g->irouter[intid] = r & mask;
		wake_all(g);
		return;
	}
	irq_reg_write(g, 0, &g->spi, off, val, size, 32, GIC_NR_INTIDS);
}

/* --- redistributors ----------------------------------------------------------- */

uint64_t gic_redist_read(struct gic *g, uint64_t off, unsigned size)
{
	unsigned cpu = (unsigned)(off / HV_GIC_REDIST_STRIDE);
	uint64_t o = off % HV_GIC_REDIST_STRIDE, v = 0;
	if (cpu >= g->ncpus)
		return 0;
	struct gic_cpu *c = &g->cpu[cpu];
	if (o < 0x10000) { /* RD_base */
		uint64_t typer = (uint64_t)cpu << 32 | (uint64_t)cpu << 8 |
				 (cpu == g->ncpus - 1 ? 1u << 4 : 0);
		switch (o) {
		case 0x0000: return 0; /* CTLR */
		case 0x0004: return IIDR_ARM;
		case 0x0008: return size == 8 ? typer : (uint32_t)typer;
		case 0x000C: return typer >> 32;
		case 0x0014: return c->waker;
		case 0xFFE8: return PIDR2_GICV3;
		}
		return 0;
	}
	o -= 0x10000; /* SGI_base */
	if (irq_reg_read(g, &c->banked, o, size, 0, 32, &v))
		return v;
	return 0;
}

void gic_redist_write(struct gic *g, uint64_t off, uint64_t val, unsigned size)
{
	unsigned cpu = (unsigned)(off / HV_GIC_REDIST_STRIDE);
	uint64_t o = off % HV_GIC_REDIST_STRIDE;
	if (cpu >= g->ncpus)
		return;
	struct gic_cpu *c = &g->cpu[cpu];
	if (o < 0x10000) {
		if (o == 0x0014) {
			/* ChildrenAsleep follows ProcessorSleep at once. */
			c->waker = (val & WAKER_SLEEP) ? (WAKER_SLEEP | WAKER_CHILDREN) : 0;
			g->wake(g->ctx, cpu);
		}
		return;
	}
	irq_reg_write(g, cpu, &c->banked, o - 0x10000, val, size, 0, 32);
}

/* --- CPU interface ------------------------------------------------------------ */

#define ICC_PMR SYSREG(3, 0, 4, 6, 0)
#define ICC_IAR0 SYSREG(3, 0, 12, 8, 0)
#define ICC_EOIR0 SYSREG(3, 0, 12, 8, 1)
#define ICC_HPPIR0 SYSREG(3, 0, 12, 8, 2)
#define ICC_BPR0 SYSREG(3, 0, 12, 8, 3)
#define ICC_AP0R0 SYSREG(3, 0, 12, 8, 4)
#define ICC_AP0R3 SYSREG(3, 0, 12, 8, 7)
#define ICC_AP1R0 SYSREG(3, 0, 12, 9, 0)
#define ICC_AP1R3 SYSREG(3, 0, 12, 9, 3)
#define ICC_DIR SYSREG(3, 0, 12, 11, 1)
#define ICC_RPR SYSREG(3, 0, 12, 11, 3)
#define ICC_SGI1R SYSREG(3, 0, 12, 11, 5)
#define ICC_ASGI1R SYSREG(3, 0, 12, 11, 6)
#define ICC_SGI0R SYSREG(3, 0, 12, 11, 7)
#define ICC_IAR1 SYSREG(3, 0, 12, 12, 0)
#define ICC_EOIR1 SYSREG(3, 0, 12, 12, 1)
#define ICC_HPPIR1 SYSREG(3, 0, 12, 12, 2)
#define ICC_BPR1 SYSREG(3, 0, 12, 12, 3)
#define ICC_CTLR SYSREG(3, 0, 12, 12, 4)
#define ICC_SRE SYSREG(3, 0, 12, 12, 5)
#define ICC_IGRPEN0 SYSREG(3, 0, 12, 12, 6)
#define ICC_IGRPEN1 SYSREG(3, 0, 12, 12, 7)

static unsigned acknowledge(struct gic *g, unsigned cpu)
{
	unsigned intid = highest_pending(g, cpu, true);
	if (intid == GIC_SPURIOUS)
		return intid;
	struct gic_cpu *c = &g->cpu[cpu];
	struct irq_bits *b = bits_for(g, cpu, intid);
	set(b->latch, intid, false);
	set(b->active, intid, true);
	if (c->nact < MAX_ACTIVE) {
		c->act[c->nact].intid = intid;
		c->act[c->nact].prio = b->prio[intid];
		c->nact++;
	}
	return intid;
}

static void deactivate(struct gic *g, unsigned cpu, unsigned intid)
{
	if (intid >= GIC_NR_INTIDS)
		return;
	set(bits_for(g, cpu, intid)->active, intid, false);
	wake_for(g, cpu, intid);
}

static void end_of_interrupt(struct gic *g, unsigned cpu, unsigned intid)
{
	struct gic_cpu *c = &g->cpu[cpu];
	/* Priority drop: remove the most recent activation of intid. */
	for (unsigned i = c->nact; i-- > 0;) {
		if (c->act[i].intid == intid) {
			memmove(&c->act[i], &c->act[i + 1], (c->nact - i - 1) * sizeof c->act[0]);
			c->nact--;
			break;
		}
	}
	if (!c->eoimode)
		deactivate(g, cpu, intid);
	g->wake(g->ctx, cpu);
}

static void send_sgi(struct gic *g, unsigned from, uint64_t v)
{
	unsigned intid = (unsigned)(v >> 24) & 15;
	bool all_but_self = (v >> 40) & 1;
	unsigned aff1 = (unsigned)(v >> 16) & 0xff, aff2 = (unsigned)(v >> 32) & 0xff;
	unsigned aff3 = (unsigned)(v >> 48) & 0xff, rs = (unsigned)(v >> 44) & 15;
	uint32_t targets = (uint32_t)v & 0xffff;
	for (unsigned c = 0; c < g->ncpus; c++) {
		bool hit;
		if (all_but_self)
			hit = c != from;
		else
			hit = aff1 == 0 && aff2 == 0 && aff3 == 0 && rs == 0 && ((targets >> c) & 1);
		if (hit) {
			set(g->cpu[c].banked.latch, intid, true);
			g->wake(g->ctx, c);
		}
	}
}

int gic_sysreg_read(struct gic *g, unsigned cpu, uint32_t enc, uint64_t *val)
{
	if (cpu >= g->ncpus)
		return -1;
	struct gic_cpu *c = &g->cpu[cpu];
	switch (enc) {
	case ICC_PMR: *val = c->pmr; return 0;
	case ICC_IAR1: *val = acknowledge(g, cpu); return 0;
	case ICC_IAR0: *val = GIC_SPURIOUS; return 0;
	case ICC_HPPIR1: *val = highest_pending(g, cpu, false); return 0;
	case ICC_HPPIR0: *val = GIC_SPURIOUS; return 0;
	case ICC_RPR: {
		unsigned p = running_prio(c);
		*val = p > 0xff ? 0xff : p;
		return 0;
	}
	case ICC_BPR1: *val = c->bpr1; return 0;
	case ICC_BPR0: *val = 0; return 0;
	case ICC_CTLR: /* IDbits 0 (16-bit INTIDs), PRIbits 7 (8 bits), EOImode */
		*val = 7u << 8 | (c->eoimode ? 2u : 0u);
		return 0;
	case ICC_SRE: *val = 7; return 0; /* SRE, DFB, DIB: system registers only */
	case ICC_IGRPEN0: *val = c->igrpen0; return 0;
	case ICC_IGRPEN1: *val = c->igrpen1; return 0;
	}
	if ((enc >= ICC_AP0R0 && enc <= ICC_AP0R3) || (enc >= ICC_AP1R0 && enc <= ICC_AP1R3)) {
		*val = 0;
		return 0;
	}
	return -1;
}

int gic_sysreg_write(struct gic *g, unsigned cpu, uint32_t enc, uint64_t val)
{
	if (cpu >= g->ncpus)
		return -1;
	struct gic_cpu *c = &g->cpu[cpu];
	switch (enc) {
	case ICC_PMR: c->pmr = val & 0xff; g->wake(g->ctx, cpu); return 0;
	case ICC_EOIR1: end_of_interrupt(g, cpu, (unsigned)val & 0xffffff); return 0;
	case ICC_EOIR0: return 0;
	case ICC_DIR: deactivate(g, cpu, (unsigned)val & 0xffffff); return 0;
	case ICC_SGI1R: case ICC_ASGI1R: send_sgi(g, cpu, val); return 0;
	case ICC_SGI0R: return 0; /* Group 0: not signalled on this machine */
	case ICC_BPR1: c->bpr1 = val & 7; return 0;
	case ICC_BPR0: return 0;
	case ICC_CTLR: c->eoimode = (val >> 1) & 1; return 0;
	case ICC_SRE: return 0; /* SRE is fixed at 1 */
	case ICC_IGRPEN0: c->igrpen0 = val & 1; return 0;
	case ICC_IGRPEN1: c->igrpen1 = val & 1; g->wake(g->ctx, cpu); return 0;
	}
	if ((enc >= ICC_AP0R0 && enc <= ICC_AP0R3) || (enc >= ICC_AP1R0 && enc <= ICC_AP1R3))
		return 0;
	return -1;
}
