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
 *   toobig      two 40 MiB descriptors (inside RAM) in one chain: a submission
 *               over virtio-metal's 64 MiB limit
 *   writable    a device-writable buffer on virtio-metal's driver-to-device queue
 *   garbage     valid virtio, garbage Metal command bytes (the device must keep running)
 *   badshader   valid virtio and framing, bad shaders: COMPILE_LIBRARY with an MSL
 *               syntax error (line 4, column 38), GET_FUNCTION of a name the
 *               library lacks, a vertex function used as the fragment function,
 *               a stage_in with an integer attribute, a draw whose fragment
 *               function reads an unbound buffer; the device must keep running
 *               (metalvisor --validate reports each with its shader.* rule)
 *   split       not an attack: frames 7 and 8 are submitted with their bytes
 *               split across descriptors (an indirect table, then a direct
 *               chain); the device must join them and stay up
 *   9p          against virtio-9p (--share DIR holding hello.txt and a symlink
 *               "escape"): walking "..", a name with '/', or the symlink must
 *               fail; hello.txt is read; opening it for writing must fail
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
	} else if (!strcmp(attack, "toobig")) {
		set_desc(&d[0], 0x40000000ull, 40u << 20, VQ_DESC_F_NEXT, 1);
		set_desc(&d[1], 0x40000000ull, 40u << 20, 0, 0);
		virtio_post_head(&dev, &q1, 0);
	} else if (!strcmp(attack, "writable")) {
		set_desc(&d[0], b, 16, VQ_DESC_F_WRITE, 0);
		virtio_post_head(&dev, &q1, 0);
	}
}

/* One frame's commands, split at byte `cut` over two descriptors, either
 * inside an indirect table or as a direct chain. */
static int split_frame(uint32_t frame_id, unsigned cut, int indirect)
{
	struct mtl_encoder e;
	mtl_enc_init(&e, buf, sizeof buf);
	mtl_enc_begin_render_pass(&e, MTL_DRAWABLE_HANDLE, 0, 0, MTL_LOAD_CLEAR, MTL_STORE_STORE, 0, 0, 0.8f, 0.3f,
				  0.1f, 1.0f);
	mtl_enc_end_render_pass(&e);
	mtl_enc_present_and_commit(&e, frame_id);
	uint64_t b = (uint64_t)(uintptr_t)buf;
	volatile struct vq_desc *d = q1.mem->desc;
	if (indirect) {
		set_desc(&indirect_table[0], b, cut, VQ_DESC_F_NEXT, 1);
		set_desc(&indirect_table[1], b + cut, (uint32_t)e.len - cut, 0, 0);
		set_desc(&d[0], (uint64_t)(uintptr_t)indirect_table, 32, VQ_DESC_F_INDIRECT, 0);
	} else {
		set_desc(&d[0], b, cut, VQ_DESC_F_NEXT, 1);
		set_desc(&d[1], b + cut, (uint32_t)e.len - cut, 0, 0);
	}
	return virtio_post_head(&dev, &q1, 0);
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

/* Bad shaders on the setup queue, well framed. The syntax error (a missing
 * ';') is at line 4, column 38 of bad_msl; tests/hv/validate_live.sh
 * checks the validator reports exactly that place. */
static const char bad_msl[] =
	"#include <metal_stdlib>\n"
	"using namespace metal;\n"
	"vertex float4 vs(uint vid [[vertex_id]]) {\n"
	"    return float4(0.0, 0.0, 0.0, 1.0)\n"
	"}\n";
static const char good_msl[] =
	"#include <metal_stdlib>\n"
	"using namespace metal;\n"
	"vertex float4 vs(uint vid [[vertex_id]]) {\n"
	"    return float4(float(vid & 1u), float(vid >> 1), 0.0, 1.0);\n"
	"}\n"
	"fragment float4 fs(constant float4 &tint [[buffer(0)]]) { return tint; }\n"
	"struct VIn {\n"
	"    float2 position [[attribute(0)]];\n"
	"    int2 uv [[attribute(1)]];\n"
	"};\n"
	"vertex float4 vs_int(VIn in [[stage_in]]) { return float4(in.position, 0.0, 1.0); }\n";

static int run_badshader(void)
{
	struct mtl_encoder e;
	mtl_enc_init(&e, buf, sizeof buf);
	mtl_enc_compile_library(&e, 1, bad_msl, (uint32_t)strlen(bad_msl));
	mtl_enc_compile_library(&e, 2, good_msl, (uint32_t)strlen(good_msl));
	mtl_enc_get_function(&e, 3, 2, "main0", 5);                /* not in library 2 */
	mtl_enc_get_function(&e, 4, 2, "vs", 2);
	mtl_enc_get_function(&e, 5, 2, "fs", 2);
	mtl_enc_get_function(&e, 6, 2, "vs_int", 6);
	mtl_enc_create_render_pipeline(&e, 7, 4, 4, 0, MTL_WRITE_ALL, 0, 1, MTL_DRAWABLE_PIXEL_FORMAT); /* vs as fragment */
	mtl_enc_create_render_pipeline(&e, 8, 6, 5, 0, MTL_WRITE_ALL, 0, 1, MTL_DRAWABLE_PIXEL_FORMAT); /* int2 attribute */
	mtl_enc_create_render_pipeline(&e, 9, 4, 5, 0, MTL_WRITE_ALL, 0, 1, MTL_DRAWABLE_PIXEL_FORMAT); /* valid */
	if (mtl_enc_overflowed(&e) || virtio_send(&dev, &q0, buf, (uint32_t)e.len) < 0)
		return -1;
	/* fs reads [[buffer(0)]] but no fragment bytes are set. */
	mtl_enc_init(&e, buf, sizeof buf);
	mtl_enc_begin_render_pass(&e, MTL_DRAWABLE_HANDLE, 0, 0, MTL_LOAD_CLEAR, MTL_STORE_STORE, 0, 0, 0.0f, 0.0f,
				  0.0f, 1.0f);
	mtl_enc_set_render_pipeline(&e, 9);
	mtl_enc_draw_primitives(&e, MTL_PRIMITIVE_TRIANGLE, 0, 3);
	mtl_enc_end_render_pass(&e);
	mtl_enc_present_and_commit(&e, 1);
	if (mtl_enc_overflowed(&e))
		return -1;
	return virtio_send(&dev, &q1, buf, (uint32_t)e.len);
}

/* --- 9P2000.L client, just enough to probe the server's confinement ------- */
static uint8_t p9req[512] __attribute__((aligned(16)));
static uint8_t p9resp[1024] __attribute__((aligned(16)));
static unsigned p9len;

static void p9_u8(uint8_t v) { p9req[p9len++] = v; }
static void p9_u16(uint16_t v) { p9_u8((uint8_t)v); p9_u8((uint8_t)(v >> 8)); }
static void p9_u32(uint32_t v) { p9_u16((uint16_t)v); p9_u16((uint16_t)(v >> 16)); }
static void p9_u64(uint64_t v) { p9_u32((uint32_t)v); p9_u32((uint32_t)(v >> 32)); }
static void p9_str(const char *s) { uint16_t n = (uint16_t)strlen(s); p9_u16(n); memcpy(p9req + p9len, s, n); p9len += n; }
static void p9_start(uint8_t type) { p9len = 0; p9_u32(0); p9_u8(type); p9_u16(1); }
static uint32_t p9_r32(unsigned off) { return p9resp[off] | (p9resp[off + 1] << 8) | (p9resp[off + 2] << 16) | ((uint32_t)p9resp[off + 3] << 24); }

/* Send; returns the reply type (7 = Rlerror, errno at byte 7), or -1. */
static int p9_send(void)
{
	p9req[0] = (uint8_t)p9len;
	p9req[1] = (uint8_t)(p9len >> 8);
	p9req[2] = p9req[3] = 0;
	int n = virtio_transact(&dev, &q0, p9req, p9len, p9resp, sizeof p9resp);
	return n >= 7 ? p9resp[4] : -1;
}

static int p9_walk(uint32_t fid, uint32_t newfid, const char *name)
{
	p9_start(110);
	p9_u32(fid);
	p9_u32(newfid);
	p9_u16(1);
	p9_str(name);
	return p9_send();
}

static int expect_lerror(int type, uint32_t err, const char *what)
{
	if (type != 7 || p9_r32(7) != err) {
		printf("hostile: FAIL 9p %s: reply %d (errno %u), expected Rlerror %u\n", what, type, p9_r32(7), err);
		return -1;
	}
	printf("hostile: 9p %s refused with errno %u\n", what, err);
	return 0;
}

static int run_9p(int dtb_ok)
{
	if (virtio_find(9, dtb_ok, &dev) < 0 || virtio_init(&dev, 0, NULL) < 0 ||
	    virtio_queue_setup(&dev, 0, &q0, &mem0) < 0) {
		printf("hostile: FAIL no usable virtio-9p device (run with --share DIR)\n");
		return -1;
	}
	virtio_driver_ok(&dev);
	p9_start(100);
	p9_u32(8192);
	p9_str("9P2000.L");
	if (p9_send() != 101)
		return printf("hostile: FAIL Tversion\n"), -1;
	p9_start(104);
	p9_u32(0);
	p9_u32(0xFFFFFFFFu);
	p9_str("guest");
	p9_str("");
	p9_u32(0);
	if (p9_send() != 105)
		return printf("hostile: FAIL Tattach\n"), -1;
	if (expect_lerror(p9_walk(0, 1, ".."), 13, "walk ..") < 0 ||
	    expect_lerror(p9_walk(0, 1, "../etc"), 13, "walk ../etc") < 0 ||
	    expect_lerror(p9_walk(0, 1, "escape"), 40, "walk onto a symlink") < 0)
		return -1;
	if (p9_walk(0, 1, "hello.txt") != 111)
		return printf("hostile: FAIL walk hello.txt\n"), -1;
	p9_start(12);
	p9_u32(1);
	p9_u32(2); /* O_RDWR */
	if (expect_lerror(p9_send(), 30, "open for writing") < 0)
		return -1;
	p9_start(12);
	p9_u32(1);
	p9_u32(0);
	if (p9_send() != 13)
		return printf("hostile: FAIL Tlopen\n"), -1;
	p9_start(116);
	p9_u32(1);
	p9_u64(0);
	p9_u32(256);
	if (p9_send() != 117)
		return printf("hostile: FAIL Tread\n"), -1;
	uint32_t n = p9_r32(7);
	if (n > 200)
		n = 200;
	char text[201];
	memcpy(text, p9resp + 11, n);
	text[n] = 0;
	printf("hostile: 9p read %u bytes: %s", n, text);
	return 0;
}

int main(const void *dtb)
{
	char attack[32] = "garbage";
	int dtb_ok = dt_init(dtb) == 0;
	if (dtb_ok)
		cmdline_get(dt_bootargs(), "attack", attack, sizeof attack);
	printf("hostile: attack %s\n", attack);
	if (!strcmp(attack, "9p")) {
		if (run_9p(dtb_ok) < 0)
			return 1;
		printf("hostile: PASS\n");
		psci_system_off();
	}
	if (virtio_find(MTL_VIRTIO_DEVICE_ID, dtb_ok, &dev) < 0 || bring_up() < 0) {
		printf("hostile: FAIL no usable virtio-metal device\n");
		return 1;
	}
	if (!strcmp(attack, "split")) {
		if (split_frame(7, 13, 1) < 0 || split_frame(8, 5, 0) < 0 || (virtio_status(&dev) & VSTAT_NEEDS_RESET)) {
			printf("hostile: FAIL split submissions broke the device (status 0x%x)\n", virtio_status(&dev));
			return 1;
		}
		printf("hostile: split submissions accepted\nhostile: PASS\n");
		psci_system_off();
	}
	if (!strcmp(attack, "garbage")) {
		/* An empty submission (a zero-length descriptor) first. */
		set_desc(&q1.mem->desc[0], (uint64_t)(uintptr_t)buf, 0, 0, 0);
		if (virtio_post_head(&dev, &q1, 0) < 0 || run_garbage() < 0 || (virtio_status(&dev) & VSTAT_NEEDS_RESET)) {
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
	if (!strcmp(attack, "badshader")) {
		if (run_badshader() < 0 || (virtio_status(&dev) & VSTAT_NEEDS_RESET) || one_frame(0) < 0) {
			printf("hostile: FAIL the device stopped on bad shaders (status 0x%x)\n", virtio_status(&dev));
			return 1;
		}
		printf("hostile: device still running after bad shaders\nhostile: PASS\n");
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
