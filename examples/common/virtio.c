/*
 * virtio.c - minimal guest-side virtio-mmio driver (virtio.h).
 */
#include "virtio.h"

#include "runtime.h"

uint32_t virtio_read(const struct virtio_dev *d, uint32_t off) { return mmio_read32(d->base + off); }
void virtio_write(const struct virtio_dev *d, uint32_t off, uint32_t val) { mmio_write32(d->base + off, val); }
uint32_t virtio_status(const struct virtio_dev *d) { return virtio_read(d, VMMIO_STATUS); }
uint32_t virtio_config32(const struct virtio_dev *d, uint32_t off) { return virtio_read(d, VMMIO_CONFIG + off); }
uint32_t virtio_isr(const struct virtio_dev *d) { return virtio_read(d, VMMIO_INTERRUPT_STATUS); }
void virtio_ack(const struct virtio_dev *d, uint32_t bits) { virtio_write(d, VMMIO_INTERRUPT_ACK, bits); }

static int probe(uintptr_t base, uint32_t device_id)
{
	return mmio_read32(base + VMMIO_MAGIC) == 0x74726976u && mmio_read32(base + VMMIO_VERSION) == 2 &&
	       mmio_read32(base + VMMIO_DEVICE_ID) == device_id;
}

static int fill(uintptr_t base, uint32_t device_id, struct virtio_dev *out)
{
	if (base < VIRTIO_MMIO_BASE || base >= VIRTIO_MMIO_BASE + VIRTIO_MMIO_SLOTS * VIRTIO_MMIO_STRIDE ||
	    (base - VIRTIO_MMIO_BASE) % VIRTIO_MMIO_STRIDE)
		return -1; /* not one of the machine's slots: we would not know its SPI */
	if (!probe(base, device_id))
		return -1;
	out->base = base;
	out->slot = (unsigned)((base - VIRTIO_MMIO_BASE) / VIRTIO_MMIO_STRIDE);
	out->device_id = device_id;
	return 0;
}

int virtio_find(uint32_t device_id, int dtb_ok, struct virtio_dev *out)
{
	if (dtb_ok) {
		for (int node = dt_find_compatible(-1, "virtio,mmio"); node >= 0;
		     node = dt_find_compatible(node, "virtio,mmio")) {
			uint64_t base, size;
			if (dt_reg(node, 0, &base, &size) == 0 && fill((uintptr_t)base, device_id, out) == 0)
				return 0;
		}
	}
	for (unsigned s = 0; s < VIRTIO_MMIO_SLOTS; s++)
		if (fill(VIRTIO_MMIO_BASE + s * VIRTIO_MMIO_STRIDE, device_id, out) == 0)
			return 0;
	return -1;
}

int virtio_init(struct virtio_dev *d, uint64_t want, uint64_t *accepted)
{
	virtio_write(d, VMMIO_STATUS, 0);
	virtio_write(d, VMMIO_STATUS, VSTAT_ACKNOWLEDGE);
	virtio_write(d, VMMIO_STATUS, VSTAT_ACKNOWLEDGE | VSTAT_DRIVER);
	virtio_write(d, VMMIO_DEVICE_FEATURES_SEL, 0);
	uint64_t offered = virtio_read(d, VMMIO_DEVICE_FEATURES);
	virtio_write(d, VMMIO_DEVICE_FEATURES_SEL, 1);
	offered |= (uint64_t)virtio_read(d, VMMIO_DEVICE_FEATURES) << 32;
	uint64_t take = (want | (1ull << VF_VERSION_1)) & offered;
	if (!(take & (1ull << VF_VERSION_1))) {
		virtio_write(d, VMMIO_STATUS, VSTAT_FAILED);
		return -1;
	}
	virtio_write(d, VMMIO_DRIVER_FEATURES_SEL, 0);
	virtio_write(d, VMMIO_DRIVER_FEATURES, (uint32_t)take);
	virtio_write(d, VMMIO_DRIVER_FEATURES_SEL, 1);
	virtio_write(d, VMMIO_DRIVER_FEATURES, (uint32_t)(take >> 32));
	virtio_write(d, VMMIO_STATUS, VSTAT_ACKNOWLEDGE | VSTAT_DRIVER | VSTAT_FEATURES_OK);
	if (!(virtio_status(d) & VSTAT_FEATURES_OK)) {
		virtio_write(d, VMMIO_STATUS, VSTAT_FAILED);
		return -1;
	}
	if (accepted)
		*accepted = take;
	return 0;
}

int virtio_queue_setup(struct virtio_dev *d, unsigned index, struct vq *q, struct vq_mem *mem)
{
	virtio_write(d, VMMIO_QUEUE_SEL, index);
	if (virtio_read(d, VMMIO_QUEUE_READY) != 0)
		return -1;
	uint32_t max = virtio_read(d, VMMIO_QUEUE_NUM_MAX);
	if (max < VQ_NUM)
		return -1;
	memset(mem, 0, sizeof *mem);
	q->mem = mem;
	q->index = index;
	q->avail_idx = 0;
	q->last_used = 0;
	uintptr_t desc = (uintptr_t)mem->desc;
	uintptr_t avail = (uintptr_t)&mem->avail_flags;
	uintptr_t used = (uintptr_t)&mem->used_flags_idx_pad;
	virtio_write(d, VMMIO_QUEUE_NUM, VQ_NUM);
	virtio_write(d, VMMIO_QUEUE_DESC_LOW, (uint32_t)desc);
	virtio_write(d, VMMIO_QUEUE_DESC_HIGH, (uint32_t)((uint64_t)desc >> 32));
	virtio_write(d, VMMIO_QUEUE_DRIVER_LOW, (uint32_t)avail);
	virtio_write(d, VMMIO_QUEUE_DRIVER_HIGH, (uint32_t)((uint64_t)avail >> 32));
	virtio_write(d, VMMIO_QUEUE_DEVICE_LOW, (uint32_t)used);
	virtio_write(d, VMMIO_QUEUE_DEVICE_HIGH, (uint32_t)((uint64_t)used >> 32));
	virtio_write(d, VMMIO_QUEUE_READY, 1);
	return virtio_read(d, VMMIO_QUEUE_READY) == 1 ? 0 : -1;
}

void virtio_driver_ok(struct virtio_dev *d)
{
	virtio_write(d, VMMIO_STATUS, virtio_status(d) | VSTAT_DRIVER_OK);
}

static uint16_t used_idx(const struct vq *q)
{
	/* used->idx is the upper half of the first used word. */
	return (uint16_t)(*(volatile uint32_t *)&q->mem->used_flags_idx_pad >> 16);
}

int virtio_post_head(struct virtio_dev *d, struct vq *q, uint16_t head)
{
	volatile uint16_t *ring = q->mem->avail_ring;
	ring[q->avail_idx % VQ_NUM] = head;
	q->avail_idx++;
	/* The ring entry and descriptors must be visible before the index,
	 * and the index before the notification. */
	dsb_sy();
	*(volatile uint16_t *)&q->mem->avail_idx = q->avail_idx;
	dsb_sy();
	virtio_write(d, VMMIO_QUEUE_NOTIFY, q->index);
	for (;;) {
		if (used_idx(q) != q->last_used) {
			q->last_used++;
			return 0;
		}
		if (virtio_status(d) & (VSTAT_NEEDS_RESET | VSTAT_FAILED))
			return -1;
	}
}

int virtio_send(struct virtio_dev *d, struct vq *q, const void *buf, uint32_t len)
{
	/* One request in flight at a time, so descriptor 0 is always free. */
	volatile struct vq_desc *desc = &q->mem->desc[0];
	desc->addr = (uint64_t)(uintptr_t)buf;
	desc->len = len;
	desc->flags = 0;
	desc->next = 0;
	return virtio_post_head(d, q, 0);
}

int virtio_find_after(uint32_t device_id, uintptr_t after, struct virtio_dev *out)
{
	for (unsigned s = 0; s < VIRTIO_MMIO_SLOTS; s++) {
		uintptr_t base = VIRTIO_MMIO_BASE + s * VIRTIO_MMIO_STRIDE;
		if (base > after && fill(base, device_id, out) == 0)
			return 0;
	}
	return -1;
}

void virtio_give(struct virtio_dev *d, struct vq *q, uint16_t i, void *buf, uint32_t len)
{
	volatile struct vq_desc *desc = &q->mem->desc[i];
	desc->addr = (uint64_t)(uintptr_t)buf;
	desc->len = len;
	desc->flags = VQ_DESC_F_WRITE;
	desc->next = 0;
	volatile uint16_t *ring = q->mem->avail_ring;
	ring[q->avail_idx % VQ_NUM] = i;
	q->avail_idx++;
	dsb_sy();
	*(volatile uint16_t *)&q->mem->avail_idx = q->avail_idx;
	dsb_sy();
	virtio_write(d, VMMIO_QUEUE_NOTIFY, q->index);
}

int virtio_take_used(struct vq *q, uint32_t *id, uint32_t *len)
{
	if (used_idx(q) == q->last_used)
		return 0;
	dsb_sy(); /* the element is read only after the index */
	volatile uint32_t *e = (volatile uint32_t *)&q->mem->used_ring[q->last_used % VQ_NUM];
	*id = e[0];
	*len = e[1];
	q->last_used++;
	return 1;
}

int virtio_transact(struct virtio_dev *d, struct vq *q, const void *req, uint32_t reqlen, void *resp,
		    uint32_t resplen)
{
	volatile struct vq_desc *desc = q->mem->desc;
	desc[0].addr = (uint64_t)(uintptr_t)req;
	desc[0].len = reqlen;
	desc[0].flags = VQ_DESC_F_NEXT;
	desc[0].next = 1;
	desc[1].addr = (uint64_t)(uintptr_t)resp;
	desc[1].len = resplen;
	desc[1].flags = VQ_DESC_F_WRITE;
	desc[1].next = 0;
	uint16_t slot = q->last_used;
	if (virtio_post_head(d, q, 0) < 0)
		return -1;
	volatile uint32_t *e = (volatile uint32_t *)&q->mem->used_ring[slot % VQ_NUM];
	return (int)e[1];
}
