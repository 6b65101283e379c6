/*
 * hostile - a guest that breaks the virtio rules on purpose, to check that
 * metalvisor stays alive, marks the device DEVICE_NEEDS_RESET and logs one
 * clear line, and that a driver can reset the device and carry on.
 *
 * bootargs: attack=NAME, one of
 *   loop        descriptor chain 0 -> 1 -> 0 (NEXT forever)
 *   outside     buffer address outside guest RAM
 *   huge        buffer of 0xFFFFFFFF bytes inside RAM (runs past its end)
 *   wrap        address + length wraps around 2^64
 *   badnext     next index past the queue size
 *   nested      an indirect table holding an indirect descriptor
 *   indirect-len  an indirect table whose length is not a multiple of 16
 *   runaway     avail idx far ahead of the device
 *   writable    a device-writable buffer on virtio-metal's driver-to-device queue
 *   garbage     valid virtio, garbage Metal command bytes (the device must keep running)
 * After a virtio attack the guest checks DEVICE_NEEDS_RESET, resets the
 * device, and proves it works again by presenting one frame. It prints
 * "hostile: PASS" or "hostile: FAIL ..." and powers off.
 */
#include "mtlproto/encode.h"
#include "runtime.h"
#include "virtio.h"

static struct vq_mem mem0, mem1;
static struct vq q0, q1;
static struct virtio_dev dev;
static uint8_t buf[4096] __attribute__((aligned(16)));
static struct vq_desc indirect_table[4] __attribute__((aligned(16)));

static int bring_up(void)
{
	if (virtio_init(&dev, 1ull << VF_INDIRECT_DESC, NULL) < 0)
		return -1;
	if (virtio_queue_setup(&dev, 0, &q0, &mem0) < 0 || virtio_queue_setup(&dev, 1, &q1, &mem1) < 0)
		return -1;
	virtio_driver_ok(&dev);
	return 0;
}

static void set_desc(volatile struct vq_desc *d, uint64_t addr, uint32_t len, uint16_t flags, uint16_t next)
{
	d->addr = addr;
	d->len = len;
	d->flags = flags;
	d->next = next;
}

/* A small valid frame: clear the drawable and present. */
static int one_frame(uint32_t frame_id)
{
	struct mtl_encoder e;
	mtl_enc_init(&e, buf, sizeof buf);
	mtl_enc_begin_render_pass(&e, MTL_DRAWABLE_HANDLE, 0, 0, MTL_LOAD_CLEAR, MTL_STORE_STORE, 0, 0, 0.2f, 0.4f,
				  0.6f, 1.0f);
	mtl_enc_end_render_pass(&e);
	mtl_enc_present_and_commit(&e, frame_id);
	return virtio_send(&dev, &q1, buf, (uint32_t)e.len);
}

static void run_virtio_attack(const char *attack)
{
	volatile struct vq_desc *d = q1.mem->desc;
	uint64_t b = (uint64_t)(uintptr_t)buf;
	memset(buf, 0, 64);
	if (!strcmp(attack, "loop")) {
		set_desc(&d[0], b, 16, VQ_DESC_F_NEXT, 1);
		set_desc(&d[1], b, 16, VQ_DESC_F_NEXT, 0);
		virtio_post_head(&dev, &q1, 0);
	} else if (!strcmp(attack, "outside")) {
		set_desc(&d[0], 0x1000, 64, 0, 0);
		virtio_post_head(&dev, &q1, 0);
	} else if (!strcmp(attack, "huge")) {
		set_desc(&d[0], b, 0xFFFFFFFFu, 0, 0);
		virtio_post_head(&dev, &q1, 0);
	} else if (!strcmp(attack, "wrap")) {
		set_desc(&d[0], 0xFFFFFFFFFFFFF000ull, 0x2000, 0, 0);
		virtio_post_head(&dev, &q1, 0);
	} else if (!strcmp(attack, "badnext")) {
		set_desc(&d[0], b, 16, VQ_DESC_F_NEXT, 200);
		virtio_post_head(&dev, &q1, 0);
	} else if (!strcmp(attack, "nested")) {
		set_desc(&indirect_table[0], (uint64_t)(uintptr_t)indirect_table, 32, VQ_DESC_F_INDIRECT, 0);
		set_desc(&d[0], (uint64_t)(uintptr_t)indirect_table, 16, VQ_DESC_F_INDIRECT, 0);
		virtio_post_head(&dev, &q1, 0);
	} else if (!strcmp(attack, "indirect-len")) {
		set_desc(&indirect_table[0], b, 16, 0, 0);
		set_desc(&d[0], (uint64_t)(uintptr_t)indirect_table, 24, VQ_DESC_F_INDIRECT, 0);
		virtio_post_head(&dev, &q1, 0);
	} else if (!strcmp(attack, "runaway")) {
		set_desc(&d[0], b, 16, 0, 0);
		q1.avail_idx = (uint16_t)(q1.avail_idx + 1000);
		virtio_post_head(&dev, &q1, 0);
	} else if (!strcmp(attack, "writable")) {
		set_desc(&d[0], b, 16, VQ_DESC_F_WRITE, 0);
		virtio_post_head(&dev, &q1, 0);
	}
}

/* Deterministic junk: a 32-bit LCG, plus a few headers that lie. */
static int run_garbage(void)
{
	uint32_t x = 12345;
	for (unsigned round = 0; round < 8; round++) {
		for (unsigned i = 0; i < sizeof buf; i++) {
			x = x * 1664525u + 1013904223u;
			buf[i] = (uint8_t)(x >> 24);
		}
		if (round & 1) {
			/* A header claiming a 4 GiB payload, then a DRAW outside any pass. */
			mtl_wr16(buf, MTL_CMD_UPLOAD_TEXTURE);
			mtl_wr16(buf + 2, 0);
			mtl_wr32(buf + 4, 0xFFFFFFF0u);
		}
		if (virtio_send(&dev, round & 2 ? &q0 : &q1, buf, sizeof buf) < 0)
			return -1;
	}
	struct mtl_encoder e;
	mtl_enc_init(&e, buf, sizeof buf);
	mtl_enc_draw_primitives(&e, MTL_PRIMITIVE_TRIANGLE, 0, 3); /* outside a pass */
	mtl_enc_set_vertex_bytes(&e, 31, buf, 16);                  /* index > 30 */
	mtl_enc_raw(&e, 0x7777, 0, buf, 4);                         /* unknown method */
	mtl_enc_raw(&e, MTL_CMD_PRESENT_AND_COMMIT, 1, buf, 4);     /* flags != 0 */
	return virtio_send(&dev, &q1, buf, (uint32_t)e.len);
}

int main(const void *dtb)
{
	char attack[32] = "garbage";
	int dtb_ok = dt_init(dtb) == 0;
	if (dtb_ok)
		cmdline_get(dt_bootargs(), "attack", attack, sizeof attack);
	printf("hostile: attack %s\n", attack);
	if (virtio_find(MTL_VIRTIO_DEVICE_ID, dtb_ok, &dev) < 0 || bring_up() < 0) {
		printf("hostile: FAIL no usable virtio-metal device\n");
		return 1;
	}
	if (!strcmp(attack, "garbage")) {
		if (run_garbage() < 0 || (virtio_status(&dev) & VSTAT_NEEDS_RESET)) {
			printf("hostile: FAIL the device stopped on garbage commands (status 0x%x)\n", virtio_status(&dev));
			return 1;
		}
		if (one_frame(0) < 0) {
			printf("hostile: FAIL no frame after garbage\n");
			return 1;
		}
		printf("hostile: device still running after garbage\nhostile: PASS\n");
		psci_system_off();
	}
	run_virtio_attack(attack);
	uint32_t st = virtio_status(&dev);
	if (!(st & VSTAT_NEEDS_RESET)) {
		printf("hostile: FAIL unknown attack or the device accepted it (status 0x%x)\n", st);
		return 1;
	}
	uint32_t isr = virtio_isr(&dev);
	printf("hostile: device reports DEVICE_NEEDS_RESET (status 0x%x, interrupt status 0x%x)\n", st, isr);
	if (!(isr & VINT_CONFIG)) {
		printf("hostile: FAIL no configuration-change interrupt\n");
		return 1;
	}
	if (bring_up() < 0 || one_frame(0) < 0) {
		printf("hostile: FAIL the device did not come back after a reset\n");
		return 1;
	}
	printf("hostile: device works again after reset\nhostile: PASS\n");
	psci_system_off();
}
