/*
 * hv/src/virtio_devices.c — puts the virtio devices on the machine
 * (DESIGN.md §2): slot s at 0x0A000000 + s*0x200, SPI 48+s, level.
 *
 *   slot 0  virtio-9p (ID 9), read-only, with --share DIR; else an empty
 *           transport (device ID 0)
 *   slot 1  virtio-input keyboard (ID 18)
 *   slot 2  virtio-input tablet (ID 18, absolute axes)
 *   slot 3  virtio-metal (ID 22); an empty transport with --no-gpu
 *
 * It also wires presents to captures and scripted input (capture.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture.h"
#include "config.h"
#include "machine.h"
#include "mtlproto/rec.h"
#include "virtio_9p.h"
#include "virtio_input.h"
#include "virtio_metal.h"
#include "virtio_mmio.h"

struct slot {
	struct machine *m;
	unsigned spi;
	struct virtio_mmio *t;
	int level;         /* what the device wants the line to be */
	int deferred;      /* a raise is waiting for the next block boundary */
};

/* Set while a guest MMIO access to a virtio window is being handled. */
static int in_mmio;

static struct virtio_devices {
	struct machine *m;
	struct slot slot[HV_VIRTIO_SLOTS];
	struct virtio_metal *metal;
	struct virtio_input *keyboard, *tablet;
	struct virtio_9p *p9;
	struct frame_actions *actions;
} devs;

static const struct virtio_device_ops empty_ops = {.name = "virtio-empty", .device_id = 0};

static void *slot_gpa(void *ctx, uint64_t gpa, uint64_t len) { return machine_gpa(ctx, gpa, len); }

static void slot_irq_apply(void *ctx, uint64_t now_ns)
{
	struct slot *s = ctx;
	(void)now_ns;
	s->deferred = 0;
	machine_set_spi(s->m, s->spi, s->level);
}

/*
 * Raising the line from inside the guest's MMIO access would make the
 * machine stop the vCPU in the middle of an instruction block, so a raise
 * made there is applied by a timer due 1 ns (one instruction) later, which
 * runs at the next block boundary (interrupts are asynchronous anyway; a
 * timer due "now" would stop the vCPU inside the access too). Lowering is immediate,
 * and a deferred raise applies whatever level is current when it runs.
 */
static void slot_irq(void *ctx, int level)
{
	struct slot *s = ctx;
	s->level = level;
	if (!level || !in_mmio) {
		machine_set_spi(s->m, s->spi, level);
		return;
	}
	if (!s->deferred) {
		s->deferred = 1;
		if (machine_add_timer(s->m, machine_now_ns(s->m) + 1, slot_irq_apply, s) < 0) {
			s->deferred = 0;
			machine_set_spi(s->m, s->spi, level);
		}
	}
}

static uint64_t slot_mmio_read(void *ctx, uint64_t off, unsigned size)
{
	in_mmio++;
	uint64_t v = virtio_mmio_read(ctx, off, size);
	in_mmio--;
	return v;
}

static void slot_mmio_write(void *ctx, uint64_t off, uint64_t val, unsigned size)
{
	in_mmio++;
	virtio_mmio_write(ctx, off, val, size);
	in_mmio--;
}

static void slot_log(void *ctx, const char *line) { hv_err(ctx, "%s", line); }

static int add_slot(unsigned n, const struct virtio_device_ops *ops, void *dev)
{
	struct slot *s = &devs.slot[n];
	uint64_t base = HV_VIRTIO_BASE + n * HV_VIRTIO_STRIDE;
	s->m = devs.m;
	s->spi = HV_VIRTIO_SPI_BASE + n;
	struct virtio_mmio_host host = {
		.gpa = slot_gpa, .gpa_ctx = devs.m,
		.set_irq = slot_irq, .irq_ctx = s,
		.log = slot_log, .log_ctx = devs.m,
		.base = base,
	};
	s->t = virtio_mmio_create(ops, dev, &host);
	if (!s->t) {
		hv_err(devs.m, "virtio slot %u: out of memory", n);
		return -1;
	}
	if (machine_add_mmio(devs.m, base, HV_VIRTIO_STRIDE, slot_mmio_read, slot_mmio_write, s->t) < 0)
		return -1;
	hv_log(devs.m, "virtio slot %u at 0x%08llx, SPI %u: %s (device ID %u)", n, (unsigned long long)base,
	       s->spi, ops->name, ops->device_id);
	return 0;
}

static void on_input(void *ctx, enum input_target target, const struct input_event_le *ev, unsigned n)
{
	(void)ctx;
	struct virtio_input *d = target == INPUT_KEYBOARD ? devs.keyboard : devs.tablet;
	if (!d)
		return;
	virtio_input_send(d, ev, n);
	if (devs.metal) {
		/* MTLREC_INPUT: the events as the guest receives them. */
		uint8_t raw[8 * 16];
		unsigned k = n < 16 ? n : 16;
		for (unsigned i = 0; i < k; i++) {
			raw[8 * i] = (uint8_t)ev[i].type;
			raw[8 * i + 1] = (uint8_t)(ev[i].type >> 8);
			raw[8 * i + 2] = (uint8_t)ev[i].code;
			raw[8 * i + 3] = (uint8_t)(ev[i].code >> 8);
			for (int b = 0; b < 4; b++)
				raw[8 * i + 4 + b] = (uint8_t)(ev[i].value >> (8 * b));
		}
		virtio_metal_record(devs.metal, MTLREC_INPUT, raw, 8 * k);
	}
}

static void on_capture(void *ctx, uint32_t frame_id)
{
	(void)ctx;
	uint8_t b[4] = {(uint8_t)frame_id, (uint8_t)(frame_id >> 8), (uint8_t)(frame_id >> 16),
			(uint8_t)(frame_id >> 24)};
	if (devs.metal)
		virtio_metal_record(devs.metal, MTLREC_CAPTURE, b, 4);
}

static void on_present(void *ctx, struct replay_engine *engine, uint32_t frame_id, uint64_t frame_index)
{
	(void)ctx;
	if (devs.actions)
		frame_actions_on_present(devs.actions, engine, frame_id, frame_index);
}

int virtio_devices_setup(struct machine *m, const struct hv_config *cfg)
{
	char err[512];
	memset(&devs, 0, sizeof devs);
	devs.m = m;

	devs.actions = frame_actions_create(m, cfg, err, sizeof err);
	if (!devs.actions) {
		hv_err(m, "%s", err);
		return HV_EXIT_USAGE;
	}
	frame_actions_set_hooks(devs.actions, on_input, on_capture, NULL);
	if (frame_actions_install_sigusr1() < 0)
		hv_err(m, "SIGUSR1 captures unavailable: cannot install the handler");
	if (cfg->no_gpu && (cfg->ncaptures || cfg->record_path || cfg->validate))
		hv_err(m, "--no-gpu: there is no virtio-metal device, so --capture/--record/--validate have nothing to do");

	if (cfg->share_dir) {
		devs.p9 = virtio_9p_create(cfg->share_dir, err, sizeof err);
		if (!devs.p9) {
			hv_err(m, "%s", err);
			virtio_devices_teardown(m);
			return HV_EXIT_USAGE;
		}
		if (add_slot(0, virtio_9p_ops(), devs.p9) < 0)
			goto fail;
	} else if (add_slot(0, &empty_ops, NULL) < 0) {
		goto fail;
	}

	devs.keyboard = virtio_input_create(m, INPUT_KEYBOARD, cfg->width, cfg->height);
	devs.tablet = virtio_input_create(m, INPUT_TABLET, cfg->width, cfg->height);
	if (!devs.keyboard || !devs.tablet) {
		hv_err(m, "virtio-input: out of memory");
		goto fail;
	}
	if (add_slot(1, virtio_input_ops(INPUT_KEYBOARD), devs.keyboard) < 0 ||
	    add_slot(2, virtio_input_ops(INPUT_TABLET), devs.tablet) < 0)
		goto fail;
	virtio_input_attach(devs.keyboard, devs.slot[1].t);
	virtio_input_attach(devs.tablet, devs.slot[2].t);

	if (cfg->no_gpu) {
		if (add_slot(3, &empty_ops, NULL) < 0)
			goto fail;
	} else {
		devs.metal = virtio_metal_create(m, cfg, err, sizeof err);
		if (!devs.metal) {
			hv_err(m, "%s", err);
			virtio_devices_teardown(m);
			return cfg->record_path && strstr(err, "--record") ? HV_EXIT_USAGE : HV_EXIT_HOST_ERROR;
		}
		if (add_slot(3, virtio_metal_ops(), devs.metal) < 0)
			goto fail;
		virtio_metal_attach(devs.metal, devs.slot[3].t);
		virtio_metal_on_present(devs.metal, on_present, NULL);
	}
	return 0;
fail:
	virtio_devices_teardown(m);
	return HV_EXIT_HOST_ERROR;
}

void virtio_devices_teardown(struct machine *m)
{
	(void)m;
	if (devs.metal && virtio_metal_destroy(devs.metal) < 0)
		hv_err(devs.m, "the recording is incomplete");
	devs.metal = NULL;
	virtio_9p_destroy(devs.p9);
	devs.p9 = NULL;
	virtio_input_destroy(devs.keyboard);
	virtio_input_destroy(devs.tablet);
	devs.keyboard = devs.tablet = NULL;
	for (unsigned i = 0; i < HV_VIRTIO_SLOTS; i++) {
		virtio_mmio_destroy(devs.slot[i].t);
		devs.slot[i].t = NULL;
	}
	frame_actions_destroy(devs.actions);
	devs.actions = NULL;
}
