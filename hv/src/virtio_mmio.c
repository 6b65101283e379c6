/*
 * hv/src/virtio_mmio.c — virtio-mmio version 2 transport (see virtio_mmio.h).
 */
#include "virtio_mmio.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct queue_regs {
	uint32_t num;
	uint32_t ready;
	uint64_t desc, driver, device;
};

struct virtio_mmio {
	const struct virtio_device_ops *ops;
	void *dev;
	struct virtio_mmio_host host;

	uint64_t offered;          /* device features offered */
	uint64_t driver_features;  /* as written by the driver */
	uint32_t device_features_sel, driver_features_sel;
	uint32_t queue_sel;
	uint32_t status;
	uint32_t isr;
	uint32_t config_generation;
	int irq_level;
	int warned_access;         /* a bad-width register access was logged */
	struct queue_regs qr[VIRTIO_MMIO_MAX_QUEUES];
	struct virtq vq[VIRTIO_MMIO_MAX_QUEUES];
};

__attribute__((format(printf, 2, 3))) static void logf_(struct virtio_mmio *t, const char *fmt, ...)
{
	char line[320];
	char msg[240];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	snprintf(line, sizeof line, "%s@0x%08llx: %s", t->ops->name, (unsigned long long)t->host.base, msg);
	if (t->host.log)
		t->host.log(t->host.log_ctx, line);
}

static void update_irq(struct virtio_mmio *t)
{
	int level = t->isr != 0;
	if (level != t->irq_level) {
		t->irq_level = level;
		if (t->host.set_irq)
			t->host.set_irq(t->host.irq_ctx, level);
	}
}

static void raise_isr(struct virtio_mmio *t, uint32_t bits)
{
	t->isr |= bits;
	update_irq(t);
}

static void reset(struct virtio_mmio *t)
{
	t->driver_features = 0;
	t->device_features_sel = t->driver_features_sel = 0;
	t->queue_sel = 0;
	t->status = 0;
	t->isr = 0;
	for (unsigned i = 0; i < VIRTIO_MMIO_MAX_QUEUES; i++) {
		memset(&t->qr[i], 0, sizeof t->qr[i]);
		virtq_stop(&t->vq[i]);
	}
	update_irq(t);
}

struct virtio_mmio *virtio_mmio_create(const struct virtio_device_ops *ops, void *dev,
				       const struct virtio_mmio_host *host)
{
	if (ops->nqueues > VIRTIO_MMIO_MAX_QUEUES)
		return NULL;
	struct virtio_mmio *t = calloc(1, sizeof *t);
	if (!t)
		return NULL;
	t->ops = ops;
	t->dev = dev;
	t->host = *host;
	t->offered = ops->features | (1ull << VIRTIO_F_VERSION_1) | (1ull << VIRTIO_F_INDIRECT_DESC);
	for (unsigned i = 0; i < VIRTIO_MMIO_MAX_QUEUES; i++) {
		t->vq[i].gpa = host->gpa;
		t->vq[i].gpa_ctx = host->gpa_ctx;
	}
	reset(t);
	return t;
}

void virtio_mmio_destroy(struct virtio_mmio *t)
{
	free(t);
}

static int present(const struct virtio_mmio *t) { return t->ops->device_id != 0; }

static struct queue_regs *sel_queue(struct virtio_mmio *t)
{
	return t->queue_sel < t->ops->nqueues ? &t->qr[t->queue_sel] : NULL;
}

static uint64_t config_read(struct virtio_mmio *t, uint64_t off, unsigned size)
{
	if (!t->ops->config_read || off + size > t->ops->config_size)
		return 0;
	return t->ops->config_read(t->dev, (uint32_t)off, size);
}

uint64_t virtio_mmio_read(void *ctx, uint64_t off, unsigned size)
{
	struct virtio_mmio *t = ctx;
	if (off >= VIRTIO_MMIO_CONFIG) {
		if (size != 1 && size != 2 && size != 4 && size != 8)
			return 0;
		return config_read(t, off - VIRTIO_MMIO_CONFIG, size);
	}
	if (size != 4 || (off & 3)) {
		if (!t->warned_access) {
			t->warned_access = 1;
			logf_(t, "%u-byte read at offset 0x%03llx: registers take aligned 32-bit accesses only (ignored)",
			      size, (unsigned long long)off);
		}
		return 0;
	}
	struct queue_regs *q = sel_queue(t);
	switch (off) {
	case VIRTIO_MMIO_MAGIC_VALUE: return VIRTIO_MMIO_MAGIC;
	case VIRTIO_MMIO_VERSION: return VIRTIO_MMIO_VERSION_2;
	case VIRTIO_MMIO_DEVICE_ID: return t->ops->device_id;
	case VIRTIO_MMIO_VENDOR_ID: return present(t) ? VIRTIO_MMIO_VENDOR : 0;
	case VIRTIO_MMIO_DEVICE_FEATURES:
		if (!present(t) || t->device_features_sel > 1)
			return 0;
		return (uint32_t)(t->offered >> (32 * t->device_features_sel));
	case VIRTIO_MMIO_QUEUE_NUM_MAX: return q ? t->ops->queue_num_max : 0;
	case VIRTIO_MMIO_QUEUE_READY: return q ? q->ready : 0;
	case VIRTIO_MMIO_INTERRUPT_STATUS: return t->isr;
	case VIRTIO_MMIO_STATUS: return t->status;
	case VIRTIO_MMIO_CONFIG_GENERATION: return t->config_generation;
	case VIRTIO_MMIO_SHM_LEN_LOW:
	case VIRTIO_MMIO_SHM_LEN_HIGH:
		return 0xFFFFFFFFu; /* no shared memory regions: length -1 (4.2.2) */
	default: return 0;
	}
}

/* FEATURES_OK is accepted only for a subset of what we offered that
 * includes VIRTIO_F_VERSION_1 (no legacy interface here). */
static int features_acceptable(const struct virtio_mmio *t)
{
	return (t->driver_features & ~t->offered) == 0 && (t->driver_features & (1ull << VIRTIO_F_VERSION_1));
}

static void write_status(struct virtio_mmio *t, uint32_t val)
{
	if (val == 0) {
		reset(t);
		if (t->ops->reset)
			t->ops->reset(t->dev, t);
		return;
	}
	uint32_t old = t->status;
	/* The device-owned bit survives driver writes; the driver cannot set it. */
	uint32_t next = (val & ~VIRTIO_STATUS_DEVICE_NEEDS_RESET) | (old & VIRTIO_STATUS_DEVICE_NEEDS_RESET);
	if ((next & VIRTIO_STATUS_FEATURES_OK) && !(old & VIRTIO_STATUS_FEATURES_OK)) {
		if (!features_acceptable(t)) {
			logf_(t, "driver features 0x%llx refused (VIRTIO_F_VERSION_1 is required; no unoffered bits)",
			      (unsigned long long)t->driver_features);
			next &= ~VIRTIO_STATUS_FEATURES_OK;
		}
	}
	t->status = next;
	if ((next & VIRTIO_STATUS_DRIVER_OK) && !(old & VIRTIO_STATUS_DRIVER_OK)) {
		if (!(next & VIRTIO_STATUS_FEATURES_OK)) {
			virtio_mmio_fail(t, "DRIVER_OK set without FEATURES_OK");
			return;
		}
		for (unsigned i = 0; i < t->ops->nqueues; i++)
			t->vq[i].indirect_ok = (t->driver_features >> VIRTIO_F_INDIRECT_DESC) & 1;
		if (t->ops->driver_ok)
			t->ops->driver_ok(t->dev, t);
	}
}

static void set_ready(struct virtio_mmio *t, unsigned qi, uint32_t val)
{
	struct queue_regs *q = &t->qr[qi];
	struct virtq *vq = &t->vq[qi];
	if (!val) {
		q->ready = 0;
		virtq_stop(vq);
		return;
	}
	if (q->ready)
		return;
	if (q->num > t->ops->queue_num_max) {
		char m[64];
		snprintf(m, sizeof m, "queue %u: QueueNum %u > QueueNumMax %u", qi, q->num, t->ops->queue_num_max);
		virtio_mmio_fail(t, m);
		return;
	}
	vq->num = (uint16_t)q->num;
	vq->desc_gpa = q->desc;
	vq->avail_gpa = q->driver;
	vq->used_gpa = q->device;
	vq->dir = t->ops->queue_dir[qi];
	vq->indirect_ok = (t->driver_features >> VIRTIO_F_INDIRECT_DESC) & 1;
	if (virtq_start(vq) < 0) {
		char m[200];
		snprintf(m, sizeof m, "queue %u: %s", qi, vq->why);
		virtio_mmio_fail(t, m);
		return;
	}
	q->ready = 1;
}

static void set_addr(uint64_t *a, int high, uint32_t val)
{
	if (high)
		*a = (*a & 0xFFFFFFFFull) | ((uint64_t)val << 32);
	else
		*a = (*a & ~0xFFFFFFFFull) | val;
}

void virtio_mmio_write(void *ctx, uint64_t off, uint64_t val64, unsigned size)
{
	struct virtio_mmio *t = ctx;
	if (off >= VIRTIO_MMIO_CONFIG) {
		uint64_t c = off - VIRTIO_MMIO_CONFIG;
		if ((size == 1 || size == 2 || size == 4 || size == 8) && t->ops->config_write &&
		    c + size <= t->ops->config_size)
			t->ops->config_write(t->dev, (uint32_t)c, val64, size);
		return;
	}
	if (size != 4 || (off & 3)) {
		if (!t->warned_access) {
			t->warned_access = 1;
			logf_(t, "%u-byte write at offset 0x%03llx: registers take aligned 32-bit accesses only (ignored)",
			      size, (unsigned long long)off);
		}
		return;
	}
	uint32_t val = (uint32_t)val64;
	if (!present(t) && off != VIRTIO_MMIO_STATUS)
		return;
	struct queue_regs *q = sel_queue(t);
	/* Queue registers are frozen while the queue is live (4.2.3.2). */
	int q_writable = q && !q->ready;
	switch (off) {
	case VIRTIO_MMIO_DEVICE_FEATURES_SEL: t->device_features_sel = val; break;
	case VIRTIO_MMIO_DRIVER_FEATURES:
		if (t->status & VIRTIO_STATUS_FEATURES_OK)
			break; /* negotiation is over */
		if (t->driver_features_sel == 0)
			t->driver_features = (t->driver_features & ~0xFFFFFFFFull) | val;
		else if (t->driver_features_sel == 1)
			t->driver_features = (t->driver_features & 0xFFFFFFFFull) | ((uint64_t)val << 32);
		break;
	case VIRTIO_MMIO_DRIVER_FEATURES_SEL: t->driver_features_sel = val; break;
	case VIRTIO_MMIO_QUEUE_SEL: t->queue_sel = val; break;
	case VIRTIO_MMIO_QUEUE_NUM: if (q_writable) q->num = val; break;
	case VIRTIO_MMIO_QUEUE_READY: if (q) set_ready(t, t->queue_sel, val & 1); break;
	case VIRTIO_MMIO_QUEUE_NOTIFY: {
		/* Without VIRTIO_F_NOTIFICATION_DATA the value is the queue index. */
		unsigned qi = val & 0xFFFF;
		if (qi >= t->ops->nqueues || !t->qr[qi].ready || !virtio_mmio_running(t))
			break;
		if (t->ops->notify)
			t->ops->notify(t->dev, t, qi);
		break;
	}
	case VIRTIO_MMIO_INTERRUPT_ACK:
		t->isr &= ~val;
		update_irq(t);
		break;
	case VIRTIO_MMIO_STATUS: write_status(t, val); break;
	case VIRTIO_MMIO_QUEUE_DESC_LOW: if (q_writable) set_addr(&q->desc, 0, val); break;
	case VIRTIO_MMIO_QUEUE_DESC_HIGH: if (q_writable) set_addr(&q->desc, 1, val); break;
	case VIRTIO_MMIO_QUEUE_DRIVER_LOW: if (q_writable) set_addr(&q->driver, 0, val); break;
	case VIRTIO_MMIO_QUEUE_DRIVER_HIGH: if (q_writable) set_addr(&q->driver, 1, val); break;
	case VIRTIO_MMIO_QUEUE_DEVICE_LOW: if (q_writable) set_addr(&q->device, 0, val); break;
	case VIRTIO_MMIO_QUEUE_DEVICE_HIGH: if (q_writable) set_addr(&q->device, 1, val); break;
	default: break; /* read-only or unimplemented: ignored */
	}
}

int virtio_mmio_pop(struct virtio_mmio *t, unsigned qi, struct virtq_chain *chain)
{
	if (qi >= t->ops->nqueues || !virtio_mmio_running(t))
		return 0;
	enum virtq_status s = virtq_pop(&t->vq[qi], chain);
	if (s == VIRTQ_BROKEN) {
		char m[200];
		snprintf(m, sizeof m, "queue %u: %s", qi, t->vq[qi].why);
		virtio_mmio_fail(t, m);
		return -1;
	}
	return s == VIRTQ_CHAIN;
}

void virtio_mmio_push(struct virtio_mmio *t, unsigned qi, uint16_t head, uint32_t written)
{
	if (qi >= t->ops->nqueues)
		return;
	if (virtq_push(&t->vq[qi], head, written))
		raise_isr(t, VIRTIO_INT_USED_BUFFER);
}

int virtio_mmio_config_changed(struct virtio_mmio *t, int bump_generation)
{
	if (bump_generation)
		t->config_generation++;
	if (!virtio_mmio_running(t))
		return 0;
	raise_isr(t, VIRTIO_INT_CONFIG_CHANGE);
	return 1;
}

void virtio_mmio_fail(struct virtio_mmio *t, const char *why)
{
	if (t->status & VIRTIO_STATUS_DEVICE_NEEDS_RESET)
		return; /* already broken and logged */
	logf_(t, "%s; device needs reset", why);
	t->status |= VIRTIO_STATUS_DEVICE_NEEDS_RESET;
	for (unsigned i = 0; i < VIRTIO_MMIO_MAX_QUEUES; i++)
		virtq_stop(&t->vq[i]);
	/* 2.1.2: a device that sets DEVICE_NEEDS_RESET after DRIVER_OK must
	 * send a configuration change notification. */
	if (t->status & VIRTIO_STATUS_DRIVER_OK)
		raise_isr(t, VIRTIO_INT_CONFIG_CHANGE);
}

uint32_t virtio_mmio_status(const struct virtio_mmio *t) { return t->status; }

int virtio_mmio_running(const struct virtio_mmio *t)
{
	return (t->status & VIRTIO_STATUS_DRIVER_OK) &&
	       !(t->status & (VIRTIO_STATUS_DEVICE_NEEDS_RESET | VIRTIO_STATUS_FAILED));
}

uint64_t virtio_mmio_negotiated(const struct virtio_mmio *t)
{
	return (t->status & VIRTIO_STATUS_FEATURES_OK) ? t->driver_features : 0;
}

uint32_t virtio_mmio_interrupt_status(const struct virtio_mmio *t) { return t->isr; }
