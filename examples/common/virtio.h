/*
 * virtio.h - a minimal guest-side virtio-mmio (version 2) driver for the
 * example guests: find a device, negotiate VIRTIO_F_VERSION_1, set up split
 * virtqueues in static memory, submit buffers and wait for them, read the
 * config space, and watch the interrupt status (used buffers, config change).
 *
 * metalvisor processes a notification before the guest's MMIO write returns,
 * but the driver still waits for the used ring as the spec requires.
 * Rings live in normal RAM; with the MMU off all accesses are aligned
 * (the runtime builds with -mstrict-align).
 */
#ifndef EXAMPLES_VIRTIO_H
#define EXAMPLES_VIRTIO_H

#include <stddef.h>
#include <stdint.h>

#define VIRTIO_MMIO_BASE 0x0A000000ul
#define VIRTIO_MMIO_STRIDE 0x200ul
#define VIRTIO_MMIO_SLOTS 4u
#define VIRTIO_SPI_BASE 48u

/* Register offsets (virtio 1.2, 4.2.2). */
#define VMMIO_MAGIC 0x000
#define VMMIO_VERSION 0x004
#define VMMIO_DEVICE_ID 0x008
#define VMMIO_DEVICE_FEATURES 0x010
#define VMMIO_DEVICE_FEATURES_SEL 0x014
#define VMMIO_DRIVER_FEATURES 0x020
#define VMMIO_DRIVER_FEATURES_SEL 0x024
#define VMMIO_QUEUE_SEL 0x030
#define VMMIO_QUEUE_NUM_MAX 0x034
#define VMMIO_QUEUE_NUM 0x038
#define VMMIO_QUEUE_READY 0x044
#define VMMIO_QUEUE_NOTIFY 0x050
#define VMMIO_INTERRUPT_STATUS 0x060
#define VMMIO_INTERRUPT_ACK 0x064
#define VMMIO_STATUS 0x070
#define VMMIO_QUEUE_DESC_LOW 0x080
#define VMMIO_QUEUE_DESC_HIGH 0x084
#define VMMIO_QUEUE_DRIVER_LOW 0x090
#define VMMIO_QUEUE_DRIVER_HIGH 0x094
#define VMMIO_QUEUE_DEVICE_LOW 0x0a0
#define VMMIO_QUEUE_DEVICE_HIGH 0x0a4
#define VMMIO_CONFIG_GENERATION 0x0fc
#define VMMIO_CONFIG 0x100

#define VSTAT_ACKNOWLEDGE 1u
#define VSTAT_DRIVER 2u
#define VSTAT_DRIVER_OK 4u
#define VSTAT_FEATURES_OK 8u
#define VSTAT_NEEDS_RESET 64u
#define VSTAT_FAILED 128u

#define VINT_USED 1u
#define VINT_CONFIG 2u

#define VF_INDIRECT_DESC 28
#define VF_VERSION_1 32

#define VQ_DESC_F_NEXT 1u
#define VQ_DESC_F_WRITE 2u
#define VQ_DESC_F_INDIRECT 4u

/* Queue sizes the driver uses (≤ every device's QueueNumMax). */
#define VQ_NUM 16u

struct vq_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags, next;
};

/* One queue's rings, in one static block. */
struct vq_mem {
	struct vq_desc desc[VQ_NUM] __attribute__((aligned(16)));
	uint16_t avail_flags, avail_idx, avail_ring[VQ_NUM];
	uint16_t avail_pad;
	uint32_t used_flags_idx_pad __attribute__((aligned(4)));
	struct { uint32_t id, len; } used_ring[VQ_NUM];
} __attribute__((aligned(4096)));

struct vq {
	struct vq_mem *mem;
	unsigned index;
	uint16_t avail_idx;   /* next avail entry we fill */
	uint16_t last_used;   /* used entries we have consumed */
};

struct virtio_dev {
	uintptr_t base;
	unsigned slot;        /* 0..3, its SPI is 48+slot */
	uint32_t device_id;
};

/* Find the first device with this ID: the DTB's "virtio,mmio" nodes when
 * dtb_ok, otherwise (or when none matches) by probing the four slots.
 * 0 ok, -1 not found. */
int virtio_find(uint32_t device_id, int dtb_ok, struct virtio_dev *out);
/* Reset, ACKNOWLEDGE, DRIVER, negotiate VERSION_1 plus `want` & offered,
 * FEATURES_OK check. Returns 0 or -1 (device refused: status FAILED). */
int virtio_init(struct virtio_dev *d, uint64_t want, uint64_t *accepted);
/* Set up queue `index` with VQ_NUM entries in `mem`. 0 or -1. */
int virtio_queue_setup(struct virtio_dev *d, unsigned index, struct vq *q, struct vq_mem *mem);
void virtio_driver_ok(struct virtio_dev *d);
/* Post one device-readable buffer (a chain of one descriptor), notify and
 * wait for the device to use it. Returns 0, or -1 when the device stopped
 * (DEVICE_NEEDS_RESET or FAILED). */
int virtio_send(struct virtio_dev *d, struct vq *q, const void *buf, uint32_t len);
/* Post raw descriptors already written into q->mem->desc with head `head`,
 * notify, and wait as virtio_send does (used by the hostile guests). */
int virtio_post_head(struct virtio_dev *d, struct vq *q, uint16_t head);

/* Like virtio_find, but only slots after `after` (a previous find's base;
 * 0 to start) are probed: for several devices of one type. */
int virtio_find_after(uint32_t device_id, uintptr_t after, struct virtio_dev *out);
/* Hand descriptor `i` to the device as one device-writable buffer and
 * notify, without waiting (receive queues such as virtio-input's eventq). */
void virtio_give(struct virtio_dev *d, struct vq *q, uint16_t i, void *buf, uint32_t len);
/* A request/response exchange: descriptors 0 (device-readable, req) and
 * 1 (device-writable, resp) chained, notify, wait. Returns the number of
 * bytes the device wrote, or -1 when the device stopped. */
int virtio_transact(struct virtio_dev *d, struct vq *q, const void *req, uint32_t reqlen, void *resp,
		    uint32_t resplen);
/* Take the next used element: 1 with *id and *len filled, 0 when none. */
int virtio_take_used(struct vq *q, uint32_t *id, uint32_t *len);

uint32_t virtio_status(const struct virtio_dev *d);
uint32_t virtio_config32(const struct virtio_dev *d, uint32_t off);
uint32_t virtio_isr(const struct virtio_dev *d);
void virtio_ack(const struct virtio_dev *d, uint32_t bits);
uint32_t virtio_read(const struct virtio_dev *d, uint32_t off);
void virtio_write(const struct virtio_dev *d, uint32_t off, uint32_t val);

#endif
