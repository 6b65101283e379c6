/*
 * hv/src/virtq.h — a strict walker for virtio 1.2 split virtqueues.
 *
 * The walker is the only code that reads a queue's rings. It trusts nothing
 * the guest wrote: every ring and every descriptor buffer is resolved through
 * the caller's guest-physical lookup (which must refuse ranges that are not
 * entirely in RAM), descriptor chains are bounded (by the queue size, or by
 * the indirect table's entry count), loops are therefore impossible to
 * follow forever, an indirect table may not hold another indirect
 * descriptor, its length must be a non-zero multiple of 16, device-readable
 * descriptors must come before device-writable ones, and the queue's
 * direction policy (may the device read? write?) is enforced.
 *
 * When a rule is broken the walker returns VIRTQ_BROKEN and leaves a
 * one-line reason in q->why; the transport then marks the device
 * DEVICE_NEEDS_RESET. The walker never touches memory outside the ranges
 * the lookup returned.
 *
 * Descriptors are copied out of guest memory before they are checked, so a
 * guest (or another vCPU) changing them behind our back cannot turn a
 * checked value into an unchecked one.
 *
 * No dependency on the machine: tests drive it over a fake RAM buffer.
 */
#ifndef HV_VIRTQ_H
#define HV_VIRTQ_H

#include <stddef.h>
#include <stdint.h>

/* Descriptor flags (virtio 1.2, 2.7.5). */
#define VIRTQ_DESC_F_NEXT 1u
#define VIRTQ_DESC_F_WRITE 2u
#define VIRTQ_DESC_F_INDIRECT 4u
/* Avail ring flags: the driver does not want used-buffer interrupts. */
#define VIRTQ_AVAIL_F_NO_INTERRUPT 1u
/* Used ring flags: the device does not want notifications. */
#define VIRTQ_USED_F_NO_NOTIFY 1u

#define VIRTQ_DESC_SIZE 16u
/* Largest queue any of our devices offers (QueueNumMax). */
#define VIRTQ_MAX_SIZE 256u
/* Largest indirect table we follow, in descriptors (64 KiB of table). */
#define VIRTQ_MAX_INDIRECT 4096u
/* A chain has at most this many segments: a direct chain is bounded by
 * the queue size, and an indirect descriptor ends the chain it is in. */
#define VIRTQ_MAX_SEGS (VIRTQ_MAX_SIZE + VIRTQ_MAX_INDIRECT)

/* Returns a host pointer to guest-physical [gpa, gpa+len) or NULL when the
 * range is not entirely inside guest RAM (len 0 is asked as len 1). */
typedef void *(*virtq_gpa_fn)(void *ctx, uint64_t gpa, uint64_t len);

/* What the device may do with a queue's buffers. */
enum virtq_dir {
	VIRTQ_DEV_READS = 1,  /* device-readable descriptors allowed (driver → device) */
	VIRTQ_DEV_WRITES = 2  /* device-writable descriptors allowed (device → driver) */
};

struct virtq {
	/* Set by the transport from the registers. */
	uint16_t num;              /* QueueNum: power of two, ≤ VIRTQ_MAX_SIZE */
	uint64_t desc_gpa, avail_gpa, used_gpa;
	unsigned dir;              /* enum virtq_dir bits */
	int indirect_ok;           /* VIRTIO_F_INDIRECT_DESC negotiated */
	virtq_gpa_fn gpa;
	void *gpa_ctx;

	/* Walker state. */
	int ready;                 /* rings resolved by virtq_start */
	uint16_t last_avail;       /* next avail ring entry to consume */
	uint16_t used_idx;         /* our copy of used->idx */
	uint8_t *desc, *avail, *used; /* host views of the rings */
	char why[160];             /* reason for the last VIRTQ_BROKEN */
};

struct virtq_seg {
	uint8_t *host;             /* host view of the whole buffer */
	uint32_t len;
	uint64_t gpa;
};

/* One available descriptor chain, split into its readable and writable
 * halves (readable always first, as the spec requires). */
struct virtq_chain {
	uint16_t head;
	unsigned nread, nwrite;
	uint64_t read_len, write_len;
	struct virtq_seg seg[VIRTQ_MAX_SEGS]; /* nread readable, then nwrite writable */
};

enum virtq_status {
	VIRTQ_EMPTY = 0,   /* nothing available */
	VIRTQ_CHAIN = 1,   /* *chain filled in */
	VIRTQ_BROKEN = -1  /* the guest broke a rule: q->why says which */
};

/* Resolve and check the three rings (alignment, size, inside RAM).
 * 0, or -1 with q->why filled. Resets the ring indices. */
int virtq_start(struct virtq *q);
/* Forget the rings (queue reset or device reset). */
void virtq_stop(struct virtq *q);

/* Take the next available chain, if any. */
enum virtq_status virtq_pop(struct virtq *q, struct virtq_chain *chain);

/* Return a chain to the driver with `written` bytes written into its
 * writable part. Publishes the used element before the index (release
 * order). Returns 1 when the driver wants an interrupt for it (avail flag
 * VIRTQ_AVAIL_F_NO_INTERRUPT clear), else 0. */
int virtq_push(struct virtq *q, uint16_t head, uint32_t written);

/* Copy up to len bytes of the chain's readable part starting at offset off
 * into dst; returns the number of bytes copied. */
size_t virtq_chain_read(const struct virtq_chain *c, uint64_t off, void *dst, size_t len);
/* Copy src into the chain's writable part starting at offset off; returns
 * the number of bytes written (less than len when the buffers are full). */
size_t virtq_chain_write(const struct virtq_chain *c, uint64_t off, const void *src, size_t len);

#endif
