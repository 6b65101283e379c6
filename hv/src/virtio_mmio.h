/*
 * hv/src/virtio_mmio.h — the virtio-mmio transport, version 2 (virtio 1.2,
 * section 4.2), shared by every virtio device of the machine.
 *
 * The transport owns the register file, feature negotiation, the device
 * status state machine, the queues (through the strict walker of virtq.h)
 * and the interrupt line. A device plugs in with a struct virtio_device_ops
 * and sees only its queues and config space; it never parses registers.
 *
 * Policy:
 *   - VIRTIO_F_VERSION_1 is always offered and must be accepted: a driver
 *     that sets FEATURES_OK without it (or with a bit we did not offer) reads
 *     FEATURES_OK back as clear, as the spec asks (3.1.1).
 *   - VIRTIO_F_INDIRECT_DESC is always offered.
 *   - Queue notifications are processed synchronously, inside the MMIO
 *     write, before the vCPU continues (DESIGN.md §3).
 *   - A guest that breaks a queue rule gets DEVICE_NEEDS_RESET set, a
 *     configuration-change interrupt, and one log line; the device then
 *     ignores notifications until the driver resets it by writing 0 to Status.
 *   - Registers (offsets below 0x100) accept only aligned 32-bit accesses;
 *     others read as 0 / are ignored and are logged once. Config space takes
 *     1, 2, 4 and 8-byte accesses.
 *
 * No dependency on the machine: the host callbacks (guest memory, the IRQ
 * line, logging) are given at creation, so tests can drive it directly.
 */
#ifndef HV_VIRTIO_MMIO_H
#define HV_VIRTIO_MMIO_H

#include <stdint.h>

#include "virtq.h"

/* Register offsets (virtio 1.2, 4.2.2). */
#define VIRTIO_MMIO_MAGIC_VALUE 0x000
#define VIRTIO_MMIO_VERSION 0x004
#define VIRTIO_MMIO_DEVICE_ID 0x008
#define VIRTIO_MMIO_VENDOR_ID 0x00c
#define VIRTIO_MMIO_DEVICE_FEATURES 0x010
#define VIRTIO_MMIO_DEVICE_FEATURES_SEL 0x014
#define VIRTIO_MMIO_DRIVER_FEATURES 0x020
#define VIRTIO_MMIO_DRIVER_FEATURES_SEL 0x024
#define VIRTIO_MMIO_QUEUE_SEL 0x030
#define VIRTIO_MMIO_QUEUE_NUM_MAX 0x034
#define VIRTIO_MMIO_QUEUE_NUM 0x038
#define VIRTIO_MMIO_QUEUE_READY 0x044
#define VIRTIO_MMIO_QUEUE_NOTIFY 0x050
#define VIRTIO_MMIO_INTERRUPT_STATUS 0x060
#define VIRTIO_MMIO_INTERRUPT_ACK 0x064
#define VIRTIO_MMIO_STATUS 0x070
#define VIRTIO_MMIO_QUEUE_DESC_LOW 0x080
#define VIRTIO_MMIO_QUEUE_DESC_HIGH 0x084
#define VIRTIO_MMIO_QUEUE_DRIVER_LOW 0x090
#define VIRTIO_MMIO_QUEUE_DRIVER_HIGH 0x094
#define VIRTIO_MMIO_QUEUE_DEVICE_LOW 0x0a0
#define VIRTIO_MMIO_QUEUE_DEVICE_HIGH 0x0a4
#define VIRTIO_MMIO_SHM_SEL 0x0ac
#define VIRTIO_MMIO_SHM_LEN_LOW 0x0b0
#define VIRTIO_MMIO_SHM_LEN_HIGH 0x0b4
#define VIRTIO_MMIO_SHM_BASE_LOW 0x0b8
#define VIRTIO_MMIO_SHM_BASE_HIGH 0x0bc
#define VIRTIO_MMIO_QUEUE_RESET 0x0c0
#define VIRTIO_MMIO_CONFIG_GENERATION 0x0fc
#define VIRTIO_MMIO_CONFIG 0x100

#define VIRTIO_MMIO_MAGIC 0x74726976u /* "virt" */
#define VIRTIO_MMIO_VERSION_2 2u
#define VIRTIO_MMIO_VENDOR 0x4c564d4du /* "MVML": metalvisor */

/* Device status bits (2.1). */
#define VIRTIO_STATUS_ACKNOWLEDGE 1u
#define VIRTIO_STATUS_DRIVER 2u
#define VIRTIO_STATUS_DRIVER_OK 4u
#define VIRTIO_STATUS_FEATURES_OK 8u
#define VIRTIO_STATUS_DEVICE_NEEDS_RESET 64u
#define VIRTIO_STATUS_FAILED 128u

/* Interrupt status bits (4.2.2). */
#define VIRTIO_INT_USED_BUFFER 1u
#define VIRTIO_INT_CONFIG_CHANGE 2u

/* Reserved feature bits (6). */
#define VIRTIO_F_INDIRECT_DESC 28
#define VIRTIO_F_EVENT_IDX 29
#define VIRTIO_F_VERSION_1 32

#define VIRTIO_MMIO_MAX_QUEUES 4u

struct virtio_mmio;

/* What a device tells the transport about itself. */
struct virtio_device_ops {
	const char *name;          /* "virtio-metal", for log lines */
	uint32_t device_id;        /* 0 = no device behind this transport */
	uint64_t features;         /* device-specific feature bits to offer */
	unsigned nqueues;          /* ≤ VIRTIO_MMIO_MAX_QUEUES */
	uint16_t queue_num_max;    /* QueueNumMax, a power of two ≤ VIRTQ_MAX_SIZE */
	unsigned queue_dir[VIRTIO_MMIO_MAX_QUEUES]; /* enum virtq_dir bits per queue */
	uint32_t config_size;      /* bytes of device config space */
	/* Read/write config space; off+size ≤ config_size is guaranteed. */
	uint64_t (*config_read)(void *dev, uint32_t off, unsigned size);
	void (*config_write)(void *dev, uint32_t off, uint64_t val, unsigned size);
	/* The driver notified queue q (ready, DRIVER_OK set, device not broken). */
	void (*notify)(void *dev, struct virtio_mmio *t, unsigned q);
	/* The driver set DRIVER_OK. May be NULL. */
	void (*driver_ok)(void *dev, struct virtio_mmio *t);
	/* The driver reset the device (Status = 0). May be NULL. */
	void (*reset)(void *dev, struct virtio_mmio *t);
};

/* What the transport needs from the machine. */
struct virtio_mmio_host {
	virtq_gpa_fn gpa;
	void *gpa_ctx;
	void (*set_irq)(void *ctx, int level);
	void *irq_ctx;
	/* One line, no trailing newline. */
	void (*log)(void *ctx, const char *line);
	void *log_ctx;
	uint64_t base;             /* MMIO base address, for log lines */
};

/* NULL on allocation failure. */
struct virtio_mmio *virtio_mmio_create(const struct virtio_device_ops *ops, void *dev,
				       const struct virtio_mmio_host *host);
void virtio_mmio_destroy(struct virtio_mmio *t);

/* MMIO handlers (signatures match the machine's hv_mmio_*_fn; ctx = t). */
uint64_t virtio_mmio_read(void *t, uint64_t off, unsigned size);
void virtio_mmio_write(void *t, uint64_t off, uint64_t val, unsigned size);

/* Take the next chain of queue q: 1 = chain, 0 = nothing, -1 = the guest
 * broke a rule (the device is now marked DEVICE_NEEDS_RESET and it was
 * logged: stop processing). */
int virtio_mmio_pop(struct virtio_mmio *t, unsigned q, struct virtq_chain *chain);
/* Return a chain; raises the used-buffer interrupt unless suppressed. */
void virtio_mmio_push(struct virtio_mmio *t, unsigned q, uint16_t head, uint32_t written);

/* Send a configuration-change interrupt (vsync, config update). With
 * bump_generation the ConfigGeneration counter changes too. Only once the
 * driver is up (DRIVER_OK) and the device not broken; returns 1 if sent. */
int virtio_mmio_config_changed(struct virtio_mmio *t, int bump_generation);

/* Mark the device broken: DEVICE_NEEDS_RESET, config-change interrupt, one
 * log line "NAME@ADDR: why; device needs reset". */
void virtio_mmio_fail(struct virtio_mmio *t, const char *why);

/* State queries. */
uint32_t virtio_mmio_status(const struct virtio_mmio *t);
int virtio_mmio_running(const struct virtio_mmio *t); /* DRIVER_OK and not broken */
uint64_t virtio_mmio_negotiated(const struct virtio_mmio *t);
uint32_t virtio_mmio_interrupt_status(const struct virtio_mmio *t);

#endif
