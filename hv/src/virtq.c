/*
 * hv/src/virtq.c — strict split-virtqueue walker (see virtq.h).
 *
 * Ring layouts (virtio 1.2, 2.7): descriptor table of num 16-byte entries,
 * 16-byte aligned; avail ring {le16 flags, le16 idx, le16 ring[num]},
 * 2-byte aligned; used ring {le16 flags, le16 idx, {le32 id, le32 len}[num]},
 * 4-byte aligned. VIRTIO_F_EVENT_IDX is never offered, so the trailing
 * used_event/avail_event fields do not exist for us.
 */
#include "virtq.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags, next;
};

static uint16_t ld16(const uint8_t *p) { return (uint16_t)(p[0] | (p[1] << 8)); }
static uint32_t ld32(const uint8_t *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}
static uint64_t ld64(const uint8_t *p) { return (uint64_t)ld32(p) | ((uint64_t)ld32(p + 4) << 32); }
static void st16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static void st32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); p[2] = (uint8_t)(v >> 16); p[3] = (uint8_t)(v >> 24);
}

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static int broken(struct virtq *q, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(q->why, sizeof q->why, fmt, ap);
	va_end(ap);
	return -1;
}

/* Guest-physical lookup that is safe against gpa + len wrapping. */
static uint8_t *lookup(const struct virtq *q, uint64_t gpa, uint64_t len)
{
	if (len == 0)
		len = 1;
	if (gpa + len < gpa)
		return NULL;
	return q->gpa(q->gpa_ctx, gpa, len);
}

void virtq_stop(struct virtq *q)
{
	q->ready = 0;
	q->desc = q->avail = q->used = NULL;
	q->last_avail = q->used_idx = 0;
}

int virtq_start(struct virtq *q)
{
	virtq_stop(q);
	q->why[0] = 0;
	if (q->num == 0 || q->num > VIRTQ_MAX_SIZE || (q->num & (q->num - 1)) != 0)
		return broken(q, "queue size %u is not a power of two in 1..%u", q->num, VIRTQ_MAX_SIZE);
	if (q->desc_gpa & 15)
		return broken(q, "descriptor table at 0x%llx is not 16-byte aligned", (unsigned long long)q->desc_gpa);
	if (q->avail_gpa & 1)
		return broken(q, "driver area at 0x%llx is not 2-byte aligned", (unsigned long long)q->avail_gpa);
	if (q->used_gpa & 3)
		return broken(q, "device area at 0x%llx is not 4-byte aligned", (unsigned long long)q->used_gpa);
	uint64_t n = q->num;
	q->desc = lookup(q, q->desc_gpa, n * VIRTQ_DESC_SIZE);
	q->avail = lookup(q, q->avail_gpa, 4 + 2 * n);
	q->used = lookup(q, q->used_gpa, 4 + 8 * n);
	if (!q->desc || !q->avail || !q->used) {
		uint64_t bad = !q->desc ? q->desc_gpa : !q->avail ? q->avail_gpa : q->used_gpa;
		virtq_stop(q);
		return broken(q, "%s ring at 0x%llx is not inside guest RAM",
			      bad == q->desc_gpa ? "descriptor" : bad == q->avail_gpa ? "driver" : "device",
			      (unsigned long long)bad);
	}
	/* A freshly enabled queue starts at index 0 on both rings (2.7.13). */
	q->used_idx = 0;
	q->last_avail = 0;
	q->ready = 1;
	return 0;
}

static void read_desc(const uint8_t *table, uint32_t i, struct desc *d)
{
	uint8_t raw[VIRTQ_DESC_SIZE];
	/* One copy, then only the copy is checked and used. */
	memcpy(raw, table + (size_t)i * VIRTQ_DESC_SIZE, sizeof raw);
	d->addr = ld64(raw);
	d->len = ld32(raw + 8);
	d->flags = ld16(raw + 12);
	d->next = ld16(raw + 14);
}

/* Add one buffer descriptor to the chain, enforcing direction rules. */
static int add_seg(struct virtq *q, struct virtq_chain *c, const struct desc *d, const char *where, uint32_t i)
{
	int writable = (d->flags & VIRTQ_DESC_F_WRITE) != 0;
	if (writable && !(q->dir & VIRTQ_DEV_WRITES))
		return broken(q, "%s descriptor %u is device-writable but this queue only carries driver-to-device data",
			      where, i);
	if (!writable && !(q->dir & VIRTQ_DEV_READS))
		return broken(q, "%s descriptor %u is device-readable but this queue only carries device-to-driver data",
			      where, i);
	if (!writable && c->nwrite)
		return broken(q, "%s descriptor %u is device-readable after a device-writable one", where, i);
	if (c->nread + c->nwrite >= VIRTQ_MAX_SEGS)
		return broken(q, "chain has more than %u descriptors", VIRTQ_MAX_SEGS);
	uint8_t *host = lookup(q, d->addr, d->len);
	if (!host)
		return broken(q, "%s descriptor %u: buffer 0x%llx+%u is not inside guest RAM", where, i,
			      (unsigned long long)d->addr, d->len);
	struct virtq_seg *s = &c->seg[c->nread + c->nwrite];
	s->host = host;
	s->len = d->len;
	s->gpa = d->addr;
	if (writable) {
		c->nwrite++;
		c->write_len += d->len;
	} else {
		c->nread++;
		c->read_len += d->len;
	}
	return 0;
}

/* Follow an indirect table: a flat chain inside a separate table. */
static int walk_indirect(struct virtq *q, struct virtq_chain *c, const struct desc *ind, uint32_t at)
{
	if (!q->indirect_ok)
		return broken(q, "descriptor %u is indirect but VIRTIO_F_INDIRECT_DESC was not negotiated", at);
	if (ind->flags & VIRTQ_DESC_F_NEXT)
		return broken(q, "descriptor %u is indirect and also has NEXT set", at);
	if (ind->len == 0 || ind->len % VIRTQ_DESC_SIZE)
		return broken(q, "descriptor %u: indirect table length %u is not a non-zero multiple of 16", at,
			      ind->len);
	uint32_t n = ind->len / VIRTQ_DESC_SIZE;
	if (n > VIRTQ_MAX_INDIRECT)
		return broken(q, "descriptor %u: indirect table of %u entries exceeds %u", at, n, VIRTQ_MAX_INDIRECT);
	if (ind->addr & 15)
		return broken(q, "descriptor %u: indirect table at 0x%llx is not 16-byte aligned", at,
			      (unsigned long long)ind->addr);
	const uint8_t *table = lookup(q, ind->addr, ind->len);
	if (!table)
		return broken(q, "descriptor %u: indirect table 0x%llx+%u is not inside guest RAM", at,
			      (unsigned long long)ind->addr, ind->len);
	uint32_t i = 0;
	/* Each step consumes one of n entries, so a loop in `next` ends here. */
	for (uint32_t steps = 0;; steps++) {
		if (steps >= n)
			return broken(q, "indirect chain from descriptor %u is longer than its table (%u): a loop", at, n);
		struct desc d;
		read_desc(table, i, &d);
		if (d.flags & VIRTQ_DESC_F_INDIRECT)
			return broken(q, "indirect table entry %u is itself indirect (nesting is not allowed)", i);
		if (add_seg(q, c, &d, "indirect", i) < 0)
			return -1;
		if (!(d.flags & VIRTQ_DESC_F_NEXT))
			return 0;
		if (d.next >= n)
			return broken(q, "indirect table entry %u: next %u is past the table's %u entries", i, d.next, n);
		i = d.next;
	}
}

enum virtq_status virtq_pop(struct virtq *q, struct virtq_chain *c)
{
	if (!q->ready)
		return VIRTQ_EMPTY;
	uint16_t avail_idx = __atomic_load_n((uint16_t *)(void *)(q->avail + 2), __ATOMIC_ACQUIRE);
	avail_idx = ld16((const uint8_t *)&avail_idx); /* rings are little-endian */
	uint16_t pending = (uint16_t)(avail_idx - q->last_avail);
	if (pending == 0)
		return VIRTQ_EMPTY;
	if (pending > q->num)
		return broken(q, "avail idx %u is %u entries ahead of the device (queue size %u)", avail_idx,
			      pending, q->num), VIRTQ_BROKEN;
	/* The ring entry is read only after idx (acquire above). */
	uint16_t head = ld16(q->avail + 4 + 2 * (size_t)(q->last_avail % q->num));
	if (head >= q->num)
		return broken(q, "avail ring entry %u names descriptor %u, queue size is %u", q->last_avail, head, q->num),
		       VIRTQ_BROKEN;
	c->head = head;
	c->nread = c->nwrite = 0;
	c->read_len = c->write_len = 0;
	uint16_t i = head;
	for (uint32_t steps = 0;; steps++) {
		if (steps >= q->num)
			return broken(q, "chain from head %u is longer than the queue size %u: a loop", head, q->num),
			       VIRTQ_BROKEN;
		struct desc d;
		read_desc(q->desc, i, &d);
		if (d.flags & VIRTQ_DESC_F_INDIRECT) {
			if (walk_indirect(q, c, &d, i) < 0)
				return VIRTQ_BROKEN;
			break;
		}
		if (add_seg(q, c, &d, "queue", i) < 0)
			return VIRTQ_BROKEN;
		if (!(d.flags & VIRTQ_DESC_F_NEXT))
			break;
		if (d.next >= q->num)
			return broken(q, "descriptor %u: next %u is past the queue size %u", i, d.next, q->num),
			       VIRTQ_BROKEN;
		i = d.next;
	}
	q->last_avail++;
	return VIRTQ_CHAIN;
}

int virtq_push(struct virtq *q, uint16_t head, uint32_t written)
{
	if (!q->ready)
		return 0;
	uint8_t *elem = q->used + 4 + 8 * (size_t)(q->used_idx % q->num);
	st32(elem, head);
	st32(elem + 4, written);
	q->used_idx++;
	uint8_t idx[2];
	st16(idx, q->used_idx);
	uint16_t raw;
	memcpy(&raw, idx, 2);
	/* The element must be visible before the index that publishes it. */
	__atomic_store_n((uint16_t *)(void *)(q->used + 2), raw, __ATOMIC_RELEASE);
	/* And the index before we read the driver's interrupt suppression. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return (ld16(q->avail) & VIRTQ_AVAIL_F_NO_INTERRUPT) == 0;
}

/* Copy between the segments [first, end) of a chain, OFF bytes into them,
 * and a host buffer: into OUT when it is set (reading the chain), else from
 * IN (writing it). Stops at LEN bytes or the segments' end. */
static size_t chain_copy(const struct virtq_chain *c, unsigned first, unsigned end, uint64_t off, void *out,
			 const void *in, size_t len)
{
	size_t done = 0;
	for (unsigned s = first; s < end && done < len; s++) {
		const struct virtq_seg *g = &c->seg[s];
		if (off >= g->len) {
			off -= g->len;
			continue;
		}
		size_t n = g->len - off;
		if (n > len - done)
			n = len - done;
		if (out)
			memcpy((uint8_t *)out + done, g->host + off, n);
		else
			memcpy(g->host + off, (const uint8_t *)in + done, n);
		done += n;
		off = 0;
	}
	return done;
}

size_t virtq_chain_read(const struct virtq_chain *c, uint64_t off, void *dst, size_t len)
{
	return chain_copy(c, 0, c->nread, off, dst, NULL, len);
}

size_t virtq_chain_write(const struct virtq_chain *c, uint64_t off, const void *src, size_t len)
{
	return chain_copy(c, c->nread, c->nread + c->nwrite, off, NULL, src, len);
}
