/*
 * gic.h - an emulated GICv3: distributor, one redistributor per CPU and the
 * ICC_* system-register CPU interface (single security state, GICD_CTLR.DS
 * = 1, affinity routing always on).  Used with CPU backends that have no
 * interrupt controller of their own (Unicorn).
 *
 * INTIDs: 0-15 SGIs, 16-31 PPIs (banked per CPU), 32..GIC_NR_INTIDS-1 SPIs.
 * Only Group 1 interrupts are signalled (as IRQs); Group 0 would be FIQs,
 * which this machine does not deliver.
 */
#ifndef HV_GIC_H
#define HV_GIC_H

#include <stdbool.h>
#include <stdint.h>

#define GIC_NR_INTIDS 128u /* 96 SPIs: SPI 0..95 */
#define GIC_SPURIOUS 1023u

struct gic;

/* wake(ctx, cpu) is called whenever an interrupt may have become
 * deliverable to `cpu` (so a running vCPU can be stopped and a sleeping
 * one woken). */
struct gic *gic_create(unsigned ncpus, void (*wake)(void *ctx, unsigned cpu), void *ctx);
void gic_destroy(struct gic *g);

/* MMIO: distributor frame (64 KiB) and the redistributor region
 * (128 KiB per CPU), offsets relative to their bases. */
uint64_t gic_dist_read(struct gic *g, uint64_t off, unsigned size);
void gic_dist_write(struct gic *g, uint64_t off, uint64_t val, unsigned size);
uint64_t gic_redist_read(struct gic *g, uint64_t off, unsigned size);
void gic_redist_write(struct gic *g, uint64_t off, uint64_t val, unsigned size);

/* ICC_* registers of CPU `cpu`: 0 handled, -1 not a GIC register. */
int gic_sysreg_read(struct gic *g, unsigned cpu, uint32_t enc, uint64_t *val);
int gic_sysreg_write(struct gic *g, unsigned cpu, uint32_t enc, uint64_t val);

/* Input lines (level-sensitive unless the guest configured edge). */
void gic_set_spi(struct gic *g, unsigned spi, int level);
void gic_set_ppi(struct gic *g, unsigned cpu, unsigned intid, int level);

/* Is an interrupt ready to be signalled to `cpu` (enabled, pending, group
 * enabled, priority above PMR and the running priority)?  PSTATE.I is the
 * CPU's business, not the GIC's. */
bool gic_irq_pending(struct gic *g, unsigned cpu);

#endif
